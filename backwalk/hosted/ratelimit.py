"""Rate limits on sign-up and login, with the `limits` library. The counters must be shared by
every worker (a per-process counter would let an attacker multiply the limit by the number of
workers), so they live in Redis when BACKWALK_REDIS_URL is set, else in PostgreSQL through a
small `limits` storage of our own over the rate_limits table."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from limits import RateLimitItem, parse
from limits.storage import RedisStorage, Storage
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Engine, delete, select, text
from sqlalchemy.exc import SQLAlchemyError

from backwalk.diary.models import RateLimitRow
from backwalk.errors import TooManyAttempts
from backwalk.hosted.config import DEFAULTS
from backwalk.i18n import N_

_INCREMENT = text(
    """
    INSERT INTO rate_limits (key, count, expires_at) VALUES (:key, :amount, :expires)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.expires_at <= :now THEN :amount
                   ELSE rate_limits.count + :amount END,
      expires_at = CASE WHEN rate_limits.expires_at <= :now THEN :expires
                        ELSE rate_limits.expires_at END
    RETURNING count
    """
)


class DatabaseStorage(Storage):
    """Fixed-window counters in the rate_limits table; one atomic upsert per hit."""

    STORAGE_SCHEME = ["backwalk+database"]

    def __init__(self, engine: Engine) -> None:
        super().__init__(uri=None, wrap_exceptions=False)
        self._engine = engine

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = datetime.now(UTC)
        values = {
            "key": key,
            "amount": amount,
            "now": now,
            "expires": now + timedelta(seconds=expiry),
        }
        with self._engine.begin() as connection:
            return int(connection.execute(_INCREMENT, values).scalar_one())

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row is not None and row.expires_at > datetime.now(UTC) else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at.timestamp() if row is not None else time.time()

    def check(self) -> bool:
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self._engine.begin() as connection:
            return int(connection.execute(delete(RateLimitRow)).rowcount)

    def clear(self, key: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(delete(RateLimitRow).where(RateLimitRow.key == key))

    def _row(self, key: str) -> Any:
        query = select(RateLimitRow.count, RateLimitRow.expires_at).where(RateLimitRow.key == key)
        with self._engine.connect() as connection:
            return connection.execute(query).first()


class Limits:
    """Hosted mode's limits: sign-ups per address, logins per address and per account (which
    stops a spread-out guessing attack on one person), share codes tried per address, and
    writes to the diary: per address for people without an account, per person for the rest.
    Each limit is a `limits` rate such as "10 per hour" (see docs/hosting.md)."""

    def __init__(
        self,
        storage: Storage,
        *,
        signup: str,
        login_ip: str,
        login_account: str,
        share_code: str = DEFAULTS["BACKWALK_LIMIT_SHARE_CODE"],
        anonymous_writes: str = DEFAULTS["BACKWALK_LIMIT_ANONYMOUS_WRITES"],
        person_writes: str = DEFAULTS["BACKWALK_LIMIT_PERSON_WRITES"],
        namespace: str = "",
    ) -> None:
        self._limiter = FixedWindowRateLimiter(storage)
        self._namespace = namespace
        self._signup = parse(signup)
        self._login_ip = parse(login_ip)
        self._login_account = parse(login_account)
        self._share_code = parse(share_code)
        self._anonymous_writes = parse(anonymous_writes)
        self._person_writes = parse(person_writes)

    def signup(self, address: str) -> None:
        self._hit(self._signup, "signup-ip", address)

    def login(self, address: str, username: str) -> None:
        """A password tried for ``username`` from a browser not known for it: the account's
        limit, shared by every unknown browser (see devices.py)."""
        self._hit(self._login_ip, "login-ip", address)
        self._hit(self._login_account, "login-account", username[:64])

    def login_from_known_device(self, address: str, device: str) -> None:
        """A password tried from a browser that signed in to the account before: that browser
        has a limit of its own, so guessing elsewhere cannot lock it out."""
        self._hit(self._login_ip, "login-ip", address)
        self._hit(self._login_account, "login-device", device[:64])

    def share_code(self, address: str) -> None:
        self._hit(self._share_code, "share-code-ip", address)

    def anonymous_write(self, address: str) -> None:
        self._hit(self._anonymous_writes, "write-ip", address, what=N_("changes from this address"))

    def person_write(self, person_id: int) -> None:
        self._hit(
            self._person_writes, "write-person", str(person_id), what=N_("changes to your diary")
        )

    def _hit(self, item: RateLimitItem, *keys: str, what: str = N_("attempts")) -> None:
        names = ("backwalk", self._namespace, *keys)
        if not self._limiter.hit(item, *names):
            reset_at = self._limiter.get_window_stats(item, *names).reset_time
            raise TooManyAttempts(max(1, int(reset_at - time.time())), what)


def storage_for(engine: Engine, redis_url: str | None) -> Storage:
    """Redis when configured, else the database: shared by all workers either way."""
    if redis_url:
        return RedisStorage(redis_url)
    return DatabaseStorage(engine)
