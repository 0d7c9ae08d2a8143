"""Keeping well after a spasm: the phases and the walking programme, as pure functions.

Nothing here reads a clock or a database: the service layer (`backwalk.keepwell`) reads the
diary's facts and the time, and these functions decide. The numbers are the rulebook's
`[programme]` (see its text for the rule in plain words):

- phase: `acute` until the person says they are back to normal (after the latest new episode),
  then `recovered`, then `keeping_well` once they set up a programme; a recurrence opens a new
  episode and the phase is `acute` again;
- backwalk offers to move them on when their checks show pain at or below
  `recovered_pain_at_most`, and no warning sign, for `recovered_days` days (it asks first);
- each completed programme week is `good` (at least `good_week_share` of the planned minutes
  walked), `short` (less: hold) or a `setback` (a walk had to stop, or a check said rest or get
  care: one step back); `weeks_between_steps` good weeks in a row earn a step up, capped at
  `target_minutes` a walk and `max_weekly_increase_minutes` more a week;
- the monthly recurrence question is due `recurrence_every_days` after the recovery or the
  last answer;
- a new episode pauses the programme; when the person is back to normal it picks up where it
  stood, `resume_steps_back` steps easier (never higher than before);
- every completed week says why the next one is what it is (`change_reason`: an id of the
  rulebook's `[[programme_changes]]`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backwalk.errors import InputError
from backwalk.i18n import gettext as _
from backwalk.i18n.dates import weekday_list
from backwalk.rules import WEEKDAYS, Programme

ACUTE, RECOVERED, KEEPING_WELL = "acute", "recovered", "keeping_well"
GOOD, SHORT, SETBACK = "good", "short", "setback"
UP, HOLD, BACK = "up", "hold", "back"
# What set a week back: a walk a stop rule ended, or a check that said rest or get care.
BY_WALK, BY_CHECK = "walk", "check"


# The phase


def current_episode_start(episodes: Iterable[datetime]) -> datetime | None:
    """When the latest new episode (a recurrence answered yes) began, if any."""
    return max(episodes, default=None)


def recovered_at(recoveries: Iterable[datetime], episodes: Iterable[datetime]) -> datetime | None:
    """The first "back to normal" after the latest new episode: where keeping well starts."""
    start = current_episode_start(episodes)
    after = [r for r in recoveries if start is None or r > start]
    return min(after, default=None)


def phase(
    recoveries: Iterable[datetime], episodes: Iterable[datetime], programmes: Iterable[datetime]
) -> str:
    """`acute`, `recovered` or `keeping_well`, from when the person said they were back to
    normal, when new episodes began and when they set up (or changed) a programme."""
    recovered = recovered_at(recoveries, list(episodes))
    if recovered is None:
        return ACUTE
    return KEEPING_WELL if any(at >= recovered for at in programmes) else RECOVERED


@dataclass(frozen=True)
class CheckFact:
    """What the recovery offer needs of a check: when, the pain, and any warning sign."""

    at: datetime
    pain: int | None
    warning: bool


def recovery_offered(checks: Sequence[CheckFact], now: datetime, rule: Programme) -> bool:
    """Whether to ask "is your back back to normal?": the checks, newest back, show pain at
    or below the rule's cut-off with no warning sign for at least `recovered_days` days (two
    checks at least, so that one good morning is not taken for a week)."""
    streak: list[CheckFact] = []
    for check in sorted(checks, key=lambda c: c.at, reverse=True):
        if check.warning or check.pain is None or check.pain > rule.recovered_pain_at_most:
            break
        streak.append(check)
    if len(streak) < 2:
        return False
    return now - streak[-1].at >= timedelta(days=rule.recovered_days)


# The monthly recurrence question


def next_recurrence_check(asked_from: datetime, rule: Programme) -> datetime:
    """When the monthly question is next due: `recurrence_every_days` after `asked_from` (the
    recovery, or the last answer)."""
    return asked_from + timedelta(days=rule.recurrence_every_days)


def recurrence_due(asked_from: datetime | None, now: datetime, rule: Programme) -> bool:
    """Due from the morning of its day, not from the minute of the last answer (a person told
    "it is next asked on 27 Jan" may answer any time that day)."""
    if asked_from is None:
        return False
    return local_day(now) >= local_day(next_recurrence_check(asked_from, rule))


# The programme's weekly steps


def week_outcome(planned: int, walked: int, setback: bool, rule: Programme) -> str:
    """How a completed week went: a setback, good (enough of the plan walked) or short."""
    if setback:
        return SETBACK
    return GOOD if walked >= planned * rule.good_week_share else SHORT


def step_up(minutes: int, days: int, rule: Programme) -> int:
    """The next walk length after a step up: one step, never past the target, and never more
    than the rule's weekly increase across the person's days."""
    by_week = minutes + rule.max_weekly_increase_minutes // max(days, 1)
    return max(minutes, min(minutes + rule.step_minutes, rule.target_minutes, by_week))


def step_back(minutes: int, rule: Programme) -> int:
    return max(rule.start_minutes_min, minutes - rule.step_minutes)


def after_week(
    minutes: int, days: int, outcome: str, good_in_row: int, rule: Programme
) -> tuple[int, int, str]:
    """One week's step: (minutes, good weeks in a row, change). A setback steps back and a
    short week holds, both starting the count again; enough good weeks in a row step up."""
    if outcome == SETBACK:
        return step_back(minutes, rule), 0, BACK
    if outcome == SHORT:
        return minutes, 0, HOLD
    good_in_row += 1
    if good_in_row >= rule.weeks_between_steps and minutes < rule.target_minutes:
        return step_up(minutes, days, rule), 0, UP
    return minutes, good_in_row, HOLD


@dataclass(frozen=True)
class ProgrammeChoice:
    """What the person chose (or changed to), and when."""

    at: date
    days: tuple[str, ...]
    minutes: int


@dataclass(frozen=True)
class WeekFacts:
    """A programme week's walking: minutes walked (backwalk's walks and logged ones) and
    whether anything set the back off (a stopped walk, a check that said rest or get care)."""

    walked: int = 0
    setback: bool = False
    setback_by: str = BY_CHECK  # BY_WALK when a walk had to stop (it says more than a check)


@dataclass(frozen=True)
class WeekRecord:
    """A completed programme week: what was planned and walked, how it went, and what that
    did to the walks of the week after (`minutes` before, `minutes_after`)."""

    week: int
    starts: date
    planned: int
    walked: int
    outcome: str
    change: str
    minutes: int = 0
    minutes_after: int = 0
    setback_by: str | None = None


@dataclass(frozen=True)
class ProgrammeState:
    """Where the programme stands today. A plan paused by a new episode that picked up again
    keeps counting its weeks: `week` goes on from the weeks before the pause
    (`weeks_before`), while `starts` is the day this run of it began."""

    week: int
    starts: date  # the first day of this run (week `weeks_before + 1`)
    week_starts: date  # the first day of this week
    days: tuple[str, ...]
    minutes_per_walk: int
    target_minutes_per_week: int
    walked_minutes_this_week: int
    next_step_on: date | None
    weeks: tuple[WeekRecord, ...]  # the completed weeks since the latest choice, oldest first
    resumed: bool = False  # this run began as a paused plan picking up again
    weeks_before: int = 0  # weeks the plan ran before a pause, counted on from
    # every week of this run so far, this one too, as (first day, minutes planned), oldest
    # first: what a chart of the weeks draws its target from (see `planned_weeks`)
    planned: tuple[tuple[date, int], ...] = ()

    @property
    def last_week(self) -> WeekRecord | None:
        """The week just finished, when the plan has run a week since the latest choice."""
        return self.weeks[-1] if self.weeks else None

    def as_dict(self) -> dict[str, object]:
        return {
            "week": self.week,
            "days": list(self.days),
            "minutes_per_walk": self.minutes_per_walk,
            "target_minutes_per_week": self.target_minutes_per_week,
            "walked_minutes_this_week": self.walked_minutes_this_week,
            "next_step_on": self.next_step_on.isoformat() if self.next_step_on else None,
        }


def week_number(starts: date, day: date) -> int:
    return (day - starts).days // 7 + 1


def week_start(starts: date, week: int) -> date:
    return starts + timedelta(days=7 * (week - 1))


def programme_state(
    starts: date,
    latest: ProgrammeChoice,
    facts: Mapping[int, WeekFacts],
    today: date,
    rule: Programme,
    resumed: bool = False,
    weeks_before: int = 0,
) -> ProgrammeState:
    """The programme today: this run began on `starts`; the latest choice holds from its own
    week, and each completed week since then steps the walks up, holds them or steps them back.
    `facts` is keyed by the week's number in this run, from 1 (missing weeks walked nothing);
    the weeks shown count on from `weeks_before`."""
    week = week_number(starts, today)
    days, minutes, good = len(latest.days), latest.minutes, 0
    done: list[WeekRecord] = []
    for number in range(week_number(starts, latest.at), week):
        fact = facts.get(number, WeekFacts())
        outcome = week_outcome(days * minutes, fact.walked, fact.setback, rule)
        new_minutes, good, change = after_week(minutes, days, outcome, good, rule)
        done.append(
            WeekRecord(
                week=number + weeks_before,
                starts=week_start(starts, number),
                planned=days * minutes,
                walked=fact.walked,
                outcome=outcome,
                change=change,
                minutes=minutes,
                minutes_after=new_minutes,
                setback_by=fact.setback_by if outcome == SETBACK else None,
            )
        )
        minutes = new_minutes
    return ProgrammeState(
        week=week + weeks_before,
        starts=starts,
        week_starts=week_start(starts, week),
        days=latest.days,
        minutes_per_walk=minutes,
        target_minutes_per_week=days * minutes,
        walked_minutes_this_week=facts.get(week, WeekFacts()).walked,
        next_step_on=_next_step_on(starts, week, minutes, good, rule),
        weeks=tuple(done),
        resumed=resumed,
        weeks_before=weeks_before,
    )


def planned_weeks(
    starts: date,
    choices: Sequence[ProgrammeChoice],
    facts: Mapping[int, WeekFacts],
    today: date,
    rule: Programme,
) -> tuple[tuple[date, int], ...]:
    """Every week of a run from its first to this one, with the minutes planned for it: each
    choice holds from its own week until the next choice's week, stepping as its weeks went."""
    out: list[tuple[date, int]] = []
    for k, choice in enumerate(choices):
        last = k + 1 == len(choices)
        until = today if last else choices[k + 1].at
        state = programme_state(starts, choice, facts, until, rule)
        out += [(w.starts, w.planned) for w in state.weeks]
        if last:
            out.append((state.week_starts, state.target_minutes_per_week))
    return tuple(out)


