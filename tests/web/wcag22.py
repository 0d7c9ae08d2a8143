"""WCAG 2.2 AA checks that axe-core does not make, run in the page (tests/web/wcag22.js) by
Playwright. Local and hosted pages use the same ones (test_browser_wcag22.py,
tests/hosted/test_browser_wcag22_hosted.py).

- 2.5.8 Target Size (Minimum): `small_targets`
- 2.4.11 Focus Not Obscured (Minimum): `obscured_focus`
- 2.5.7 Dragging Movements: `dragging_only`
- 3.2.6 Consistent Help: `urgent_help`, `expected_help`
- 1.4.10 Reflow: `sideways_scroll`

LANGUAGES: the languages every page is checked in. Only English pages exist today; a second
language is one more entry here (the browser asks for it with Accept-Language and the page's
<html lang> must say it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

LANGUAGES = ("en",)
REFLOW_WIDTH = 320  # CSS px: WCAG 1.4.10's width (1280 px at 400% zoom, 640 px at 200%)
MIN_TARGET = 24  # CSS px, WCAG 2.5.8
CHECKS_JS = (Path(__file__).with_name("wcag22.js")).read_text("utf-8")


def _run(page: Any, check: str, arg: Any = None) -> Any:
    """One of wcag22.js's functions, run in the page."""
    return page.evaluate(f"(arg) => ({CHECKS_JS}).{check}(arg)", arg)


def small_targets(page: Any) -> dict[str, Any]:
    """Targets under 24 x 24 CSS px that no exception covers (`small`), and those the inline
    and spacing exceptions cover (`inline`, `spaced`), for the record."""
    found: dict[str, Any] = _run(page, "smallTargets", MIN_TARGET)
    return found


def obscured_focus(page: Any, limit: int = 400) -> tuple[list[str], int]:
    """Tab from the top through every tab stop (then focus, by script, what Tab passes over):
    each time, the focused element must be in the window and on top. Returns the problems and
    how many tab stops there were."""
    _run(page, "startAtTheTop")
    problems: list[str] = []
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = _run(page, "focusSeen")
        if where is None or (len(seen) > 1 and where["said"] == seen[0]):
            break
        seen.append(where["said"])
        if where["problem"]:
            problems.append(f"Tab {len(seen)}: {where['said']} is {where['problem']}")
    page.evaluate("document.getElementById('wcag-start')?.remove()")
    for marker in _run(page, "markFocusable"):
        page.locator(f"[data-wcag-focus='{marker}']").focus()
        where = _run(page, "focusSeen")
        if where is not None and where["problem"]:
            problems.append(f"focused: {where['said']} is {where['problem']}")
    return sorted(set(problems)), len(seen)


def dragging_only(page: Any) -> list[str]:
    """Controls worked by dragging (a range slider, anything draggable): there are none."""
    found: list[str] = _run(page, "dragging")
    return found


def urgent_help(page: Any) -> dict[str, Any]:
    found: dict[str, Any] = _run(page, "urgentHelp")
    return found


def expected_help(number: str, text: str) -> dict[str, Any]:
    """The way to urgent help as every page has it: one, in the banner (the page's first
    landmark), right after the brand, calling the emergency number in force."""
    return {
        "count": 1,
        "in_banner": True,
        "banner_first": True,
        "path": "div.bar > p.urgent-help",
        "after": "a.brand",
        "href": f"tel:{number}",
        "text": text,
        "shown": True,
    }


def sideways_scroll(page: Any, width: int = REFLOW_WIDTH) -> str | None:
    """At `width` CSS px (200% zoom of a 640 px window, 400% of 1280 px), the page must not
    scroll sideways: what is wrong, or None."""
    size = page.viewport_size
    page.set_viewport_size({"width": width, "height": 640})
    try:
        wide, window = page.evaluate(
            "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        widest = _run(page, "tooWide", window) if wide > window else []
    finally:
        page.set_viewport_size(size)
    if wide <= window:
        return None
    return f"{wide} px wide in a {window} px window (too wide: {widest})"
