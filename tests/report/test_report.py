"""The one-page report: a golden HTML page for a fixed diary, and the PDF made from it."""

from __future__ import annotations

import os
import re
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from backwalk.diary import open_diary
from backwalk.errors import InputError
from backwalk.report import build_report, parse_days, render_html, render_pdf
from tests.report import sample

GOLDEN = Path(__file__).parent / "golden" / "report-14-days.html"


@pytest.fixture(scope="module")
def report():
    with open_diary("sqlite://") as diary:
        yield build_report(sample.fill(diary), sample.NOW, 14, tz=UTC)


@pytest.fixture(scope="module")
def pdf_text(report, tmp_path_factory) -> tuple[int, str]:
    from pypdf import PdfReader

    path = tmp_path_factory.mktemp("report") / "report.pdf"
    path.write_bytes(render_pdf(render_html(report)))
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def test_the_html_matches_the_golden_file(report) -> None:
    html = render_html(report)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(html, "utf-8")
    assert html == GOLDEN.read_text("utf-8"), "run with UPDATE_GOLDEN=1 and review the diff"


def test_the_report_says_what_a_clinician_needs(report) -> None:
    assert report.period == "1 Mar 2026 to 14 Mar 2026 (14 days)"
    assert [(s.when, s.sign, s.urgency, s.advised) for s in report.signs] == [
        ("5 Mar 08:30", "pain at night that does not ease however you lie", "Urgent: be seen today",
         "Get seen today"),
    ]  # fmt: skip
    assert report.latest is not None and report.latest.headline == "Walk gently"
    assert (report.checks, report.walks, report.walks_stopped) == (14, 11, 1)
    assert [p.message_id for p in report.progress] == [
        "pain_better",
        "activities_better",
        "global_better",
    ]
    html = render_html(report)
    assert "Self-reported" in html and "not a diagnosis" in html
    assert html.count("<svg") == 2 and "style=" not in html.split("</head>")[1]


def test_the_pdf_is_one_or_two_pages_with_the_period_and_every_sign(report, pdf_text) -> None:
    pages, text = pdf_text
    assert 1 <= pages <= 2
    assert report.period in text
    for sign in report.signs:
        assert sign.sign in text


def test_a_linked_stylesheet_for_pages_that_forbid_inline_styles(report) -> None:
    html = render_html(report, css_href="/report.css")
    assert '<link rel="stylesheet" href="/report.css">' in html and "<style>" not in html


def test_a_period_picks_the_records_and_earlier_signs_are_counted(report) -> None:
    with open_diary("sqlite://") as diary:
        week = build_report(sample.fill(diary), sample.NOW, 7, tz=UTC)
        everything = build_report(diary, sample.NOW + timedelta(days=1), None, tz=UTC)
    assert week.period == "8 Mar 2026 to 14 Mar 2026 (7 days)"
    assert (week.checks, week.signs, week.earlier_signs) == (7, (), 1)
    assert everything.period.endswith("(15 days), the whole diary")
    assert len(everything.signs) == 1


def test_an_empty_diary_still_makes_a_report() -> None:
    with open_diary("sqlite://") as diary:
        report = build_report(diary, sample.NOW, 30, tz=UTC)
    html = render_html(report)
    assert "No check yet." in html and "None in this period." in html
    assert "No walks yet" in html


@pytest.mark.parametrize(("given", "days"), [("7", 7), ("30", 30), (" all ", None), (None, 14)])
def test_parse_days(given: str | None, days: int | None) -> None:
    assert parse_days(given) == days


@pytest.mark.parametrize("given", ["0", "-3", "2.5", "seven", "", "1e3", "99999"])
def test_parse_days_refuses_anything_but_a_positive_whole_number(given: str) -> None:
    with pytest.raises(InputError, match=re.escape("whole number from 1 to")):
        parse_days(given)


def test_a_pregnancy_warning_reads_call_the_maternity_unit_in_the_report() -> None:
    from types import SimpleNamespace

    from backwalk.report.build import _advised
    from backwalk.rules import default_rulebook

    check = SimpleNamespace(urgency="same_day", red_flags=["pregnancy_warning"], assessment={})
    assert _advised(check, default_rulebook()) == "Call your midwife or maternity unit now"  # type: ignore[arg-type]


def test_the_report_shows_a_clinician_visit_and_a_walk_stopped_after_the_latest_check() -> None:
    from backwalk import coach

    with open_diary("sqlite://") as diary:
        sample.fill(diary)
        now = sample.NOW - timedelta(hours=2)
        coach.record_seen(diary, now)
        check, _ = coach.run_check(diary, {"pain_score": 3}, now + timedelta(minutes=5))
        assert check["disposition"] == "walk_gently"
        walk = coach.start_walk(diary, now + timedelta(minutes=6), pain_before=3)
        later = now + timedelta(minutes=8)
        coach.record_checkin(diary, walk.id, later, 120, {"current_pain": 6})
        report = build_report(diary, sample.NOW, 14, tz=UTC)
    assert report.seen == ("14 Mar " + f"{now:%H:%M}",)
    assert report.latest is not None and report.latest.headline == "Walk gently"
    assert report.latest.since.startswith("Since then, the walk at 14 Mar")
    html = render_html(report)
    assert "Seen by a clinician" in html and report.latest.since in html


def test_the_pdf_in_spanish_holds_no_english(tmp_path) -> None:
    """The report of two weeks kept in Spanish, printed to PDF: Spanish words, dates ('24 dic')
    and decimal commas ('3,5 a 6,5'), plurals that agree ('1 parada')."""
    from pypdf import PdfReader

    from backwalk import i18n
    from tests.i18n.english import english_in
    from tests.i18n.spanish_diary import NOW, fill

    with open_diary("sqlite://") as diary, i18n.using("es"):
        fill(diary)
        pdf = render_pdf(render_html(build_report(diary, NOW, 14, tz=UTC)))
    path = tmp_path / "informe.pdf"
    path.write_bytes(pdf)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert "(6 terminadas, 1 parada por dolor o por una señal de alarma)" in text
    assert "subió de 3,5 a 6,5 sobre 10" in text and "Hecho el 5 ene 2026, 09:00." in text
    assert english_in(text) == []
