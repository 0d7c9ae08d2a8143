"""Every user-facing text of the rulebook, with an id that says where it lives and its level.

The rulebook is walked as data, so a text added there is measured without a change here. Fields
that hold ids, enumerations or citations are left out; a source's title is a citation, not our
wording. Placeholders are filled with typical values, so a template reads as people see it.
In another language the rulebook is its translation (the same records, ids and levels: a text's
level is the English text's), and the typical values are in that language too.
"""

from __future__ import annotations

import re
import string
from typing import Any, NamedTuple

from backwalk.rules import Rulebook


class Text(NamedTuple):
    id: str  # where it lives: "red_flags.saddle_numbness.why", or a page or a command
    kind: str  # what it is: the rulebook's part ("red_flags"), "page", "terminal" or "report"
    level: str  # "everyday" or "safety" (targets.toml)
    text: str
    lang: str = "en"  # the language it is written in (measured with that language's measure)


# Fields that are not wording: ids, enumerations, the names of other records, citations.
NOT_WORDING = {
    "id",
    "type",
    "group",
    "kind",
    "question",
    "urgency",
    "illustration",
    "pregnancy",
    "for_dispositions",
    "ask",
    "all_of",
    "aliases",
    "when",
    "source",
    "short",  # a short citation on a source; a disposition's short label is two words anyway
}
SKIPPED_PARTS = {"version", "emergency_number", "sources", "question_by_id", "aliases"}

# Safety texts: the warning-sign questions, emergency and same-day advice, the safety nets.
SAFETY_PARTS = {"red_flags", "combinations", "safety_net"}
SAFETY_IDS = {
    "urgencies.emergency",
    "urgencies.same_day",
    "check_screens.emergency",
    "check_screens.warning",
    "checkin_actions.stop_seek_care",
    "standings.seek_care",
}

# Typical values for the placeholders: what a person would see in their place.
SAMPLES = {
    "number": "999",
    "pain_score": "4",
    "current_pain": "5",
    "baseline_pain": "3",
    "first": "6",
    "latest": "4",
    "minutes": "10",
    "hours": "4",
    "days": "7",
    "week": "3",
    "walked": "40",
    "target": "90",
    "most": "3",
    "label": "this sign",
    "labels": "these signs",
    "signs": "this sign",
    "why": "",
    "when": "6 Dec",
    "date": "6 Dec",
    "phrase": "my back hurts",
    "words": "my back hurts",
    "meaning": "this sign",
    "questions": "age",
    "short": "Rest first",
    "activity": "gardening",
    "name": "ibuprofen",
    "dose": "400 mg",
}
# The same values in another language, where they are words (numbers carry over).
SAMPLES_IN = {
    "es": {
        "label": "esta señal",
        "labels": "estas señales",
        "signs": "esta señal",
        "when": "6 dic",
        "date": "6 dic",
        "phrase": "me duele la espalda",
        "words": "me duele la espalda",
        "meaning": "esta señal",
        "questions": "edad",
        "short": "Primero, descanse",
        "activity": "jardinería",
        "name": "ibuprofeno",
    },
}
PLACEHOLDER = {"en": "this", "es": "esto"}  # a placeholder with no typical value


def rulebook_texts(rb: Rulebook, lang: str = "en") -> list[Text]:
    """Every wording in the rulebook, in the rulebook's order; in `lang`, the rulebook (written
    in English) is translated first, and each text keeps its English text's id and level."""
    if lang != rb.lang:
        from backwalk.i18n.rulebook import in_language

        rb = in_language(rb, lang)
    found: list[Text] = []
    for part, value in rb._asdict().items():
        if part not in SKIPPED_PARTS:
            _walk(value, part, part, found, lang)
    signs = {f"questions.{q.id}" for q in rb.questions if q.group == "red_flag"}
    return [t._replace(level="safety") if _under(t.id, signs) else t for t in found]


def _walk(value: Any, where: str, part: str, found: list[Text], lang: str) -> None:
    if isinstance(value, str):
        found.append(Text(where, part, level_of(where, part), fill(value, lang), lang))
    elif hasattr(value, "_asdict"):
        for name, item in value._asdict().items():
            if name not in NOT_WORDING and not name.endswith("_source"):
                _walk(item, f"{where}.{name}", part, found, lang)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            _walk(item, _item_id(where, index, item), part, found, lang)


def _under(where: str, prefixes: set[str]) -> bool:
    return any(where.startswith(f"{prefix}.") for prefix in prefixes)


def _item_id(where: str, index: int, item: Any) -> str:
    """A record with an id is named by it; anything else by its place in the list."""
    ident = getattr(item, "id", None) if hasattr(item, "_asdict") else None
    return f"{where}.{ident}" if isinstance(ident, str) else f"{where}[{index}]"


def level_of(where: str, part: str) -> str:
    """Safety for the warning signs and the urgent advice; everyday for the rest (the
    warning-sign questions are marked by `rulebook_texts`, which knows the questions)."""
    return "safety" if part in SAFETY_PARTS or _under(where, SAFETY_IDS) else "everyday"


def fill(text: str, lang: str = "en") -> str:
    """The text with each {placeholder} given a typical value in `lang`, spaces tidied."""
    names = [name for _, name, _, _ in string.Formatter().parse(text) if name]
    samples = {**SAMPLES, **SAMPLES_IN.get(lang, {})}
    other = PLACEHOLDER.get(lang, PLACEHOLDER["en"])
    filled = text.format(**{name: samples.get(name, other) for name in names})
    return re.sub(r"\s+", " ", filled).strip()
