"""Server-side SVG charts for the history page: pain before and after each walk, minutes
walked per day, and minutes walked each week against the walking plan's target.

Pure functions from walk records to an inline ``<svg>`` string, standard library only. The
markup carries no ``style`` attributes (the page's CSP forbids inline styles): colours come from
CSS classes (``bw-chart-before``, ``bw-chart-after``, ``bw-chart-bar`` ...) with presentation
attributes as fallbacks that pass WCAG contrast on white, and text uses ``currentColor``. Before
and after differ in shape as well as colour (circle and square), and each chart's ``<desc>``
says in words what the picture shows, for screen readers and for anyone who cannot see it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

from backwalk.i18n import gettext as _
from backwalk.i18n import ngettext
from backwalk.i18n.dates import day_month
from backwalk.i18n.numbers import one_decimal
from backwalk.rules import default_rulebook
from backwalk.status import WalkStatus

MAX_WALKS = 30
DAYS = 14

# Fallback colours, each at least 4.5:1 against white; the stylesheet may override them.
_BEFORE = "#1d4ed8"
_AFTER = "#b45309"
BAR_COLOUR = "#0f766e"
_CHANGE = "#6b7280"
_GRID = "#d0d5dd"
TARGET_COLOUR = "#7c2d12"  # the plan's target: dashed as well as coloured
_STOPPED = (WalkStatus.STOPPED, WalkStatus.STOPPED_SEEK_CARE)


class WalkLike(Protocol):
    """What the charts read from a walk; ``backwalk.diary.WalkRecord`` satisfies it."""

    @property
    def started_at(self) -> datetime: ...
    @property
    def pain_before(self) -> int: ...
    @property
    def pain_after(self) -> int | None: ...
    @property
    def elapsed_seconds(self) -> float: ...
    @property
    def status(self) -> str: ...
    @property
    def planned_minutes(self) -> int: ...


@dataclass(frozen=True)
class ChartBox:
    """The plot area inside the viewBox, in user units."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    def y(self, value: float, top_value: float) -> float:
        """The y coordinate of ``value`` on an axis running from 0 (bottom) to ``top_value``."""
        base = self.height - self.bottom
        return base - (base - self.top) * value / top_value


_PAIN_BOX = ChartBox(width=320, height=200, left=30, right=10, top=34, bottom=36)
MINUTES_BOX = ChartBox(width=320, height=200, left=30, right=10, top=34, bottom=36)
WEEKS_BOX = ChartBox(width=320, height=200, left=34, right=10, top=34, bottom=36)
WEEK_LABELS = 6  # at most this many dates under the weekly bars, so they never overlap
WEEK_VALUES_UP_TO = 12  # above this many weeks the bars carry no numbers (see the table)
WEEK_BAR_MAX = 36  # a plan's first weeks are a few narrow bars, not a wall of colour


# ------------------------------------------------------------------------------------------------
# pain before and after
# ------------------------------------------------------------------------------------------------


def pain_chart(
    walks: Sequence[WalkLike], *, tz: tzinfo | None = None, id_prefix: str = "bw-pain"
) -> str:
    """Pain before (circle) and after (square) each walk, oldest first, the last 30 at most.

    ``tz`` sets the time zone for the dates shown (default: the machine's local zone);
    ``id_prefix`` keeps the title and desc ids unique when a page shows several charts.
    """
    title = _("Pain before and after each walk")
    if not walks:
        return empty_chart(title, id_prefix)
    ordered = sorted(walks, key=lambda w: w.started_at)
    shown = ordered[-MAX_WALKS:]
    body = [
        *_pain_axis(_PAIN_BOX),
        *_pain_legend(_PAIN_BOX),
        *_pain_points(shown, _PAIN_BOX, tz),
        *_walk_range_labels(shown, _PAIN_BOX, tz),
    ]
    return svg_chart(_PAIN_BOX, title, _pain_desc(shown, len(ordered)), id_prefix, body)


