"""The service layer for keeping well after a spasm: every use case both faces share.

The phase, the programme week, the monthly recurrence question and the recovery offer are read
from the diary here and decided by the pure rules in `backwalk.programme`; each change (back to
normal, a programme set up or changed, a walk or a medicine logged, the monthly answer) is one
diary write, so one transaction. Bad input raises `InputError`; an answer to a question that is
not being asked raises `NotDue`. Nothing here reads the clock: `now` comes from each face.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from backwalk import programme as pg
from backwalk.errors import InputError, NotDue
from backwalk.i18n import N_, ngettext
from backwalk.i18n import gettext as _
from backwalk.i18n.dates import day_month_time, day_month_year
from backwalk.programme import ProgrammeChoice, ProgrammeState, WeekFacts, local_day
from backwalk.remembered import Remembered, remembered_warning
from backwalk.rules import EducationCard, Programme, Rulebook, default_rulebook

if TYPE_CHECKING:
    from backwalk.diary import Diary
    from backwalk.diary.records import (
        KeepwellFacts,
        MedicineRecord,
        ProgrammeRecord,
        RecoveryRecord,
        RecurrenceRecord,
        WalkedDay,
        WalkLogRecord,
    )

# How far back the recovery offer and the programme's setbacks read (a check a day for a month
# is 30): enough, and a bounded read on every page. Walks are read by the days shown instead.
CHECKS_READ = 60
SUGGEST_FROM_DAYS = 14
OLDEST_LOG_DAYS = 366  # a walk or a medicine logged more than a year back is a typing slip
CLOCK_SLACK = timedelta(minutes=5)  # a phone's clock a little ahead is not "the future"
SETBACK_DISPOSITIONS = ("rest_first", "seek_care_now")
NEEDS_ZONE = N_("needs a time zone (for example 2027-01-20T08:30:00+00:00)")


@dataclass(frozen=True)
class KeepWell:
    """Where the person stands on keeping well: what every face shows beside the standing."""

    phase: str
    label: str
    text: str
    source: str
    recovered_at: datetime | None
    days_since_recovery: int | None
    recovery_offered: bool
    programme: ProgrammeState | None
    card: EducationCard | None
    recurrence_due: bool
    recurrence_since: datetime | None  # the question asks about the time since this
    next_recurrence_check: datetime | None
    recurrences: tuple[datetime, ...]  # new episodes, oldest first
    # What a new plan's walks start at (from the last two weeks' walks); None in the acute
    # phase, where no plan is set up (so every page of it is spared the read).
    suggested_minutes: int | None
    calendar_sequence: int = 0  # grows with every change to the walks (see `_calendar_sequence`)
    paused: ProgrammeState | None = None  # a new episode paused this plan (phase acute)
    runs: tuple[Run, ...] = ()  # the plan's runs, oldest first (a new episode ends one)
    resumes_at: int | None = None  # the minutes a walk the paused plan picks up at

    def question(self, rb: Rulebook | None = None) -> str | None:
        """The monthly question in words, when it is due."""
        if not self.recurrence_due or self.recurrence_since is None:
            return None
        text = (rb or default_rulebook()).programme.recurrence_question
        return text.format(date=day_text(local_day(self.recurrence_since)))

    def as_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "phase_label": self.label,
            "recovered_at": self.recovered_at.isoformat() if self.recovered_at else None,
            "days_since_recovery": self.days_since_recovery,
            "recovery_offered": self.recovery_offered,
            "recurrence_due": self.recurrence_due,
            "recurrence_question": self.question(),
            "recurrences": [at.isoformat() for at in self.recurrences],
            "programme": self.programme_dict(),
            "paused_programme": self.paused_dict(),
        }

    def programme_dict(self, rb: Rulebook | None = None) -> dict[str, Any] | None:
        if self.programme is None:
            return None
        check = self.next_recurrence_check
        change = plan_change(self.programme, rb)
        return {
            **self.programme.as_dict(),
            "next_recurrence_check": local_day(check).isoformat() if check else None,
            "last_change": change.as_dict() if change else None,
        }

    def paused_dict(self, rb: Rulebook | None = None) -> dict[str, Any] | None:
        """A plan paused by a new episode: its days, where it stood, where it picks up."""
        if self.paused is None:
            return None
        return {
            "days": list(self.paused.days),
            "minutes_per_walk_before": self.paused.minutes_per_walk,
            "resumes_at_minutes_per_walk": self.resumes_at,
            "message": paused_text(self, rb),
        }


@dataclass(frozen=True)
class PlanChange:
    """Why this week's walks are what they are: the rulebook's sentence for how last week
    ended (or for a paused plan picking up), filled in, with its source. Every face shows
    this one sentence."""

    id: str
    change: str  # up, hold or back
    week: int  # the week it applies to
    reason: str
    source: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "change": self.change,
            "week": self.week,
            "reason": self.reason,
            "source": self.source,
        }


def plan_change(state: ProgrammeState, rb: Rulebook | None = None) -> PlanChange | None:
    """The reason for this week's plan: how last week went; in the first week of a plan that
    picked up after a new episode, that it did; none in a plan's first week otherwise."""
    rb = rb or default_rulebook()
    last = state.last_week
    fill: dict[str, Any] = {"minutes": state.minutes_per_walk, "days": pg.day_names(state.days)}
    if last is not None:
        change_id = pg.change_reason(last, rb.programme)
        fill |= {
            "walked": last.walked,
            "planned": last.planned,
            "step": abs(last.minutes_after - last.minutes),
        }
    elif state.resumed:
        change_id = "resumed"
    else:
        return None
    words = rb.programme_change(change_id)
    return PlanChange(
        id=change_id,
        change=words.change,
        week=state.week,
        reason=words.text.format(**fill),
        source=rb.source_title(words.source),
    )


