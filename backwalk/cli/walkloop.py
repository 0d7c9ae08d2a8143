"""The guided walk's timetable as a small, pure state machine: no clock, no terminal, no diary.

`WalkSession.due(elapsed)` says what is due at `elapsed` seconds into the walk (a heartbeat to
the diary, a posture cue, a progress line, a check-in, or the planned end) and schedules the next
one. The terminal side (backwalk/cli/walk.py) feeds it clock readings and acts on what it returns,
so the timing rules are tested here without waiting and without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Due(StrEnum):
    HEARTBEAT = "heartbeat"  # tell the diary the walk is still going
    PROGRESS = "progress"  # a plain "n minutes walked" line where there is no progress bar
    CUE = "cue"  # the next pace or posture cue
    CHECKIN = "checkin"  # a scheduled check-in
    END = "end"  # the planned time is up


@dataclass
class WalkSession:
    """When each recurring thing is next due, in seconds since the walk began."""

    planned_seconds: float
    checkin_every_seconds: float
    cue_every_seconds: float = 45.0
    heartbeat_every_seconds: float = 15.0
    progress_every_seconds: float = 60.0
    cues_shown: int = 0
    checkins_done: int = 0
    _next: dict[Due, float] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        for name in (
            "planned_seconds",
            "checkin_every_seconds",
            "cue_every_seconds",
            "heartbeat_every_seconds",
            "progress_every_seconds",
        ):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be more than 0")
        # Insertion order is the order events are reported in when several fall due together.
        self._next = {
            Due.HEARTBEAT: self.heartbeat_every_seconds,
            Due.PROGRESS: self.progress_every_seconds,
            Due.CUE: self.cue_every_seconds,
            Due.CHECKIN: self.checkin_every_seconds,
        }

    def due(self, elapsed: float) -> list[Due]:
        """What is due at `elapsed`; once the planned time is up, only END."""
        if elapsed >= self.planned_seconds:
            return [Due.END]
        events = [event for event, at in self._next.items() if elapsed >= at]
        for event in events:
            if event is not Due.CHECKIN:  # a check-in is rescheduled when it is done
                self._next[event] = self._after(event, elapsed)
        return events

    def _after(self, event: Due, elapsed: float) -> float:
        # Skip whole intervals missed while the person was answering a check-in, so a long
        # check-in does not trigger a burst of stale cues and heartbeats afterwards.
        interval = self._interval(event)
        at = self._next[event] + interval
        while at <= elapsed:
            at += interval
        return at

    def _interval(self, event: Due) -> float:
        return {
            Due.HEARTBEAT: self.heartbeat_every_seconds,
            Due.PROGRESS: self.progress_every_seconds,
            Due.CUE: self.cue_every_seconds,
            Due.CHECKIN: self.checkin_every_seconds,
        }[event]

    def checkin_done(self, elapsed: float) -> None:
        """A check-in (scheduled or asked for) just ended: the next is one interval on."""
        self.checkins_done += 1
        self._next[Due.CHECKIN] = elapsed + self.checkin_every_seconds

    def next_cue(self, count: int) -> int:
        """The index of the cue to show next, rotating through `count` cues."""
        index = self.cues_shown % count
        self.cues_shown += 1
        return index

    def seconds_to_next(self, elapsed: float) -> float:
        """How long until anything is due (never negative): how long the caller may sleep."""
        return max(0.0, min(*self._next.values(), self.planned_seconds) - elapsed)

    def seconds_left(self, elapsed: float) -> float:
        return max(0.0, self.planned_seconds - elapsed)


def clock_text(seconds: float) -> str:
    """Seconds as m:ss, e.g. 125 -> '2:05'."""
    whole = int(max(0.0, seconds))
    return f"{whole // 60}:{whole % 60:02d}"
