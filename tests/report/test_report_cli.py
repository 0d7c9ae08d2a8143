"""`backwalk report`: HTML or PDF by the file's extension; bad input is one line, never a
traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from backwalk.diary import open_diary
from tests.report import sample


@pytest.fixture
def filled(tmp_path: Path, clock) -> None:
    clock.advance((sample.NOW - clock.now()).total_seconds())
    with open_diary(f"sqlite:///{tmp_path / 'diary.db'}") as diary:
        sample.fill(diary)


@pytest.mark.usefixtures("filled")
def test_report_as_html_and_pdf(run_cli, tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    result = run_cli("report", "--days", "all", "--output", str(html))
    assert result.code == 0, result.stderr
    assert result.stdout == "" and "Saved the report for" in result.stderr
    text = html.read_text("utf-8")
    assert "pain at night that does not ease however you lie" in text
    pdf = tmp_path / "report.pdf"
    result = run_cli("report", "--days", "all", "-o", str(pdf), "--name", "Jo Bloggs")
    assert result.code == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("days", ["0", "-1", "1.5", "week"])
def test_days_must_be_a_positive_whole_number(run_cli, tmp_path: Path, days: str) -> None:
    result = run_cli("report", "--days", days, "-o", str(tmp_path / "r.html"))
    assert result.code == 2
    assert result.stderr.startswith("backwalk: days: must be a whole number from 1 to")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_an_unwritable_output_is_one_line_and_exit_1(run_cli, tmp_path: Path) -> None:
    result = run_cli("report", "-o", str(tmp_path / "missing" / "dir" / "r.html"))
    assert result.code == 1
    assert result.stderr.startswith("backwalk: cannot write") and result.stderr.count("\n") == 1


def test_the_output_must_be_pdf_or_html(run_cli, tmp_path: Path) -> None:
    result = run_cli("report", "-o", str(tmp_path / "r.docx"))
    assert result.code == 2 and "must end in .pdf or .html" in result.stderr


def test_export_fhir_from_the_command_line(run_cli) -> None:
    import json

    result = run_cli("export", "--format", "fhir", "--name", "Jo")
    assert result.code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["resourceType"] == "Bundle" and doc["entry"][0]["resource"]["name"] == [
        {"text": "Jo"}
    ]