def paused_text(well: KeepWell, rb: Rulebook | None = None) -> str | None:
    """ "Your walking plan is paused while your back settles ...": where it will pick up."""
    if well.paused is None:
        return None
    rb = rb or default_rulebook()
    days = pg.day_names(well.paused.days)
    return rb.keepwell.paused.format(minutes=well.resumes_at, days=days)


def plan_fields(well: KeepWell, rb: Rulebook | None = None) -> dict[str, Any]:
    """What `plan --json` and GET /api/plan add for keeping well: the phase, and the programme
    in keeping_well; the recovery offer and the monthly question (null unless due)."""
    doc: dict[str, Any] = {
        "phase": well.phase,
        "recovery_offered": well.recovery_offered,
        "recurrence_question": well.question(rb),
    }
    if well.phase == pg.KEEPING_WELL:
        doc["programme"] = well.programme_dict(rb)
    doc["paused_programme"] = well.paused_dict(rb)
    return doc


def plan_line(well: KeepWell, rb: Rulebook | None = None) -> str | None:
    """ "Your walking plan: 15 minutes a walk, on Mon, Wed and Fri." (None: no plan)."""
    if well.programme is None:
        return None
    days = pg.day_names(well.programme.days)
    words = (rb or default_rulebook()).keepwell.next_walk_plan
    return words.format(minutes=well.programme.minutes_per_walk, days=days)


def recovery_text(well: KeepWell, rb: Rulebook | None = None) -> str | None:
    """ "Back to normal since 13 Jan 2026, 14 days ago." (today and yesterday said so)."""
    if well.recovered_at is None or well.days_since_recovery is None:
        return None
    kw = (rb or default_rulebook()).keepwell
    if well.days_since_recovery < 2:
        return kw.recovered_yesterday if well.days_since_recovery else kw.recovered_today
    day = day_text(local_day(well.recovered_at))
    return kw.days_since_recovery.format(date=day, days=well.days_since_recovery)


def recovery_done_text(well: KeepWell, rb: Rulebook | None = None) -> str:
    """What "back to normal" answers: set up a plan, or the paused plan picks up again."""
    rb = rb or default_rulebook()
    state = well.programme
    if state is None or not state.resumed:
        return rb.keepwell.recovery_done
    return rb.keepwell.resumed_done.format(
        minutes=state.minutes_per_walk, days=pg.day_names(state.days)
    )


def day_text(day: date) -> str:
    """'6 Dec 2026', in the active language."""
    return day_month_year(day)


