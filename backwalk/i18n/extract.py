"""A Babel extractor for the rulebook: each user-facing text of rulebook.toml becomes a message,
its English the message id, with a comment naming the entry and field (what translators need to
see to translate a fragment such as 'loss of bladder or bowel control' well).

babel.cfg names it: `[backwalk.i18n.extract.extract_rulebook: backwalk/rulebook/rulebook.toml]`.
Which fields are texts is backwalk.i18n.rulebook's decision, the same one the app translates by.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from backwalk.i18n.rulebook import texts
from backwalk.rules import parse_rulebook

COMMENT = "rulebook: {where}"
_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_]+)\s*=")
_ID = re.compile(r'^\s*id\s*=\s*"([^"]+)"')
_INDEX = re.compile(r"\[\d+\]")


def extract_rulebook(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extractor interface: (line number, function name, message, comments)."""
    text = fileobj.read().decode("utf-8")
    rb = parse_rulebook(tomllib.loads(text))  # the loader's checks: a broken file says so here
    lines = _key_lines(text)
    for where, message in texts(rb):
        yield _line_of(lines, where), None, message, [COMMENT.format(where=where)]


def _key_lines(text: str) -> dict[str, int]:
    """Where each key is: 'red_flags.chest_pain.why' -> its line number (1-based)."""
    found: dict[str, int] = {}
    table, record_id = "", None
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            table, record_id = header.group(1), None
            found.setdefault(table, number)
            continue
        ident = _ID.match(line)
        if ident:
            record_id = ident.group(1)
            found.setdefault(f"{table}.{record_id}", number)
        key = _KEY.match(line)
        if key:
            parts = [p for p in (table, record_id, key.group(1)) if p]
            found.setdefault(".".join(parts), number)
    return found


def _line_of(lines: dict[str, int], where: str) -> int:
    """The line of the key `where` names, else of the closest entry that holds it."""
    path = _INDEX.sub("", where)
    while path:
        if path in lines:
            return lines[path]
        path = path.rpartition(".")[0]
    return 1


_SVG_TITLE = re.compile(r"<title\b[^>]*>([^<]+)</title>")


def extract_svg_titles(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """An illustration's title (what a screen reader says for the drawing): each a message.
    babel.cfg: `[backwalk.i18n.extract.extract_svg_titles: backwalk/web/static/img/**.svg]`."""
    text = fileobj.read().decode("utf-8")
    for match in _SVG_TITLE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        yield line, None, match.group(1).strip(), ["illustration title"]
