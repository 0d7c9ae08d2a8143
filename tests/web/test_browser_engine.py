"""The phone's engine (static/js/engine.js) is generated from the rulebook and agrees with the
Python engine: 5,000 random answer sets and 2,000 random check-ins, every contract v2 field,
run in Chromium. A stale engine.js (the rulebook changed, the file was not regenerated) fails."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from backwalk.engine import assess, checkin
from backwalk.errors import InputError
from backwalk.rules import default_rulebook
from backwalk.web.enginejs import ENGINE_JS, render_engine_js
from tests.conftest import load_cases
from tests.web.conftest import LiveServer
from tests.web.helpers import RB

BOOLS = [q.id for q in RB.questions if q.type == "bool"]
FLAGS = [f.id for f in RB.red_flags]
ALIASES = list(RB.aliases)
CHECKIN_SIGNS = FLAGS + [a for a in ALIASES if RB.aliases[a] in FLAGS]


def test_engine_js_is_generated_from_the_rulebook() -> None:
    """Regenerate and compare: run `make engine-js` after changing the rulebook."""
    assert ENGINE_JS.read_text(encoding="utf-8") == render_engine_js(default_rulebook()), (
        "backwalk/web/static/js/engine.js is stale: run `make engine-js`"
    )


def _answers(rng: random.Random) -> dict[str, Any]:
    """One random call: mostly valid answers, a few malformed, some 'not sure' and walk lengths."""
    answers: dict[str, Any] = {}
    flag_rate = rng.choice((0.0, 0.02, 0.05, 0.15, 0.4))
    for qid in BOOLS:
        roll = rng.random()
        if qid in FLAGS:
            if roll < flag_rate:
                answers[qid] = True
            elif roll < 0.6:
                answers[qid] = False
        elif roll < 0.15:
            answers[qid] = True
        elif roll < 0.6:
            answers[qid] = False
    if rng.random() < 0.9:
        answers["pain_score"] = rng.randint(0, 10)
    if rng.random() < 0.6:
        answers["onset_hours"] = rng.choice(
            (rng.randint(0, 100), round(rng.uniform(0, 2000), 2), 48, 48.5, 1008, 1007.9)
        )
    if rng.random() < 0.5:
        answers["age"] = rng.choice((rng.randint(0, 120), 15, 16, 49, 50))
    if rng.random() < 0.05:
        answers[rng.choice(ALIASES)] = rng.random() < 0.5
    if rng.random() < 0.1:  # v3: answers about the person's own words
        answers["confirmed"] = {q: rng.random() < 0.5 for q in rng.sample(BOOLS, 2)}
    unsure = rng.sample(BOOLS, rng.randint(1, 3)) if rng.random() < 0.15 else []
    if rng.random() < 0.05:  # malformed input: each must fail on the same field
        bad = rng.choice(
            [
                ("pain_score", 11),
                ("pain_score", "4"),
                ("pain_score", 4.5),
                ("pain_score", None),
                ("age", -1),
                ("onset_hours", -0.5),
                ("onset_hours", True),
                (rng.choice(BOOLS), "yes"),
                (rng.choice(BOOLS), 1),
                ("fevr", True),
                ("pain", 3),
            ]
        )
        answers[bad[0]] = bad[1]
    if rng.random() < 0.02:
        unsure = ["pain_score"]
    call: dict[str, Any] = {"answers": answers, "unsure": unsure}
    if rng.random() < 0.2:
        call["walk_minutes"] = rng.randint(5, 30)
    return call


def _checkin(rng: random.Random) -> dict[str, Any]:
    case: dict[str, Any] = {
        "baseline_pain": rng.randint(0, 10),
        "current_pain": rng.randint(0, 10),
    }
    if rng.random() < 0.8:
        case["sharp_or_shooting"] = rng.random() < 0.3
    for key in rng.sample(CHECKIN_SIGNS, rng.choice((0, 0, 1, 2, 3))):
        case[key] = rng.random() < 0.7
    if rng.random() < 0.1:
        case.update(dict.fromkeys(rng.choice(RB.combinations).all_of, True))
    if rng.random() < 0.04:
        bad = rng.choice(
            [
                ("current_pain", 11),
                ("baseline_pain", -1),
                ("current_pain", "5"),
                ("sharp_or_shooting", "no"),
                (rng.choice(CHECKIN_SIGNS), 1),
                ("pain_score", 4),
                ("sharp", True),
            ]
        )
        case[bad[0]] = bad[1]
    if rng.random() < 0.02:
        case.pop("baseline_pain")
    return case


def _python(call: dict[str, Any]) -> dict[str, Any]:
    try:
        return assess(call["answers"], unsure=call["unsure"], walk_minutes=call.get("walk_minutes"))
    except InputError as err:
        return {"error": err.field}


def _python_checkin(case: dict[str, Any]) -> dict[str, Any]:
    try:
        return checkin(case)
    except InputError as err:
        return {"error": err.field}


ASSESS = """async (calls) => {
  const engine = await import('/static/js/engine.js');
  return calls.map((call) => {
    try {
      return engine.assess(call.answers, { unsure: call.unsure, walkMinutes: call.walk_minutes });
    } catch (err) {
      if (err instanceof engine.InputError) return { error: err.field };
      throw err;
    }
  });
}"""

CHECKIN = """async (cases) => {
  const engine = await import('/static/js/engine.js');
  return cases.map((input) => {
    try {
      return engine.checkin(input);
    } catch (err) {
      if (err instanceof engine.InputError) return { error: err.field };
      throw err;
    }
  });
}"""


@pytest.fixture
def plain_page(context_factory: Any, live_server: LiveServer) -> Iterator[Any]:
    page = context_factory("desktop").new_page()
    page.goto("/learn")
    yield page


def _compare(kind: str, cases: list[Any], js: list[Any], py: list[Any]) -> None:
    wrong = [(case, j, p) for case, j, p in zip(cases, js, py, strict=True) if j != p]
    if wrong:
        case, j, p = wrong[0]
        fields = sorted(k for k in set(j) | set(p) if j.get(k) != p.get(k))
        pytest.fail(
            f"{len(wrong)} of {len(cases)} {kind} differ; first: {case}\n"
            f"fields {fields}\njs: {j}\npy: {p}"
        )


@pytest.mark.browser
def test_js_assess_agrees_with_the_engine(plain_page: Any) -> None:
    rng = random.Random(20261201)
    calls = [_answers(rng) for _ in range(5000)]
    contract = [
        {"answers": c["answers"], "unsure": c.get("unsure", [])}
        for name in ("structured_dev.jsonl", "structured_v2.jsonl", "structured_v3.jsonl")
        for c in load_cases(name)
        if c["kind"] == "assess" and isinstance(c["answers"], dict) and "text" not in c["answers"]
    ]
    calls += contract
    py = [_python(call) for call in calls]
    js = plain_page.evaluate(ASSESS, calls)
    _compare("assessments", calls, js, py)
    decided = [p for p in py if "error" not in p]
    dispositions = {p["disposition"] for p in decided}
    urgencies = {p["urgency"] for p in decided}
    assert dispositions == {"seek_care_now", "rest_first", "walk_gently"}
    assert urgencies == {"emergency", "same_day", "gp_soon", None}
    assert len(decided) < len(calls)  # some errors were compared too


@pytest.mark.browser
def test_js_checkin_agrees_with_the_engine(plain_page: Any) -> None:
    rng = random.Random(20261202)
    cases = [_checkin(rng) for _ in range(2000)]
    py = [_python_checkin(case) for case in cases]
    js = plain_page.evaluate(CHECKIN, cases)
    _compare("check-ins", cases, js, py)
    assert {p.get("action") for p in py} >= {"continue", "stop", "stop_seek_care"}
