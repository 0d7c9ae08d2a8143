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

from backwalk.i18n import N_
from backwalk.i18n import gettext as _

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


# What guessers try first, following NIST SP 800-63B: passwords on lists of common ones, the
# username, and patterns (repeats, sequences, keyboard rows). The lists are zxcvbn's own, in
# the package (30,000 common passwords, words and names): nothing is fetched at run time.
GUESSABLE_SCORE = 0  # zxcvbn's lowest score: fewer than about a thousand guesses
ZXCVBN_MAX_CHARS = 72  # zxcvbn refuses longer input; the first 72 characters say enough
HAS_USERNAME = N_("must not contain your username")
COMMON = N_("is one of the most common passwords, which are always tried first; choose another")
# zxcvbn says why in English only.
GUESSABLE = N_("is too easy to guess ({why}); a few words you will remember make a good one")


def weakness(password: str, username: str) -> str | None:
    """Why ``password`` would be guessed early, in plain words; None when it would not."""
    if username and username.casefold() in password.casefold():
        return _(HAS_USERNAME)
    if password.casefold() in _common_passwords():
        return _(COMMON)
    from zxcvbn import zxcvbn  # its matchers load big lists: only when a password is chosen

    found = zxcvbn(password[:ZXCVBN_MAX_CHARS], user_inputs=[username, "backwalk"])
    if found["score"] <= GUESSABLE_SCORE:
        why = found["feedback"]["warning"] or _("a pattern that guessers try early")
        return _(GUESSABLE).format(why=why.rstrip(".").lower())
    return None


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])
