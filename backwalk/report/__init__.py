"""A one-page report for a clinician: `backwalk report` and the web app's `/report`.

`build_report` reads the diary once and gathers what a clinician reads in a minute; `render_html`
lays it out with its own Jinja template and print stylesheet; `render_pdf` prints that same HTML
with WeasyPrint. See docs/report.md.
"""

from __future__ import annotations

from backwalk.report.build import PERIODS, Report, build_report, parse_days
from backwalk.report.render import render_html, render_pdf, report_css

__all__ = [
    "PERIODS",
    "Report",
    "build_report",
    "parse_days",
    "render_html",
    "render_pdf",
    "report_css",
]
