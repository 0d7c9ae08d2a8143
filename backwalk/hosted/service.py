"""Hosted mode's use cases, for both faces (the pages and the JSON API): signing up, signing in
and out, and deleting an account. Each raises the typed errors of `backwalk.errors`."""

from __future__ import annotations

from typing import Any

from backwalk.errors import InputError
from backwalk.hosted.accounts import Person, normalize_username
from backwalk.hosted.people import Visitor
from backwalk.i18n import N_


def sign_up(guest: Visitor, address: str, username: Any, password: Any) -> Person:
    """Limited per address. An anonymous device's diary becomes the new account's, and every
    session the device had ends (a planted device cookie must not lead into the account)."""
    hosted = guest.hosted
    hosted.limits.signup(address)
    device = guest.person.id if guest.person and guest.person.kind == "device" else None
    person = hosted.accounts.sign_up(username, password, device=device)
    if device is not None:
        hosted.sessions.revoke_all(device)
        guest.token = None
    guest.start_session(person)
    guest.remember_device(limit_key(username))
    return person


def log_in(guest: Visitor, address: str, username: Any, password: Any) -> Person:
    """Limited per address, and per account or per known device (count_password_try); a new
    session either way it was before, and the browser is known for the account from now on."""
    count_password_try(guest, address, username)
    person = guest.hosted.accounts.authenticate(username, password)
    guest.start_session(person)
    guest.remember_device(limit_key(username))
    return person


def count_password_try(guest: Visitor, address: str, username: Any) -> None:
    """Every password tried counts against the address, and against the browser when it signed
    in to this account before, else against the account (so a guesser elsewhere cannot lock
    out a browser the person uses)."""
    name = limit_key(username)
    device = guest.known_device(name)
    if device is not None:
        guest.hosted.limits.login_from_known_device(address, device)
    else:
        guest.hosted.limits.login(address, name)


def log_out(guest: Visitor, *, everywhere: bool) -> None:
    guest.end_session(everywhere=everywhere)


def delete_account(guest: Visitor, address: str, password: Any) -> None:
    """Only with the account's password, counted against the same limits as signing in (a
    stolen session must not become a way to guess the password, nor to delete the account).
    Every row of the person goes with them (the database cascades), sessions first."""
    person = guest.require_account(N_("your account"))
    count_password_try(guest, address, person.username)
    guest.hosted.accounts.authenticate(person.username, password)
    guest.hosted.sessions.revoke_all(person.id)
    guest.end_session()
    guest.hosted.accounts.delete(person.id)


def limit_key(username: Any) -> str:
    """The account a login attempt counts against: "FAY" and "fay" are the same account."""
    try:
        return normalize_username(username)
    except InputError:
        return str(username)[:64].lower() if isinstance(username, str) else ""


def redeem_share(guest: Visitor, address: str, code: Any) -> int:
    """A clinician uses a person's share code; limited per address, so codes cannot be guessed
    at speed. Returns the person's id."""
    clinician = guest.require_clinician()
    guest.hosted.limits.share_code(address)
    return guest.hosted.shares.claim(clinician.id, code)
