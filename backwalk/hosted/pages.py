"""Hosted mode's pages: sign up, sign in, the account, sharing, and the clinician's pages.

The use cases are the same functions the JSON API calls (`backwalk.hosted.api`); these routes
only read forms, show the answer, and redirect after a post.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Path
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from backwalk.errors import BadCredentials, InputError, NotFound, UsernameTaken
from backwalk.hosted import clinic
from backwalk.hosted.people import Visitor, client_address, visitor
from backwalk.hosted.service import delete_account, log_in, log_out, redeem_share, sign_up
from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.report import build_report, parse_days, render_html
from backwalk.report.build import DEFAULT_DAYS
from backwalk.web.charts import minutes_chart, pain_chart
from backwalk.web.errors import http_status
from backwalk.web.pages_common import error_page, see_other, verified_form
from backwalk.web.pages_report import as_a_page, period_links
from backwalk.web.state import get_state

router = APIRouter(include_in_schema=False)
ROWS = 50
PersonId = Annotated[int, Path(ge=1, le=2_147_483_647)]
ShareId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def _next_page(raw: object, fallback: str) -> str:
    """Where to go after signing in: only a path on this site (never another site's URL)."""
    if not isinstance(raw, str) or not raw.startswith("/") or raw.startswith("//"):
        return fallback
    parts = urlsplit(raw)
    return raw if not parts.netloc and not parts.scheme and "\\" not in raw else fallback


def _field(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@router.get("/signup")
async def signup_page(request: Request) -> Response:
    guest = visitor(request)
    return _render_signup(request, guest)


def _render_signup(
    request: Request, guest: Visitor, *, error: str = "", username: str = "", status: int = 200
) -> Response:
    device = guest.person is not None and guest.person.kind == "device"
    return get_state(request).pages.render(
        request,
        "signup.html",
        status_code=status,
        error=error,
        username=username,
        keeps_device=device,
        section="account",
    )


@router.post("/signup")
async def signup(request: Request) -> Response:
    form = await verified_form(request)
    guest = visitor(request)
    username, password = _field(form, "username"), _field(form, "password")
    if password != _field(form, "password_again"):
        return _render_signup(
            request, guest, error=_("The two passwords differ."), username=username, status=422
        )
    try:
        await run_in_threadpool(sign_up, guest, client_address(request), username, password)
    except (InputError, UsernameTaken) as err:
        message = err.message if isinstance(err, InputError) else str(err)
        return _render_signup(
            request,
            guest,
            error=_sentence(f"{err.field}: {message}" if isinstance(err, InputError) else message),
            username=username,
            status=http_status(err),
        )
    return see_other("/account?welcome=1")


@router.get("/login")
async def login_page(request: Request) -> Response:
    return _render_login(request, next_page=request.query_params.get("next", ""))


def _render_login(
    request: Request, *, error: str = "", username: str = "", next_page: str = "", status: int = 200
) -> Response:
    clear = request.cookies.get(CLEAR_DEVICE_COOKIE) == "1"
    response = get_state(request).pages.render(
        request,
        "login.html",
        status_code=status,
        error=error,
        username=username,
        next_page=_next_page(next_page, ""),
        signed_out=request.query_params.get("out") == "1",
        deleted=request.query_params.get("deleted") == "1",
        clear_device=clear,
        section="account",
    )
    if clear:
        response.delete_cookie(CLEAR_DEVICE_COOKIE, path="/login", httponly=True, samesite="strict")
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    form = await verified_form(request)
    guest = visitor(request)
    username, password = _field(form, "username"), _field(form, "password")
    try:
        person = await run_in_threadpool(log_in, guest, client_address(request), username, password)
    except BadCredentials as err:
        return _render_login(
            request,
            error=_sentence(str(err)),
            username=username,
            next_page=_field(form, "next"),
            status=401,
        )
    fallback = "/clinician" if person.is_clinician else "/"
    return see_other(_next_page(_field(form, "next"), fallback))


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await verified_form(request)
    guest = visitor(request)
    everywhere = form.get("everywhere") == "yes"
    await run_in_threadpool(lambda: log_out(guest, everywhere=everywhere))
    return _clearing_device(see_other("/login?out=1"))


@router.get("/account")
async def account_page(request: Request) -> Response:
    guest = visitor(request)
    person = guest.require_account(N_("your account"))
    return get_state(request).pages.render(
        request,
        "account.html",
        person=person,
        welcome=request.query_params.get("welcome") == "1",
        error="",
        section="account",
    )


@router.post("/account/delete")
async def account_delete(request: Request) -> Response:
    form = await verified_form(request)
    guest = visitor(request)
    person = guest.require_account(N_("your account"))
    try:
        await run_in_threadpool(
            delete_account, guest, client_address(request), _field(form, "password")
        )
    except BadCredentials:
        return get_state(request).pages.render(
            request,
            "account.html",
            status_code=401,
            person=person,
            welcome=False,
            error=_("That password is not right, so nothing was deleted."),
            section="account",
        )
    return _clearing_device(see_other("/login?deleted=1"))


# Set by sign-out and account deletion only, read once by the login page: its page then clears
# what this phone kept for working offline (the outbox of unsent checks, pages seen, local
# storage; static/js/pwa.js), so on a shared phone the next person cannot send or see them. A
# cookie and not the URL, so a link from elsewhere cannot make a phone drop unsent checks.
CLEAR_DEVICE_COOKIE = "bw_clear_device"


def _clearing_device(response: Response) -> Response:
    response.set_cookie(
        CLEAR_DEVICE_COOKIE, "1", max_age=120, path="/login", httponly=True, samesite="strict"
    )
    return response


@router.get("/sharing")
async def sharing_page(request: Request) -> Response:
    return await _render_sharing(request, new_code=None)


async def _render_sharing(request: Request, *, new_code: str | None) -> Response:
    guest = visitor(request)
    person = guest.require_account(N_("sharing"))
    shares = await run_in_threadpool(guest.hosted.shares.of_person, person.id)
    state = get_state(request)
    return state.pages.render(
        request,
        "sharing.html",
        shares=shares,
        now=state.now(),
        new_code=new_code,
        section="account",
    )


@router.post("/sharing")
async def sharing_create(request: Request) -> Response:
    await verified_form(request)
    guest = visitor(request)
    person = guest.require_account(N_("sharing"))
    made = await run_in_threadpool(guest.hosted.shares.create, person.id)
    # Shown once, on this answer only: the code is not stored, only its hash.
    return await _render_sharing(request, new_code=made.code)


@router.post("/sharing/{share_id}/revoke")
async def sharing_revoke(request: Request, share_id: ShareId) -> Response:
    await verified_form(request)
    guest = visitor(request)
    person = guest.require_account(N_("sharing"))
    await run_in_threadpool(guest.hosted.shares.revoke, person.id, share_id)
    return see_other("/sharing")


@router.get("/clinician")
async def clinician_page(request: Request) -> Response:
    return await _render_clinician(request)


async def _render_clinician(request: Request, *, error: str = "", status: int = 200) -> Response:
    guest = visitor(request)
    clinician = guest.require_clinician()
    state = get_state(request)
    people = await run_in_threadpool(clinic.patients, guest.hosted, state.diary, clinician)
    return state.pages.render(
        request,
        "clinician.html",
        status_code=status,
        people=people,
        error=error,
        added=request.query_params.get("added") == "1",
        section="clinician",
    )


@router.post("/clinician/code")
async def clinician_code(request: Request) -> Response:
    form = await verified_form(request)
    guest = visitor(request)
    guest.require_clinician()
    try:
        await run_in_threadpool(redeem_share, guest, client_address(request), _field(form, "code"))
    except InputError as err:
        return await _render_clinician(request, error=_sentence(err.message), status=422)
    return see_other("/clinician?added=1")


@router.get("/clinician/people/{person_id}")
async def clinician_person(request: Request, person_id: PersonId) -> Response:
    guest = visitor(request)
    state = get_state(request)
    clinician = guest.require_clinician()

    def view() -> dict[str, Any]:
        diary = clinic.shared_diary(guest.hosted, state.diary, clinician, person_id)
        walks = diary.walks(limit=ROWS)
        today = state.now().astimezone().date()
        return {
            "person": guest.hosted.accounts.person(person_id),
            "person_id": person_id,
            "checks": list(reversed(diary.checks(limit=ROWS))),
            "walks": list(reversed(walks)),
            "pain_chart": Markup(pain_chart(walks)),  # noqa: S704 - our own SVG, text escaped
            "minutes_chart": Markup(minutes_chart(walks, today)),  # noqa: S704
        }

    try:
        shown = await run_in_threadpool(view)
    except NotFound:
        return no_longer_shared(request)
    return state.pages.render(request, "clinician_person.html", section="clinician", **shown)


NOT_SHARED_TITLE = N_("This diary is not shared with you")
NOT_SHARED = N_(
    "this person does not share their diary with you: they may have stopped sharing it, or "
    "the link is wrong. Your other people are on your list"
)


def no_longer_shared(request: Request) -> Response:
    """A revoked share (or an id never shared): the same calm answer for both, so ids cannot
    be probed, with the way back to the clinician's people."""
    return error_page(
        request,
        404,
        message=_(NOT_SHARED),
        title=_(NOT_SHARED_TITLE),
        back=("/clinician", N_("Back to your people")),
    )


@router.get("/clinician/people/{person_id}/report")
async def clinician_report(request: Request, person_id: PersonId) -> Response:
    guest = visitor(request)
    state = get_state(request)
    clinician = guest.require_clinician()
    days = request.query_params.get("days") or str(DEFAULT_DAYS)

    def report() -> str:
        diary = clinic.shared_diary(guest.hosted, state.diary, clinician, person_id)
        person = guest.hosted.accounts.person(person_id)
        name = person.username if person else None
        made = build_report(diary, state.now(), parse_days(days), rb=state.rb, name=name)
        here = f"/clinician/people/{person_id}"
        links = period_links(days, here, f"{here}/report")
        extra = {**links, **as_a_page(state)}
        return render_html(made, css_href="/report.css", extra=extra)

    try:
        return HTMLResponse(await run_in_threadpool(report))
    except NotFound:
        return no_longer_shared(request)


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text
