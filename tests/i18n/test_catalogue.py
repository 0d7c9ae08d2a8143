"""The Spanish catalogue: it compiles, it keeps every placeholder, and every text has a
translation that is not fuzzy (issue 21: every text has both languages): every text marked in
the code and the templates, and every text of the rulebook. A text added or changed fails here
until `make i18n` has brought it into the catalogue and a translator has translated it: a
Spanish reader never meets an English sentence in the middle of an emergency.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from backwalk.i18n.catalogue import MO_MAGIC, cached_compiled, compiled, po_path
from backwalk.i18n.extract import COMMENT

REPO = Path(__file__).resolve().parents[2]
KEYWORDS = {**DEFAULT_KEYWORDS, "translate_in": (2,)}  # as `make i18n` extracts


# Every marked text is translated: in the code, in every page template and in the rulebook.
# The API reference is for programmers and stays English (it marks no text).
ENGLISH_ONLY = ("backwalk/web/templates/api_docs.html",)


@cache
def _extracted() -> tuple[tuple[str, object, tuple[str, ...]], ...]:
    """Every marked text as `make i18n` finds it: (file, message id, comments)."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return tuple(
        (filename, message, tuple(comments))
        for filename, _line, message, comments, _context in extract_from_dir(
            str(REPO), method_map, options_map, keywords=KEYWORDS
        )
    )


def _in_areas() -> Iterator[tuple[str, object]]:
    """Every marked text, each named by its file (and for the rulebook, its entry and field):
    the code, the templates, and the rulebook's questions, hints, reasons, advice, walk cues,
    outcomes, standings, notes and sources alike."""
    for filename, message, comments in _extracted():
        if filename in ENGLISH_ONLY:
            continue
        if filename.endswith("rulebook.toml"):
            wheres = [c.removeprefix(COMMENT.format(where="")) for c in comments]
            yield f"{filename} ({', '.join(wheres)})", message
        else:
            yield filename, message


@cache
def _catalogue() -> Catalog:
    with po_path("es").open("rb") as file:
        return read_po(file, locale="es")


def test_the_catalogue_compiles() -> None:
    assert compiled("es").startswith(MO_MAGIC)


def test_the_compiled_catalogue_is_kept_per_user_and_follows_the_po(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next Spanish command starts without Babel; an edited .po is compiled afresh."""
    import platformdirs

    from backwalk.i18n import catalogue

    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda name: str(tmp_path / name))
    first = cached_compiled("es")
    kept = list((tmp_path / "backwalk").glob("catalogue-es-*.mo"))
    assert len(kept) == 1 and kept[0].read_bytes() == first == compiled("es")
    edited = tmp_path / "messages.po"
    text = po_path("es").read_text("utf-8").replace('msgstr "Por qué"', 'msgstr "¿Por qué?"')
    edited.write_text(text, "utf-8")
    monkeypatch.setattr(catalogue, "po_path", lambda lang: edited)
    again = cached_compiled("es")
    assert again != first and "¿Por qué?".encode() in again
    assert len(list((tmp_path / "backwalk").glob("catalogue-es-*.mo"))) == 2


def test_every_text_of_the_translated_areas_is_translated() -> None:
    catalogue = _catalogue()
    missing = []
    for where, message in _in_areas():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(key)
        translated = entry is not None and not entry.fuzzy
        if translated and isinstance(entry.string, tuple):
            translated = all(entry.string)
        elif translated:
            translated = bool(entry.string)
        if not translated:
            missing.append(f"{where}: {key!r}")
    assert missing == [], "run `make i18n`, then translate:\n" + "\n".join(missing)


def test_the_areas_hold_the_emergency_path() -> None:
    wheres = " ".join(where for where, _ in _in_areas())
    assert "red_flags.chest_pain.why" in wheres and "urgencies.emergency.headline" in wheres
    assert "backwalk/web/templates/home.html" in wheres


def test_the_areas_hold_the_whole_rulebook() -> None:
    """Not only the emergency path: every rulebook text must have both languages."""
    wheres = " ".join(where for where, _ in _in_areas())
    for where in (
        "questions.pain_score.help",
        "walk_cues.cue_tall.text",
        "supportive.ice_after_onset.steps[0]",
        "outcomes.global_change.options[6].label",
        "education.a_healthy_week.text",
        "sources.walkback_trial.short",
    ):
        assert where in wheres


_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([A-Za-z_]+\)[a-z]")
_EDGES = re.compile(r"\A(\s*).*?(\s*)\Z", re.S)


def _pairs(lang: str) -> Iterator[tuple[str, str]]:
    """(English, translation) for every translated entry that is not fuzzy: a plural's first
    form beside the singular, its other forms beside the plural."""
    assert lang == "es"
    for entry in _catalogue():
        if not entry.id or not entry.string or entry.fuzzy:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for number, string in enumerate(strings):
            if string:
                yield ids[min(number, len(ids) - 1)], string


@pytest.mark.parametrize("lang", ["es"])
def test_translations_keep_every_placeholder(lang: str) -> None:
    wrong = [
        (english, string)
        for english, string in _pairs(lang)
        if sorted(_PLACEHOLDER.findall(english)) != sorted(_PLACEHOLDER.findall(string))
    ]
    assert wrong == []


def _edges(text: str) -> tuple[str, str]:
    match = _EDGES.match(text)
    assert match is not None
    return match.group(1), match.group(2)


@pytest.mark.parametrize("lang", ["es"])
def test_translations_keep_the_space_at_either_end(lang: str) -> None:
    """A prompt's closing space keeps the answer off it ('[horas, Enter para saltar]ayer'), and
    a piece joined into a sentence keeps the spaces it is joined with: every translation starts
    and ends with the same white space as its English."""
    wrong = [
        (english, string) for english, string in _pairs(lang) if _edges(english) != _edges(string)
    ]
    assert wrong == []


def test_the_space_check_sees_both_ends() -> None:
    assert _edges("  [horas, Enter para saltar] ") == ("  ", " ")
    assert _edges(" con") == (" ", "") and _edges("a\nb") == ("", "")


def test_the_extractor_names_each_rulebook_text_and_its_line() -> None:
    rulebook = [(m, c) for f, m, c in _extracted() if f.endswith("rulebook.toml")]
    comments = {c for _, cs in rulebook for c in cs}
    assert COMMENT.format(where="red_flags.chest_pain.why") in comments
    assert COMMENT.format(where="sources.nhs_back_pain.title") in comments
    assert not any("rulebook: " + w in comments for w in ("version", "red_flags.chest_pain.id"))
