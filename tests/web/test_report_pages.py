"""`/report` (HTML and PDF), the FHIR export and Questionnaire, and progress on the history page."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.report import sample


@pytest.fixture
def filled(diary: Any, clock: Any) -> None:
    clock.advance((sample.NOW - clock.now()).total_seconds())
    sample.fill(diary)


@pytest.mark.usefixtures("filled")
def test_the_report_page_links_its_stylesheet_and_periods(client: Any) -> None:
    response = client.get("/report?days=30")
    assert response.status_code == 200
    html = response.text
    assert "pain at night that does not ease however you lie" in html
    assert '<link rel="stylesheet" href="/report.css">' in html and "<style" not in html
    assert '<strong aria-current="page">30 days</strong>' in html
    assert 'href="/report?days=7"' in html and 'href="/report.pdf?days=30"' in html
    css = client.get("/report.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


@pytest.mark.usefixtures("filled")
def test_the_report_as_pdf(client: Any) -> None:
    response = client.get("/report.pdf?days=all")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("days", ["0", "-2", "soon", "1.5"])
def test_a_bad_period_is_refused(client: Any, days: str) -> None:
    assert client.get(f"/report?days={days}").status_code == 422


@pytest.mark.usefixtures("filled")
def test_export_as_fhir_and_the_questionnaire(client: Any) -> None:
    response = client.get("/api/export?format=fhir")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json"
    assert response.headers["content-disposition"].endswith('.fhir.json"')
    bundle = response.json()
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    questionnaire = client.get("/fhir/Questionnaire/backwalk-check")
    assert questionnaire.headers["content-type"] == "application/fhir+json"
    served = questionnaire.json()
    [included] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Questionnaire"
    ]
    assert json.dumps(served, sort_keys=True) == json.dumps(included, sort_keys=True)


@pytest.mark.usefixtures("filled")
def test_history_shows_progress_and_the_report_link(client: Any) -> None:
    html = client.get("/history").text
    assert "How your back is doing" in html
    assert "Pain is down from 7 to 2 out of 10: a change that matters." in html
    assert "Ostelo et al. 2008" in html
    assert 'href="/report"' in html and 'href="/api/export?format=fhir"' in html
