"""The value `extract()` returns."""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int, str]


@dataclass(frozen=True)
class Extraction:
    """What one piece of free text reports, in the contract's field names.

    `answers` holds only reported facts: booleans appear only as True; `pain_score`
    (int 0-10) and `onset_hours` (float >= 0) only when found. `evidence` maps each
    answer to the exact phrase of the original text behind it, and `spans` lists
    `(start, end, field)` character ranges of the original text, sorted by start.
    """

    answers: dict[str, bool | int | float] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
