"""Our own phrasing cases (cases_own.jsonl): the exact answers each text must give.

Format: {"id", "text", "expect": {"fields": {...exact answers...}, "ignore": [fields not
compared]}, "xfail": "why"}. Cases marked xfail are known misses, kept to stay honest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backwalk.nlp import extract
from backwalk.nlp.accuracy import differences, load_cases

CASES_FILE = Path(__file__).with_name("cases_own.jsonl")


def _params() -> list[Any]:
    params = []
    for case in load_cases(CASES_FILE):
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


@pytest.mark.nlp
@pytest.mark.parametrize("case", _params())
def test_own_case(case: dict[str, Any]) -> None:
    assert differences(case, extract(case["text"]).counted()) == {}


def test_case_file_has_enough_varied_cases() -> None:
    cases = load_cases(CASES_FILE)
    assert len(cases) >= 200
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        assert set(case) <= {"id", "text", "expect", "xfail"}
        assert set(case["expect"]) <= {"fields", "ignore"}
