"""The report's charts: the history page's SVG charts (backwalk.web.charts), over the period.

The pain chart is the history page's own. The minutes chart is drawn with the same pieces but
over the report's period, which may be 7, 14 or 30 days or the whole diary: a bar per day for
up to 31 days, a bar per week (from Monday) beyond that.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta, tzinfo
from xml.sax.saxutils import escape

from backwalk.i18n import gettext as _
from backwalk.web import charts as web

DAILY_UP_TO = 31
MAX_LABELS = 8


def pain_chart(walks: Sequence[web.WalkLike], *, tz: tzinfo | None = None) -> str:
    """Pain before and after each walk, as on the history page."""
    return web.pain_chart(walks, tz=tz, id_prefix="report-pain")


def minutes_chart(
    walks: Sequence[web.WalkLike], start: date, end: date, *, tz: tzinfo | None = None
) -> str:
    """Minutes walked per day (or per week, for a long period) from `start` to `end`."""
    title = _("Minutes walked per day")
    span = (end - start).days + 1
    weekly = span > DAILY_UP_TO
    if weekly:
        title = _("Minutes walked per week")
        first = start - timedelta(days=start.weekday())
        slots = [first + timedelta(weeks=i) for i in range((end - first).days // 7 + 1)]
    else:
        slots = [start + timedelta(days=i) for i in range(span)]
    if not walks:
        return web.empty_chart(title, "report-minutes")
    totals = dict.fromkeys(slots, 0.0)
    for walk in walks:
        day = web.local_date(walk.started_at, tz)
        slot = day - timedelta(days=day.weekday()) if weekly else day
        if slot in totals:
            totals[slot] += max(0.0, walk.elapsed_seconds) / 60
    box = web.MINUTES_BOX
    top, step = web.minutes_scale(max(totals.values()))
    body = [
        *web.minutes_axis(box, top, step),
        *_bars(slots, totals, top, box, weekly),
        *_labels(slots, box, weekly),
    ]
    return web.svg_chart(box, title, _desc(slots, totals, weekly), "report-minutes", body)


def _bars(
    slots: list[date], totals: dict[date, float], top: int, box: web.ChartBox, weekly: bool
) -> list[str]:
    slot_width = box.plot_width / len(slots)
    width = slot_width * 0.7
    base = box.y(0, top)
    values = len(slots) <= 16  # a number above each bar only while they fit
    out = []
    for i, day in enumerate(slots):
        minutes = totals[day]
        if minutes <= 0:
            continue
        x = box.left + slot_width * i + (slot_width - width) / 2
        y = box.y(minutes, top)
        what = _("week of {day}").format(day=web.day_label(day)) if weekly else web.day_label(day)
        label = f"{what}: {web.minutes_words(minutes)}"
        value = (
            web.svg_text(
                x + width / 2, y - 3, web.short_minutes(minutes), "bw-chart-value", size=10
            )
            if values
            else ""
        )
        out.append(
            f'<g class="bw-chart-day"><title>{escape(label)}</title>'
            f'<rect class="bw-chart-bar" x="{web.num(x)}" y="{web.num(y)}" '
            f'width="{web.num(width)}" height="{web.num(base - y)}" '
            f'fill="{web.BAR_COLOUR}"/>'
            f"{value}</g>"
        )
    return out


def _labels(slots: list[date], box: web.ChartBox, weekly: bool) -> list[str]:
    slot_width = box.plot_width / len(slots)
    y = box.height - box.bottom + 14
    every = max(1, -(-len(slots) // MAX_LABELS))
    out = []
    for i, day in enumerate(slots):
        if i % every and i != len(slots) - 1:
            continue
        if i != len(slots) - 1 and len(slots) - 1 - i < every:
            continue  # keep the last label clear of the one before it
        text = web.day_label(day) if (weekly or len(slots) > 14) else str(day.day)
        out.append(
            web.svg_text(box.left + slot_width * (i + 0.5), y, text, "bw-chart-tick", size=10)
        )
    first, last = web.day_label(slots[0]), web.day_label(slots[-1])
    caption = _("Weeks from {first} to {last}") if weekly else _("Days, {first} to {last}")
    caption = caption.format(first=first, last=last)
    out.append(web.svg_text(box.left + box.plot_width / 2, y + 16, caption, "bw-chart-label"))
    return out


def _desc(slots: list[date], totals: dict[date, float], weekly: bool) -> str:
    span = web.span_words(slots[0], slots[-1])
    walked = [d for d in slots if totals[d] > 0]
    if not walked:
        return _("No walks from {span}.").format(span=span)
    unit = "week" if weekly else "day"
    best = max(walked, key=lambda d: (totals[d], d))
    if weekly:
        message = _("From {span}: {total} in all, in {count}. Most in one week: {most} ({day}).")
    else:
        message = _("From {span}: {total} in all, in {count}. Most in one day: {most} ({day}).")
    return message.format(
        span=span,
        total=web.minutes_words(sum(totals.values())),
        count=web.count_words(len(walked), unit),
        most=web.minutes_words(totals[best]),
        day=web.day_label(best),
    )
