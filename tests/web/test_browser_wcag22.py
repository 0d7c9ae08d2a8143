"""WCAG 2.2 AA beyond what axe-core checks, on every page of local mode, at phone (390 x 844)
and desktop (1280 x 800) size, in each language of LANGUAGES:

- 2.5.8 Target Size (Minimum): every target is at least 24 x 24 CSS px, or flows in a sentence,
  or has room around it (the exceptions, applied as written).
- 2.4.11 Focus Not Obscured (Minimum): Tab through every tab stop (and focus every other
  focusable element): each is in the window and nothing fixed or sticky lies over it.
- 2.5.7 Dragging Movements: no slider, nothing draggable; the pain scales are buttons.
- 3.2.6 Consistent Help: the way to urgent help (the emergency number, a setting) is the same
  element in the same place on every page, error pages, the walk and the report included.
- 1.4.10 Reflow: at 320 CSS px nothing scrolls sideways.

Redundant entry (3.3.7) is tested on the check itself: test_browser_redundant_entry.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import LiveServer
from tests.web.page_states import NLP_PAGES, PAGES, PageState, add_boom_route
from tests.web.wcag22 import (
    LANGUAGES,
    dragging_only,
    expected_help,
    obscured_focus,
    sideways_scroll,
    small_targets,
    urgent_help,
)

pytestmark = pytest.mark.browser

STATIC_JS = Path(__file__).resolve().parents[2] / "backwalk" / "web" / "static" / "js"
ALL_PAGES: dict[str, PageState] = {**PAGES, **NLP_PAGES}
PAGE_PARAMS = [
    pytest.param(name, marks=pytest.mark.nlp) if name in NLP_PAGES else name for name in ALL_PAGES
]


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _open(context_factory: Any, live: LiveServer, name: str, size: str, lang: str) -> Any:
    live.reset()
    add_boom_route(live)
    context = context_factory(size, locale=lang, extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    ALL_PAGES[name](page, live)
    expect(page.locator("main")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    return page


@pytest.mark.parametrize("name", PAGE_PARAMS)
def test_wcag22_on_every_page(
    context_factory: Any, live_server: LiveServer, name: str, size: str, lang: str
) -> None:
    page = _open(context_factory, live_server, name, size, lang)
    problems: list[str] = []

    targets = small_targets(page)
    problems += [f"2.5.8 target under 24 x 24 px: {t}" for t in targets["small"]]

    help_now = urgent_help(page)
    state = live_server.app.state.web
    text = state.rb.notes.urgent_help.format(number=state.emergency_number)
    if help_now != expected_help(state.emergency_number, text):
        problems.append(f"3.2.6 the way to urgent help is not where every page has it: {help_now}")

    problems += [f"2.5.7 worked by dragging: {d}" for d in dragging_only(page)]

    wide = sideways_scroll(page)
    if wide:
        problems.append(f"1.4.10 at 320 px the page is {wide}")

    hidden, focused = obscured_focus(page)
    problems += [f"2.4.11 {p}" for p in hidden]
    assert focused > 0, "Tab reached nothing"

    assert not problems, f"{name} [{size}, {lang}]:\n" + "\n".join(problems)


def test_the_inline_exception_covers_a_link_in_a_sentence_only(
    context_factory: Any, live_server: LiveServer
) -> None:
    """The inline exception is applied as written, not to everything: on the forget page the
    link in "You may want to download a copy first." is small and excused; every other target
    is full size."""
    page = _open(context_factory, live_server, "forget", "phone", "en")
    targets = small_targets(page)
    assert targets["small"] == [] and targets["spaced"] == []
    assert [said.split('"')[1] for said in targets["inline"]] == ["download a copy"]
    assert targets["checked"] > 10


def test_a_small_target_out_of_a_sentence_fails(
    context_factory: Any, live_server: LiveServer
) -> None:
    """The check itself: a 16 px button beside another fails; a link in a sentence does not."""
    page = _open(context_factory, live_server, "home", "phone", "en")
    page.evaluate(
        """() => {
          const main = document.querySelector('main');
          main.insertAdjacentHTML('afterbegin',
            '<p>Read <a href="/learn" id="inline-one">this</a> first.</p>' +
            '<div><button id="tiny" style="width:16px;height:16px;padding:0"></button>' +
            '<button id="next" style="width:30px;height:30px">x</button></div>');
        }"""
    )
    targets = small_targets(page)
    assert any("#tiny" in said for said in targets["small"]), targets
    assert any("#inline-one" in said for said in targets["inline"]), targets


def test_focus_under_a_sticky_bar_is_caught(context_factory: Any, live_server: LiveServer) -> None:
    """The check itself: a sticky bar over the page hides what Tab focuses under it."""
    page = _open(context_factory, live_server, "learn", "phone", "en")
    page.evaluate(
        """() => {
          const bar = document.createElement('div');
          bar.style.cssText = 'position:fixed;bottom:0;left:0;right:0;height:60vh;background:#fff';
          document.body.append(bar);
        }"""
    )
    hidden, _ = obscured_focus(page, limit=60)
    assert any("overlapped by the fixed" in p or "under <div>" in p for p in hidden), hidden


@pytest.mark.parametrize(
    ("name", "scales"), [("check-pain", ["pain_score"]), ("walk-active", ["current_pain"])]
)
def test_pain_is_chosen_by_tapping_a_number(
    context_factory: Any, live_server: LiveServer, name: str, scales: list[str], size: str
) -> None:
    """2.5.7: the pain scales are eleven buttons (radios, 0 to 10), one tap or key each."""
    page = _open(context_factory, live_server, name, size, "en")
    for scale in scales:
        radios = page.locator(f"#q-{scale}").get_by_role("radio")
        expect(radios).to_have_count(11)
        assert [radios.nth(n).get_attribute("value") for n in range(11)] == [
            str(n) for n in range(11)
        ]
        radios.nth(7).click()
        expect(radios.nth(7)).to_be_checked()


def test_no_script_listens_for_dragging() -> None:
    """2.5.7: nothing in the app's scripts follows a pointer's movement or a drag."""
    events = ("dragstart", "'drag'", "pointermove", "mousemove", "touchmove", "draggable")
    found = [
        f"{path.name}: {event}"
        for path in sorted(STATIC_JS.glob("*.js"))
        for event in events
        if event in path.read_text("utf-8")
    ]
    assert found == []


def test_the_report_keeps_its_tables_when_the_rows_stack(
    context_factory: Any, live_server: LiveServer
) -> None:
    """1.4.10 on the report: at 320 px its table rows are cards, and screen readers still
    hear tables, rows, cells and their headings."""
    page = _open(context_factory, live_server, "report", "phone", "en")
    page.set_viewport_size({"width": 320, "height": 640})
    progress = page.get_by_role("region", name="Progress", exact=False).get_by_role("table")
    expect(progress.get_by_role("columnheader")).to_have_count(3)
    expect(progress.get_by_role("rowheader")).to_have_count(3)
    cell = progress.get_by_role("cell").first
    assert cell.evaluate("(td) => getComputedStyle(td).display") == "block"
    assert "Progress: " in cell.evaluate("(td) => getComputedStyle(td, '::before').content")
