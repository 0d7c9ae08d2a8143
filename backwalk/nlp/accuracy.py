"""Per-field precision and recall of `extract` on a JSONL case file.

Case format (one JSON object per line)::

    {"id": "...", "text": "...", "expect": {"fields": {...}, "ignore": ["onset_hours"]},
     "xfail": "why (optional)"}

`fields` is the exact `answers` dict expected; fields named in `ignore` are not compared.
Run ``python -m backwalk.nlp.accuracy [cases.jsonl]``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fields import ALL_FIELDS

DEFAULT_CASES = Path(__file__).resolve().parents[2] / "tests" / "nlp" / "cases_own.jsonl"
Answers = Mapping[str, Any]


@dataclass
class Tally:
    """Counts for one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The cases of a JSONL file, skipping blank lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def differences(case: Mapping[str, Any], answers: Answers) -> dict[str, tuple[Any, Any]]:
    """Field -> (expected, got) for every compared field that differs."""
    expect = case["expect"]
    wanted = expect["fields"]
    ignored = set(expect.get("ignore", ()))
    return {
        name: (wanted.get(name), answers.get(name))
        for name in ALL_FIELDS
        if name not in ignored and wanted.get(name) != answers.get(name)
    }


def tally(cases: Iterable[Mapping[str, Any]], read: Callable[[str], Answers]) -> dict[str, Tally]:
    """Per-field true/false positives and false negatives over the cases."""
    tallies = {name: Tally() for name in ALL_FIELDS}
    for case in cases:
        answers = read(case["text"])
        ignored = set(case["expect"].get("ignore", ()))
        for name in ALL_FIELDS:
            if name not in ignored:
                _count(tallies[name], case["expect"]["fields"].get(name), answers.get(name))
    return tallies


def _count(t: Tally, wanted: Any, got: Any) -> None:
    if wanted is not None and got == wanted:
        t.tp += 1
        return
    if got is not None:
        t.fp += 1
    if wanted is not None:
        t.fn += 1


def report(cases: list[dict[str, Any]], read: Callable[[str], Answers]) -> str:
    """A plain-text table of precision and recall per field, and exact-match cases."""
    tallies = tally(cases, read)
    rows = [f"{'field':<26} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}"]
    for name, t in tallies.items():
        counts = f"{t.tp:>4} {t.fp:>4} {t.fn:>4}"
        rows.append(f"{name:<26} {counts} {t.precision:>9.3f} {t.recall:>7.3f}")
    exact = sum(not differences(c, read(c["text"])) for c in cases)
    rows.append(f"cases fully right: {exact}/{len(cases)}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Print the report for a case file (default: the project's own cases)."""
    from . import extract

    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_CASES
    cases = load_cases(path)
    print(report(cases, lambda text: extract(text).answers))
    for case in cases:
        diff = differences(case, extract(case["text"]).answers)
        if diff:
            mark = " (xfail)" if "xfail" in case else ""
            print(f"  {case['id']}{mark}: {case['text']!r} {diff}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
