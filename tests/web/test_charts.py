"""The history page's SVG charts: golden renders, valid XML, no inline styles, words in <desc>.

Regenerate the golden files with ``BACKWALK_UPDATE_GOLDEN=1 pytest tests/web/test_charts.py``
and review the diff (open the .svg files in a browser) before committing them.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from backwalk import i18n
from backwalk.web.charts import MAX_WALKS, minutes_chart, pain_chart, weekly_minutes_chart
from tests.i18n.english import english_in

GOLDEN = Path(__file__).parent / "golden" / "charts"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SVG = "{http://www.w3.org/2000/svg}"
UTC_PLUS_2 = timezone(timedelta(hours=2))


@dataclass(frozen=True)
class Walk:
    started_at: datetime
    pain_before: int
    pain_after: int | None
    elapsed_seconds: float
    status: str = "completed"
    planned_minutes: int = 5


def walk(day: int, hour: int, before: int, after: int | None, minutes: float, **kw) -> Walk:
    start = datetime(2026, 1, day, hour, 0, tzinfo=UTC)
    return Walk(start, before, after, minutes * 60, **kw)


THREE = [
    walk(3, 9, 5, 4, 5),
    walk(4, 9, 4, 4, 6),
    walk(5, 18, 4, 3, 7.5),
]
MIXED = [
    walk(1, 8, 6, 5, 5),
    walk(1, 17, 5, 6, 2.5, status="stopped"),
    walk(2, 8, 5, None, 1, status="interrupted"),
    walk(4, 8, 4, 3, 8),
    walk(6, 8, 3, 3, 10),
    walk(7, 8, 3, 2, 12),
    walk(9, 8, 4, 8, 3, status="stopped_seek_care"),
    walk(10, 8, 2, None, 4, status="in_progress"),
]
MANY = [walk(1 + i // 2, 7 + 10 * (i % 2), i % 8 + 1, i % 5, 5 + i) for i in range(40)]


def weeks(*rows: tuple[int, int | None]) -> list[tuple[date, int, int | None]]:
    """Weeks from Friday 16 Jan 2026: (minutes walked, the plan's target or None)."""
    return [(date(2026, 1, 16) + timedelta(weeks=i), *row) for i, row in enumerate(rows)]


# A first programme: two good weeks, a step up, a short week, the current week part-walked.
WEEKS_PLAN = weeks((0, None), (36, 30), (33, 30), (45, 45), (20, 45), (15, 45))
# Six months: a plan building up, a new episode (no target while paused), picking up again.
WEEKS_SIX_MONTHS = weeks(
    *[(30 + 10 * i, 30 + 15 * (i // 2)) for i in range(10)],
    *[(0, None), (5, None), (0, None)],
    *[(45 + 5 * i, 45 + 15 * (i // 2)) for i in range(12)],
    (40, 135),
)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def desc(svg: str) -> str:
    node = parse(svg).find(f"{SVG}desc")
    assert node is not None and node.text is not None
    return node.text


def check_golden(name: str, svg: str) -> None:
    path = GOLDEN / f"{name}.svg"
    if os.environ.get("BACKWALK_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(svg, "utf-8")
    assert svg == path.read_text("utf-8"), f"{path} differs; BACKWALK_UPDATE_GOLDEN=1 to update"


RENDERS = {
    "pain_three": lambda: pain_chart(THREE, tz=UTC),
    "pain_mixed": lambda: pain_chart(MIXED, tz=UTC),
    "pain_many": lambda: pain_chart(MANY, tz=UTC),
    "pain_one": lambda: pain_chart(THREE[:1], tz=UTC),
    "pain_empty": lambda: pain_chart([]),
    "minutes_mixed": lambda: minutes_chart(MIXED, date(2026, 1, 10), tz=UTC),
    "minutes_many": lambda: minutes_chart(MANY, date(2026, 1, 20), tz=UTC),
    "minutes_none_recent": lambda: minutes_chart(THREE, date(2026, 3, 1), tz=UTC),
    "minutes_empty": lambda: minutes_chart([], date(2026, 1, 10)),
    "weeks_plan": lambda: weekly_minutes_chart(WEEKS_PLAN),
    "weeks_six_months": lambda: weekly_minutes_chart(WEEKS_SIX_MONTHS),
    "weeks_no_plan": lambda: weekly_minutes_chart(weeks((20, None), (35, None))),
    "weeks_empty": lambda: weekly_minutes_chart(weeks((0, None))),
    "weeks_plan_es": lambda: in_spanish(lambda: weekly_minutes_chart(WEEKS_PLAN)),
    "minutes_mixed_es": lambda: in_spanish(lambda: minutes_chart(MIXED, date(2026, 1, 10), tz=UTC)),
}


def in_spanish(render):  # type: ignore[no-untyped-def]
    with i18n.using("es"):
        return render()


@pytest.mark.parametrize("name", sorted(RENDERS))
def test_golden(name: str) -> None:
    check_golden(name, RENDERS[name]())


@pytest.mark.parametrize("name", sorted(RENDERS))
def test_is_accessible_svg_without_inline_style(name: str) -> None:
    svg = RENDERS[name]()
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "100%" and root.get("viewBox")
    assert root.get("role") == "img"
    ids = {node.get("id") for node in root.iter() if node.get("id")}
    labelled_by = (root.get("aria-labelledby") or "").split()
    assert labelled_by and set(labelled_by) <= ids
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    assert all(node.get("style") is None for node in root.iter())
    assert "style=" not in svg and "<style" not in svg


def test_deterministic() -> None:
    assert pain_chart(MIXED, tz=UTC) == pain_chart(list(MIXED), tz=UTC)
    assert pain_chart(list(reversed(MIXED)), tz=UTC) == pain_chart(MIXED, tz=UTC)


def test_pain_desc_summarises_in_words() -> None:
    text = desc(pain_chart(THREE, tz=UTC))
    assert text.startswith("3 walks. Pain before averaged 4.3, after 3.7;")
    assert "the last walk went from 4 to 3." in text


def test_pain_desc_counts_stopped_and_unscored_walks() -> None:
    text = desc(pain_chart(MIXED, tz=UTC))
    assert "8 walks." in text
    assert "no score after yet" in text  # the last walk is still in progress
    assert "2 walks stopped early." in text
    assert "Pain eased after 3 of 6 and rose after 2." in text


def test_before_and_after_differ_in_shape_not_only_colour() -> None:
    root = parse(pain_chart(THREE, tz=UTC))
    before = [n for n in root.iter() if n.get("class") == "bw-chart-before"]
    after = [n for n in root.iter() if n.get("class") == "bw-chart-after"]
    assert {n.tag for n in before} == {f"{SVG}circle"}
    assert {n.tag for n in after} == {f"{SVG}rect"}
    assert len(before) == len(after) == 3 + 1  # one of each in the legend


def test_walk_without_after_score_has_only_a_before_marker() -> None:
    root = parse(pain_chart(MIXED, tz=UTC))
    walks = [g for g in root.iter(f"{SVG}g") if g.get("class") == "bw-chart-walk"]
    assert len(walks) == len(MIXED)
    unscored = [g for g in walks if g.find(f"{SVG}rect") is None]
    assert len(unscored) == 2
    assert all(g.find(f"{SVG}circle") is not None for g in unscored)


def test_pain_chart_shows_at_most_the_last_30_walks() -> None:
    svg = pain_chart(MANY, tz=UTC)
    root = parse(svg)
    walks = [g for g in root.iter(f"{SVG}g") if g.get("class") == "bw-chart-walk"]
    assert len(walks) == MAX_WALKS == 30
    titles = [g.findtext(f"{SVG}title") or "" for g in walks]
    last = MANY[-1]
    assert titles[-1].startswith(f"Walk 30, 20 Jan: pain {last.pain_before} before")
    assert titles[0].startswith(f"Walk 1, 6 Jan: pain {MANY[10].pain_before} before")
    assert desc(svg).startswith("40 walks. Showing the last 30.")


def test_empty_says_no_walks_yet() -> None:
    for svg in (pain_chart([]), minutes_chart([], date(2026, 1, 10))):
        root = parse(svg)
        assert "No walks yet" in "".join(root.itertext())
        assert desc(svg) == "No walks yet."


def bars(svg: str) -> dict[str, str]:
    """Each bar's tooltip ('5 Jan: 7.5 minutes'), keyed by its day label."""
    root = parse(svg)
    days = [g for g in root.iter(f"{SVG}g") if g.get("class") == "bw-chart-day"]
    titles = [g.findtext(f"{SVG}title") or "" for g in days]
    return dict(t.split(": ", 1) for t in titles)


def test_minutes_add_up_per_day() -> None:
    assert bars(minutes_chart(MIXED, date(2026, 1, 10), tz=UTC)) == {
        "1 Jan": "7.5 minutes",
        "2 Jan": "1 minute",
        "4 Jan": "8 minutes",
        "6 Jan": "10 minutes",
        "7 Jan": "12 minutes",
        "9 Jan": "3 minutes",
        "10 Jan": "4 minutes",
    }


def test_minutes_day_is_the_local_date_across_midnight() -> None:
    late = [
        Walk(datetime(2026, 1, 4, 21, 50, tzinfo=UTC), 4, 3, 6 * 60),  # 23:50 on the 4th at UTC+2
        Walk(datetime(2026, 1, 4, 22, 10, tzinfo=UTC), 4, 3, 4 * 60),  # 00:10 on the 5th at UTC+2
        Walk(datetime(2026, 1, 5, 23, 30, tzinfo=UTC), 3, 3, 5 * 60),  # 01:30 on the 6th at UTC+2
    ]
    assert bars(minutes_chart(late, date(2026, 1, 6), tz=UTC)) == {
        "4 Jan": "10 minutes",
        "5 Jan": "5 minutes",
    }
    assert bars(minutes_chart(late, date(2026, 1, 6), tz=UTC_PLUS_2)) == {
        "4 Jan": "6 minutes",
        "5 Jan": "4 minutes",
        "6 Jan": "5 minutes",
    }


def test_minutes_shows_only_the_last_14_days() -> None:
    svg = minutes_chart(MANY, date(2026, 1, 20), tz=UTC)
    shown = bars(svg)
    assert min(shown, key=lambda d: int(d.split()[0])) == "7 Jan"
    assert len([n for n in parse(svg).iter(f"{SVG}text") if n.get("class") == "bw-chart-tick"]) > 14
    assert desc(svg).startswith("From 7 Jan 2026 to 20 Jan 2026:")


def test_minutes_desc_summarises_in_words() -> None:
    text = desc(minutes_chart(MIXED, date(2026, 1, 10), tz=UTC))
    assert text == (
        "From 28 Dec 2025 to 10 Jan 2026: 46 minutes in all, on 7 days. "
        "Most in one day: 12 minutes on 7 Jan. Last day shown: 4 minutes."
    )
    assert desc(minutes_chart(THREE, date(2026, 3, 1), tz=UTC)).startswith("No walks from")


def test_text_is_escaped() -> None:
    svg = pain_chart(THREE, tz=UTC, id_prefix='a"<b>&')
    parse(svg)  # still well-formed XML
    assert "<b>" not in svg


def test_accepts_diary_walk_records() -> None:
    from backwalk.diary import WalkRecord, WalkStatus

    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    record = WalkRecord(
        id=1,
        check_id=None,
        started_at=start,
        ended_at=start + timedelta(minutes=5),
        planned_minutes=5,
        pain_before=4,
        pain_after=3,
        status=WalkStatus.COMPLETED,
        stop_reason=None,
        elapsed_seconds=300.0,
        last_seen_at=start,
    )
    assert "the last walk went from 4 to 3." in desc(pain_chart([record], tz=UTC))
    assert bars(minutes_chart([record], date(2026, 1, 5), tz=UTC)) == {"5 Jan": "5 minutes"}


def test_weekly_chart_has_a_bar_a_week_and_the_target_where_there_was_a_plan() -> None:
    root = parse(weekly_minutes_chart(WEEKS_SIX_MONTHS))
    bars = [g for g in root.iter(f"{SVG}g") if g.get("class") == "bw-chart-week"]
    assert len(bars) == sum(1 for _, walked, _ in WEEKS_SIX_MONTHS if walked)
    targets = [n for n in root.iter(f"{SVG}line") if n.get("class") == "bw-chart-target"]
    planned = sum(1 for *_, target in WEEKS_SIX_MONTHS if target is not None)
    assert len(targets) == planned + 1  # one in the legend
    assert all(n.get("stroke-dasharray") for n in targets)  # dashed: not colour alone
    titles = [g.findtext(f"{SVG}title") or "" for g in bars]
    assert titles[0] == "Week from 16 Jan: 30 minutes walked of 30 minutes planned"


def test_weekly_chart_says_in_words_what_it_shows() -> None:
    text = desc(weekly_minutes_chart(WEEKS_PLAN))
    assert text.startswith("6 weeks from 16 Jan 2026: 149 minutes walked in all.")
    assert "The plan's target was met in 3 of the 4 weeks finished with a plan." in text
    assert text.endswith("Week from 20 Feb: 15 minutes walked of 45 minutes planned (so far).")


def test_weekly_chart_labels_never_crowd_at_phone_width() -> None:
    """At most six dates under 26 bars, in a 320-unit drawing shown 100% wide: on a 390 px
    phone (358 px of content) each label has over 45 px."""
    root = parse(weekly_minutes_chart(WEEKS_SIX_MONTHS))
    ticks = [n for n in root.iter(f"{SVG}text") if n.get("class") == "bw-chart-tick"]
    dates = [n for n in ticks if (n.text or "").split(" ")[-1] in MONTHS]
    assert 2 <= len(dates) <= 6
    xs = sorted(float(n.get("x") or 0) for n in dates)
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= 40
    assert root.get("viewBox") == "0 0 320 200" and root.get("width") == "100%"


def words_of(svg: str) -> str:
    """Every word a chart says: its title, description, labels and each bar's tooltip."""
    return "\n".join(n.text for n in parse(svg).iter() if n.text and n.text.strip())


@pytest.mark.parametrize(
    "render",
    [
        lambda: weekly_minutes_chart(WEEKS_PLAN),
        lambda: weekly_minutes_chart(weeks((20, None))),
        lambda: pain_chart(MIXED, tz=UTC),
        lambda: minutes_chart(MIXED, date(2026, 1, 10), tz=UTC),
    ],
    ids=["weeks", "one_week", "pain", "minutes"],
)
def test_a_chart_in_spanish_says_nothing_in_english(render) -> None:  # type: ignore[no-untyped-def]
    """Axis titles, legends, descriptions and tooltips in Spanish: dates as '16 ene', numbers
    with a decimal comma ('2,5 minutos')."""
    with i18n.using("es"):
        words = words_of(render())
    assert english_in(words) == []


def test_the_weekly_chart_in_spanish() -> None:
    with i18n.using("es"):
        svg = weekly_minutes_chart(WEEKS_PLAN)
        one = weekly_minutes_chart(weeks((20, None)))
    text = desc(svg)
    assert text.startswith("6 semanas desde el 16 ene 2026: caminó 149 minutos en total.")
    assert "La meta del plan se cumplió en 3 de las 4 semanas terminadas con un plan." in text
    assert text.endswith(
        "Semana desde el 20 feb: caminó 15 minutos, de una meta de 45 minutos (hasta ahora)."
    )
    assert "Semanas, por su primer día" in words_of(svg) and "Meta del plan" in words_of(svg)
    assert "La semana, desde su primer día" in words_of(one)
    with i18n.using("es"):
        bars_in_spanish = bars(minutes_chart(MIXED, date(2026, 1, 10), tz=UTC))
    assert bars_in_spanish["1 ene"] == "7,5 minutos"  # 5 and 2.5 minutes on 1 January
