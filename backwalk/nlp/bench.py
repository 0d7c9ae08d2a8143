"""Speed figures for the extractor: warm throughput and the first text in a fresh process.

Run ``python -m backwalk.nlp.bench``. Figures are printed, never asserted: they depend on
the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .accuracy import load_cases

FALLBACK_TEXTS = [
    "Dull ache in my lower back since yesterday, about 4/10. No pain down my legs.",
    "The pain shoots down to my foot and I wet myself this morning.",
    "My dad had prostate cancer. My back ache is 3/10, dull.",
    "I fell off a ladder yesterday and now my back is in spasm, 6/10.",
]
FIRST_TEXT = "the pain shoots down to my foot and I wet myself this morning"
# Prints wall and CPU seconds: on a shared machine the CPU time varies less with load.
CHILD = (
    "import time\n"
    "start, cpu = time.perf_counter(), time.process_time()\n"
    "from backwalk.nlp import extract\n"
    f"extract({FIRST_TEXT!r})\n"
    "print(time.perf_counter() - start, time.process_time() - cpu)\n"
)


def bench_texts(path: Path | None = None) -> list[str]:
    """The texts to time: those of a case file when one is given, else a small built-in set.

    The package never reads the test suite; `benchmarks/nlp.py` passes the project's own
    cases (tests/nlp/cases_own.jsonl).
    """
    if path is not None and path.exists():
        return [case["text"] for case in load_cases(path)]
    return FALLBACK_TEXTS


def warm_throughput(texts: list[str], rounds: int = 3) -> dict[str, float]:
    """Texts per second once the pipeline is built (best of `rounds` passes), by the clock
    and by this process's CPU time (which other work on the machine changes less)."""
    from . import extract, warm_up

    warm_up()
    best = best_cpu = float("inf")
    for _ in range(rounds):
        start, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            extract(text)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return {
        "texts": len(texts),
        "texts_per_second": len(texts) / best,
        "texts_per_cpu_second": len(texts) / best_cpu,
        "mean_ms_per_text": 1000 * best / len(texts),
    }


def first_text_in_fresh_process(runs: int = 3) -> dict[str, float]:
    """Import plus first extract, timed inside a new interpreter (best and worst of runs)."""
    inner: list[float] = []
    inner_cpu: list[float] = []
    outer: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", CHILD], capture_output=True, text=True, check=True, timeout=120
        )
        outer.append(time.perf_counter() - start)
        wall, cpu = result.stdout.strip().splitlines()[-1].split()
        inner.append(float(wall))
        inner_cpu.append(float(cpu))
    return {
        "import_and_first_extract_s_best": min(inner),
        "import_and_first_extract_s_worst": max(inner),
        "import_and_first_extract_cpu_s_best": min(inner_cpu),
        "whole_process_s_best": min(outer),
    }


def run_bench(cases: Path | None = None) -> dict[str, Any]:
    """Both figures: warm throughput over the cases' texts, and the cold first text."""
    return {**warm_throughput(bench_texts(cases)), **first_text_in_fresh_process()}


if __name__ == "__main__":
    print(json.dumps(run_bench(Path(sys.argv[1]) if len(sys.argv) > 1 else None), indent=2))
