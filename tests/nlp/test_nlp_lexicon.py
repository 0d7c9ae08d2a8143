"""The lexicon loads strictly: a wrong name fails at load time, with a hint."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from backwalk.nlp.datafile import LEXICON_DIR, LexiconError
from backwalk.nlp.lexicon import load_lexicon

pytestmark = pytest.mark.nlp


@pytest.fixture(scope="module")
def tokenize() -> Callable[[str], list[str]]:
    import spacy

    nlp = spacy.blank("en")
    return lambda text: [t.text for t in nlp.tokenizer(text)]


def _copy_with(tmp_path: Path, name: str, change: Callable[[Any], None]) -> Path:
    directory = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, directory)
    data = json.loads((directory / name).read_text(encoding="utf-8"))
    change(data)
    (directory / name).write_text(json.dumps(data), encoding="utf-8")
    return directory


def test_shipped_lexicon_loads(tokenize: Callable[[str], list[str]]) -> None:
    lexicon = load_lexicon(tokenize)
    assert lexicon.targets and lexicon.context and lexicon.suppressors


def test_every_token_pattern_is_valid_for_spacy(tokenize: Callable[[str], list[str]]) -> None:
    from spacy.schemas import validate_token_pattern

    lexicon = load_lexicon(tokenize)
    patterns = [s.pattern for s in lexicon.targets]
    patterns += [s.pattern for s in lexicon.suppressors]
    patterns += [s.pattern for s in lexicon.context]
    for pattern in patterns:
        if pattern is not None:
            assert validate_token_pattern(pattern) == [], pattern


def test_every_entry_says_what_it_is_for() -> None:
    for name in ("targets.json", "context_rules.json"):
        data = json.loads((LEXICON_DIR / name).read_text(encoding="utf-8"))
        entries = [
            *data.get("rules", []),
            *data.get("suppressors", []),
            *data.get("context_rules", []),
        ]
        assert all(e.get("comment") for e in entries), name


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        (
            "targets.json",
            lambda d: d["concepts"]["FEVER"].update(field="fever_or_chill"),
            "unknown field 'fever_or_chill' (did you mean 'fever_or_chills'?)",
        ),
        ("targets.json", lambda d: d["rules"][0].update(concpet="FEVER"), "unknown key 'concpet'"),
        (
            "targets.json",
            lambda d: d["rules"][0].update(concept="FEVR"),
            "unknown concept 'FEVR' (did you mean 'FEVER'?)",
        ),
        (
            "context_rules.json",
            lambda d: d["context_rules"][0].update(category="NEGATED"),
            "unknown category 'NEGATED'",
        ),
        (
            "context_rules.json",
            lambda d: d["context_rules"][0].update(allowed_types=["TRAUMAA"]),
            "unknown name 'TRAUMAA' (did you mean 'TRAUMA'?)",
        ),
        (
            "vocab.json",
            lambda d: d["vocab"]["BREAK"].update(include=["NEGG"]),
            "unknown vocabulary 'NEGG' (did you mean 'NEG'?)",
        ),
        (
            "targets.json",
            lambda d: d["rules"][0].update(pattern=[{"LOWER": {"IN": ["pins and needles"]}}]),
            "is not a single token",
        ),
    ],
)
def test_bad_lexicon_fails_loudly(
    tmp_path: Path,
    tokenize: Callable[[str], list[str]],
    file: str,
    change: Callable[[Any], None],
    message: str,
) -> None:
    directory = _copy_with(tmp_path, file, change)
    with pytest.raises(
        LexiconError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")
    ):
        load_lexicon(tokenize, directory)


def test_within_list_must_be_a_flag(tmp_path: Path, tokenize: Callable[[str], list[str]]) -> None:
    def change(data: Any) -> None:
        data["context_rules"][0]["within_list"] = "yes"

    with pytest.raises(LexiconError, match="within_list must be true or false"):
        load_lexicon(tokenize, _copy_with(tmp_path, "context_rules.json", change))


def test_unless_owned_must_be_a_flag(tmp_path: Path, tokenize: Callable[[str], list[str]]) -> None:
    def change(data: Any) -> None:
        data["context_rules"][0]["unless_owned"] = 1

    with pytest.raises(LexiconError, match="unless_owned must be true or false"):
        load_lexicon(tokenize, _copy_with(tmp_path, "context_rules.json", change))


def test_a_rule_takes_one_on_modifies_check(
    tmp_path: Path, tokenize: Callable[[str], list[str]]
) -> None:
    def change(data: Any) -> None:
        data["context_rules"][0]["unless_owned"] = True  # the denial words: within_list

    with pytest.raises(LexiconError, match="within_list or unless_owned, not both"):
        load_lexicon(tokenize, _copy_with(tmp_path, "context_rules.json", change))


def test_question_rules_are_unless_owned_and_instructions_are_not(
    tokenize: Callable[[str], list[str]],
) -> None:
    by_literal = {spec.literal: spec for spec in load_lexicon(tokenize).context}
    for asked in ("sign of", "red flag", "is it normal that", "should i worry", "is serious"):
        assert by_literal[asked].unless_owned, asked
    for told in (
        "watch out for",
        "look out for",
        "if",
        "told me to",
        "to look out for",
        "would mean",
    ):
        assert not by_literal[told].unless_owned, told
