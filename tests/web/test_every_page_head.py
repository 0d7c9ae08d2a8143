"""What every HTML page has, without a browser: an icon (no favicon 404 in the console, which
Lighthouse counts against best practices) and the way to urgent help with the emergency
number in force, a setting (WCAG 3.2.6: the browser tests check where it is)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backwalk.web.app import create_app
from tests.web.conftest import SECRET
from tests.web.helpers import RB

PAGES = (
    "/",
    "/check?new=1",
    "/walk",
    "/history",
    "/history/forget",
    "/learn",
    "/docs",
    "/keepwell",
    "/weekly",
    "/report",
    "/offline/check/pain",
    "/offline/result",
    "/no-such-page",
    "/boom",
)
ICON = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'


@pytest.fixture(params=[None, "112"], ids=["default", "112"])
def app_and_number(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[FastAPI, str]]:
    app = create_app(
        db_url=f"sqlite:///{tmp_path / 'd.db'}", secret=SECRET, emergency_number=request.param
    )

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("the 500 page")

    yield app, request.param or "999"
    app.state.web.diary.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_an_icon_and_the_way_to_urgent_help(
    app_and_number: tuple[FastAPI, str], path: str
) -> None:
    app, number = app_and_number
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get(path)
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert ICON in html
    help_line = f'<p class="urgent-help" data-urgent-help><a href="tel:{number}">'
    assert html.count("data-urgent-help") == 1 and help_line in html
    assert f"{RB.notes.urgent_help.format(number=number)}</a>" in html


def test_the_report_saved_as_a_file_and_the_pdf_have_no_banner() -> None:
    """The banner and the icon are the web page's: a report file stands alone."""
    from backwalk.diary import open_diary
    from backwalk.report import build_report, render_html
    from tests.report import sample

    with open_diary("sqlite://") as diary:
        html = render_html(build_report(sample.fill(diary), sample.NOW, 14))
    assert "data-urgent-help" not in html and 'rel="icon"' not in html