# Reading


def phase_of(diary: Diary) -> str:
    """The phase alone (one small read): what the standing shows on every page."""
    return phase_from(diary.keepwell_facts())


def phase_from(facts: KeepwellFacts) -> str:
    """The phase from the keeping-well facts already read."""
    return pg.phase(*_timelines(facts))


@dataclass(frozen=True)
class Known:
    """What the standing read already, in its own transaction: the keeping-well facts and the
    warning that stands (None: none). A page passes them so they are not read again."""

    facts: KeepwellFacts
    warning: Remembered | None


def keep_well(
    diary: Diary, now: datetime, rb: Rulebook | None = None, known: Known | None = None
) -> KeepWell:
    """The phase, the programme today, the monthly question and the recovery offer."""
    rb = rb or default_rulebook()
    rule = rb.programme
    facts = known.facts if known else diary.keepwell_facts()
    recoveries, episodes, programmes = _timelines(facts)
    phase = pg.phase(recoveries, episodes, programmes)
    recovered = pg.recovered_at(recoveries, episodes) if phase != pg.ACUTE else None
    asked_from = _asked_from(facts.recurrences, recovered)
    runs = plan_runs(facts)
    state, paused = _current_and_paused(diary, facts, runs, phase, now, rule)
    words = rb.phase(phase)
    fill = _phase_fill(state)
    return KeepWell(
        phase=phase,
        label=words.label,
        text=words.text.format(**fill),
        source=rb.source_title(words.source),
        recovered_at=recovered,
        days_since_recovery=(local_day(now) - local_day(recovered)).days if recovered else None,
        recovery_offered=phase == pg.ACUTE and _offer_recovery(diary, episodes, now, rb, known),
        programme=state,
        card=rb.card_for_week(state.week) if state else None,
        recurrence_due=pg.recurrence_due(asked_from, now, rule),
        recurrence_since=asked_from,
        next_recurrence_check=pg.next_recurrence_check(asked_from, rule) if asked_from else None,
        recurrences=tuple(episodes),
        suggested_minutes=(
            pg.suggested_start(_recent_minutes(diary, now), rule) if phase != pg.ACUTE else None
        ),
        calendar_sequence=_calendar_sequence(facts.programmes, episodes, state),
        paused=paused,
        runs=tuple(runs),
        resumes_at=pg.resume_minutes(paused.minutes_per_walk, rule) if paused else None,
    )


def _timelines(facts: KeepwellFacts) -> tuple[list[datetime], list[datetime], list[datetime]]:
    return (
        [r.at for r in facts.recoveries],
        [r.at for r in facts.recurrences if r.limited_activity],
        [p.at for p in facts.programmes],
    )


def _asked_from(answers: Iterable[RecurrenceRecord], recovered: datetime | None) -> datetime | None:
    """The recovery, or the last answer after it: the monthly question asks about since then."""
    if recovered is None:
        return None
    return max([recovered, *(a.at for a in answers if a.at >= recovered)])


def _phase_fill(state: ProgrammeState | None) -> dict[str, Any]:
    if state is None:
        return {}
    return {
        "week": state.week,
        "minutes": state.minutes_per_walk,
        "days": pg.day_names(state.days),
        "walked": state.walked_minutes_this_week,
        "target": state.target_minutes_per_week,
    }


def _offer_recovery(
    diary: Diary, episodes: list[datetime], now: datetime, rb: Rulebook, known: Known | None
) -> bool:
    start = pg.current_episode_start(episodes)
    warning = known.warning if known else remembered_warning(diary, now, rb)[0]
    if warning is not None:
        return False
    checks = [
        pg.CheckFact(c.at, c.pain_score, bool(c.red_flags))
        for c in diary.check_summaries(limit=CHECKS_READ)
        if start is None or c.at > start
    ]
    return pg.recovery_offered(checks, now, rb.programme)


@dataclass(frozen=True)
class Run:
    """One run of the walking plan: the choices made after a recovery, until the new episode
    that paused it (None: it is still running). Worked out from the keeping-well facts alone."""

    plans: list[ProgrammeRecord]
    recovered: datetime
    paused_at: datetime | None
    resumed: bool  # it began as the run before it picking up (`confirm_recovery`)
    weeks_before: int  # the weeks the runs before it lasted: its weeks count on from there