def _next_step_on(starts: date, week: int, minutes: int, good: int, rule: Programme) -> date | None:
    """The first day of the week a step up comes, if this week and the next ones go well."""
    if minutes >= rule.target_minutes:
        return None
    weeks_to_go = max(rule.weeks_between_steps - good, 1)
    return week_start(starts, week + weeks_to_go)


# Why the plan is what it is


def change_reason(week: WeekRecord, rule: Programme) -> str:
    """How a finished week ended, as the id of its explanation in the rulebook."""
    if week.outcome == SETBACK:
        if week.minutes_after == week.minutes:
            return "setback_shortest"
        return "setback_walk" if week.setback_by == BY_WALK else "setback_check"
    if week.outcome == SHORT:
        return "short_week"
    if week.change == UP:
        return "stepped_up"
    return "at_target" if week.minutes_after >= rule.target_minutes else "good_week"


# A new episode: the plan pauses, and picks up again


def resume_minutes(minutes: int, rule: Programme) -> int:
    """Where a paused plan picks up: `resume_steps_back` steps below where it stood, never
    below the shortest walk and never above where it was."""
    lower = minutes - rule.resume_steps_back * rule.step_minutes
    return min(minutes, max(rule.start_minutes_min, lower))


# What the person chooses


def parse_days(days: object) -> tuple[str, ...]:
    """Weekdays as 'mon'..'sun', from a list or a comma-separated text, in week order."""
    if isinstance(days, str):
        days = [d for d in (part.strip().lower() for part in days.split(",")) if d]
    if not isinstance(days, list | tuple) or not all(isinstance(d, str) for d in days):
        raise InputError("days", _("must be a list of weekdays such as mon, wed, fri"))
    unknown = [d for d in days if d not in WEEKDAYS]
    if unknown:
        message = _("{day} is not a weekday: use {days}")
        raise InputError("days", message.format(day=repr(unknown[0]), days=", ".join(WEEKDAYS)))
    if len(set(days)) != len(days):
        raise InputError("days", _("name each day once"))
    return tuple(d for d in WEEKDAYS if d in days)


