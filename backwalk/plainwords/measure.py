"""How hard a text is to read, in any language backwalk speaks, against the target for its kind.

`read(text, level, lang)` scores a text with its language's measure (English: the Flesch-Kincaid
grade; Spanish: Fernandez Huerta) and sets it beside the target that targets.toml gives for that
level (everyday or safety), so a new language plugs in as one table there. The scores come from
textstat 0.7.8, the newest release that runs offline: later ones download a word list at first
use, which fails here and would make a test depend on the network.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from typing import Any, NamedTuple

TARGETS_FILE = os.path.join(os.path.dirname(__file__), "targets.toml")
LEVELS = ("everyday", "safety")
MEASURES = {  # the measure's name in targets.toml -> textstat's method
    "Flesch-Kincaid grade": "flesch_kincaid_grade",
    "Fernandez Huerta": "fernandez_huerta",
}


class Language(NamedTuple):
    code: str
    measure: str  # a key of MEASURES
    textstat_lang: str
    grade_is_age_minus: int
    easier: str  # "lower" (a grade) or "higher" (a reading-ease score)
    source: str
    grade_scores: dict[int, float] | None = None  # grade -> least score, where easier is higher


class Targets(NamedTuple):
    min_words: int
    reading_age_low: int
    reading_age_high: int
    reading_age_source: str
    levels: dict[str, int]  # level -> reading age
    languages: dict[str, Language]
    sources: dict[str, str]  # id -> title


class Reading(NamedTuple):
    """One text's score beside its target."""

    lang: str
    measure: str
    level: str
    words: int
    score: float
    target: float
    easier: str

    @property
    def passes(self) -> bool:
        return self.score <= self.target if self.easier == "lower" else self.score >= self.target


@cache
def targets() -> Targets:
    """targets.toml, checked: every level known, every measure known, every source cited."""
    with open(TARGETS_FILE, "rb") as file:
        data = tomllib.load(file)
    sources = {sid: table["title"] for sid, table in data["sources"].items()}
    languages = {code: _language(code, table, sources) for code, table in data["languages"].items()}
    levels = {name: int(table["reading_age"]) for name, table in data["levels"].items()}
    if sorted(levels) != sorted(LEVELS):
        raise ValueError(f"targets.toml: levels must be exactly {', '.join(LEVELS)}")
    age = data["reading_age"]
    _cited(age["source"], sources, "reading_age")
    return Targets(
        min_words=int(data["min_words"]),
        reading_age_low=int(age["low"]),
        reading_age_high=int(age["high"]),
        reading_age_source=age["source"],
        levels=levels,
        languages=languages,
        sources=sources,
    )


def _language(code: str, table: dict[str, Any], sources: dict[str, str]) -> Language:
    if table["measure"] not in MEASURES:
        raise ValueError(f"targets.toml: languages.{code}: unknown measure {table['measure']!r}")
    if table["easier"] not in ("lower", "higher"):
        raise ValueError(f"targets.toml: languages.{code}.easier: 'lower' or 'higher'")
    _cited(table["source"], sources, f"languages.{code}")
    scores = table.get("grade_scores")
    return Language(
        code=code,
        measure=table["measure"],
        textstat_lang=table["textstat_lang"],
        grade_is_age_minus=int(table["grade_is_age_minus"]),
        easier=table["easier"],
        source=table["source"],
        grade_scores={int(g): float(s) for g, s in scores.items()} if scores else None,
    )


def _cited(source: str, sources: dict[str, str], where: str) -> None:
    if source not in sources:
        raise ValueError(f"targets.toml: {where}: unknown source {source!r}")


def language(lang: str) -> Language:
    known = targets().languages
    if lang not in known:
        raise ValueError(f"no reading measure for language {lang!r}; known: {', '.join(known)}")
    return known[lang]


def grade(level: str, lang: str = "en") -> int:
    """The school grade a level allows: its reading age less the language's offset."""
    levels = targets().levels
    if level not in levels:
        raise ValueError(f"unknown level {level!r}; known: {', '.join(levels)}")
    return levels[level] - language(lang).grade_is_age_minus


def target(level: str, lang: str = "en") -> float:
    """The score a text of this level must reach in this language's measure."""
    chosen, wanted = language(lang), grade(level, lang)
    if chosen.grade_scores is None:
        return float(wanted)
    if wanted not in chosen.grade_scores:
        raise ValueError(f"targets.toml: languages.{lang}.grade_scores has no grade {wanted}")
    return chosen.grade_scores[wanted]


@cache
def _textstat(lang: str) -> Any:
    """textstat keeps its language per instance: one instance per language."""
    from textstat.textstat import textstatistics  # a dev tool: loaded only when measuring

    stats = textstatistics()
    stats.set_lang(language(lang).textstat_lang)
    return stats


def words(text: str, lang: str = "en") -> int:
    return int(_textstat(lang).lexicon_count(text))


def score(text: str, lang: str = "en") -> float:
    """The text's score in its language's measure (a grade, or a reading-ease score)."""
    method = MEASURES[language(lang).measure]
    return round(float(getattr(_textstat(lang), method)(text)), 1)


def read(text: str, level: str = "everyday", lang: str = "en") -> Reading:
    chosen = language(lang)
    return Reading(
        lang=lang,
        measure=chosen.measure,
        level=level,
        words=words(text, lang),
        score=score(text, lang),
        target=target(level, lang),
        easier=chosen.easier,
    )


def long_enough(text: str, lang: str = "en") -> bool:
    """A score means little on a short text: only texts this long are held to a target."""
    return words(text, lang) >= targets().min_words