def plan_runs(facts: KeepwellFacts) -> list[Run]:
    """The plan's runs, oldest first. A plan written at the very moment of a recovery, after
    an earlier run, is the paused plan picking up (`confirm_recovery` writes both in one
    transaction); the person's own choices come later."""
    recoveries, episodes, _ = _timelines(facts)
    bounds = sorted(episodes)
    runs: list[Run] = []
    for i, end in enumerate([*bounds, None]):
        recovered = pg.recovered_at([r for r in recoveries if end is None or r < end], bounds[:i])
        plans = [
            p
            for p in facts.programmes
            if recovered is not None and p.at >= recovered and (end is None or p.at < end)
        ]
        if recovered is None or not plans:
            continue
        weeks = sum(_weeks_run(run) for run in runs)
        resumed = bool(runs) and plans[0].at == recovered
        runs.append(Run(plans, recovered, end, resumed, weeks))
    return runs


def _weeks_run(run: Run) -> int:
    """How many plan weeks a paused run lasted: the week in progress at the pause counts."""
    assert run.paused_at is not None
    return pg.week_number(local_day(run.plans[0].at), local_day(run.paused_at))


def _run_state(diary: Diary, run: Run, until: datetime, rule: Programme) -> ProgrammeState:
    """A run of the programme as it stood at `until` (now, or the day a new episode paused it),
    with the minutes planned for each of its weeks."""
    starts = local_day(run.plans[0].at)
    choices = [ProgrammeChoice(local_day(p.at), p.days, p.minutes_per_walk) for p in run.plans]
    facts = week_facts(diary, starts, until)
    today = local_day(until)
    state = pg.programme_state(
        starts, choices[-1], facts, today, rule, run.resumed, run.weeks_before
    )
    return replace(state, planned=pg.planned_weeks(starts, choices, facts, today, rule))


def _current_and_paused(
    diary: Diary, facts: KeepwellFacts, runs: list[Run], phase: str, now: datetime, rule: Programme
) -> tuple[ProgrammeState | None, ProgrammeState | None]:
    """The programme today (past the spasm), or the plan the latest new episode paused, as it
    stood that day (during the episode: read only then, on a page during a spasm and at the
    recovery). None for what there is not."""
    last = runs[-1] if runs else None
    if last is None:
        return None, None
    if phase != pg.ACUTE and last.paused_at is None:
        return _run_state(diary, last, now, rule), None
    episodes = _timelines(facts)[1]
    if phase == pg.ACUTE and last.paused_at is not None and last.paused_at == max(episodes):
        return None, _run_state(diary, last, last.paused_at, rule)
    return None, None


def _calendar_sequence(
    programmes: list[ProgrammeRecord], episodes: list[datetime], state: ProgrammeState | None
) -> int:
    """The calendar event's SEQUENCE, which must grow with every change to the walks so that a
    subscribed calendar takes the new version: the days from the first plan to the latest
    change (a choice, a step, a pause), plus the number of choices and pauses (two changes on
    one day still differ). It never goes down, even when a pause ends one run of the plan and
    its steps are no longer worked out."""
    if not programmes:
        return 0
    first = programmes[0].at
    pauses = [e for e in episodes if e > first]
    moments = [local_day(programmes[-1].at), *(local_day(e) for e in pauses)]
    if state is not None:
        moments += [
            w.starts + timedelta(weeks=1) for w in state.weeks if w.minutes_after != w.minutes
        ]
    return (max(moments) - local_day(first)).days + len(programmes) + len(pauses)


def minutes_by_day(diary: Diary, since: date, now: datetime) -> dict[date, int]:
    """Minutes walked each day from `since` to today: backwalk's walks and the walks logged by
    hand."""
    return _minutes_by_day(_walked_from(diary, since, now), now)


def _walked_from(diary: Diary, since: date, now: datetime) -> dict[date, WalkedDay]:
    """The walks of each day from `since` to tomorrow (a phone's clock a little ahead may have
    started one there), guided and logged, added up by the database: a read bounded by the
    days asked about, whatever the diary's length."""
    return diary.walked_days(since, local_day(now) + timedelta(days=1))


