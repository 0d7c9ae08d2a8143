"""Per-field precision and recall of `extract` on a JSONL case file.

Case format (one JSON object per line)::

    {"id": "...", "text": "...", "expect": {"fields": {...}, "ignore": ["onset_hours"]},
     "xfail": "why (optional)"}

`fields` is the exact `answers` dict expected; fields named in `ignore` are not compared.
Run ``python -m backwalk.nlp.accuracy CASES.jsonl [ID_PREFIX]`` (the project's own cases
are tests/nlp/cases_own.jsonl; the package itself never reads from tests/).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fields import ALL_FIELDS, RED_FLAGS

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


def batch_score(cases: list[dict[str, Any]], read: Callable[[str], Answers]) -> str:
    """The three figures reported per batch of cases.

    A red-flag text is caught when every red flag it expects is reported; a flag-free text
    is wrongly flagged when any red flag is reported.
    """
    caught = flagged_texts = wrong = clean_texts = exact = 0
    for case in cases:
        answers = read(case["text"])
        wanted = {f for f in RED_FLAGS if case["expect"]["fields"].get(f)}
        got = {f for f in RED_FLAGS if answers.get(f)}
        if wanted:
            flagged_texts += 1
            caught += wanted <= got
        else:
            clean_texts += 1
            wrong += bool(got)
        exact += not differences(case, answers)
    return (
        f"red-flag texts caught: {caught}/{flagged_texts}; "
        f"flag-free texts wrongly flagged: {wrong}/{clean_texts}; "
        f"fully right: {exact}/{len(cases)}"
    )


def main(argv: list[str] | None = None) -> int:
    """Print the report for a case file, optionally only the cases whose id has a prefix."""
    from . import extract

    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m backwalk.nlp.accuracy CASES.jsonl [ID_PREFIX]")
        return 2
    prefix = args[1] if len(args) > 1 else ""
    cases = [c for c in load_cases(Path(args[0])) if c["id"].startswith(prefix)]
    print(batch_score(cases, lambda text: extract(text).counted()))
    print(report(cases, lambda text: extract(text).counted()))
    for case in cases:
        diff = differences(case, extract(case["text"]).counted())
        if diff:
            mark = " (xfail)" if "xfail" in case else ""
            print(f"  {case['id']}{mark}: {case['text']!r} {diff}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
