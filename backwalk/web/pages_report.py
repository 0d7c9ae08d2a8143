"""The one-page report for a clinician (`/report`, `/report.pdf`) and the FHIR Questionnaire.

The page is the report's own HTML (backwalk.report), with its stylesheet linked from
`/report.css` rather than inlined, because the Content-Security-Policy forbids inline styles.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from backwalk import i18n
from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.report import Report, build_report, parse_days, render_html, render_pdf, report_css
from backwalk.web.state import WebState, get_state

router = APIRouter(include_in_schema=False)

PERIOD_LINKS = (
    ("7", N_("7 days")),
    ("14", N_("14 days")),
    ("30", N_("30 days")),
    ("all", N_("All")),
)
FHIR_JSON = "application/fhir+json"
ICON = "/static/favicon.svg"  # as base.html links it


@router.get("/report")
async def report_page(request: Request) -> Response:
    state = get_state(request)
    days = request.query_params.get("days", "14")
    report = await run_in_threadpool(_report, state, days)
    extra = {**_links(days), **as_a_page(state)}
    html = render_html(report, css_href="/report.css", extra=extra)
    return Response(html, media_type="text/html; charset=utf-8")


@router.get("/report.pdf")
async def report_pdf(request: Request) -> Response:
    state = get_state(request)
    days = request.query_params.get("days", "14")
    report = await run_in_threadpool(_report, state, days)
    pdf = await run_in_threadpool(render_pdf, render_html(report))
    filename = f"backwalk-report-{report.end.isoformat()}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@router.get("/report.css")
async def report_stylesheet() -> Response:
    return Response(report_css(), media_type="text/css; charset=utf-8")


@router.get("/fhir/Questionnaire/backwalk-check")
async def fhir_questionnaire(request: Request) -> Response:
    import json

    from backwalk.fhir import questionnaire

    state = get_state(request)
    key = f"fhir_questionnaire@{i18n.active()}"  # its text is the request's language's
    if key not in state.cache:
        state.cache[key] = json.dumps(questionnaire(state.rb), indent=2)
    return Response(state.cache[key], media_type=FHIR_JSON)


def _report(state: WebState, days: str) -> Report:
    return build_report(state.diary, state.now(), parse_days(days), rb=state.rb)


def _links(days: str) -> dict[str, Any]:
    pdf = f"/report.pdf?days={days.strip().lower()}"
    return {**period_links(days, "/history", "/report"), "pdf_href": pdf}


def as_a_page(state: WebState) -> dict[str, Any]:
    """What the report's own HTML needs to be one of the site's pages (it is not built on
    base.html): the icon, and the way to urgent help every page has in its banner."""
    number = state.emergency_number
    help_text = state.rb.notes.urgent_help.format(number=number)
    return {"icon_href": ICON, "urgent_help": {"href": f"tel:{number}", "text": help_text}}


def period_links(days: str, back_href: str, report_href: str) -> dict[str, Any]:
    """The report's links: its periods (7, 14, 30 days, all) and the way back."""
    current = days.strip().lower()
    links = [
        {"href": f"{report_href}?days={value}", "label": _(label), "current": value == current}
        for value, label in PERIOD_LINKS
    ]
    return {"period_links": links, "back_href": back_href}
