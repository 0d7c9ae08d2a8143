"""The contract's answer names that the extractor may report (CONTRACT.md section 1)."""

from __future__ import annotations

RED_FLAGS: tuple[str, ...] = (
    "leg_pain_below_knee",
    "new_numbness_or_weakness",
    "bladder_or_bowel_loss",
    "saddle_numbness",
    "fever_or_chills",
    "unexplained_weight_loss",
    "major_trauma",
    "history_of_cancer",
)
REST_SIGNS: tuple[str, ...] = ("sharp_pain", "unrelenting_pain", "hard_to_stand")
BOOLEAN_FIELDS: tuple[str, ...] = REST_SIGNS + RED_FLAGS
NUMBER_FIELDS: tuple[str, ...] = ("pain_score", "onset_hours")
ALL_FIELDS: tuple[str, ...] = BOOLEAN_FIELDS + NUMBER_FIELDS
