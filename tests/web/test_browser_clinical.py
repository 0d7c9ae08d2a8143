"""What the clinical review asked for, in a real browser at phone and desktop size: a pregnant
person with bleeding is told to call the maternity unit without giving a pain number, and the
emergency screen asks about changes in sex in plain words."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser_steps import answer_emergency, answer_warning, sign_box
from tests.web.conftest import screenshot
from tests.web.helpers import RB

pytestmark = pytest.mark.browser


def test_bleeding_in_pregnancy_reaches_the_maternity_unit_without_a_pain_number(
    page: Any, size: str
) -> None:
    page.goto("/check?new=1")
    answer_emergency(page)
    answer_warning(page, yes=("pregnancy_warning",))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Call your midwife or maternity unit now"
    )
    expect(page.locator(".urgent")).to_contain_text("maternity unit now. Do this day or night")
    screenshot(page, "result-pregnancy-warning", size)


def test_the_emergency_screen_asks_about_changes_in_sex_in_plain_words(
    page: Any, size: str
) -> None:
    page.goto("/check?new=1")
    prompt = RB.question_by_id["sexual_dysfunction"].prompt
    box = sign_box(page, "sexual_dysfunction")
    expect(box).to_be_visible()
    expect(page.locator("#q-sexual_dysfunction")).to_contain_text(prompt)
    assert "erection" in prompt and "dysfunction" not in prompt
    box.scroll_into_view_if_needed()
    screenshot(page, "check-emergency-sexual-changes", size)
