"""Warning signs are remembered: what a person told backwalk stays told until they say otherwise.

An emergency or same-day warning sign reported in the last day (the rulebook's
`progression.warning_remembered_hours`), at a check or at a walk check-in, keeps its advice
whatever a later check says: a sign that went away still needs a clinician to look at it. No
walk is offered or started, every screen leads with it, and a new check first asks whether it
is still so. It ends when the person records that a clinician has seen them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from backwalk import i18n
from backwalk.checkflow import words_order
from backwalk.diary.warnings import STOP_SEEK_CARE, WARNING_URGENCIES
from backwalk.rules import Rulebook, default_rulebook

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from backwalk.diary import CheckRecord, Diary, WalkRecord
    from backwalk.diary.records import CheckSummary, VisitRecord, WarningRecord


@dataclass(frozen=True)
class Remembered:
    """A warning sign that still stands, with its urgency and the words to show it."""

    at: datetime
    urgency: str  # "emergency" or "same_day"
    flags: tuple[str, ...]  # the red flags, in the order a check asks them
    check_id: int | None
    walk_id: int | None

    def signs(self, rb: Rulebook) -> str:
        """The signs in plain words: 'loss of bladder or bowel control and a fever'."""
        labels = [rb.question_by_id[f].label for f in self.flags if f in rb.question_by_id]
        return and_list(labels) or i18n.translate_in(rb.lang, "a warning sign")


def remembered_warning(
    diary: Diary, now: datetime, rb: Rulebook | None = None
) -> tuple[Remembered | None, datetime | None]:
    """The warning that still stands now, if one does, and when the person last said a
    clinician had seen them (one read of the diary)."""
    rb = rb or default_rulebook()
    return remembered_from(*diary.warning_state(warnings_since(now, rb)), rb)


def warnings_since(now: datetime, rb: Rulebook) -> datetime:
    """How far back a warning sign is still remembered."""
    return now - timedelta(hours=rb.progression.warning_remembered_hours)


def remembered_from(
    found: WarningRecord | None, visit: VisitRecord | None, rb: Rulebook
) -> tuple[Remembered | None, datetime | None]:
    """`remembered_warning` from what `Diary.warning_state` read."""
    seen_at = visit.at if visit else None
    if found is None:
        return None, seen_at
    flags = tuple(words_order(rb, [f for f in found.red_flags if f in rb.question_by_id]))
    urgency = found.urgency or urgency_of(rb, flags)
    return Remembered(found.at, urgency, flags, found.check_id, found.walk_id), seen_at


def urgency_of(rb: Rulebook, flags: tuple[str, ...]) -> str:
    """The most urgent tier among the signs' own tiers (a check-in stores no urgency)."""
    order = [u.id for u in rb.urgencies]
    tiers = [rb.red_flag(f).urgency for f in flags]
    return min(tiers, key=order.index) if tiers else order[0]


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' (in the active language)."""
    if len(items) <= 1:
        return "".join(items)
    return i18n.gettext("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def own_check_view(rb: Rulebook, assessment: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """A calm check made while an earlier warning stands, as both faces show it beneath the
    warning: one line saying what it would say on its own, and its reasons without the one that
    calls walking appropriate (no walk is offered until a clinician has seen the person)."""
    short = next(d.short for d in rb.dispositions if d.id == assessment.get("disposition"))
    reasons = [
        r
        for r in assessment.get("reasons", [])
        if isinstance(r, dict) and r.get("rule") != rb.walk_rule.id
    ]
    return rb.notes.remembered_check.format(short=short), reasons


def seek_care_times(walks: Iterable[WalkRecord]) -> list[datetime]:
    """When a check-in stopped one of `walks` to seek care (`under_warning`'s warnings)."""
    return [c.at for w in walks for c in w.checkins if c.action == STOP_SEEK_CARE]


def under_warning(
    checks: Sequence[CheckRecord | CheckSummary],
    seek_care_at: Iterable[datetime],
    visits: Sequence[VisitRecord],
    rb: Rulebook | None = None,
) -> set[int]:
    """The ids of calm checks made while an earlier warning stood (within the rulebook's hours
    and with no visit between), so a history row never shows 'Walk gently' alone for a check
    whose walk the warning held back. The warnings are the checks' own and the walk check-ins
    that stopped a walk to seek care (`seek_care_at`: when they were)."""
    rb = rb or default_rulebook()
    window = timedelta(hours=rb.progression.warning_remembered_hours)
    warned = [c.at for c in checks if c.urgency in WARNING_URGENCIES]
    warned += seek_care_at
    seen = [v.at for v in visits]
    held: set[int] = set()
    for check in checks:
        if check.urgency in WARNING_URGENCIES:
            continue
        last = max((at for at in warned if at < check.at), default=None)
        if last is None or check.at - last >= window:
            continue
        if not any(last <= at <= check.at for at in seen):
            held.add(check.id)
    return held
