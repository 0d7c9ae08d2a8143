"""Hosted mode: one deployment on PostgreSQL serving many people and their clinicians.

Local single-user mode (the default) does not import this package's modules; they need the
`hosted` extra (`pip install 'backwalk[hosted]'`), which `require_extra` checks first.
"""

from __future__ import annotations

from importlib.util import find_spec

from backwalk.errors import HostedConfigError

EXTRA_MODULES = ("argon2", "zxcvbn", "limits", "redis")


def require_extra() -> None:
    """Hosted mode's own packages are installed, or one clear line saying how to get them."""
    missing = [name for name in EXTRA_MODULES if find_spec(name) is None]
    if missing:
        raise HostedConfigError(
            "hosted mode needs the hosted extra: pip install 'backwalk[hosted]' "
            f"(missing: {', '.join(missing)})"
        )
