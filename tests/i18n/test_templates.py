"""Every page's words are marked for translation (issue 21): no English sentence is left in a
template's text (the web pages' and the report's), nor in a string written inside an expression,
except the API reference, which is for programmers and stays English. Its marked texts are
checked for a Spanish translation by test_catalogue.py; this finds the unmarked ones, which
`make i18n` cannot see."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "backwalk"
TEMPLATES = (PACKAGE / "web" / "templates", PACKAGE / "report" / "templates")
ENGLISH_ONLY = {"api_docs.html"}
NAMES_NOT_WORDS = {"backwalk", "API", "CSV", "JSON", "FHIR"}
GETTEXT = {"_", "gettext", "ngettext"}
_HTML = re.compile(r"<(script|style|svg)\b.*?</\1>|<[^>]*>|&\w+;", re.S)
# A string in an expression that reads as words: a capital letter starting a word, or a
# sentence's end. Class names, ids and paths are lower case without full stops.
_WORDS = re.compile(r"\b[A-Z][a-z]+\b|[a-z][.?:]$")


def _unmarked(source: str) -> list[str]:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    found: list[str] = []
    text: list[str] = []  # the page's own text, each expression standing as "0"
    calls: list[str | None] = []  # the function each open parenthesis calls, if any
    previous: tuple[str, object] = ("", "")
    for token in env.lexer.tokenize(source):
        kind, value = token.type, token.value
        text.append(value if kind == "data" else "0")
        if kind == "lparen":
            calls.append(str(previous[1]) if previous[0] == "name" else None)
        elif kind == "rparen" and calls:
            calls.pop()
        elif kind == "string" and not (calls and calls[-1] in GETTEXT) and _WORDS.search(value):
            found.append(value)
        previous = (kind, value)
    words = re.findall(r"[A-Za-z]{2,}", _HTML.sub(" ", "".join(text)))
    return [w for w in words if w not in NAMES_NOT_WORDS] + found


@pytest.mark.parametrize(
    "path",
    sorted(t for d in TEMPLATES for t in d.glob("*.html") if t.name not in ENGLISH_ONLY),
    ids=lambda path: path.name,
)
def test_every_word_of_the_page_is_marked(path: Path) -> None:
    assert _unmarked(path.read_text("utf-8")) == []


def test_the_finder_finds_text_and_strings() -> None:
    assert _unmarked("<p>Hello {{ _('Marked') }}</p>") == ["Hello"]
    assert _unmarked('<a class="b {{ c }}" href="{{ d }}">{{ _("Go") }}</a>') == []
    assert _unmarked("{{ x if y else 'Not marked' }}") == ["Not marked"]
    assert _unmarked("{{ m.scale('pain', _('Your pain')) }}") == []
    assert _unmarked("{{ m.choices('a', [('yes', _('Yes'))], 'panel walk') }}") == []