def _pain_axis(box: ChartBox) -> list[str]:
    lines = [svg_text(4, box.top - 20, _("Pain (0 to 10)"), "bw-chart-label", anchor="start")]
    for value in range(0, 11, 2):
        y = box.y(value, 10)
        lines.append(_hline(box, y))
        lines.append(svg_text(box.left - 6, y + 4, str(value), "bw-chart-tick", anchor="end"))
    return lines


def _pain_legend(box: ChartBox) -> list[str]:
    x = box.width - box.right - 130
    y = box.top - 24
    return [
        '<g class="bw-chart-legend">',
        _circle(x + 5, y, 4.5, "bw-chart-before", _BEFORE),
        svg_text(x + 14, y + 4, _("Before"), "bw-chart-label", anchor="start"),
        _square(x + 70, y, 4.5, "bw-chart-after", _AFTER),
        svg_text(x + 79, y + 4, _("After"), "bw-chart-label", anchor="start"),
        "</g>",
    ]


def _pain_points(walks: Sequence[WalkLike], box: ChartBox, tz: tzinfo | None) -> list[str]:
    step = box.plot_width / len(walks)
    size = min(5.0, max(2.5, step * 0.22))
    offset = min(8.0, step * 0.22)
    out = []
    for number, walk in enumerate(walks, 1):
        centre = box.left + step * (number - 0.5)
        out.extend(_pain_pair(walk, number, centre, offset, size, box, tz))
    return out


def _pain_pair(
    walk: WalkLike,
    number: int,
    x: float,
    offset: float,
    size: float,
    box: ChartBox,
    tz: tzinfo | None,
) -> list[str]:
    before_y = box.y(walk.pain_before, 10)
    out = ['<g class="bw-chart-walk">', f"<title>{escape(_walk_label(walk, number, tz))}</title>"]
    if walk.pain_after is None:
        out.append(_circle(x, before_y, size, "bw-chart-before", _BEFORE))
    else:
        after_y = box.y(walk.pain_after, 10)
        out.append(
            f'<line class="bw-chart-change" x1="{num(x - offset)}" y1="{num(before_y)}" '
            f'x2="{num(x + offset)}" y2="{num(after_y)}" stroke="{_CHANGE}" stroke-width="1.5"/>'
        )
        out.append(_circle(x - offset, before_y, size, "bw-chart-before", _BEFORE))
        out.append(_square(x + offset, after_y, size, "bw-chart-after", _AFTER))
    out.append("</g>")
    return out


def _walk_label(walk: WalkLike, number: int, tz: tzinfo | None) -> str:
    when = day_label(local_date(walk.started_at, tz))
    if walk.pain_after is None:
        after = _("no score after")
    else:
        after = _("{pain} after").format(pain=walk.pain_after)
    status = f", {_status_words(walk.status)}" if walk.status != WalkStatus.COMPLETED else ""
    label = _("Walk {number}, {when}: pain {before} before, {after}")
    return label.format(number=number, when=when, before=walk.pain_before, after=after) + status


def _status_words(status: str) -> str:
    """The rulebook's words for how the walk ended, as a phrase inside the label."""
    words = default_rulebook().walk_status_label(status)
    return words[:1].lower() + words[1:]


def _walk_range_labels(walks: Sequence[WalkLike], box: ChartBox, tz: tzinfo | None) -> list[str]:
    y = box.height - box.bottom + 16
    first = day_label(local_date(walks[0].started_at, tz))
    last = day_label(local_date(walks[-1].started_at, tz))
    out = [svg_text(box.left, y, first, "bw-chart-tick", anchor="start")]
    if len(walks) > 1:
        out.append(svg_text(box.width - box.right, y, last, "bw-chart-tick", anchor="end"))
    caption = _("Walks, oldest first") if len(walks) > 1 else _("1 walk")
    out.append(svg_text(box.left + box.plot_width / 2, y + 14, caption, "bw-chart-label"))
    return out


