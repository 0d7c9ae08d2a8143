"""When a spasm began, in hours, from what a person types: '36', '36 hours', '2 days', '1 week',
'2 días', 'ayer', or words the free-text reader knows ('yesterday', 'three days ago').

Every face reads the same words: the terminal's prompt and the web check's box for it
(a rule that lived in one face would be a bug waiting for the other).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_HOUR_UNITS = {
    "": 1.0,
    "h": 1.0,
    "hr": 1.0,
    "hrs": 1.0,
    "hour": 1.0,
    "hours": 1.0,
    "d": 24.0,
    "day": 24.0,
    "days": 24.0,
    "w": 168.0,
    "wk": 168.0,
    "wks": 168.0,
    "week": 168.0,
    "weeks": 168.0,
    # Spanish units too, as every language's yes and no are understood at any prompt.
    "hora": 1.0,
    "horas": 1.0,
    "día": 24.0,
    "días": 24.0,
    "dia": 24.0,
    "dias": 24.0,
    "semana": 168.0,
    "semanas": 168.0,
}
# The few Spanish words for when that the English free-text reader cannot know.
_SPANISH_ONSET = {"ayer": 24.0, "anteayer": 48.0, "antier": 48.0}
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([a-zí]*)$")


def parse_hours(raw: str) -> float | None:
    """A duration in hours: '36', '36 hours', '2 days', '1 week', or words the free-text
    reader knows ('yesterday', 'this morning', 'three days ago'). None if not understood."""
    match = _DURATION.match(raw.strip().lower())
    if match and match.group(2) in _HOUR_UNITS:
        hours = float(match.group(1)) * _HOUR_UNITS[match.group(2)]
    elif raw.strip().lower() in _SPANISH_ONSET:
        hours = _SPANISH_ONSET[raw.strip().lower()]
    else:
        found = _onset_words(raw.strip().lower())
        if found is None:
            return None
        hours = found
    return int(hours) if hours.is_integer() else hours


def _onset_words(text: str) -> float | None:
    """Hours since the spasm began, from words, by the free-text reader's onset parser (light:
    no language model); None without the language module or when the words say no time."""
    parser = _onset_parser()
    found = parser.find(text) if parser is not None else None
    return float(found.hours) if found is not None else None


@cache
def _onset_parser() -> Any:
    try:
        from backwalk.nlp.onset import load_onset_parser
        from backwalk.nlp.pain_score import load_pain_score_parser
    except ImportError:  # backwalk.nlp is optional: numbers and units still work
        return None
    return load_onset_parser(load_pain_score_parser().number_words)