def _minutes_by_day(walked: dict[date, WalkedDay], now: datetime) -> dict[date, int]:
    today = local_day(now)
    return {
        day: round((walks.seconds or 0) / 60 + walks.logged_minutes)
        for day, walks in walked.items()
        if day <= today and (walks.seconds is not None or walks.logged_minutes)
    }


def week_facts(diary: Diary, starts: date, now: datetime) -> dict[int, WeekFacts]:
    """Each programme week's minutes walked, and whether anything set the back off in it."""
    walked_days = _walked_from(diary, starts, now)
    walked: dict[int, int] = defaultdict(int)
    for day, minutes in _minutes_by_day(walked_days, now).items():
        walked[pg.week_number(starts, day)] += minutes
    stopped = {pg.week_number(starts, day) for day, walks in walked_days.items() if walks.stopped}
    rest = {
        pg.week_number(starts, local_day(c.at))
        for c in diary.check_summaries(limit=CHECKS_READ)
        if c.disposition in SETBACK_DISPOSITIONS and local_day(c.at) >= starts
    }
    weeks = set(walked) | stopped | rest
    return {
        n: WeekFacts(
            walked.get(n, 0),
            setback=n in stopped or n in rest,
            setback_by=pg.BY_WALK if n in stopped else pg.BY_CHECK,
        )
        for n in weeks
    }


def weekly_minutes(
    diary: Diary,
    now: datetime,
    weeks: int = 12,
    rb: Rulebook | None = None,
    well: KeepWell | None = None,
) -> list[tuple[date, int, int | None]]:
    """The last `weeks` weeks as (first day, minutes walked, the plan's target or None), oldest
    first: programme weeks in keeping well, weeks from Monday otherwise. A week's target is the
    plan's for the programme week its first day falls in, whichever run of the plan that was
    (none while a new episode had it paused). A page that has `keep_well` already passes it as
    `well`, so it is not read twice."""
    rb = rb or default_rulebook()
    well = well or keep_well(diary, now, rb)
    state = well.programme
    today = local_day(now)
    anchor = state.week_starts if state else today - timedelta(days=today.weekday())
    first = anchor - timedelta(weeks=weeks - 1)
    per_day = minutes_by_day(diary, first, now)
    planned = _planned_by_day(diary, well, first, rb.programme)
    totals = [0] * weeks
    for day, minutes in per_day.items():  # each day into its week, in one pass
        n = (day - first).days // 7
        if 0 <= n < weeks:
            totals[n] += minutes
    rows = []
    for n in range(weeks):
        start = first + timedelta(weeks=n)
        rows.append((start, totals[n], planned.get(start)))
    while len(rows) > 1 and rows[0][1] == 0 and rows[0][2] is None:
        rows.pop(0)  # weeks before anything was walked or planned say nothing
    return rows


def _planned_by_day(diary: Diary, well: KeepWell, since: date, rule: Programme) -> dict[date, int]:
    """Each day from `since` that a plan was running, with the minutes planned for its week:
    the plan today (or the one paused) as `keep_well` worked it out, and the runs before it
    that reach into the weeks shown (each one more read of its walks)."""
    known = [s for s in (well.programme, well.paused) if s is not None]
    done = {s.starts for s in known}
    for run in well.runs:
        start = local_day(run.plans[0].at)
        if run.paused_at is not None and start not in done and local_day(run.paused_at) >= since:
            known.append(_run_state(diary, run, run.paused_at, rule))
    days: dict[date, int] = {}
    for state in known:
        end = _run_end(state, well.runs)
        for week_start, minutes in state.planned:
            for offset in range(7):
                day = week_start + timedelta(days=offset)
                if day >= since and (end is None or day < end):
                    days[day] = minutes
    return days


def _run_end(state: ProgrammeState, runs: Iterable[Run]) -> date | None:
    """The day a run of the plan was paused (None: it is still running)."""
    for run in runs:
        if local_day(run.plans[0].at) == state.starts and run.paused_at is not None:
            return local_day(run.paused_at)
    return None


