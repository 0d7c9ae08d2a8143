"""WCAG 2.2 AA checks that axe-core does not make, run in the page by Playwright. Local and
hosted pages use the same ones (test_browser_wcag22.py, tests/hosted/test_browser_wcag22.py).

- 2.5.8 Target Size (Minimum): `small_targets`
- 2.4.11 Focus Not Obscured (Minimum): `obscured_focus`
- 2.5.7 Dragging Movements: `dragging_only`
- 3.2.6 Consistent Help: `urgent_help`
- 1.4.10 Reflow: `sideways_scroll`

LANGUAGES: the languages every page is checked in. Only English pages exist today; a second
language is one more entry here (the browser asks for it with Accept-Language).
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en",)
REFLOW_WIDTH = 320  # CSS px: WCAG 1.4.10's width (1280 px at 400% zoom, 640 px at 200%)
MIN_TARGET = 24  # CSS px, WCAG 2.5.8

# What a pointer can act on: links, buttons, form fields, summaries, anything made focusable.
_TARGETS = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], "
    "[tabindex]:not([tabindex='-1'])"
)

_JS_COMMON = r"""
const rendered = (el) => {
  const style = getComputedStyle(el);
  return style.visibility !== 'hidden' && el.getClientRects().length > 0;
};
const describe = (el) => {
  const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim();
  const id = el.id ? '#' + el.id : '';
  const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
  return `<${el.tagName.toLowerCase()}${id}${cls}> "${text.replace(/\s+/g, ' ').slice(0, 40)}"`;
};
"""

# The box a pointer can hit: the element's, joined with its labels' when a label activates it
# (a tap on "Not sure" ticks the box). An element is small when that box is under 24 x 24 px.
# A small one still passes under either exception of 2.5.8 that can be checked by machine:
# - inline: it flows in a sentence or block of text (display inline, with words around it in
#   the same block that are not themselves targets), so the line height of that text
#   constrains it;
# - spacing: a 24 px circle centred on it meets no other target, nor another small target's
#   circle.
SMALL_TARGETS_JS = (
    "(args) => {"
    + _JS_COMMON
    + r"""
  const [selector, min] = args;
  const boxOf = (el) => {
    const rects = [el.getBoundingClientRect()];
    for (const label of el.labels || []) if (rendered(label)) rects.push(label.getBoundingClientRect());
    const left = Math.min(...rects.map((r) => r.left)), top = Math.min(...rects.map((r) => r.top));
    const right = Math.max(...rects.map((r) => r.right)), bottom = Math.max(...rects.map((r) => r.bottom));
    return { left, top, right, bottom, width: right - left, height: bottom - top };
  };
  const blockOf = (el) => {
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    return block;
  };
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== 'inline') return false;
    const block = blockOf(el);
    if (!block) return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const words = /[A-Za-z0-9]/.test(node.textContent);
      if (words && !node.parentElement.closest(selector)) return true;  // text, not a target
    }
    return false;
  };
  const targets = [...document.querySelectorAll(selector)].filter(rendered).map((el) => ({ el, box: boxOf(el) }));
  const small = targets.filter((t) => t.box.width < min - 0.01 || t.box.height < min - 0.01);
  const centre = (b) => [(b.left + b.right) / 2, (b.top + b.bottom) / 2];
  const circleMeetsBox = ([x, y], b) => {
    const dx = Math.max(b.left - x, 0, x - b.right), dy = Math.max(b.top - y, 0, y - b.bottom);
    return Math.hypot(dx, dy) < min / 2;
  };
  const spaced = (t) => targets.every((o) => {
    if (o === t || o.el.contains(t.el) || t.el.contains(o.el)) return true;
    if (small.includes(o)) {
      const [a, b] = [centre(t.box), centre(o.box)];
      return Math.hypot(a[0] - b[0], a[1] - b[1]) >= min;
    }
    return !circleMeetsBox(centre(t.box), o.box);
  });
  const found = { small: [], inline: [], spaced: [], checked: targets.length };
  for (const t of small) {
    const said = `${describe(t.el)} ${t.box.width.toFixed(1)} x ${t.box.height.toFixed(1)} px`;
    if (inSentence(t.el)) found.inline.push(said);
    else if (spaced(t)) found.spaced.push(said);
    else found.small.push(said);
  }
  return found;
}"""
)

# After a Tab: is the focused element in the window and on top where it is, not under a part
# of the page that is fixed or sticky (2.4.11)? The point tested is the middle of the part of
# the element that is inside the window.
FOCUS_SEEN_JS = (
    "() => {"
    + _JS_COMMON
    + r"""
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const [w, h] = [innerWidth, innerHeight];
  const said = describe(el);
  // A link that wraps is one box per line: its middle may fall between them.
  const inside = [...el.getClientRects()].filter((f) => f.bottom > 0 && f.top < h && f.right > 0 && f.left < w);
  if (!inside.length) return { said, problem: 'outside the window' };
  const ours = (node) => node && (el === node || el.contains(node) || [...(el.labels || [])].some((l) => l.contains(node)));
  const hits = inside.map((f) => document.elementFromPoint(
    (Math.max(f.left, 0) + Math.min(f.right, w)) / 2, (Math.max(f.top, 0) + Math.min(f.bottom, h)) / 2));
  if (!hits.some(ours)) return { said, problem: `under ${hits[0] ? describe(hits[0]) : 'nothing'}` };
  const r = el.getBoundingClientRect();
  for (const part of document.querySelectorAll('body *')) {
    const position = getComputedStyle(part).position;
    if ((position !== 'fixed' && position !== 'sticky') || part.contains(el) || !rendered(part)) continue;
    const p = part.getBoundingClientRect();
    if (p.left < r.right && p.right > r.left && p.top < r.bottom && p.bottom > r.top) {
      return { said, problem: `overlapped by the ${position} ${describe(part)}` };
    }
  }
  return { said, problem: null };
}"""
)

# Everything focusable that Tab does not reach one by one (the other radios of a group, which
# the arrow keys reach): focused by script, which scrolls them into view as the keys would.
FOCUSABLE_JS = (
    "(selector) => {"
    + _JS_COMMON
    + r"""
  return [...document.querySelectorAll(selector)]
    .filter((el) => rendered(el) && !el.disabled && el.tabIndex >= 0)
    .map((el, i) => { el.dataset.wcagFocus = String(i); return String(i); });
}"""
)

# Tab goes on from the last element focused or clicked: start it from the top of the page.
START_AT_THE_TOP_JS = r"""() => {
  const start = document.createElement('span');
  start.id = 'wcag-start';
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus();
  window.scrollTo(0, 0);
}"""

DRAG_JS = r"""() => [
  ...[...document.querySelectorAll('input[type=range]')].map((el) => `range input ${el.name}`),
  ...[...document.querySelectorAll('[draggable=true]')].map((el) => `draggable <${el.tagName}>`),
]"""

# Where the way to urgent help is: how many, its place in the banner, and what it says.
HELP_JS = r"""() => {
  const all = document.querySelectorAll('[data-urgent-help]');
  const help = all[0];
  if (!help) return { count: 0 };
  const banner = document.querySelector('body > header');
  const firstLandmark = document.querySelector('body > header, body > nav, body > main, main');
  const path = [];
  for (let el = help; el && el !== banner && el !== document.body; el = el.parentElement) {
    path.unshift(el.tagName.toLowerCase() + '.' + el.classList[0]);
  }
  const link = help.querySelector('a');
  const before = help.previousElementSibling;
  return {
    count: all.length,
    in_banner: Boolean(banner && banner.contains(help)),
    banner_first: banner === firstLandmark,
    path: path.join(' > '),
    after: before ? before.tagName.toLowerCase() + '.' + before.classList[0] : null,
    href: link ? link.getAttribute('href') : null,
    text: link ? link.textContent.trim() : null,
    shown: help.getClientRects().length > 0 && getComputedStyle(help).visibility !== 'hidden',
  };
}"""

WIDTHS_JS = "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"


def small_targets(page: Any) -> dict[str, Any]:
    """Targets under 24 x 24 CSS px that no exception covers (`small`), and those the inline
    and spacing exceptions cover, for the record."""
    found: dict[str, Any] = page.evaluate(SMALL_TARGETS_JS, [_TARGETS, MIN_TARGET])
    return found


def obscured_focus(page: Any, limit: int = 400) -> tuple[list[str], int]:
    """Tab from the top through every tab stop (then focus, by script, what Tab passes over):
    each time, the focused element must be in the window and on top. Returns the problems and
    how many elements were focused."""
    page.evaluate(START_AT_THE_TOP_JS)
    problems: list[str] = []
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = page.evaluate(FOCUS_SEEN_JS)
        if where is None or (seen and where["said"] == seen[0] and len(seen) > 1):
            break
        seen.append(where["said"])
        if where["problem"]:
            problems.append(f"Tab {len(seen)}: {where['said']} is {where['problem']}")
    page.evaluate("document.getElementById('wcag-start')?.remove()")
    for marker in page.evaluate(FOCUSABLE_JS, _TARGETS):
        page.locator(f"[data-wcag-focus='{marker}']").focus()
        where = page.evaluate(FOCUS_SEEN_JS)
        if where is not None and where["problem"]:
            problems.append(f"focused: {where['said']} is {where['problem']}")
    return sorted(set(problems)), len(seen)


def dragging_only(page: Any) -> list[str]:
    """Controls worked by dragging (a range slider, anything draggable): there are none."""
    found: list[str] = page.evaluate(DRAG_JS)
    return found


def urgent_help(page: Any) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(HELP_JS)
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
    scroll sideways; what is wrong, or None."""
    size = page.viewport_size
    page.set_viewport_size({"width": width, "height": 640})
    try:
        wide, window = page.evaluate(WIDTHS_JS)
        widest = page.evaluate(
            """(window) => [...document.querySelectorAll('body *')]
                .filter((el) => el.getBoundingClientRect().right > window + 1)
                .slice(0, 3).map((el) => el.tagName + '.' + el.className)""",
            window,
        )
    finally:
        page.set_viewport_size(size)
    if wide <= window:
        return None
    return f"{wide} px wide in a {window} px window (too wide: {widest})"