def _pain_desc(shown: Sequence[WalkLike], total: int) -> str:
    parts = [count_words(total, "walk") + "."]
    if total > len(shown):
        parts.append(_("Showing the last {count}.").format(count=len(shown)))
    parts.append(_averages(shown))
    parts.append(_changes(shown))
    stopped = sum(1 for w in shown if w.status in _STOPPED)
    if stopped:
        parts.append(_("{walks} stopped early.").format(walks=count_words(stopped, "walk")))
    return " ".join(p for p in parts if p)


def _averages(walks: Sequence[WalkLike]) -> str:
    before = _mean(w.pain_before for w in walks)
    afters = [w.pain_after for w in walks if w.pain_after is not None]
    last = walks[-1]
    if last.pain_after is None:
        ending = _("the last walk started at {before} and has no score after yet")
    else:
        ending = _("the last walk went from {before} to {after}")
    ending = ending.format(before=last.pain_before, after=last.pain_after)
    if not afters:
        return _("Pain before averaged {before}; {ending}.").format(
            before=_fmt(before), ending=ending
        )
    return _("Pain before averaged {before}, after {after}; {ending}.").format(
        before=_fmt(before), after=_fmt(_mean(afters)), ending=ending
    )


def _changes(walks: Sequence[WalkLike]) -> str:
    scored = [w for w in walks if w.pain_after is not None]
    if len(scored) < 2:
        return ""
    eased = sum(1 for w in scored if w.pain_after is not None and w.pain_after < w.pain_before)
    rose = sum(1 for w in scored if w.pain_after is not None and w.pain_after > w.pain_before)
    message = _("Pain eased after {eased} of {scored} and rose after {rose}.")
    return message.format(eased=eased, scored=len(scored), rose=rose)


# ------------------------------------------------------------------------------------------------
# minutes per day
# ------------------------------------------------------------------------------------------------


