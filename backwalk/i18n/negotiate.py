"""Which language to answer a request in: the person's own choice (the switch on every page
sets a cookie), else the browser's Accept-Language, else English."""

from __future__ import annotations

from backwalk.i18n import DEFAULT, LANGUAGES, supported

COOKIE = "bw_lang"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # a choice of language is remembered for a year
MAX_RANGES = 20  # a longer header is cut here: nobody prefers twenty languages in order


def preferred(accept_language: str | None) -> list[str]:
    """The header's language ranges, most wanted first (RFC 9110 section 12.5.4): ranges with
    q=0 or a malformed weight are dropped, and equal weights keep the header's order."""
    ranges: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")[:MAX_RANGES]):
        tag, _, params = part.strip().partition(";")
        weight = _weight(params)
        if tag and weight is not None and weight > 0:
            ranges.append((-weight, position, tag.strip()))
    return [tag for _, _, tag in sorted(ranges)]


def _weight(params: str) -> float | None:
    params = params.strip()
    if not params:
        return 1.0
    name, _, value = params.partition("=")
    if name.strip().lower() != "q":
        return 1.0  # an extension parameter: the weight is still 1
    try:
        weight = float(value.strip())
    except ValueError:
        return None
    return weight if 0 <= weight <= 1 else None


def negotiate(accept_language: str | None) -> str:
    """The first language backwalk speaks among the browser's preferences; English if none."""
    from babel.core import negotiate_locale

    wanted = [tag.replace("_", "-") for tag in preferred(accept_language) if tag != "*"]
    found = negotiate_locale(wanted, LANGUAGES, sep="-")
    return supported(found) or DEFAULT


def choose(cookie: str | None, accept_language: str | None) -> str:
    """The cookie's language when it names one backwalk speaks, else the negotiated one."""
    return supported(cookie) or negotiate(accept_language)
