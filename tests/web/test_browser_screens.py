"""How fast the check is for a person in pain: screens seen and taps made per scenario, on a
phone (390 x 844) with JavaScript. The table is printed and saved to
test-artifacts/screens-and-taps.md for the README; every step is also a screenshot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser_steps import Taps, answer_emergency, answer_pain, answer_warning
from tests.web.conftest import REPO, screenshot
from tests.web.helpers import RB

pytestmark = pytest.mark.browser

TABLE = REPO / "test-artifacts" / "screens-and-taps.md"
ROWS: dict[str, tuple[str, Taps]] = {}


def nothing_wrong(page: Any, taps: Taps) -> str:
    answer_emergency(page, taps=taps)
    answer_warning(page, taps=taps)
    answer_pain(page, 3, taps=taps)
    return RB.disposition("walk_gently").headline


def rest_first(page: Any, taps: Taps) -> str:
    answer_emergency(page, taps=taps)
    answer_warning(page, taps=taps)
    answer_pain(page, 8, yes=("sharp_pain",), taps=taps)
    return RB.disposition("rest_first").headline


def emergency(page: Any, taps: Taps) -> str:
    answer_emergency(page, yes="bladder_or_bowel_loss", taps=taps)
    return RB.urgency_headline("emergency")


def same_day(page: Any, taps: Taps) -> str:
    answer_emergency(page, taps=taps)
    answer_warning(page, yes=("leg_pain_below_knee",), taps=taps)
    return RB.urgency_headline("same_day")


def gp_soon(page: Any, taps: Taps) -> str:
    answer_emergency(page, taps=taps)
    answer_warning(page, taps=taps)
    answer_pain(page, 4, age="55", first_episode="yes", taps=taps)
    return RB.disposition("walk_gently").headline


SCENARIOS: dict[str, tuple[str, Callable[[Any, Taps], str], int]] = {
    # name: (what the person has, the steps, the most screens allowed)
    "nothing-wrong": ("nothing wrong, pain 3", nothing_wrong, 3),
    "rest-first": ("pain 8, sharp", rest_first, 3),
    "emergency": ("loss of bladder control", emergency, 1),
    "same-day": ("pain down a leg past the knee", same_day, 2),
    "gp-soon": ("age 55, first time, pain 4", gp_soon, 3),
}


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    if not ROWS:
        return
    lines = [
        "| scenario | screens | taps | fields typed |",
        "|---|---|---|---|",
        *(
            f"| {what} | {t.screens} | {t.taps} | {t.typed} |"
            for name, (what, t) in sorted(ROWS.items(), key=lambda r: list(SCENARIOS).index(r[0]))
        ),
    ]
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n" + "\n".join(lines))


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_screens_and_taps(context_factory: Any, live_server: Any, name: str) -> None:
    live_server.reset()
    what, steps, most_screens = SCENARIOS[name]
    page = context_factory("phone").new_page()
    page.goto("/check?new=1")
    screenshot(page, "screens-check-emergency", "phone")
    taps = Taps()
    headline = steps(page, taps)
    expect(page.get_by_role("heading", level=1)).to_have_text(headline)
    assert page.url.split("/")[-2] == "result"
    screenshot(page, f"screens-result-{name}", "phone")
    ROWS[name] = (what, taps)
    assert taps.screens <= most_screens, taps
    if name == "emergency":
        assert (taps.screens, taps.taps) == (1, 1)  # one tap on the sign, nothing else
        call = page.locator("main").get_by_role("link", name=f"Call {RB.emergency_number}")
        expect(call).to_have_attribute("href", f"tel:{RB.emergency_number}")
        expect(call).to_be_in_viewport()  # no scrolling to find it
    if name == "nothing-wrong":
        assert taps.taps == 4 and taps.typed == 0
    if name == "gp-soon":
        expect(page.locator(".gp-soon")).to_contain_text(RB.urgency_headline("gp_soon"))
        expect(page.get_by_role("button", name="Start the 5-minute walk")).to_be_visible()
