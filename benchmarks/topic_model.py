"""Does a small statistical topic model, added to the rule-based reader, help on unseen text?

An experiment, not part of `make bench`. One TF-IDF (word 1-2-grams and char_wb 3-5-grams of
the lower-cased text) feeds one balanced logistic regression per yes/no question. "Rules +
model": where the model's probability for a warning sign reaches a threshold and the rules
neither reported nor denied it, the sign is added as "Not sure" (the cautious yes) on text
alone, and asked about after the text: the person's true answer from the case's `meaning`
settles it. Judged as benchmarks/accuracy.py judges (`expected`, `decide`, `_right`),
leave-one-style-out on freetext_v3_dev.jsonl, then once on the blind batch with the model
trained on every other file. Needs scikit-learn:
`PYTHONPATH=. .venv/bin/python -m benchmarks.topic_model`.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backwalk.rules import default_rulebook
from benchmarks.accuracy import (
    BLIND_FILES,
    CASE_DIR,
    REPO,
    _assess,
    _right,
    _truly,
    decide,
    expected,
    load,
)

V3_FILE = CASE_DIR / "freetext_v3_dev.jsonl"
TRAIN_ONLY_FILES = (
    CASE_DIR / "freetext_v2_dev.jsonl",
    CASE_DIR / "freetext_dev.jsonl",
    REPO / "tests" / "nlp" / "cases_own.jsonl",
)
THRESHOLDS = (0.5, 0.7, 0.9)
RANDOM_STATE = 0
BOOL_FIELDS = tuple(q.id for q in default_rulebook().questions if q.type == "bool")
RED_FLAGS = tuple(f.id for f in default_rulebook().red_flags)


def truth(case: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """The yes/no fields a case's text truly says yes to, and those it leaves out of the
    comparison: `meaning` (v2, v3, blind), `expect.fields` and `expect.ignore` (own cases), or
    the warning signs `expect.red_flags` names (v1)."""
    expect = case.get("expect", {})
    if "meaning" in case:
        values = case["meaning"]
    elif "fields" in expect:
        values = expect["fields"]
    else:
        values = dict.fromkeys(expect.get("red_flags", []), True)
    yes = {key for key, value in values.items() if value is True and key in BOOL_FIELDS}
    return yes, set(expect.get("ignore", []))


@dataclass
class TopicModel:
    """TF-IDF features and one binary logistic regression per yes/no field. A field with one
    class only in the training data keeps that class's probability (0 or 1)."""

    features: Any = None
    models: dict[str, Any] = field(default_factory=dict)
    constant: dict[str, float] = field(default_factory=dict)

    def fit(self, cases: Sequence[Mapping[str, Any]]) -> TopicModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion

        self.features = FeatureUnion(
            [
                ("words", TfidfVectorizer(lowercase=True, analyzer="word", ngram_range=(1, 2))),
                ("chars", TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=(3, 5))),
            ]
        )
        matrix = self.features.fit_transform([case["text"] for case in cases])
        truths = [truth(case) for case in cases]
        for name in BOOL_FIELDS:
            rows = [i for i, (_, ignored) in enumerate(truths) if name not in ignored]
            labels = [int(name in truths[i][0]) for i in rows]
            if len(set(labels)) < 2:
                self.constant[name] = float(labels[0]) if labels else 0.0
                continue
            model = LogisticRegression(
                class_weight="balanced", max_iter=2000, random_state=RANDOM_STATE
            )
            self.models[name] = model.fit(matrix[rows], labels)
        return self

    def predict(self, text: str) -> dict[str, float]:
        """Each yes/no field's probability for one text."""
        row = self.features.transform([text])
        probs = {name: float(m.predict_proba(row)[0, 1]) for name, m in self.models.items()}
        return {**self.constant, **probs}


@dataclass
class Outcome:
    """The decision on text alone, after confirming, and the signs the model added."""

    alone: dict[str, Any]
    after: dict[str, Any]
    added: list[str] = field(default_factory=list)
    true_added: int = 0


