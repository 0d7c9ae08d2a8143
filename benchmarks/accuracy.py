"""Decision accuracy of the free-text reader, per case file and per style.

For every case the text alone goes through `assess`; then, as an interactive face would, every
key in `confirm` is answered truthfully from the case's `meaning` (Not sure is never chosen) and
the decision is made again. `python -m benchmarks.accuracy [--markdown PATH] FILE...` prints
the table; `make bench` writes it into docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backwalk.rules import default_rulebook

REPO = Path(__file__).resolve().parents[1]
CASE_DIR = REPO / "tests" / "cases"
FREE_TEXT_FILES = ("freetext_dev.jsonl", "freetext_v2_dev.jsonl", "freetext_v3_dev.jsonl")
BLIND_FILES = tuple(REPO / "benchmarks" / f"blind_v{n}.jsonl" for n in (3, 4, 5, 6))
DECISION_KEYS = ("disposition", "red_flags", "urgency")
ASKS_FOR_PAIN = "error: pain_score"
_RED_FLAGS = frozenset(f.id for f in default_rulebook().red_flags)


@dataclass
class Score:
    """Counts for one group of cases."""

    cases: int = 0
    right_text: int = 0
    disposition_text: int = 0
    right_confirmed: int = 0
    care_cases: int = 0
    care_missed: int = 0
    emergencies: int = 0
    emergencies_under: int = 0
    calm: int = 0
    calm_to_care: int = 0
    questions: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, case: Mapping[str, Any], alone: Mapping[str, Any], after: Mapping[str, Any]):
        expect = case["expect"]
        self.cases += 1
        self.questions += len(alone.get("confirm", []))
        right = _right(expect, alone)
        self.right_text += right
        self.disposition_text += _disposition_right(expect, alone)
        self.right_confirmed += _right(expect, after)
        if not right:
            self.failures.append(str(case["id"]))
        if expect.get("disposition") == "seek_care_now":
            self.care_cases += 1
            self.care_missed += alone["disposition"] != "seek_care_now"
        else:
            self.calm += 1
            self.calm_to_care += alone["disposition"] == "seek_care_now"
        if expect.get("urgency") == "emergency":
            self.emergencies += 1
            self.emergencies_under += alone.get("urgency") != "emergency"


def _disposition_right(expect: Mapping[str, Any], result: Mapping[str, Any]) -> bool:
    if expect.get("needs_pain_score"):
        return result["disposition"] != "seek_care_now"
    return bool(result["disposition"] == expect["disposition"])


def _right(expect: Mapping[str, Any], result: Mapping[str, Any]) -> bool:
    if expect.get("needs_pain_score") and str(result["disposition"]).startswith(ASKS_FOR_PAIN):
        return True  # no number and no sign: asking for the number is as right as a decision
    if any(key in expect and result.get(key) != expect[key] for key in DECISION_KEYS):
        return False
    if "pain_score" in expect:
        return result["answers"].get("pain_score") == expect["pain_score"]
    return True


def expected(case: Mapping[str, Any]) -> dict[str, Any]:
    """A case's expected decision: its own `expect`, or the structured rules applied to its
    `meaning` (the blind batch is written as meanings only)."""
    if "expect" in case:
        return dict(case["expect"])
    from backwalk import InputError, assess

    try:
        result = assess(dict(case["meaning"]))
    except InputError:
        # A story with no pain number and no sign (a few blind cases): any decision short of
        # seeking care, or asking for the number, is right; the signs and urgency must match.
        result = assess({**case["meaning"], "pain_score": 0})
        return {
            "red_flags": result["red_flags"],
            "urgency": result["urgency"],
            "needs_pain_score": True,
        }
    out = {key: result[key] for key in DECISION_KEYS}
    if "pain_score" in case["meaning"]:
        out["pain_score"] = case["meaning"]["pain_score"]
    return out


def decide(case: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The decision on text alone, and after answering `confirm` truthfully from `meaning`."""
    answers = dict(case.get("answers", {}))
    alone = _assess(answers, case["text"])
    asked = alone.get("confirm", [])
    if not asked:
        return alone, alone
    confirmed = {key: _truly(case, key) for key in asked}
    return alone, _assess({**answers, "confirmed": confirmed}, case["text"])


def _truly(case: Mapping[str, Any], key: str) -> bool:
    """The true answer to a question about the words: from the case's `meaning`, or for the
    older files without one, from the warning signs it expects (other questions keep the
    reading: the person would say yes)."""
    if "meaning" in case:
        return case["meaning"].get(key) is True
    flags = case["expect"].get("red_flags")
    return key in flags if flags is not None and key in _RED_FLAGS else True


