"""`python -m backwalk.plainwords`: the measurements as Markdown (`make docs` writes them to
docs/plain-words.md)."""

from __future__ import annotations

import sys

from backwalk.plainwords.report import plain_words_markdown

if __name__ == "__main__":
    sys.stdout.write(plain_words_markdown())
