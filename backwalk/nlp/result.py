"""The value `extract()` returns."""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int, str]
REPORTED, DENIED, UNSURE = "reported", "denied", "unsure"


@dataclass(frozen=True)
class Reading:
    """How the text reads one yes/no field that it touches without reporting it."""

    reading: str  # DENIED or UNSURE
    phrase: str  # the person's own words, from the original text
    start: int
    end: int


@dataclass(frozen=True)
class Extraction:
    """What one piece of free text reports, in the contract's field names.

    `answers` holds only reported facts: booleans appear only as True; `pain_score`
    (int 0-10) and `onset_hours` (float >= 0) only when found. `evidence` maps each
    answer to the exact phrase of the original text behind it, and `spans` lists
    `(start, end, field)` character ranges of the original text, sorted by start.
    `readings` holds the yes/no fields the text touches but does not report (contract v3):
    denied ("no fever", "Bladder? fine") or unsure (hedged, joking, unusual words).
    """

    answers: dict[str, bool | int | float] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    readings: dict[str, Reading] = field(default_factory=dict)

    def counted(self) -> dict[str, bool | int | float]:
        """What a decision counts: the reported answers, and every unsure field as a yes (an
        unsure reading counts like a "Not sure" answer, the cautious path)."""
        unsure = {k: True for k, r in self.readings.items() if r.reading == UNSURE}
        return {**self.answers, **unsure}
