"""Password hashes: argon2id with the OWASP Password Storage Cheat Sheet's first setting
(19 MiB of memory, 2 passes, 1 lane).

argon2-cffi's own default (RFC 9106's low-memory set: 64 MiB, 3 passes, 4 lanes) costs about
0.23 s of CPU on both cores per hash, so a burst of sign-ups queued every other request behind
it and a second worker added nothing. One lane keeps each hash on one core, so workers scale;
hashes made with other settings are redone at the next successful sign-in."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored``. With no stored hash (no such user) a dummy hash
    is checked anyway, so the answer takes as long as for a real account."""
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with weaker settings than today's."""
    return _hasher.check_needs_rehash(stored)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("backwalk: there is no such account")
