"""Helpers shared by the HTML pages: CSRF-checked forms, redirects, error pages and the
weekly-minutes chart two pages show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.keepwell import day_text
from backwalk.web.charts import weekly_minutes_chart
from backwalk.web.security import CSRF_FIELD
from backwalk.web.state import WebState, get_state

ERROR_TEXT = {
    403: (
        N_("This form could not be accepted"),
        N_(
            "For your safety, backwalk only accepts forms that it showed you itself. "
            "Go back, reload the page and send it again."
        ),
    ),
    401: (N_("Please sign in"), N_("This page needs you to sign in first.")),
    404: (N_("Page not found"), N_("There is nothing at this address.")),
    405: (N_("That did not work"), N_("This page cannot be used that way.")),
    413: (
        N_("That was too much to send"),
        N_("What you sent is larger than backwalk accepts. Shorten it and send it again."),
    ),
    503: (
        N_("The diary is not available"),
        N_("backwalk could not read or write your diary just now. Try again in a moment."),
    ),
}
HOME = ("/", N_("Go to the home page"))


async def verified_form(request: Request) -> FormData:
    """The posted form, after checking its CSRF token (403 when missing or wrong)."""
    form = await request.form()
    if not get_state(request).csrf.is_valid(request, form.get(CSRF_FIELD)):
        raise HTTPException(status_code=403, detail="bad or missing CSRF token")
    return form


def see_other(url: str) -> RedirectResponse:
    """Post-redirect-get: after a form post, the browser fetches the result page."""
    return RedirectResponse(url, status_code=303)


def error_page(
    request: Request,
    status: int,
    *,
    headers: Mapping[str, str] | None = None,
    message: str | None = None,
    title: str | None = None,
    back: tuple[str, str] = HOME,
) -> Response:
    """A calm error page; ``message`` (the error's own words) replaces the generic text for
    the answers a person can act on (too many attempts, a page only clinicians can open)."""
    heading, generic = ERROR_TEXT.get(
        status, (N_("Something went wrong"), N_("Please go back and try again."))
    )
    message = _(generic) if message is None else message[:1].upper() + message[1:] + "."
    response = get_state(request).pages.render(
        request,
        "error.html",
        status_code=status,
        title=title or _(heading),
        message=message,
        back=(back[0], _(back[1])),
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def weeks_view(weeks: Sequence[tuple[date, int, int | None]], state: WebState) -> dict[str, Any]:
    """What weekly_minutes.html shows: the chart, and the weeks again for its table."""
    chart = weekly_minutes_chart(weeks, title=state.rb.keepwell.weekly_minutes_title)
    return {
        "weeks": weeks,
        "weeks_chart": Markup(chart),  # noqa: S704 - our own SVG, text escaped there
        "day_text": day_text,
    }
