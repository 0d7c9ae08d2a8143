"""Everything measured at once, in every language: the rulebook's texts, the pages, the report,
the terminal."""

from __future__ import annotations

from collections import Counter
from importlib.metadata import version

from backwalk.plainwords.pages import page_texts
from backwalk.plainwords.table import Row, markdown, measured
from backwalk.plainwords.terminal import terminal_texts
from backwalk.plainwords.texts import Text, rulebook_texts

LANGUAGES = ("en", "es")  # the languages measured, each with its table in targets.toml


def all_texts(lang: str = "en") -> list[Text]:
    """Every page, run and rulebook text in `lang`."""
    from backwalk.rules import packaged_rulebook  # as written (English): translated to `lang`

    rb = packaged_rulebook()
    return [*page_texts(lang), *terminal_texts(lang), *rulebook_texts(rb, lang)]


def plain_words_markdown(texts: list[Text] | None = None) -> str:
    """docs/plain-words.md for `texts` (by default every text in every language)."""
    if texts is None:
        texts = [text for lang in LANGUAGES for text in all_texts(lang)]
    rows: list[Row] = measured(texts)
    scored = {(row.text.lang, row.text.id) for row in rows}
    not_scored = Counter(t.lang for t in texts if (t.lang, t.id) not in scored)
    return markdown(rows, dict(not_scored), f"textstat {version('textstat')}")
