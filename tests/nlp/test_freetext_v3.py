"""The shared v3 free-text cases (contract v3): each decided on its text alone, then again after
the questions it raises (`confirm`) are answered truthfully from what the case means.

Every case the reader still gets wrong is listed, with what is wrong, in known_misses_v3.json
(written by `python -m tests.nlp.known_misses`); a listed case is an expected failure with that
reason, an unlisted failure is a regression, and a listed case that passes must leave the list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.accuracy import decide
from tests.conftest import load_cases
from tests.nlp.known_misses import what_is_wrong

pytestmark = pytest.mark.nlp

KNOWN = json.loads(Path(__file__).with_name("known_misses_v3.json").read_text("utf-8"))
CASES = load_cases("freetext_v3_dev.jsonl")


def _param(case: dict[str, Any], stage: str) -> Any:
    reasons = KNOWN.get(case["id"], {}).get(stage)
    marks = [pytest.mark.xfail(reason="; ".join(reasons), strict=True)] if reasons else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_param(c, "text_alone") for c in CASES])
def test_v3_case_on_text_alone(case: dict[str, Any]) -> None:
    alone, _ = decide(case)
    assert what_is_wrong(case, alone) == []


@pytest.mark.parametrize("case", [_param(c, "after_confirming") for c in CASES])
def test_v3_case_after_confirming(case: dict[str, Any]) -> None:
    _, after = decide(case)
    assert what_is_wrong(case, after) == []


def test_confirm_asks_only_about_what_the_text_raises() -> None:
    for case in CASES[:40]:
        alone, _ = decide(case)
        raised = {f["field"] for f in alone["text_findings"] if f["value"] is True}
        assert set(alone["confirm"]) <= raised