def _recent_minutes(diary: Diary, now: datetime) -> list[float]:
    since = local_day(now) - timedelta(days=SUGGEST_FROM_DAYS)
    return [float(m) for m in minutes_by_day(diary, since, now).values() if m > 0]


# Changing


def confirm_recovery(diary: Diary, now: datetime, rb: Rulebook | None = None) -> RecoveryRecord:
    """The person says their back is back to normal: keeping well starts. Refused while a
    warning sign stands (its advice comes first) or when they are already past the spasm.
    A plan that a new episode paused picks up in the same write, a step easier."""
    rb = rb or default_rulebook()
    current = keep_well(diary, now, rb)
    if current.phase != pg.ACUTE:
        raise NotDue("recovered", _("backwalk already has your back as back to normal"))
    if remembered_warning(diary, now, rb)[0] is not None:
        raise NotDue("recovered", _("a warning sign still stands: get it checked first"))
    if current.paused is None or current.resumes_at is None:
        return diary.record_recovery(at=now)
    return diary.record_recovery(at=now, resume=(current.paused.days, current.resumes_at))


def set_programme(
    diary: Diary, now: datetime, days: object, minutes: object, rb: Rulebook | None = None
) -> ProgrammeRecord:
    """Start or change the walking programme: days and minutes checked against the rules."""
    rb = rb or default_rulebook()
    current = keep_well(diary, now, rb)
    if current.phase == pg.ACUTE:
        raise NotDue(
            "programme",
            _("the walking plan starts once your back is back to normal: say so first"),
        )
    chosen, per_walk = pg.check_choice(days, minutes, current.programme, rb.programme)
    return diary.record_programme(at=now, days=chosen, minutes_per_walk=per_walk)


def log_walk(diary: Diary, now: datetime, minutes: object, on: date | None = None) -> WalkLogRecord:
    """A walk logged by hand, on `on` (today if not given): no future days, none a year back."""
    day = local_day(now) if on is None else on
    _not_future_day("date", day, now)
    return diary.log_walk(at=now, walked_on=day, minutes=minutes)  # type: ignore[arg-type]


def _not_future_day(field: str, day: date, now: datetime) -> None:
    today = local_day(now)
    if day > today:
        raise InputError(field, _("{day} is in the future").format(day=day.isoformat()))
    if (today - day).days > OLDEST_LOG_DAYS:
        raise InputError(field, _("{day} is more than a year ago").format(day=day.isoformat()))


def answer_recurrence(
    diary: Diary, now: datetime, limited_activity: object, rb: Rulebook | None = None
) -> RecurrenceRecord:
    """The monthly answer. Yes opens a new episode (back to the acute phase and its check);
    an answer when the question is not due raises NotDue and saves nothing."""
    if not isinstance(limited_activity, bool):
        raise InputError("limited_activity", _("must be true or false"))
    current = keep_well(diary, now, rb)
    if not current.recurrence_due or current.recurrence_since is None:
        when = current.next_recurrence_check
        if when:
            message = _("the monthly question is not due; it is next asked on {day}")
            raise NotDue("limited_activity", message.format(day=day_text(local_day(when))))
        raise NotDue("limited_activity", _("the monthly question is not due"))
    return diary.record_recurrence(
        at=now, since=current.recurrence_since, limited_activity=limited_activity
    )


def log_medicine(
    diary: Diary, now: datetime, name: object, dose: object, taken_at: datetime | None = None
) -> MedicineRecord:
    """A medicine taken for the pain, as the person wrote it; not in the future."""
    when = now if taken_at is None else taken_at
    if when.tzinfo is None:
        raise InputError("taken_at", _(NEEDS_ZONE))
    if when > now + CLOCK_SLACK:
        raise InputError("taken_at", _("is in the future"))
    if now - when > timedelta(days=OLDEST_LOG_DAYS):
        raise InputError("taken_at", _("is more than a year ago"))
    return diary.log_medicine(at=now, taken_at=when, name=name, dose=dose)  # type: ignore[arg-type]


