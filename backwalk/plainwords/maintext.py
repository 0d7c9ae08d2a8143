"""A page's main text as a reader meets it: the words inside <main>, block by block.

The menu, the footer, scripts, drawings and citations are left out (a source's title is a
citation, not our wording), and so are form options (a list of numbers or days is not prose).
Each block (a heading, a paragraph, a list item, a button, a table cell) ends a sentence, as it
does for the eye; a block of one or two words (a label such as "Home" or "Next") is left out,
as textstat itself counts no sentence that short.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIPPED_TAGS = {"script", "style", "svg", "nav", "footer", "select", "textarea", "cite", "pre"}
SKIPPED_CLASSES = {"source", "sources", "skip-link"}
BLOCK_TAGS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "dd",
    "td",
    "th",
    "caption",
    "label",
    "legend",
    "summary",
    "button",
    "figcaption",
    "blockquote",
    "div",
    "section",
    "article",
    "form",
    "fieldset",
    "table",
    "tr",
    "ul",
    "ol",
    "dl",
    "br",
}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
BREAK = "\x00"
MIN_BLOCK_WORDS = 3


class _MainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_main = False
        self.skipping: list[str] = []  # the open tags of a skipped element, innermost last
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.in_main = True
        if tag in VOID_TAGS:
            self._break(tag)
            return
        if self.skipping or _skipped(tag, dict(attrs)):
            self.skipping.append(tag)
            return
        self._break(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in self.skipping:  # close up to the matching tag (tolerates unclosed ones)
                del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag) :]
            return
        if tag == "main":
            self.in_main = False
        self._break(tag)

    def handle_data(self, data: str) -> None:
        if self.in_main and not self.skipping:
            self.parts.append(data)

    def _break(self, tag: str) -> None:
        """A block ends a sentence; any other tag still ends a word ("<strong>Learn</strong>
        <span>Why..." reads as two words, not "LearnWhy")."""
        self.parts.append(BREAK if tag in BLOCK_TAGS else " ")


def _skipped(tag: str, attrs: dict[str, str | None]) -> bool:
    classes = set((attrs.get("class") or "").split())
    return tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES) or "hidden" in attrs


def main_text(html: str) -> str:
    """The page's main text, one sentence (or more) per block, ready to measure."""
    parser = _MainText()
    parser.feed(html)
    parser.close()
    blocks = [" ".join(block.split()) for block in "".join(parser.parts).split(BREAK)]
    return " ".join(_sentence(b) for b in blocks if len(b.split()) >= MIN_BLOCK_WORDS)


def plain_text(lines: list[str]) -> str:
    """Blocks of plain text (a terminal's paragraphs and list items) as sentences."""
    blocks = [" ".join(line.split()) for line in lines]
    return " ".join(_sentence(b) for b in blocks if len(b.split()) >= MIN_BLOCK_WORDS)


def _sentence(block: str) -> str:
    """A block ends a sentence: one without a full stop gets one (a colon becomes one)."""
    block = re.sub(r"[:;,]$", "", block)
    return block if block[-1] in ".!?" else f"{block}."