@dataclass
class Tally:
    """Counts for one group of cases under one way of deciding."""

    cases: int = 0
    right_text: int = 0
    right_confirmed: int = 0
    care_cases: int = 0
    care_missed: int = 0
    calm: int = 0
    calm_to_care: int = 0
    questions: int = 0
    alarms: int = 0
    true_alarms: int = 0

    def add(self, expect: Mapping[str, Any], outcome: Outcome) -> None:
        alone = outcome.alone
        self.cases += 1
        self.right_text += _right(expect, alone)
        self.right_confirmed += _right(expect, outcome.after)
        self.questions += len(alone.get("confirm", [])) + len(outcome.added)
        self.alarms += len(outcome.added)
        self.true_alarms += outcome.true_added
        if expect["disposition"] == "seek_care_now":
            self.care_cases += 1
            self.care_missed += alone["disposition"] != "seek_care_now"
        else:
            self.calm += 1
            self.calm_to_care += alone["disposition"] == "seek_care_now"


def _assess_unsure(answers: dict[str, Any], text: str, unsure: list[str]) -> dict[str, Any]:
    """As accuracy._assess, with some yes/no questions answered "Not sure"."""
    from backwalk import InputError, assess

    try:
        return assess(answers, text=text, unsure=unsure)
    except InputError as err:
        return {"disposition": f"error: {err}", "answers": {}}


def with_model(
    case: Mapping[str, Any], rules: Outcome, probs: Mapping[str, float], t: float
) -> Outcome:
    """Rules + model: warning signs the model rates at least `t` that the text's findings do not
    touch (neither reported nor denied) are added as "Not sure", then asked about."""
    touched = {f["field"] for f in rules.alone.get("text_findings", [])}
    given = set(case.get("answers", {}))
    added = [
        name
        for name in RED_FLAGS
        if probs.get(name, 0.0) >= t and name not in touched and name not in given
    ]
    if not added:
        return rules
    answers = dict(case.get("answers", {}))
    alone = _assess_unsure(answers, case["text"], added)
    asked = list(rules.alone.get("confirm", [])) + added
    confirmed = {key: _truly(case, key) for key in asked}
    after = _assess({**answers, "confirmed": confirmed}, case["text"])
    true_added = sum(_truly(case, name) for name in added)
    return Outcome(alone, after, added, true_added)


def evaluate(
    cases: Sequence[Mapping[str, Any]], model: TopicModel, timing: dict[str, list[float]]
) -> dict[str, dict[str, Tally]]:
    """Tallies by way of deciding ("rules" or a threshold) and style, with an "all" row.
    Appends each text's model and rules time (seconds) to `timing`."""
    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for raw in cases:
        case = {**raw, "expect": expected(raw)}
        started = time.perf_counter()
        probs = model.predict(case["text"])
        timing["predict"].append(time.perf_counter() - started)
        started = time.perf_counter()
        alone, after = decide(case)
        timing["rules"].append(time.perf_counter() - started)
        rules = Outcome(alone, after)
        ways = {"rules": rules} | {str(t): with_model(case, rules, probs, t) for t in THRESHOLDS}
        for way, outcome in ways.items():
            for group in (str(case.get("style", "plain")), "all"):
                tallies[way][group].add(case["expect"], outcome)
    return tallies


def leave_one_style_out(
    v3: Sequence[Mapping[str, Any]], others: Sequence[Mapping[str, Any]], timing: dict
) -> dict[str, dict[str, Tally]]:
    """Each v3 style judged by a model trained on everything but that style's v3 cases."""
    merged: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for style in sorted({case["style"] for case in v3}):
        held = [case for case in v3 if case["style"] == style]
        train = [case for case in v3 if case["style"] != style] + list(others)
        started = time.perf_counter()
        model = TopicModel().fit(train)
        timing["train"].append(time.perf_counter() - started)
        for way, groups in evaluate(held, model, timing).items():
            for group, tally in groups.items():
                _merge(merged[way][group], tally)
    return merged


def _merge(into: Tally, part: Tally) -> None:
    for name in Tally.__dataclass_fields__:
        setattr(into, name, getattr(into, name) + getattr(part, name))


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _pair(rules: Tally, model: Tally, part: str, whole: str) -> str:
    before = _pct(getattr(rules, part), getattr(rules, whole))
    after = _pct(getattr(model, part), getattr(model, whole))
    return f"{before} → {after}" if before != after else before


