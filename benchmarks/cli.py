"""The `backwalk` command as a script would use it: a 10,000-line batch, and a cold start.

Both run the installed console script with this interpreter (`sys.executable`), so the
comparison with `python -c pass` is like for like.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter

from benchmarks.core import answer_sets
from benchmarks.report import Figure

PART = "cli"
JSONL_LINES = 10_000
JSONL_TARGET = 1.0  # seconds, whole process
COLD_TARGET = 6.0  # times `python -c pass`
COLD_RUNS = 15
RUNS = 3
REPO = Path(__file__).resolve().parents[1]


def use_this_checkout() -> None:
    """Make every subprocess (the console script, servers, scripts) import this checkout's code.

    A script's own directory comes first on its sys.path, so through a virtualenv shared with
    another checkout (an editable install of that one) it would import the other's code.
    """
    path = os.environ.get("PYTHONPATH", "")
    if str(REPO) not in path.split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), path) if p)


def backwalk_command() -> list[str]:
    """The console script run by this interpreter, or `python -m backwalk` without one."""
    script = Path(sys.executable).parent / "backwalk"
    if script.is_file():
        return [sys.executable, str(script)]
    return [sys.executable, "-m", "backwalk"]


def timed(argv: list[str], stdin_path: Path | None = None, stdin_text: str | None = None) -> float:
    """Wall time of one whole process; raises if it fails, so a broken command is never fast."""
    stdin = stdin_path.open("rb") if stdin_path else None
    try:
        start = perf_counter()
        done = subprocess.run(
            argv,
            stdin=stdin,
            input=stdin_text.encode() if stdin_text is not None else None,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        elapsed = perf_counter() - start
    finally:
        if stdin:
            stdin.close()
    if done.returncode != 0:
        why = done.stderr.decode()[-500:]
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {why}")
    return elapsed


def write_batch(path: Path, lines: int = JSONL_LINES) -> None:
    path.write_text("".join(json.dumps(a) + "\n" for a in answer_sets(lines)), "utf-8")


def check_batch(argv: list[str], path: Path, lines: int) -> None:
    """One untimed run whose output is checked: one result per line, none an error."""
    with path.open("rb") as stdin:
        out = subprocess.run(argv, stdin=stdin, capture_output=True, check=False)
    results = out.stdout.decode().splitlines()
    errors = sum(1 for line in results if line.startswith('{"error"'))
    if out.returncode != 0 or len(results) != lines or errors:
        raise RuntimeError(
            f"jsonl batch: exit {out.returncode}, {len(results)} lines, {errors} errors"
        )


def jsonl_figure(tmp: Path) -> Figure:
    argv = [*backwalk_command(), "assess", "--jsonl"]
    batch = tmp / "batch.jsonl"
    write_batch(batch)
    check_batch(argv, batch, JSONL_LINES)
    best = min(timed(argv, stdin_path=batch) for _ in range(RUNS))
    print(f"  assess --jsonl, {JSONL_LINES:,} lines: {best:.3f} s (best of {RUNS})", flush=True)
    return Figure(
        PART,
        f"assess --jsonl on {JSONL_LINES:,} lines, wall time",
        best,
        "s",
        target=JSONL_TARGET,
        higher_is_better=False,
        note=f"best of {RUNS}",
    )


def cold_start_figures() -> list[Figure]:
    """Medians of alternating runs, so drift (other load, CPU boost) hits both sides alike."""
    assess_argv = [*backwalk_command(), "assess", "--json"]
    bare_argv = [sys.executable, "-c", "pass"]
    answers = json.dumps({"pain_score": 4})
    timed(assess_argv, stdin_text=answers)  # warm the file cache and .pyc files first
    assess_times, bare_times = [], []
    for _ in range(COLD_RUNS):
        assess_times.append(timed(assess_argv, stdin_text=answers))
        bare_times.append(timed(bare_argv))
    assess_median = statistics.median(assess_times)
    bare_median = statistics.median(bare_times)
    ratio = assess_median / bare_median
    print(
        f"  assess --json {assess_median * 1000:.0f} ms, python -c pass "
        f"{bare_median * 1000:.0f} ms: x{ratio:.2f} (medians of {COLD_RUNS})",
        flush=True,
    )
    return [
        Figure(
            PART,
            "assess --json cold start",
            assess_median * 1000,
            "ms",
            note=f"median of {COLD_RUNS}",
        ),
        Figure(PART, "python -c pass", bare_median * 1000, "ms", note=f"median of {COLD_RUNS}"),
        Figure(
            PART,
            "cold start ratio assess --json / python -c pass",
            ratio,
            "x",
            target=COLD_TARGET,
            higher_is_better=False,
        ),
    ]


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="backwalk-bench-") as tmp:
        return [jsonl_figure(Path(tmp)), *cold_start_figures()]
