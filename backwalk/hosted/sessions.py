"""Server-side sessions: the cookie holds a random token; the server keeps only its hash, and
who it belongs to. Logging out deletes it, so a copied cookie stops working at once.

In PostgreSQL (the sessions table) by default, or in Redis when BACKWALK_REDIS_URL is set;
either way every worker sees the same sessions.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import Engine, bindparam, delete, select
from sqlalchemy.orm import Session

from backwalk.clock import Clock
from backwalk.diary.models import PersonRow, SessionRow, UTCDateTime
from backwalk.hosted.accounts import Person

TOKEN_BYTES = 32
MAX_TOKEN_CHARS = 128  # a real token is 43 characters; anything longer is not one of ours


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


# Every request but the app's own files looks its session up: plain statements built once, on
# a connection (no ORM session; the people and sessions tables belong to nobody's diary).
_PERSON_OF_SESSION = (
    select(PersonRow.id, PersonRow.kind, PersonRow.username, PersonRow.session_key)
    .join(
        SessionRow,
        (SessionRow.person_id == PersonRow.id) & (SessionRow.person_key == PersonRow.session_key),
    )
    .where(
        SessionRow.token_hash == bindparam("token_hash"),
        SessionRow.expires_at > bindparam("now", type_=UTCDateTime()),
    )
)
_PERSON_WITH_KEY = select(PersonRow.kind, PersonRow.username).where(
    PersonRow.id == bindparam("id"), PersonRow.session_key == bindparam("key")
)


class Sessions(Protocol):
    """Who a session belongs to comes back with the session itself. A session keeps its
    person's id and session key, and counts only while a person with that id has that key
    (one indexed query): so a session never outlives its person, not even across a restore
    of the database from a backup, where the id may since belong to somebody new."""

    def create(self, person: Person) -> str: ...

    def person(self, token: str) -> Person | None: ...

    def revoke(self, token: str) -> None: ...

    def revoke_all(self, person_id: int) -> None: ...


class DatabaseSessions:
    """Sessions in the sessions table; expired rows are ignored and swept on sign-in."""

    def __init__(self, engine: Engine, clock: Clock, lifetime: timedelta) -> None:
        self._engine = engine
        self._clock = clock
        self._lifetime = lifetime

    def create(self, person: Person) -> str:
        token = new_token()
        now = self._clock.now()
        with Session(self._engine) as session, session.begin():
            session.execute(delete(SessionRow).where(SessionRow.expires_at < now))
            session.add(
                SessionRow(
                    token_hash=token_hash(token),
                    person_id=person.id,
                    person_key=_key_of(person),
                    created_at=now,
                    expires_at=now + self._lifetime,
                )
            )
        return token

    def person(self, token: str) -> Person | None:
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        values = {"token_hash": token_hash(token), "now": self._clock.now()}
        with self._engine.connect() as connection:
            row = connection.execute(_PERSON_OF_SESSION, values).first()
        return Person(row[0], row[1], row[2], row[3]) if row else None

    def revoke(self, token: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash(token)))

    def revoke_all(self, person_id: int) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(delete(SessionRow).where(SessionRow.person_id == person_id))


class RedisSessions:
    """Sessions as Redis keys that expire by themselves, plus a set per person for
    "log out everywhere". Redis is not restored with the database, so each lookup asks the
    database whether the person is still the one the session was made for."""

    def __init__(self, client: Any, lifetime: timedelta, namespace: str, engine: Engine) -> None:
        self._redis = client
        self._engine = engine
        self._seconds = int(lifetime.total_seconds())
        # One Redis may serve several deployments; a session of one must mean nothing to another.
        self.PREFIX = f"backwalk:{namespace}:session:"
        self.OF_PERSON = f"backwalk:{namespace}:sessions-of:"

    def ping(self) -> None:
        self._redis.ping()

    def create(self, person: Person) -> str:
        token = new_token()
        hashed = token_hash(token)
        value = json.dumps([person.id, _key_of(person)])
        pipe = self._redis.pipeline()
        pipe.set(self.PREFIX + hashed, value, ex=self._seconds)
        pipe.sadd(self.OF_PERSON + str(person.id), hashed)
        pipe.expire(self.OF_PERSON + str(person.id), self._seconds)
        pipe.execute()
        return token

    def person(self, token: str) -> Person | None:
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        value = self._redis.get(self.PREFIX + token_hash(token))
        if value is None:
            return None
        stored = json.loads(value)
        if not (isinstance(stored, list) and len(stored) == 2):  # made by an older version
            return None
        return person_with_key(self._engine, int(stored[0]), str(stored[1]))

    def revoke(self, token: str) -> None:
        self._redis.delete(self.PREFIX + token_hash(token))

    def revoke_all(self, person_id: int) -> None:
        key = self.OF_PERSON + str(person_id)
        hashes = self._redis.smembers(key)
        pipe = self._redis.pipeline()
        for hashed in hashes:
            pipe.delete(self.PREFIX + (hashed.decode() if isinstance(hashed, bytes) else hashed))
        pipe.delete(key)
        pipe.execute()


def person_with_key(engine: Engine, person_id: int, key: str) -> Person | None:
    """The person with this id, if they still have this session key (a primary-key lookup)."""
    with engine.connect() as connection:
        row = connection.execute(_PERSON_WITH_KEY, {"id": person_id, "key": key}).first()
    return Person(person_id, row[0], row[1], key) if row else None


def _key_of(person: Person) -> str:
    if not person.session_key:  # a Person not read from the database: a wiring bug
        raise ValueError(f"person {person.id} has no session key")
    return person.session_key
