"""Everything measured at once: the rulebook's texts, the pages, the report, the terminal."""

from __future__ import annotations

from importlib.metadata import version

from backwalk.plainwords.pages import page_texts
from backwalk.plainwords.table import Row, markdown, measured
from backwalk.plainwords.terminal import terminal_texts
from backwalk.plainwords.texts import Text, rulebook_texts


def all_texts() -> list[Text]:
    from backwalk.rules import default_rulebook

    return [*page_texts(), *terminal_texts(), *rulebook_texts(default_rulebook())]


def plain_words_markdown(texts: list[Text] | None = None) -> str:
    texts = all_texts() if texts is None else texts
    rows: list[Row] = measured(texts)
    scored = {row.text.id for row in rows}
    not_scored = sum(1 for t in texts if t.id not in scored)
    return markdown(rows, not_scored, f"textstat {version('textstat')}")
