"""The offline stop rule in the browser (`checkin` of static/js/engine.js, generated from the
rulebook) agrees with the Python engine on every check-in case in the contract's case files, and
on every combination around them: every red flag and older name (alias), every pair, the
rulebook's combinations, and random mixes. (test_browser_engine.py adds 2,000 random ones.)"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from typing import Any

import pytest

from backwalk.engine import checkin
from tests.conftest import load_cases
from tests.web.conftest import LiveServer
from tests.web.helpers import RB

pytestmark = pytest.mark.browser

CONTRACT = [
    c["input"]
    for name in ("structured_dev.jsonl", "structured_v2.jsonl")
    for c in load_cases(name)
    if c["kind"] == "checkin"
]
FLAG_QUESTIONS = [f.id for f in RB.red_flags]
ALIASES = [a for a, target in RB.aliases.items() if target in FLAG_QUESTIONS]
SIGN_KEYS = FLAG_QUESTIONS + ALIASES


def _grid() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for base, now, sharp in itertools.product(range(11), range(11), (False, True)):
        cases.append({"baseline_pain": base, "current_pain": now, "sharp_or_shooting": sharp})
    for flag in SIGN_KEYS:
        cases.append({"baseline_pain": 3, "current_pain": 2, flag: True})
        cases.append(
            {"baseline_pain": 3, "current_pain": 5, flag: False, "sharp_or_shooting": True}
        )
    for a, b in itertools.combinations(SIGN_KEYS, 2):
        cases.append({"baseline_pain": 4, "current_pain": 4, a: True, b: True})
    for alias in ALIASES:  # an older name and its sign disagreeing: a yes from either wins
        target = RB.aliases[alias]
        for old, new in itertools.product((True, False), repeat=2):
            cases.append({"baseline_pain": 4, "current_pain": 4, alias: old, target: new})
    for combo in RB.combinations:
        cases.append({"baseline_pain": 2, "current_pain": 2, **dict.fromkeys(combo.all_of, True)})
    return cases + _random(400)


def _random(count: int) -> list[dict[str, Any]]:
    """Random check-ins mixing several signs, aliases and combinations (a fixed seed)."""
    rng = random.Random(20261130)
    cases = []
    for _ in range(count):
        case: dict[str, Any] = {
            "baseline_pain": rng.randint(0, 10),
            "current_pain": rng.randint(0, 10),
            "sharp_or_shooting": rng.random() < 0.3,
        }
        for key in rng.sample(SIGN_KEYS, rng.randint(0, 4)):
            case[key] = rng.random() < 0.7
        if rng.random() < 0.3:
            case.update(dict.fromkeys(rng.choice(RB.combinations).all_of, True))
        cases.append(case)
    return cases


EVALUATE = """async (cases) => {
  const engine = await import('/static/js/engine.js');
  return cases.map((input) => {
    const decision = engine.checkin(input);
    return { ...decision, text: decision.reasons[0].text };
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
        assert js["reasons"] == py["reasons"], case
