"""English left on a Spanish screen, for the tests of every face: words only an English sentence
has, a date written the English way ('7 Dec 12:15'), a number with a decimal point ('5.2'). A
quick net, not a proof. What may stay English is taken out first: sources in English (the page's
<cite>, the terminal's '(Fuente: ...)'), the commands to type, ids and brand names; the person's
own words are the test's to leave out (write them in Spanish)."""

from __future__ import annotations

import html
import re

# Words only an English sentence has (none of them is a Spanish word).
ENGLISH_WORDS = re.compile(
    r"\b(the|your|you|walks?|walked|weeks?|days?|with|and|when|minutes?|pain|saved|from|of|"
    r"planned|target|outcome|now|also|so far|in all|completed|stopped|none|first|left|checks?)\b",
    re.IGNORECASE,
)
# '7 Dec', '14 Mar 08:30': a Spanish month is lower case ('7 dic', '14 mar').
ENGLISH_DATE = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
# '5.2', but not a version (0.1.0), a time (08:30) or a citation's numbers (2024;404:134-144).
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")
# What may stay English: the commands to type, and names that are not words.
KEPT = re.compile(r"backwalk [a-z-]+|--[a-z-]+|\bet al\.|\b(?:FHIR|CSV|JSON|API|NHS|NICE)\b")


def english_in(text: str) -> list[str]:
    """The pieces of `text` (sentences, or lines of a table) that read English."""
    pieces = re.split(r"(?<=[.:?!;])\s+|\n", _without_sources(text))
    found = []
    for piece in (p.strip() for p in pieces):
        kept = KEPT.sub("", piece)
        if ENGLISH_WORDS.search(kept) or ENGLISH_DATE.search(kept) or DECIMAL_POINT.search(kept):
            found.append(piece)
    return found


def _without_sources(text: str) -> str:
    """The terminal's '(Fuente: ...)' and '(Fuentes: ...)' taken out, parentheses and all (a
    source's title may hold its own), and any '(en inglés)' note."""
    out: list[str] = []
    depth = 0
    i = 0
    while i < len(text):
        if depth == 0 and re.match(r"\(Fuentes?:", text[i:]):
            depth = 1
            i += 1
            continue
        if depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
        else:
            out.append(text[i])
        i += 1
    return re.sub(r"\([^()]*en inglés\)", "", "".join(out))


_HIDDEN = re.compile(r"<(script|style|cite)\b.*?</\1>", re.S | re.I)
_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|alt|placeholder|data-label)="([^"]*)"')


def english_on_page(page: str) -> list[str]:
    """What reads English on an HTML page: its text, its charts' words (titles and
    descriptions are text too) and the words in its attributes a screen reader says."""
    shown = _HIDDEN.sub(" ", page)
    said = _ATTRIBUTES.findall(shown)
    text = re.sub(r"<[^>]+>", "\n", shown)
    lines = [html.unescape(line).strip() for line in text.splitlines()]
    return english_in("\n".join([*(line for line in lines if line), *map(html.unescape, said)]))
