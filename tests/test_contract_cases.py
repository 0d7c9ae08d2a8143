"""Every worked case in the contract's structured case file."""

from __future__ import annotations

from typing import Any

import pytest

from backwalk import InputError, assess, checkin
from backwalk.validation import parse_json
from tests.conftest import structured_cases

CASES = structured_cases()


def _decide(case: dict[str, Any]) -> dict[str, Any]:
    if case["kind"] == "assess_raw":  # sent as JSON text: repeated keys must be caught
        return assess(parse_json(case["raw"], "input", "empty"))
    return assess(case["answers"]) if case["kind"] == "assess" else checkin(case["input"])


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_structured_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(InputError) as err:
            _decide(case)
        if isinstance(expect["error"], str):
            assert err.value.field == expect["error"]
        if "field_mentions" in expect:
            assert expect["field_mentions"] in f"{err.value.field} {err.value}"
        return
    result = _decide(case)
    for key, value in expect.items():
        if key == "safety_net":  # v3: every assessment but an emergency carries one
            assert any(r["rule"] == "safety_net" for r in result["reasons"]) is value
        else:
            assert result[key] == value, key


def test_vendored_cases_match_shared() -> None:
    """The repo carries a copy of the shared cases for CI; it must not drift from the original."""
    from tests.conftest import SHARED_CASES, VENDORED_CASES

    if not SHARED_CASES.exists():
        pytest.skip("the shared folder is not beside this checkout")
    for shared in SHARED_CASES.glob("*.jsonl"):
        assert (VENDORED_CASES / shared.name).read_text() == shared.read_text(), shared.name
