"""Server-side sessions: the cookie holds a random token; the server keeps only its hash, and
who it belongs to. Logging out deletes it, so a copied cookie stops working at once.

In PostgreSQL (the sessions table) by default, or in Redis when BACKWALK_REDIS_URL is set;
either way every worker sees the same sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from backwalk.clock import Clock
from backwalk.diary.models import SessionRow

TOKEN_BYTES = 32
MAX_TOKEN_CHARS = 128  # a real token is 43 characters; anything longer is not one of ours


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class Sessions(Protocol):
    def create(self, person_id: int) -> str: ...

    def person(self, token: str) -> int | None: ...

    def revoke(self, token: str) -> None: ...

    def revoke_all(self, person_id: int) -> None: ...


class DatabaseSessions:
    """Sessions in the sessions table; expired rows are ignored and swept on sign-in."""

    def __init__(self, engine: Engine, clock: Clock, lifetime: timedelta) -> None:
        self._engine = engine
        self._clock = clock
        self._lifetime = lifetime

    def create(self, person_id: int) -> str:
        token = new_token()
        now = self._clock.now()
        with Session(self._engine) as session, session.begin():
            session.execute(delete(SessionRow).where(SessionRow.expires_at < now))
            session.add(
                SessionRow(
                    token_hash=token_hash(token),
                    person_id=person_id,
                    created_at=now,
                    expires_at=now + self._lifetime,
                )
            )
        return token

    def person(self, token: str) -> int | None:
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        query = select(SessionRow.person_id).where(
            SessionRow.token_hash == token_hash(token),
            SessionRow.expires_at > self._clock.now(),
        )
        with Session(self._engine) as session:
            return session.scalar(query)

    def revoke(self, token: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash(token)))

    def revoke_all(self, person_id: int) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(delete(SessionRow).where(SessionRow.person_id == person_id))


class RedisSessions:
    """Sessions as Redis keys that expire by themselves, plus a set per person for
    "log out everywhere"."""

    def __init__(self, client: Any, lifetime: timedelta, namespace: str) -> None:
        self._redis = client
        self._seconds = int(lifetime.total_seconds())
        # One Redis may serve several deployments; a session of one must mean nothing to another.
        self.PREFIX = f"backwalk:{namespace}:session:"
        self.OF_PERSON = f"backwalk:{namespace}:sessions-of:"

    def ping(self) -> None:
        self._redis.ping()

    def create(self, person_id: int) -> str:
        token = new_token()
        hashed = token_hash(token)
        pipe = self._redis.pipeline()
        pipe.set(self.PREFIX + hashed, person_id, ex=self._seconds)
        pipe.sadd(self.OF_PERSON + str(person_id), hashed)
        pipe.expire(self.OF_PERSON + str(person_id), self._seconds)
        pipe.execute()
        return token

    def person(self, token: str) -> int | None:
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        value = self._redis.get(self.PREFIX + token_hash(token))
        return int(value) if value is not None else None

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
