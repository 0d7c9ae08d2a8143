"""Sharing a diary with a clinician, by a one-time code the person gives them.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown in groups
of four. It can be used once, within 7 days; once used, the clinician can read the diary until
the person revokes the share. Only the code's hash is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, aliased

from backwalk.clock import Clock
from backwalk.diary.models import PersonRow, ShareRow
from backwalk.errors import InputError, NotFound
from backwalk.i18n import N_
from backwalk.i18n import gettext as _

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_CHARS = 12
GROUP = 4
VALID_FOR = timedelta(days=7)
HINT_CHARS = 4
CODE_PROBLEM = N_("that code does not work: it may be mistyped, used already, expired or withdrawn")


@dataclass(frozen=True)
class Share:
    id: int
    hint: str
    created_at: datetime
    expires_at: datetime
    clinician: str | None
    claimed_at: datetime | None
    revoked_at: datetime | None

    def state(self, now: datetime) -> str:
        """'revoked', 'active' (a clinician can read), 'waiting' (code not used yet), 'expired'."""
        if self.revoked_at is not None:
            return "revoked"
        if self.claimed_at is not None:
            return "active"
        return "waiting" if now < self.expires_at else "expired"


@dataclass(frozen=True)
class NewShare:
    share: Share
    code: str  # shown once, to the person who made it


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))


def shown_code(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalize_code(raw: object) -> str:
    """The code as typed, in any case, with or without spaces and dashes; InputError if it
    cannot be one of ours."""
    if not isinstance(raw, str) or len(raw) > 64:
        raise InputError("code", _(CODE_PROBLEM))
    code = unicodedata.normalize("NFKC", raw).upper().replace("-", "").replace(" ", "")
    if len(code) != CODE_CHARS or any(c not in ALPHABET for c in code):
        raise InputError("code", _(CODE_PROBLEM))
    return code


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


class Shares:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    def create(self, person_id: int) -> NewShare:
        code = new_code()
        now = self._clock.now()
        row = ShareRow(
            person_id=person_id,
            code_hash=code_hash(code),
            hint=code[-HINT_CHARS:],
            created_at=now,
            expires_at=now + VALID_FOR,
        )
        with Session(self._engine) as session, session.begin():
            session.add(row)
            session.flush()
            return NewShare(_share(row, None), shown_code(code))

    def of_person(self, person_id: int) -> list[Share]:
        """Every share the person made, newest first, with the clinician's name once used."""
        clinician = aliased(PersonRow)
        query = (
            select(ShareRow, clinician.username)
            .outerjoin(clinician, clinician.id == ShareRow.clinician_id)
            .where(ShareRow.person_id == person_id)
            .order_by(ShareRow.created_at.desc(), ShareRow.id.desc())
        )
        with Session(self._engine) as session:
            return [_share(row, name) for row, name in session.execute(query)]

    def revoke(self, person_id: int, share_id: int) -> None:
        """Withdraw a share at once; NotFound unless it is this person's."""
        with Session(self._engine) as session, session.begin():
            revoked = session.execute(
                update(ShareRow)
                .where(ShareRow.id == share_id, ShareRow.person_id == person_id)
                .values(revoked_at=func.coalesce(ShareRow.revoked_at, self._clock.now()))
            )
            if not revoked.rowcount:  # type: ignore[attr-defined]
                raise NotFound("share", share_id)

    def claim(self, clinician_id: int, raw_code: object) -> int:
        """The clinician uses a code: the share becomes theirs. Returns the person's id.
        One atomic update, so a code used twice at the same moment works once."""
        now = self._clock.now()
        with Session(self._engine) as session, session.begin():
            person = session.scalar(
                update(ShareRow)
                .where(
                    ShareRow.code_hash == code_hash(normalize_code(raw_code)),
                    ShareRow.clinician_id.is_(None),
                    ShareRow.revoked_at.is_(None),
                    ShareRow.expires_at > now,
                    ShareRow.person_id != clinician_id,
                )
                .values(clinician_id=clinician_id, claimed_at=now)
                .returning(ShareRow.person_id)
            )
        if person is None:
            raise InputError("code", _(CODE_PROBLEM))
        return int(person)

    def people_of(self, clinician_id: int) -> list[tuple[int, str | None, datetime]]:
        """(person id, username, shared since) for every active share with this clinician."""
        person = aliased(PersonRow)
        query = (
            select(ShareRow.person_id, person.username, ShareRow.claimed_at)
            .join(person, person.id == ShareRow.person_id)
            .where(ShareRow.clinician_id == clinician_id, ShareRow.revoked_at.is_(None))
            .order_by(ShareRow.claimed_at)
        )
        with Session(self._engine) as session:
            seen: dict[int, tuple[int, str | None, datetime]] = {}
            for pid, name, since in session.execute(query):
                seen.setdefault(pid, (pid, name, since or self._clock.now()))
            return list(seen.values())

    def may_read(self, clinician_id: int, person_id: int) -> bool:
        query = select(ShareRow.id).where(
            ShareRow.clinician_id == clinician_id,
            ShareRow.person_id == person_id,
            ShareRow.revoked_at.is_(None),
        )
        with Session(self._engine) as session:
            return session.scalars(query.limit(1)).first() is not None


def _share(row: ShareRow, clinician: str | None) -> Share:
    return Share(
        id=row.id,
        hint=row.hint,
        created_at=row.created_at,
        expires_at=row.expires_at,
        clinician=clinician,
        claimed_at=row.claimed_at,
        revoked_at=row.revoked_at,
    )
