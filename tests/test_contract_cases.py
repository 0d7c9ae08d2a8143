"""Every worked case in the contract's structured case file."""

from __future__ import annotations

from typing import Any

import pytest

from backwalk import InputError, assess, checkin
from tests.conftest import load_cases

CASES = load_cases("structured_dev.jsonl") + load_cases("structured_v2.jsonl")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_structured_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(InputError) as err:
            assess(case["answers"])
        assert err.value.field == expect["error"]
        return
    result = assess(case["answers"]) if case["kind"] == "assess" else checkin(case["input"])
    for key, value in expect.items():
        assert result[key] == value, key


def test_vendored_cases_match_shared() -> None:
    """The repo carries a copy of the shared cases for CI; it must not drift from the original."""
    from tests.conftest import SHARED_CASES, VENDORED_CASES

    if not SHARED_CASES.exists():
        pytest.skip("the shared folder is not beside this checkout")
    for shared in SHARED_CASES.glob("*.jsonl"):
        assert (VENDORED_CASES / shared.name).read_text() == shared.read_text(), shared.name
