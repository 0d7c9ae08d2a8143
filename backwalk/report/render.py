"""The report as HTML (its own Jinja template and print stylesheet) and as PDF (WeasyPrint)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from backwalk import i18n
from backwalk.errors import BackwalkError
from backwalk.report.build import Report

TEMPLATES = Path(__file__).parent / "templates"


class PdfUnavailable(BackwalkError):
    """WeasyPrint or the system libraries it needs (Pango) are missing."""


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The report's own words, once marked with _(), follow the active language (backwalk.i18n);
    # its rulebook words already do, through the rulebook it is built with.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
    )
    return env


def report_css() -> str:
    """The report's stylesheet (screen and print)."""
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def render_html(
    report: Report,
    *,
    css_href: str | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """The report as one HTML page.

    Without `css_href` the stylesheet is inlined, so the file stands alone (a saved report, the
    PDF). A web page whose Content-Security-Policy forbids inline styles passes `css_href`.
    `extra` adds template variables a hosting page may use (`back_href`, `period_links`, and
    `icon_href` and `urgent_help`, which make the report one of the site's pages).
    """
    template = _environment().get_template("report.html")
    return template.render(
        r=report,
        css=None if css_href else Markup(report_css()),
        css_href=css_href,
        pain_chart=Markup(report.pain_chart),
        minutes_chart=Markup(report.minutes_chart),
        lang=i18n.active(),
        **(extra or {}),
    )


def render_pdf(html: str) -> bytes:
    """The same HTML printed to PDF by WeasyPrint (A4; charts stay whole on a page)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as err:  # OSError: Pango or its friends are not installed
        said = i18n.gettext(
            "cannot make a PDF: WeasyPrint or its system libraries are missing (install "
            "the pdf extra, pip install 'backwalk[pdf]', and run scripts/ensure-weasyprint.sh; "
            "or save the report as .html): {why}"
        )
        raise PdfUnavailable(said.format(why=err)) from err
    pdf: bytes = HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
    return pdf