def table(tallies: Mapping[str, Mapping[str, Tally]], t: float) -> str:
    """One threshold: per style, rules alone → rules + model."""
    rows = [
        "| style | cases | right on text alone | right after confirming | seek-care missed "
        "| calm texts sent to care | questions per text | model alarms (true) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    model_groups = tallies[str(t)]
    groups = sorted(model_groups, key=lambda name: (name == "all", name))
    for name in groups:
        r, m = tallies["rules"][name], model_groups[name]
        label = f"**{name}**" if name == "all" else name
        questions = f"{r.questions / r.cases:.2f} → {m.questions / m.cases:.2f}"
        rows.append(
            f"| {label} | {r.cases} | {_pair(r, m, 'right_text', 'cases')} "
            f"| {_pair(r, m, 'right_confirmed', 'cases')} "
            f"| {_pair(r, m, 'care_missed', 'care_cases')} | {_pair(r, m, 'calm_to_care', 'calm')} "
            f"| {questions} | {m.alarms} ({m.true_alarms}) |"
        )
    return "\n".join(rows)


def summary(tallies: Mapping[str, Mapping[str, Tally]]) -> str:
    """The "all" row of every way of deciding, as counts."""
    rows = [
        "| way | right on text alone | right after confirming | seek-care missed "
        "| calm texts sent to care | questions per text | model alarms (true) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for way in ("rules", *map(str, THRESHOLDS)):
        s = tallies[way]["all"]
        label = "rules alone" if way == "rules" else f"rules + model, t = {way}"
        rows.append(
            f"| {label} | {s.right_text}/{s.cases} ({_pct(s.right_text, s.cases)}) "
            f"| {s.right_confirmed}/{s.cases} ({_pct(s.right_confirmed, s.cases)}) "
            f"| {s.care_missed}/{s.care_cases} | {s.calm_to_care}/{s.calm} "
            f"| {s.questions / s.cases:.2f} | {s.alarms} ({s.true_alarms}) |"
        )
    return "\n".join(rows)


def report(title: str, tallies: Mapping[str, Mapping[str, Tally]]) -> str:
    parts = [f"## {title}\n", summary(tallies), ""]
    for t in THRESHOLDS:
        parts += [f"### {title}, t = {t} (rules alone → rules + model)\n", table(tallies, t), ""]
    return "\n".join(parts)


def _ms(values: Iterable[float]) -> str:
    values = list(values)
    return f"{1000 * sum(values) / len(values):.2f} ms" if values else "-"


def main() -> int:
    try:
        import sklearn  # noqa: F401  (an experiment's own dependency, not the product's)
    except ImportError:
        print("this experiment needs scikit-learn: .venv/bin/pip install scikit-learn")
        return 2
    v3 = load(V3_FILE)
    others = [case for path in TRAIN_ONLY_FILES for case in load(path)]
    timing: dict[str, list[float]] = defaultdict(list)
    print(f"# Topic model beside the rules\n\ntrain-only cases: {len(others)}, v3 dev: {len(v3)}\n")
    print(
        report(
            "freetext_v3_dev.jsonl, leave-one-style-out", leave_one_style_out(v3, others, timing)
        )
    )
    blind_timing: dict[str, list[float]] = defaultdict(list)
    started = time.perf_counter()
    model = TopicModel().fit(v3 + others)
    blind_timing["train"].append(time.perf_counter() - started)
    for blind in BLIND_FILES:
        print(
            report(
                f"{blind.name}, trained on every other file",
                evaluate(load(blind), model, blind_timing),
            )
        )
    for name, spent in (("leave-one-style-out", timing), ("blind", blind_timing)):
        print(
            f"{name}: training {_ms(spent['train'])} per fit ({len(spent['train'])} fits), "
            f"model {_ms(spent['predict'])} per text, rules (decide) {_ms(spent['rules'])} "
            f"per text over {len(spent['predict'])} texts"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