def parse_day(field: str, text: object) -> date:
    """A day written as YYYY-MM-DD, or InputError naming the field."""
    if not isinstance(text, str):
        raise InputError(field, _("must be a day written as YYYY-MM-DD"))
    try:
        return date.fromisoformat(text)
    except ValueError:
        message = _("{text} is not a day written as YYYY-MM-DD")
        raise InputError(field, message.format(text=repr(text))) from None


def parse_moment(field: str, text: object, *, local: bool = False) -> datetime:
    """A date and time with its time zone (ISO 8601), or InputError naming the field; with
    `local` (the terminal, on the person's own machine) a time without a zone is local time."""
    if not isinstance(text, str):
        raise InputError(field, _("must be a date and time such as 2027-01-20T08:30:00+00:00"))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        message = _("{text} is not a date and time (ISO 8601)")
        raise InputError(field, message.format(text=repr(text))) from None
    if moment.tzinfo is None:
        if local:
            return moment.astimezone()  # a naive time is this machine's local time
        raise InputError(field, _(NEEDS_ZONE))
    return moment


@dataclass(frozen=True)
class LoggedEntry:
    """A walk logged by hand or a medicine taken, as both histories (the page and the
    terminal) list them among the checks and walks."""

    kind: str  # "walk_log" or "medicine"
    id: int
    at: datetime  # where it sorts: a medicine's time; a logged walk's day (see `_log_moment`)
    day_only: bool  # a logged walk has a day, not a time
    label: str  # "Logged walk", "Medicine"
    detail: str  # "25 minutes", "ibuprofen 400 mg"
    minutes: int | None
    pain_before: int | None  # a medicine: the pain of the latest check before it

    def when(self) -> str:
        """'7 Jan' for a logged walk, '7 Jan 08:30' for a medicine (as the history's tables
        write a time)."""
        return day_month_time(self.at, day_only=self.day_only)


def logged_entries(
    logs: Iterable[WalkLogRecord],
    medicines: Iterable[MedicineRecord],
    checks: Iterable[Any],
    rb: Rulebook | None = None,
) -> list[LoggedEntry]:
    """Logged walks and medicines, oldest first; each medicine with the pain of the latest of
    `checks` (records with `at` and `pain_score`) taken before it."""
    kw = (rb or default_rulebook()).keepwell
    scored = sorted((c.at, c.pain_score) for c in checks if c.pain_score is not None)
    entries = [_walk_log_entry(log, kw.logged_walk_label) for log in logs]
    entries += [_medicine_entry(med, scored, kw.medicine_label) for med in medicines]
    return sorted(entries, key=lambda e: (e.at, e.kind, e.id))


def _walk_log_entry(log: WalkLogRecord, label: str) -> LoggedEntry:
    return LoggedEntry(
        kind="walk_log",
        id=log.id,
        at=_log_moment(log),
        day_only=True,
        label=label,
        detail=ngettext("{n} minute", "{n} minutes", log.minutes).format(n=log.minutes),
        minutes=log.minutes,
        pain_before=None,
    )


def _medicine_entry(
    med: MedicineRecord, scored: list[tuple[datetime, int]], label: str
) -> LoggedEntry:
    before = [pain for at, pain in scored if at <= med.taken_at]
    return LoggedEntry(
        kind="medicine",
        id=med.id,
        at=med.taken_at,
        day_only=False,
        label=label,
        detail=f"{med.name} {med.dose}".strip(),
        minutes=None,
        pain_before=before[-1] if before else None,
    )


def _log_moment(log: WalkLogRecord) -> datetime:
    """A walk logged on its own day sorts when it was logged; one logged later for an earlier
    day sorts at the end of that day."""
    if local_day(log.at) == log.walked_on:
        return log.at
    return datetime.combine(log.walked_on, time(23, 59)).astimezone()


def medicines_against_pain(
    diary: Diary, since: datetime | None = None
) -> list[tuple[MedicineRecord, int | None]]:
    """Each medicine with the pain of the latest check before it was taken (None: no check)."""
    checks = [c for c in diary.checks() if c.pain_score is not None]
    out = []
    for medicine in diary.medicines(since):
        before = [c.pain_score for c in checks if c.at <= medicine.taken_at]
        out.append((medicine, before[-1] if before else None))
    return out
