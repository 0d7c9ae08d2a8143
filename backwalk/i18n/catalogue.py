"""Catalogues: each language's messages.po, compiled in memory the first time it is needed.

No compiled .mo file is kept in the repository or built by an install step: the .po file that
translators edit is the one the app reads, so a translation can never be stale against a forgotten
compile. Reading and compiling the Spanish catalogue takes a few tens of milliseconds, once per
process, and only in a process that speaks Spanish. A fuzzy entry (its English changed since it was
translated) is left out, so that text shows in English until a translator has looked at it.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from backwalk.i18n import DEFAULT, LANGUAGES

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The language's translations; English (the source language) translates nothing."""
    if lang not in LANGUAGES:
        raise ValueError(f"backwalk does not speak {lang!r}")
    if lang == DEFAULT:
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(compiled(lang)))


def compiled(lang: str) -> bytes:
    """The catalogue of `lang` compiled to the .mo format, without fuzzy entries."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as file:
        catalog = read_po(file, locale=lang, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()
