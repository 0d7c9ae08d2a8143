"""How long the next walk should be: a documented, conservative progression over the diary.

The rule (also in the rulebook's `progression.text`, which is what people read):
- the first walk, or the first after a week without walking, is `start_minutes`;
- a walk completed with no rise in pain earns `step_minutes` more, up to `max_minutes`, from the
  next day on: walks grow by at most one step a calendar day ("over the following days");
- a walk stopped by a stop rule (pain rose, sharp pain, a red flag) goes back to `start_minutes`;
- an interrupted walk, or a completed one where the pain rose by the end, keeps the same length;
- a walk ended early by the walker is followed by one no longer than what they actually walked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from backwalk.i18n import gettext as _
from backwalk.rules import Progression
from backwalk.status import WalkStatus


class WalkLike(Protocol):
    @property
    def started_at(self) -> datetime: ...
    @property
    def planned_minutes(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def elapsed_seconds(self) -> float: ...

    @property
    def pain_rose(self) -> bool: ...


@dataclass(frozen=True)
class NextWalk:
    minutes: int
    why: str


FINISHED = tuple(s for s in WalkStatus if s.is_final)
STOPPED = (WalkStatus.STOPPED, WalkStatus.STOPPED_SEEK_CARE)
# A walk counts as done in full if it reached its planned time, give or take a few seconds
# (the last timer tick, a slow tap on "finish").
FULL_WALK_TOLERANCE_SECONDS = 10


def next_walk(walks: Sequence[WalkLike], now: datetime, rule: Progression) -> NextWalk:
    """The length of the next walk given the walks so far (oldest first)."""
    finished = [w for w in walks if str(w.status) in FINISHED]
    if not finished:
        return NextWalk(rule.start_minutes, _("This is your first walk, so it starts short."))
    last = finished[-1]
    if now - last.started_at > timedelta(days=rule.reset_after_days):
        return NextWalk(
            rule.start_minutes,
            _("It has been over a week since your last walk, so start short again."),
        )
    return _after(last, rule, same_day=_local_day(last.started_at) == _local_day(now))


def _local_day(moment: datetime) -> date:
    # The person's day, in the machine's time zone (the app runs on the person's own).
    return moment.astimezone().date()


def _after(last: WalkLike, rule: Progression, same_day: bool = False) -> NextWalk:
    status = str(last.status)
    if status in STOPPED:
        return NextWalk(
            rule.start_minutes, _("Your last walk had to stop, so go back to the shortest walk.")
        )
    same = min(max(last.planned_minutes, rule.start_minutes), rule.max_minutes)
    if status == WalkStatus.INTERRUPTED:
        return NextWalk(same, _("Your last walk was interrupted, so keep the same length."))
    if last.pain_rose:
        return NextWalk(same, _("Your pain rose during your last walk, so keep the same length."))
    if last.elapsed_seconds < last.planned_minutes * 60 - FULL_WALK_TOLERANCE_SECONDS:
        walked = max(rule.start_minutes, min(int(last.elapsed_seconds // 60), same))
        return NextWalk(
            walked,
            _("Your last walk ended early, so the next one is no longer than what you walked."),
        )
    longer = min(same + rule.step_minutes, rule.max_minutes)
    if longer == same:
        why = _("You are at the {minutes}-minute limit backwalk guides.")
        return NextWalk(same, why.format(minutes=rule.max_minutes))
    if same_day:  # walks grow once a day: a second walk today keeps the same length
        why = _(
            "Your last walk went well. Walks get longer once a day: tomorrow's can be "
            "{minutes} minutes longer."
        )
        return NextWalk(same, why.format(minutes=rule.step_minutes))
    why = _("Your last walk went well, so this one is {minutes} minutes longer.")
    return NextWalk(longer, why.format(minutes=rule.step_minutes))
