"""The contract's answer names that the extractor may report (CONTRACT.md section 1).

Derived from the packaged rulebook, so a renamed or added question cannot drift from
the extractor: the red flags in the rulebook's order, the rest signs (yes/no questions
about the pain), the context facts (yes/no questions about the person: first episode,
pregnant) and the numbers (the int and number questions). The rulebook loader is light
(tomllib), so importing this keeps `import backwalk.nlp` free of spaCy.
"""

from __future__ import annotations

from backwalk.rules import default_rulebook

_RULEBOOK = default_rulebook()

RED_FLAGS: tuple[str, ...] = tuple(flag.id for flag in _RULEBOOK.red_flags)
REST_SIGNS: tuple[str, ...] = tuple(
    q.id for q in _RULEBOOK.questions if q.type == "bool" and q.group == "pain"
)
# Every other yes/no question that is neither a rest sign nor a red flag ("first_episode",
# "pregnant"): facts about the person that the text can state like any symptom.
CONTEXT_FACTS: tuple[str, ...] = tuple(
    q.id
    for q in _RULEBOOK.questions
    if q.type == "bool" and q.id not in REST_SIGNS and q.id not in RED_FLAGS
)
BOOLEAN_FIELDS: tuple[str, ...] = REST_SIGNS + RED_FLAGS + CONTEXT_FACTS
NUMBER_FIELDS: tuple[str, ...] = tuple(
    q.id for q in _RULEBOOK.questions if q.type in ("int", "number")
)
ALL_FIELDS: tuple[str, ...] = BOOLEAN_FIELDS + NUMBER_FIELDS