def check_choice(
    days: object, minutes: object, current: ProgrammeState | None, rule: Programme
) -> tuple[tuple[str, ...], int]:
    """The person's days and minutes, checked against the rules: `rule.days_min` to
    `rule.days_max` days; a first programme starts between the start bounds; a change may add
    no more than one week's increase to the current plan, and no walk is longer than the target."""
    chosen = parse_days(days)
    if not rule.days_min <= len(chosen) <= rule.days_max:
        message = _("pick {least} to {most} days")
        raise InputError("days", message.format(least=rule.days_min, most=rule.days_max))
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        raise InputError("minutes_per_walk", _("must be a whole number of minutes"))
    top = rule.start_minutes_max if current is None else rule.target_minutes
    if not rule.start_minutes_min <= minutes <= top:
        message = _("must be between {least} and {most} minutes")
        raise InputError("minutes_per_walk", message.format(least=rule.start_minutes_min, most=top))
    if current is not None:
        most = current.target_minutes_per_week + rule.max_weekly_increase_minutes
        if len(chosen) * minutes > most:
            message = _(
                "that is more than {most} minutes a week: build up by at most {step} minutes a week"
            )
            raise InputError(
                "minutes_per_walk",
                message.format(most=most, step=rule.max_weekly_increase_minutes),
            )
    return chosen, minutes


def suggested_start(recent_minutes: Sequence[float], rule: Programme) -> int:
    """How long to start with, from the person's recent walks: their typical (median) walk,
    rounded down to whole steps, within the start bounds."""
    if not recent_minutes:
        return rule.start_minutes_min
    ordered = sorted(recent_minutes)
    typical = ordered[len(ordered) // 2]
    rounded = int(typical // rule.step_minutes) * rule.step_minutes
    return max(rule.start_minutes_min, min(rounded, rule.start_minutes_max))


def day_names(days: Sequence[str]) -> str:
    """'Mon, Wed and Fri', in the active language."""
    return weekday_list(tuple(days))


def weekday_code(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def local_day(moment: datetime) -> date:
    """The person's day, in the machine's time zone (the app runs on the person's own)."""
    return moment.astimezone().date()
