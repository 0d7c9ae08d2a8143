"""Free-text reading for backwalk: everyday English in, the contract's answers out.

Importing this package is cheap: spaCy and medspaCy load on the first `extract()` or
on `warm_up()`.
"""

from __future__ import annotations

from .result import DENIED, REPORTED, UNSURE, Extraction, Reading

__all__ = ["DENIED", "REPORTED", "UNSURE", "Extraction", "Reading", "extract", "warm_up"]


def extract(text: str) -> Extraction:
    """Read free text and report what it says, in the contract's field names.

    `answers` holds only what the text reports (booleans only as True; `pain_score`
    0-10 and `onset_hours` >= 0 when found); `evidence` maps each answer to the exact
    phrase behind it; `spans` lists `(start, end, field)` ranges of `text`.
    """
    from .extractor import extract as _extract

    return _extract(text)


def warm_up() -> None:
    """Build the pipeline now (once per process) so the first request is fast."""
    from .extractor import extract as _extract

    _extract("warm up: pain 3/10 since yesterday, no numbness")
