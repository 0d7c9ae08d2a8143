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


LIGHT = (
    "import sys\n"
    "from backwalk.nlp import extract\n"
    "assert extract('I wet myself, fever 38.5').answers\n"
    "skipped = ('quickumls', 'nltk', 'spacy.cli', 'typer', 'langcodes', 'PyRuSH', 'loguru')\n"
    "print(','.join(sorted(m for m in skipped if m in sys.modules)))\n"
    # The placeholders are gone: a later import gets the real packages.
    "import quickumls.spacy_component, spacy.cli, spacy.util\n"
    "from spacy.language import Language\n"
    "print(Language.has_factory('medspacy_quickumls'), hasattr(spacy.cli, 'setup_cli'))\n"
    # The lazy stand-ins hand over the real names on first use.
    "from PyRuSH import PyRuSHSentencizer\n"
    "import medspacy.components\n"
    "print(spacy.util.langcodes.tag_is_valid('en'), PyRuSHSentencizer.__module__)\n"
    "print(Language.has_factory('medspacy_pyrush'))\n"
)


def test_first_use_skips_the_unused_parts_of_spacy_and_medspacy() -> None:
    result = subprocess.run(
        [sys.executable, "-c", LIGHT], capture_output=True, text=True, check=True, timeout=120
    )
    # An empty first line: none of the skipped modules was loaded.
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "PyRuSH.PyRuSHSentencizer",
        "True",
    ]
