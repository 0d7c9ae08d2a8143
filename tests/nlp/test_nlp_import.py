"""Importing backwalk.nlp must not load spaCy or medspaCy (they load on first use)."""

from __future__ import annotations

import subprocess
import sys

CHECK = (
    "import sys, backwalk.nlp\n"
    "heavy = sorted(m for m in ('spacy', 'medspacy', 'thinc', 'numpy') if m in sys.modules)\n"
    "print(','.join(heavy))\n"
)


def test_import_does_not_load_spacy() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == ""
