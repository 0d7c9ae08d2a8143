"""The free-text reader, through `backwalk.nlp.bench.run_bench()` when it is there.

`run_bench()` belongs to the NLP module (it knows how to warm its own pipeline); this part
only names its figures, attaches the targets and prints them with the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from benchmarks.report import Figure, skipped

PART = "nlp"
# The warm figure is timed over the project's own free-text cases.
OWN_CASES = Path(__file__).resolve().parents[1] / "tests" / "nlp" / "cases_own.jsonl"
WARM_TARGET = 1000.0  # texts per second, warm
FIRST_TARGET = 1.0  # seconds to the first text in a fresh process


class Known(NamedTuple):
    name: str
    unit: str
    target: float | None = None
    higher_is_better: bool = True


# The keys `run_bench()` returns today; anything else is shown under its own key.
KNOWN = {
    "texts_per_second": Known("warm texts per second", "/s", WARM_TARGET),
    "texts_per_cpu_second": Known("warm texts per CPU second (less sensitive to load)", "/s"),
    "mean_ms_per_text": Known("warm mean time per text", "ms"),
    "whole_process_s_best": Known(
        "first text in a fresh process, whole process, best of 3", "s", FIRST_TARGET, False
    ),
    "import_and_first_extract_s_best": Known("import + first text in that process, best", "s"),
    "import_and_first_extract_s_worst": Known("import + first text in that process, worst", "s"),
    "import_and_first_extract_cpu_s_best": Known("import + first text, CPU time, best", "s"),
    "texts": Known("texts in the warm set", ""),
}


def run() -> list[Figure]:
    try:
        from backwalk.nlp.bench import run_bench
    except ImportError as err:
        return [skipped(PART, "free text", f"not available ({err})")]
    results = run_bench(OWN_CASES)
    figures = [_figure(key, value) for key, value in results.items() if _is_number(value)]
    for figure in figures:
        print(f"  {figure.name}: {figure.value:.4g} {figure.unit}".rstrip(), flush=True)
    return figures


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _figure(key: str, value: float) -> Figure:
    known = KNOWN.get(key)
    if known is None:
        return Figure(PART, key, float(value), _unit(key))
    return Figure(
        PART,
        known.name,
        float(value),
        known.unit,
        target=known.target,
        higher_is_better=known.higher_is_better,
    )


def _unit(key: str) -> str:
    if "per_second" in key:
        return "/s"
    if key.endswith("_ms") or "_ms_" in key:
        return "ms"
    if key.endswith("_s") or "_s_" in key:
        return "s"
    return ""