def minutes_chart(
    walks: Sequence[WalkLike],
    today: date | None = None,
    *,
    tz: tzinfo | None = None,
    id_prefix: str = "bw-minutes",
) -> str:
    """Minutes walked per day (by the local date each walk started), bars for the last 14 days.

    ``today`` is the last day shown (default: today in ``tz``); ``tz`` is the time zone that
    decides which day a walk belongs to (default: the machine's local zone).
    """
    title = _("Minutes walked per day")
    if not walks:
        return empty_chart(title, id_prefix)
    last = today or datetime.now(tz).astimezone(tz).date()
    days = [last - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    totals = _minutes_by_day(walks, days, tz)
    top, step = minutes_scale(max(totals.values()))
    body = [
        *minutes_axis(MINUTES_BOX, top, step),
        *_bars(days, totals, top, MINUTES_BOX),
        *_day_labels(days, MINUTES_BOX),
    ]
    return svg_chart(MINUTES_BOX, title, _minutes_desc(days, totals), id_prefix, body)


def _minutes_by_day(
    walks: Iterable[WalkLike], days: list[date], tz: tzinfo | None
) -> dict[date, float]:
    totals = dict.fromkeys(days, 0.0)
    for walk in walks:
        day = local_date(walk.started_at, tz)
        if day in totals:
            totals[day] += max(0.0, walk.elapsed_seconds) / 60
    return totals


def minutes_scale(most: float) -> tuple[int, int]:
    """A round top for the axis and the gap between gridlines: at most four gaps, at least 10."""
    for step in (5, 10, 15, 20, 30, 60, 120, 180, 240, 480, 720):
        top = max(10, math.ceil(most / step) * step)
        if top // step <= 4:
            return top, step
    step = 60 * math.ceil(most / 240)
    return math.ceil(most / step) * step, step


def minutes_axis(box: ChartBox, top: int, step: int) -> list[str]:
    lines = [svg_text(4, box.top - 20, _("Minutes"), "bw-chart-label", anchor="start")]
    for value in range(0, top + 1, step):
        y = box.y(value, top)
        lines.append(_hline(box, y))
        lines.append(svg_text(box.left - 6, y + 4, str(value), "bw-chart-tick", anchor="end"))
    return lines


def _bars(days: list[date], totals: dict[date, float], top: int, box: ChartBox) -> list[str]:
    slot = box.plot_width / len(days)
    width = slot * 0.7
    base = box.y(0, top)
    out = []
    for i, day in enumerate(days):
        minutes = totals[day]
        if minutes <= 0:
            continue
        x = box.left + slot * i + (slot - width) / 2
        y = box.y(minutes, top)
        label = f"{day_label(day)}: {minutes_words(minutes)}"
        out.append(
            f'<g class="bw-chart-day"><title>{escape(label)}</title>'
            f'<rect class="bw-chart-bar" x="{num(x)}" y="{num(y)}" width="{num(width)}" '
            f'height="{num(base - y)}" fill="{BAR_COLOUR}"/>'
            + svg_text(x + width / 2, y - 3, short_minutes(minutes), "bw-chart-value", size=10)
            + "</g>"
        )
    return out


def _day_labels(days: list[date], box: ChartBox) -> list[str]:
    slot = box.plot_width / len(days)
    y = box.height - box.bottom + 14
    out = []
    for i, day in enumerate(days):
        x = box.left + slot * (i + 0.5)
        out.append(svg_text(x, y, str(day.day), "bw-chart-tick", size=10))
    caption = _("Day of the month, {first} to {last}").format(
        first=day_label(days[0]), last=day_label(days[-1])
    )
    out.append(svg_text(box.left + box.plot_width / 2, y + 16, caption, "bw-chart-label"))
    return out


def _minutes_desc(days: list[date], totals: dict[date, float]) -> str:
    span = span_words(days[0], days[-1])
    walked = [d for d in days if totals[d] > 0]
    if not walked:
        return _("No walks from {span}.").format(span=span)
    total = sum(totals.values())
    best = max(walked, key=lambda d: (totals[d], d))
    message = _(
        "From {span}: {total} in all, on {days}. Most in one day: {most} on {day}. "
        "Last day shown: {last}."
    )
    return message.format(
        span=span,
        total=minutes_words(total),
        days=count_words(len(walked), "day"),
        most=minutes_words(totals[best]),
        day=day_label(best),
        last=minutes_words(totals[days[-1]]),
    )


def span_words(first: date, last: date) -> str:
    """'5 Jan 2026 to 18 Jan 2026'."""
    return _("{first} to {last}").format(
        first=day_label(first, year=True), last=day_label(last, year=True)
    )


def minutes_words(minutes: float) -> str:
    value = _fmt(minutes) if minutes < 10 else str(_round(minutes))
    return (_("{value} minute") if value == "1" else _("{value} minutes")).format(value=value)


def short_minutes(minutes: float) -> str:
    return "<1" if minutes < 0.5 else str(_round(minutes))


# ------------------------------------------------------------------------------------------------
# minutes per week against the plan's target
# ------------------------------------------------------------------------------------------------


def weekly_minutes_chart(
    weeks: Sequence[tuple[date, int, int | None]],
    *,
    title: str | None = None,
    id_prefix: str = "bw-weeks",
) -> str:
    """A bar a week for the minutes walked, and the plan's target for each week as a dashed
    line across its bar's slot (no line in a week without a plan). `weeks` is oldest first:
    (first day, minutes walked, target or None), as `keepwell.weekly_minutes` gives them.
    `title` defaults to the rulebook's title for the weekly minutes, in the active language."""
    title = title or default_rulebook().keepwell.weekly_minutes_title
    if not weeks or not any(walked or target for _, walked, target in weeks):
        return empty_chart(title, id_prefix)
    box = WEEKS_BOX
    most = max(max(walked, target or 0) for _, walked, target in weeks)
    top, step = minutes_scale(most)
    body = [
        *minutes_axis(box, top, step),
        *_weeks_legend(box, any(target is not None for _, _, target in weeks)),
        *_week_bars(weeks, top, box),
        *_week_targets(weeks, top, box),
        *_week_labels([start for start, _, _ in weeks], box),
    ]
    return svg_chart(box, title, _weeks_desc(weeks), id_prefix, body)


def _weeks_legend(box: ChartBox, targets: bool) -> list[str]:
    if not targets:
        return []
    x = box.width - box.right - 96
    y = box.top - 24
    return [
        '<g class="bw-chart-legend">',
        _dash(x, x + 18, y, "bw-chart-target"),
        svg_text(x + 24, y + 4, _("Plan's target"), "bw-chart-label", anchor="start"),
        "</g>",
    ]


def _week_bars(weeks: Sequence[tuple[date, int, int | None]], top: int, box: ChartBox) -> list[str]:
    slot = box.plot_width / len(weeks)
    width = min(slot * 0.7, WEEK_BAR_MAX)
    base = box.y(0, top)
    values = len(weeks) <= WEEK_VALUES_UP_TO
    out = []
    for i, (start, walked, target) in enumerate(weeks):
        if walked <= 0:
            continue
        x = box.left + slot * i + (slot - width) / 2
        y = box.y(walked, top)
        value = svg_text(x + width / 2, y - 3, str(walked), "bw-chart-value", size=10)
        out.append(
            f'<g class="bw-chart-week"><title>{escape(_week_words(start, walked, target))}</title>'
            f'<rect class="bw-chart-bar" x="{num(x)}" y="{num(y)}" width="{num(width)}" '
            f'height="{num(base - y)}" fill="{BAR_COLOUR}"/>' + (value if values else "") + "</g>"
        )
    return out


def _week_targets(
    weeks: Sequence[tuple[date, int, int | None]], top: int, box: ChartBox
) -> list[str]:
    slot = box.plot_width / len(weeks)
    out = []
    for i, (_start, _walked, target) in enumerate(weeks):
        if target is not None:
            left = box.left + slot * i
            out.append(_dash(left + 1, left + slot - 1, box.y(target, top), "bw-chart-target"))
    return out


def _week_labels(starts: list[date], box: ChartBox) -> list[str]:
    slot = box.plot_width / len(starts)
    every = math.ceil(len(starts) / WEEK_LABELS)
    y = box.height - box.bottom + 14
    out = []
    for i in range(len(starts) - 1, -1, -every):  # the latest week always labelled
        x = box.left + slot * (i + 0.5)
        out.append(svg_text(x, y, day_label(starts[i]), "bw-chart-tick", size=10))
    if len(starts) > 1:
        caption = _("Weeks, by their first day")
    else:
        caption = _("The week from its first day")
    out.append(svg_text(box.left + box.plot_width / 2, y + 16, caption, "bw-chart-label"))
    return out


def _week_words(start: date, walked: int, target: int | None, *, so_far: bool = False) -> str:
    """'Week from 7 Dec: 25 minutes walked of 30 minutes planned', ending ' (so far).' for the
    week still going."""
    fill = {
        "day": day_label(start),
        "walked": minutes_words(walked),
        "planned": minutes_words(target or 0),
    }
    if target is None:
        words = (
            _("Week from {day}: {walked} walked (so far).")
            if so_far
            else _("Week from {day}: {walked} walked")
        )
    elif so_far:
        words = _("Week from {day}: {walked} walked of {planned} planned (so far).")
    else:
        words = _("Week from {day}: {walked} walked of {planned} planned")
    return words.format(**fill)


def _weeks_desc(weeks: Sequence[tuple[date, int, int | None]]) -> str:
    first, last = weeks[0][0], weeks[-1][0]
    total = sum(walked for _, walked, _ in weeks)
    parts = [
        _("{weeks} from {day}: {walked} walked in all.").format(
            weeks=count_words(len(weeks), "week"),
            day=day_label(first, year=True),
            walked=minutes_words(total),
        )
    ]
    finished = [(walked, target) for _, walked, target in weeks[:-1] if target is not None]
    if finished:
        met = sum(1 for walked, target in finished if walked >= target)
        met_words = ngettext(
            "The plan's target was met in {met} of the {n} week finished with a plan.",
            "The plan's target was met in {met} of the {n} weeks finished with a plan.",
            len(finished),
        )
        parts.append(met_words.format(met=met, n=len(finished)))
    parts.append(_week_words(last, weeks[-1][1], weeks[-1][2], so_far=True))
    return " ".join(parts)


def _dash(x1: float, x2: float, y: float, cls: str) -> str:
    """A dashed line on a pale halo, so it shows over a bar as well as over the background."""
    ends = f'x1="{num(x1)}" y1="{num(y)}" x2="{num(x2)}" y2="{num(y)}"'
    return (
        f'<line class="bw-chart-halo" {ends} stroke="#ffffff" stroke-width="4"/>'
        f'<line class="{cls}" {ends} stroke="{TARGET_COLOUR}" stroke-width="2" '
        'stroke-dasharray="4 2"/>'
    )


# ------------------------------------------------------------------------------------------------
# shared pieces
# ------------------------------------------------------------------------------------------------


def svg_chart(box: ChartBox, title: str, desc: str, id_prefix: str, body: list[str]) -> str:
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bw-chart" '
        f'viewBox="0 0 {box.width} {box.height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" '
        f"aria-labelledby={quoteattr(f'{title_id} {desc_id}')} "
        f'font-family="system-ui, sans-serif" font-size="12" fill="currentColor">'
    )
    return (
        "\n".join(
            [
                head,
                f"<title id={quoteattr(title_id)}>{escape(title)}</title>",
                f"<desc id={quoteattr(desc_id)}>{escape(desc)}</desc>",
                *body,
                "</svg>",
            ]
        )
        + "\n"
    )


