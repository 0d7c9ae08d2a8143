"""Devices that signed in before, so that nobody can lock a person out by guessing at their
username (OWASP's "device cookies").

A per-account login limit alone can be aimed: anybody who knows a username can use up its
attempts and keep its owner out. So after a successful sign-in the browser gets a signed device
cookie naming the account. Sign-in attempts for that account from a browser with that cookie
count against that device only; only attempts from unknown devices share the account's limit.
The account's owner, on a phone they signed in with before, can still sign in while somebody
elsewhere is guessing; the guesser, having no cookie for the account, gets the account's limit.
"""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, URLSafeSerializer

DEVICE_COOKIE = "bw_device"
DEVICE_DAYS = 365
MAX_COOKIE_CHARS = 300  # a real one is about 120 characters


class Devices:
    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt="backwalk.device")

    def issue(self, username: str) -> str:
        """A new device cookie's value, for a browser that has just signed in as ``username``."""
        return self._serializer.dumps([username, secrets.token_urlsafe(16)])

    def known(self, raw: str | None, username: str) -> str | None:
        """The device's own id when ``raw`` is a cookie this site gave a browser that signed in
        as ``username``; None for anything else (no cookie, another account's, forged)."""
        if not raw or len(raw) > MAX_COOKIE_CHARS:
            return None
        try:
            found = self._serializer.loads(raw)
        except BadSignature:
            return None
        if not (isinstance(found, list) and len(found) == 2):
            return None
        name, device = found
        return device if name == username and isinstance(device, str) else None
