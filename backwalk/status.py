"""How a guided walk stands: one enum for the diary, the rulebook's wording and every face.

Kept apart from the diary package so that the rulebook loader can use it without importing the
database layer (`backwalk assess` must start fast).
"""

from __future__ import annotations

from enum import StrEnum


class WalkStatus(StrEnum):
    """Where a guided walk stands; every value except ``in_progress`` is final."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STOPPED = "stopped"  # pain rose, or it turned sharp or shooting
    STOPPED_SEEK_CARE = "stopped_seek_care"  # a red flag appeared during the walk
    INTERRUPTED = "interrupted"  # Ctrl-C, closed page, killed process

    @property
    def is_final(self) -> bool:
        """True for every status a walk can end in."""
        return self is not WalkStatus.IN_PROGRESS
