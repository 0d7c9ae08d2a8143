"""The offline stop rule in the browser (static/js/rule.js) agrees with the Python engine on
every check-in case in the contract's case file, and on every combination around them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from backwalk.engine import checkin
from tests.conftest import load_cases
from tests.web.conftest import LiveServer
from tests.web.helpers import RB

pytestmark = pytest.mark.browser

CONTRACT = [c["input"] for c in load_cases("structured_dev.jsonl") if c["kind"] == "checkin"]
FLAG_QUESTIONS = [q.id for q in RB.questions if q.group == "red_flag"]


def _grid() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for base, now, sharp in itertools.product(range(11), range(11), (False, True)):
        cases.append({"baseline_pain": base, "current_pain": now, "sharp_or_shooting": sharp})
    for flag in FLAG_QUESTIONS:
        cases.append({"baseline_pain": 3, "current_pain": 2, flag: True})
        cases.append(
            {"baseline_pain": 3, "current_pain": 5, flag: False, "sharp_or_shooting": True}
        )
    for a, b in itertools.combinations(FLAG_QUESTIONS, 2):
        cases.append({"baseline_pain": 4, "current_pain": 4, a: True, b: True})
    return cases


EVALUATE = """async (cases) => {
  const rule = await import('/static/js/rule.js');
  const vocab = await (await fetch('/api/rules')).json();
  const rules = rule.rulesFromVocabulary(vocab);
  return cases.map((input) => {
    const decision = rule.decideCheckin(input, rules);
    return { ...decision, ...rule.describeCheckin(decision, input, rules) };
  });
}"""


@pytest.fixture
def plain_page(context_factory: Any, live_server: LiveServer) -> Iterator[Any]:
    page = context_factory("desktop").new_page()
    page.goto("/learn")
    yield page


@pytest.mark.parametrize("which", ["contract", "grid"])
def test_js_rule_agrees_with_the_engine(plain_page: Any, which: str) -> None:
    cases = CONTRACT if which == "contract" else _grid()
    assert cases
    results = plain_page.evaluate(EVALUATE, cases)
    for case, js in zip(cases, results, strict=True):
        py = checkin(case)
        assert js["action"] == py["action"], case
        assert js["red_flags"] == py["red_flags"], case
        assert js["urgency"] == py["urgency"], case
        assert js["headline"] == py["headline"], case
        assert js["text"] == py["reasons"][0]["text"], case