def _assess(answers: dict[str, Any], text: str) -> dict[str, Any]:
    """The decision, or an error counted as a wrong one (text must never block a decision)."""
    from backwalk import InputError, assess

    try:
        return assess(answers, text=text)
    except InputError as err:
        return {"disposition": f"error: {err}", "answers": {}}


def score(cases: Iterable[Mapping[str, Any]]) -> dict[str, Score]:
    """Scores by style, with an "all" row."""
    groups: dict[str, Score] = defaultdict(Score)
    for raw in cases:
        case = {**raw, "expect": expected(raw)}
        alone, after = decide(case)
        for name in (str(case.get("style", "plain")), "all"):
            groups[name].add(case, alone, after)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0] == "all", kv[0])))


def load(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


HEADER = (
    "| style | cases | right on text alone | disposition right | right after confirming "
    "| seek-care missed | emergencies under-called | calm texts sent to care "
    "| questions per text |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "-"


def table(scores: Mapping[str, Score]) -> str:
    rows = [HEADER]
    for name, s in scores.items():
        label = f"**{name}**" if name == "all" else name
        rows.append(
            f"| {label} | {s.cases} | {_pct(s.right_text, s.cases)} "
            f"| {_pct(s.disposition_text, s.cases)} "
            f"| {_pct(s.right_confirmed, s.cases)} | {_pct(s.care_missed, s.care_cases)} "
            f"| {_pct(s.emergencies_under, s.emergencies)} | {_pct(s.calm_to_care, s.calm)} "
            f"| {s.questions / s.cases:.2f} |"
        )
    return "\n".join(rows)


def files() -> list[Path]:
    found = [CASE_DIR / name for name in FREE_TEXT_FILES if (CASE_DIR / name).exists()]
    return found + [path for path in BLIND_FILES if path.exists()]


def markdown(paths: Iterable[Path]) -> str:
    parts = [
        "# Free-text accuracy\n",
        "Written by `make bench` (`python -m benchmarks.accuracy --markdown docs/accuracy.md`). "
        "Each case's text goes through the decision alone; then every question the decision "
        "asks (`confirm`) is answered truthfully from what the case means, as the check and "
        "`backwalk check` ask them, and the decision is made again. A decision is right when "
        "the disposition, the urgency, the warning signs and the pain score all match.\n",
        "`blind_v3.jsonl` to `blind_v6.jsonl` were each written by a writer who never saw "
        "the reader, in styles no other file has. Each was scored before any tuning on it "
        "(blind_v3: 65% on text alone, 80% after confirming, with the reader as it was before "
        "contract v3's work; 72.7% and 88.2% two rounds later, still not tuned on it; "
        "blind_v4: 76.2% and 85.9%; "
        "blind_v5: 69.8% and 90.7%; blind_v6: 82.8% and 96.4%): those first scores are the "
        "honest estimate for text nobody has seen. A few blind "
        "stories give no pain number and no sign: for them asking for the number is right.\n",
    ]
    for path in paths:
        parts += [f"## {path.name}\n", table(score(load(path))), ""]
    return "\n".join(parts) + "\n"


DOC = REPO / "docs" / "accuracy.md"


def run() -> list[Any]:
    """The `make bench` part: write docs/accuracy.md and report each file's overall figures."""
    from benchmarks.report import Figure

    paths = files()
    DOC.write_text(markdown(paths), "utf-8")
    print(f"  wrote {DOC.relative_to(REPO)}", flush=True)
    figures = []
    for path in paths:
        total = score(load(path))["all"]
        for name, part in (
            ("right on text alone", total.right_text),
            ("right after confirming", total.right_confirmed),
        ):
            value = 100 * part / total.cases
            figures.append(Figure("accuracy", f"{path.stem}: {name}", value, "%"))
            print(f"  {figures[-1].name}: {value:.1f}%", flush=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--markdown", type=Path, help="write the whole report here")
    parser.add_argument("--failures", action="store_true", help="list the ids decided wrongly")
    args = parser.parse_args(argv)
    paths = args.files or files()
    if args.markdown:
        args.markdown.write_text(markdown(paths), "utf-8")
        print(f"wrote {args.markdown}")
        return 0
    for path in paths:
        scores = score(load(path))
        print(f"\n## {path.name}\n{table(scores)}")
        if args.failures:
            print("wrong:", " ".join(scores["all"].failures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
