"""Accounts: anonymous devices, people with a username and password, and clinicians.

An anonymous device becomes a person when somebody signs up on it, so the checks done before
signing up stay with them. No email address is asked for or kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backwalk.clock import Clock
from backwalk.diary.models import PersonRow, new_session_key
from backwalk.errors import BadCredentials, InputError, UsernameTaken
from backwalk.hosted.passwords import hash_password, needs_rehash, verify_password, weakness
from backwalk.i18n import N_
from backwalk.i18n import gettext as _

USERNAME_PATTERN = re.compile(r"[a-z0-9._-]{3,32}")
USERNAME_RULE = N_("use 3 to 32 letters, digits, dots, dashes or underscores")
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 256  # argon2 would take more; a megabyte "password" is an attack


@dataclass(frozen=True)
class Person:
    id: int
    kind: str
    username: str | None
    # The person's session key when this was read: a session made now carries it.
    session_key: str = field(default="", repr=False, compare=False)

    @property
    def has_account(self) -> bool:
        return self.kind in ("person", "clinician")

    @property
    def is_clinician(self) -> bool:
        return self.kind == "clinician"


def normalize_username(raw: object) -> str:
    """The username as stored: NFKC, trimmed, lower case; InputError if it breaks the rule."""
    if not isinstance(raw, str):
        raise InputError("username", _(USERNAME_RULE))
    name = unicodedata.normalize("NFKC", raw).strip().lower()
    if not USERNAME_PATTERN.fullmatch(name):
        raise InputError("username", _(USERNAME_RULE))
    return name


def checked_password(raw: object, username: str) -> str:
    """A password good enough for a new account, or InputError saying in plain words why not."""
    if not isinstance(raw, str) or not MIN_PASSWORD_CHARS <= len(raw) <= MAX_PASSWORD_CHARS:
        message = _("use {least} to {most} characters")
        raise InputError(
            "password", message.format(least=MIN_PASSWORD_CHARS, most=MAX_PASSWORD_CHARS)
        )
    if any(0xD800 <= ord(c) < 0xE000 for c in raw):
        raise InputError("password", _("contains characters that are not valid text"))
    problem = weakness(raw, username)
    if problem:
        raise InputError("password", problem)
    return raw


class Accounts:
    """The people table. Plain sessions on purpose: people are not diary rows, so they sit
    outside the per-person scope (the diary tables are where row-level security applies)."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    def person(self, person_id: int) -> Person | None:
        with Session(self._engine) as session:
            row = session.get(PersonRow, person_id)
            return _person(row) if row else None

    def create_device(self) -> Person:
        """An anonymous person for a browser that did something worth keeping."""
        with Session(self._engine) as session, session.begin():
            row = PersonRow(kind="device", created_at=self._clock.now())
            session.add(row)
            session.flush()
            return _person(row)

    def sign_up(self, username: object, password: object, *, device: int | None) -> Person:
        """A new account; when ``device`` is an anonymous device, it becomes the account."""
        return self._create("person", username, password, device=device)

    def create_clinician(self, username: object, password: object) -> Person:
        return self._create("clinician", username, password, device=None)

    def _create(
        self, kind: str, username: object, password: object, *, device: int | None
    ) -> Person:
        name = normalize_username(username)
        hashed = hash_password(checked_password(password, name))
        try:
            with Session(self._engine) as session, session.begin():
                key = None if device is None else self._claim_device(session, device, name, hashed)
                if device is not None and key is not None:
                    return Person(device, kind, name, key)
                row = PersonRow(
                    kind=kind, username=name, password_hash=hashed, created_at=self._clock.now()
                )
                session.add(row)
                session.flush()
                return _person(row)
        except IntegrityError as err:  # the unique index decides, whoever races whom
            raise UsernameTaken() from err

    def authenticate(self, username: object, password: object) -> Person:
        """The account, or BadCredentials: the same answer, after the same work, whether the
        username is unknown or the password is wrong."""
        try:
            name = normalize_username(username)
        except InputError:
            name = None
        given = password if isinstance(password, str) else ""
        with Session(self._engine) as session:
            row = (
                session.scalars(select(PersonRow).where(PersonRow.username == name)).one_or_none()
                if name and len(given) <= MAX_PASSWORD_CHARS
                else None
            )
            stored = row.password_hash if row else None
            if not verify_password(stored, given[:MAX_PASSWORD_CHARS]) or row is None:
                raise BadCredentials()
            person = _person(row)
        if stored and needs_rehash(stored):
            self._rehash(person.id, given)
        return person

    def find(self, username: str) -> Person | None:
        name = normalize_username(username)
        with Session(self._engine) as session:
            row = session.scalars(select(PersonRow).where(PersonRow.username == name)).one_or_none()
            return _person(row) if row else None

    def delete(self, person_id: int) -> None:
        """Delete the person; the database deletes every row that is theirs with them."""
        with Session(self._engine) as session, session.begin():
            session.execute(delete(PersonRow).where(PersonRow.id == person_id))

    def _claim_device(self, session: Session, device: int, name: str, hashed: str) -> str | None:
        """The device becomes the account, with a new session key (so no session the device
        had reaches the account); the key, or None if it was not an anonymous device."""
        key = new_session_key()
        claimed = session.execute(
            update(PersonRow)
            .where(PersonRow.id == device, PersonRow.kind == "device")
            .values(kind="person", username=name, password_hash=hashed, session_key=key)
        )
        return key if claimed.rowcount else None  # type: ignore[attr-defined]

    def new_session_key(self, person_id: int) -> None:
        """End every session of the person at once, wherever it is kept."""
        with Session(self._engine) as session, session.begin():
            session.execute(
                update(PersonRow)
                .where(PersonRow.id == person_id)
                .values(session_key=new_session_key())
            )

    def _rehash(self, person_id: int, password: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(
                update(PersonRow)
                .where(PersonRow.id == person_id)
                .values(password_hash=hash_password(password))
            )


def _person(row: PersonRow) -> Person:
    return Person(id=row.id, kind=row.kind, username=row.username, session_key=row.session_key)