def empty_chart(title: str, id_prefix: str) -> str:
    box = ChartBox(width=320, height=60, left=0, right=0, top=0, bottom=0)
    message = svg_text(160, 34, _("No walks yet"), "bw-chart-empty", size=14)
    return svg_chart(box, title, _("No walks yet."), id_prefix, [message])


def _hline(box: ChartBox, y: float) -> str:
    return (
        f'<line class="bw-chart-grid" x1="{box.left}" y1="{num(y)}" '
        f'x2="{box.width - box.right}" y2="{num(y)}" stroke="{_GRID}" stroke-width="1"/>'
    )


def _circle(x: float, y: float, r: float, cls: str, fill: str) -> str:
    return f'<circle class="{cls}" cx="{num(x)}" cy="{num(y)}" r="{num(r)}" fill="{fill}"/>'


def _square(x: float, y: float, half: float, cls: str, fill: str) -> str:
    return (
        f'<rect class="{cls}" x="{num(x - half)}" y="{num(y - half)}" '
        f'width="{num(2 * half)}" height="{num(2 * half)}" fill="{fill}"/>'
    )


def svg_text(
    x: float, y: float, content: str, cls: str, *, anchor: str = "middle", size: int | None = None
) -> str:
    size_attr = f' font-size="{size}"' if size else ""
    return (
        f'<text class="{cls}" x="{num(x)}" y="{num(y)}" text-anchor="{anchor}"{size_attr}>'
        f"{escape(content)}</text>"
    )


def local_date(moment: datetime, tz: tzinfo | None) -> date:
    return moment.astimezone(tz).date()


def day_label(day: date, *, year: bool = False) -> str:
    """'5 Jan' (or '5 Jan 2026') in the active language (backwalk.i18n.dates)."""
    return day_month(day, year=year)


def count_words(n: int, noun: str) -> str:
    """'1 walk', '3 days': `noun` is walk, day or week."""
    if noun == "walk":
        return ngettext("{n} walk", "{n} walks", n).format(n=n)
    if noun == "day":
        return ngettext("{n} day", "{n} days", n).format(n=n)
    if noun == "week":
        return ngettext("{n} week", "{n} weeks", n).format(n=n)
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items)


def _round(value: float) -> int:
    """Half up, as people round (Python's round() gives 2 for 2.5)."""
    return math.floor(value + 0.5)


def _fmt(value: float) -> str:
    """One decimal at most: 4.3, 4 (not 4.0); a decimal comma in Spanish."""
    return one_decimal(value)


def num(value: float) -> str:
    """A coordinate with at most two decimals, so the output is short and deterministic."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
