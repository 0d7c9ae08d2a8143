"""The languages backwalk speaks, which one is active, and the words in it.

English is the source language: every text is written in English (in the code, the templates and
the rulebook) and is its own message id. English needs no catalogue, so an English run never
imports Babel. Another language's words come from its catalogue,
backwalk/locale/<lang>/LC_MESSAGES/messages.po (see backwalk.i18n.catalogue and docs/languages.md);
a text with no translation yet is shown in English.

The active language is a context variable: a CLI run sets it once (--lang, BACKWALK_LANG), the
web app per request (backwalk.web.language), so threads and requests never see each other's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

DEFAULT = "en"
LANGUAGES = ("en", "es")
# Each language named in its own words: what the switch on every page offers.
NAMES = {"en": "English", "es": "Español"}

_active: ContextVar[str] = ContextVar("backwalk_language", default=DEFAULT)


def active() -> str:
    """The language of this command or request."""
    return _active.get()


def activate(lang: str) -> Token[str]:
    """Make `lang` (one of LANGUAGES) active for the rest of this context."""
    if lang not in LANGUAGES:
        raise ValueError(f"backwalk does not speak {lang!r}")
    return _active.set(lang)


def deactivate(token: Token[str]) -> None:
    _active.reset(token)


@contextmanager
def using(lang: str) -> Iterator[None]:
    """`lang` is active inside the block, and what was active before is back after it."""
    token = activate(lang)
    try:
        yield
    finally:
        deactivate(token)


def supported(tag: str | None) -> str | None:
    """The language of a tag such as 'es', 'es-MX', 'es_ES.UTF-8' or 'EN', if backwalk speaks
    it; None otherwise. Only the primary subtag counts: one Spanish serves every region."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].split(".")[0].lower()
    return primary if primary in LANGUAGES else None


def translations(lang: str) -> Any:
    """The catalogue of `lang` (a gettext.NullTranslations for English)."""
    from backwalk.i18n.catalogue import translations as load

    return load(lang)


def gettext(message: str) -> str:
    """`message` (English) in the active language; English when it has no translation yet."""
    lang = _active.get()
    if lang == DEFAULT:
        return message
    return str(translations(lang).gettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    lang = _active.get()
    if lang == DEFAULT:
        return singular if n == 1 else plural
    return str(translations(lang).ngettext(singular, plural, n))


def translate_in(lang: str, message: str) -> str:
    """`message` in `lang`, whatever is active (a rulebook text while translating the rulebook)."""
    if lang == DEFAULT:
        return message
    return str(translations(lang).gettext(message))


_ = gettext


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Marks a text for translation where it is defined (a constant); translate it with `_`
    where it is shown, when the language is known."""
    return message
