"""Catalogues: each language's messages.po, compiled the first time a process needs it.

No compiled .mo file is kept in the repository or built by an install step: the .po file that
translators edit is the one the app reads, so a translation can never be stale against a forgotten
compile. Compiling takes Babel (a third of a second to import on a busy machine), so the compiled
catalogue is kept in the user's cache folder under a hash of the .po file: the next Spanish command
starts without Babel. A cache that cannot be read or written is ignored. A fuzzy entry (its English
changed since it was translated) is left out, so that text shows in English until a translator
has looked at it.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import os
from functools import cache
from pathlib import Path

from backwalk.i18n import DEFAULT, LANGUAGES

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
MO_MAGIC = b"\xde\x12\x04\x95"  # the .mo format, little-endian


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The language's translations; English (the source language) translates nothing."""
    if lang not in LANGUAGES:
        raise ValueError(f"backwalk does not speak {lang!r}")
    if lang == DEFAULT:
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(cached_compiled(lang)))


def cached_compiled(lang: str) -> bytes:
    """`compiled(lang)`, from the user's cache when the .po file has not changed since."""
    source = po_path(lang).read_bytes()
    path = _cache_path(lang, source)
    try:
        kept = path.read_bytes() if path is not None else b""
    except OSError:
        kept = b""
    if kept.startswith(MO_MAGIC):
        return kept
    made = compiled(lang)
    if path is not None:
        _write(path, made)
    return made


def compiled(lang: str) -> bytes:
    """The catalogue of `lang` compiled to the .mo format, without fuzzy entries."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as file:
        catalog = read_po(file, locale=lang, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _cache_path(lang: str, source: bytes) -> Path | None:
    try:
        import platformdirs
    except ImportError:
        return None
    digest = hashlib.sha256(source)
    digest.update(Path(__file__).read_bytes())  # how it is compiled
    folder = Path(platformdirs.user_cache_dir("backwalk"))
    return folder / f"catalogue-{lang}-{digest.hexdigest()[:24]}.mo"


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)  # atomic: a parallel process never reads half a file
    except OSError:
        return
