"""Hosted mode's JSON API: accounts, sessions, shares and the clinician's read-only views.
Every other route of the API is the same as in local mode and serves the signed-in person."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from backwalk.errors import InputError
from backwalk.hosted import clinic
from backwalk.hosted.accounts import MAX_PASSWORD_CHARS, Person
from backwalk.hosted.people import client_address, visitor
from backwalk.hosted.service import delete_account, log_in, log_out, redeem_share, sign_up
from backwalk.hosted.shares import Share
from backwalk.web.api import BODYLESS_OR_JSON, JSON_ONLY, Limit, _json_body, export_response
from backwalk.web.schemas import StrictBody
from backwalk.web.serialize import check_json, walk_json
from backwalk.web.state import get_state

router = APIRouter(prefix="/api")


class Credentials(StrictBody):
    """A username (3 to 32 letters, digits, dots, dashes or underscores) and a password (8 to
    256 characters). No email address: none is asked for or kept."""

    username: str = Field(max_length=200)
    password: str = Field(max_length=MAX_PASSWORD_CHARS * 4)


class Password(StrictBody):
    """The account's password, asked again before something that cannot be undone."""

    password: str = Field(max_length=MAX_PASSWORD_CHARS * 4)


class ShareCode(StrictBody):
    """The code a person gave their clinician (any case; dashes and spaces are ignored)."""

    code: str = Field(max_length=64)


PersonId = Annotated[int, Path(ge=1, le=2_147_483_647, description="the person's id")]
ShareId = Annotated[int, Path(ge=1, le=2_147_483_647, description="the share's id")]


def account_json(person: Person) -> dict[str, Any]:
    return {"id": person.id, "username": person.username, "kind": person.kind}


def share_json(share: Share, now: Any, code: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": share.id,
        "state": share.state(now),
        "code_ends_with": share.hint,
        "created_at": share.created_at.isoformat(),
        "expires_at": share.expires_at.isoformat(),
        "clinician": share.clinician,
        "claimed_at": share.claimed_at.isoformat() if share.claimed_at else None,
        "revoked_at": share.revoked_at.isoformat() if share.revoked_at else None,
    }
    if code is not None:
        body["code"] = code
    return body


@router.post(
    "/accounts",
    tags=["accounts"],
    summary="Sign up (no email needed)",
    dependencies=JSON_ONLY,
    status_code=201,
)
async def create_account(request: Request, body: Credentials) -> Response:
    guest = visitor(request)
    address = client_address(request)
    person = await run_in_threadpool(sign_up, guest, address, body.username, body.password)
    return JSONResponse(account_json(person), status_code=201)


@router.post(
    "/login", tags=["accounts"], summary="Sign in; sets the session cookie", dependencies=JSON_ONLY
)
async def login(request: Request, body: Credentials) -> Response:
    guest = visitor(request)
    address = client_address(request)
    person = await run_in_threadpool(log_in, guest, address, body.username, body.password)
    return JSONResponse(account_json(person))


@router.post(
    "/logout",
    tags=["accounts"],
    summary="Sign out (this browser, or everywhere)",
    dependencies=JSON_ONLY,
)
async def logout(request: Request) -> Response:
    body = await _json_body(request) if await request.body() else {}
    everywhere = body.get("everywhere", False) if isinstance(body, dict) else None
    if not isinstance(everywhere, bool):
        raise InputError("everywhere", "must be true or false")
    guest = visitor(request)
    await run_in_threadpool(lambda: log_out(guest, everywhere=everywhere))
    return JSONResponse({"signed_out": True, "everywhere": everywhere})


@router.get("/account", tags=["accounts"], summary="Who is signed in")
def account(request: Request) -> Response:
    return JSONResponse(account_json(visitor(request).require_account("your account")))


@router.delete(
    "/account",
    tags=["accounts"],
    summary="Delete the account and every record of it (asks for the password)",
    dependencies=JSON_ONLY,
)
async def remove_account(request: Request, body: Password) -> Response:
    guest = visitor(request)
    address = client_address(request)
    await run_in_threadpool(delete_account, guest, address, body.password)
    return JSONResponse({"deleted": True})


@router.get("/shares", tags=["sharing"], summary="Every share of your diary, newest first")
def list_shares(request: Request) -> Response:
    guest = visitor(request)
    person = guest.require_account("sharing")
    now = get_state(request).now()
    return JSONResponse([share_json(s, now) for s in guest.hosted.shares.of_person(person.id)])


@router.post(
    "/shares",
    tags=["sharing"],
    summary="Make a code that lets one clinician read your diary",
    dependencies=JSON_ONLY,
    status_code=201,
)
def create_share(request: Request) -> Response:
    guest = visitor(request)
    person = guest.require_account("sharing")
    made = guest.hosted.shares.create(person.id)
    return JSONResponse(
        share_json(made.share, get_state(request).now(), made.code), status_code=201
    )


@router.delete(
    "/shares/{share_id}",
    tags=["sharing"],
    summary="Withdraw a share at once",
    dependencies=BODYLESS_OR_JSON,
)
def revoke_share(request: Request, share_id: ShareId) -> Response:
    guest = visitor(request)
    person = guest.require_account("sharing")
    guest.hosted.shares.revoke(person.id, share_id)
    return JSONResponse({"revoked": share_id})


@router.post(
    "/clinician/shares",
    tags=["clinician"],
    summary="Use a person's share code",
    dependencies=JSON_ONLY,
)
async def claim_share(request: Request, body: ShareCode) -> Response:
    guest = visitor(request)
    address = client_address(request)
    person_id = await run_in_threadpool(redeem_share, guest, address, body.code)
    return JSONResponse({"person_id": person_id})


@router.get("/clinician/people", tags=["clinician"], summary="Your people, red flags first")
def clinician_people(request: Request) -> Response:
    guest = visitor(request)
    state = get_state(request)
    found = clinic.patients(guest.hosted, state.diary, guest.require_clinician())
    return JSONResponse(
        [
            {
                "person_id": p.id,
                "username": p.username,
                "shared_since": p.shared_since.isoformat(),
                "red_flags": list(p.latest.red_flags) if p.latest else [],
                "latest_check": check_json(p.latest) if p.latest else None,
            }
            for p in found
        ]
    )


def _shared(request: Request, person_id: int) -> Any:
    guest = visitor(request)
    return clinic.shared_diary(
        guest.hosted, get_state(request).diary, guest.require_clinician(), person_id
    )


@router.get(
    "/clinician/people/{person_id}/checks",
    tags=["clinician"],
    summary="A person's checks, read-only",
)
def clinician_checks(request: Request, person_id: PersonId, limit: Limit = None) -> Response:
    return JSONResponse([check_json(c) for c in _shared(request, person_id).checks(limit=limit)])


@router.get(
    "/clinician/people/{person_id}/walks", tags=["clinician"], summary="A person's walks, read-only"
)
def clinician_walks(request: Request, person_id: PersonId, limit: Limit = None) -> Response:
    return JSONResponse([walk_json(w) for w in _shared(request, person_id).walks(limit=limit)])


@router.get(
    "/clinician/people/{person_id}/export",
    tags=["clinician"],
    summary="A person's diary as CSV, JSON or FHIR R4",
    response_model=None,
)
def clinician_export(
    request: Request,
    person_id: PersonId,
    fmt: Annotated[Literal["csv", "json", "fhir"], Query(alias="format")] = "csv",
) -> Response:
    diary = _shared(request, person_id)
    return export_response(diary, get_state(request).now(), fmt, f"backwalk-person-{person_id}")
