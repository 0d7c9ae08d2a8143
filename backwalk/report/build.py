"""What the report says, gathered from the diary: plain data, no markup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from backwalk.diary.export import Words
from backwalk.errors import InputError
from backwalk.i18n import gettext as _
from backwalk.i18n import ngettext
from backwalk.i18n.numbers import one_decimal
from backwalk.outcomes import ProgressLine, progress
from backwalk.report import charts
from backwalk.rules import Rulebook, default_rulebook

if TYPE_CHECKING:
    from backwalk.diary import CheckRecord, Diary, WalkRecord
    from backwalk.diary.measures import OutcomeRecord

PERIODS = (7, 14, 30, None)  # the periods offered: None is the whole diary
DEFAULT_DAYS = 14
MAX_DAYS = 3660
MAX_REASONS = 2
# Not the clinician's business on one page: the safety net and the list of unanswered questions.
SKIPPED_REASONS = ("safety_net", "unanswered")


def parse_days(value: str | int | None) -> int | None:
    """'7' -> 7, 'all' -> None; anything but a positive whole number raises InputError."""
    if value is None:
        return DEFAULT_DAYS
    text = str(value).strip().lower()
    if text == "all":
        return None
    if not text.isdigit() or not 0 < int(text) <= MAX_DAYS:
        message = _("must be a whole number from 1 to {most}, or 'all'")
        raise InputError("days", message.format(most=MAX_DAYS))
    return int(text)


@dataclass(frozen=True)
class SignRow:
    """One warning sign raised: when, what, how urgent, what backwalk advised."""

    when: str
    sign: str
    urgency: str
    advised: str
    during_walk: bool


@dataclass(frozen=True)
class LatestDecision:
    when: str
    decision: str
    headline: str
    urgency: str
    reasons: tuple[str, ...]
    since: str = ""  # a walk after the check that had to stop: the decision no longer stands


@dataclass(frozen=True)
class ActivityRow:
    activity: str
    first: int | None
    latest: int


@dataclass(frozen=True)
class KeepingRow:
    week: str
    walked: int
    target: int | None


@dataclass(frozen=True)
class MedicineRow:
    when: str
    name: str
    dose: str
    pain_before: int | None  # the pain at the latest check before it was taken


@dataclass(frozen=True)
class Keeping:
    """Keeping well after the spasm: the phase, days since recovery, new episodes, weekly
    minutes against the plan's target and medicines against pain."""

    phase: str
    days_since_recovery: int | None
    recurrences: tuple[str, ...]
    weeks: tuple[KeepingRow, ...]
    medicines: tuple[MedicineRow, ...]


@dataclass(frozen=True)
class Report:
    """Everything the one-page report shows, in words and numbers."""

    name: str | None
    start: date
    end: date
    days: int | None
    period: str
    generated: str
    checks: int
    walks: int
    walks_completed: int
    walks_stopped: int
    minutes_walked: str
    pain_range: str
    signs: tuple[SignRow, ...]
    earlier_signs: int
    latest: LatestDecision | None
    seen: tuple[str, ...]  # when the person recorded that a clinician had seen them
    pain_chart: str
    minutes_chart: str
    progress: tuple[ProgressLine, ...]
    progress_since: str
    activities: tuple[ActivityRow, ...]
    disclaimer: str
    sources: tuple[str, ...] = field(default=())
    keeping: Keeping | None = None


def build_report(
    diary: Diary,
    now: datetime,
    days: int | None = DEFAULT_DAYS,
    *,
    tz: tzinfo | None = None,
    name: str | None = None,
    rb: Rulebook | None = None,
) -> Report:
    """The report for the last `days` days up to `now` (None: the whole diary)."""
    rb = rb or default_rulebook()
    checks, walks, measures = diary.checks(), diary.walks(), diary.outcomes()
    seen = [v.at for v in diary.visits()]
    report = report_from(checks, walks, measures, now, days, tz=tz, name=name, rb=rb, seen=seen)
    return replace(report, keeping=keeping_section(diary, now, report.start, tz, rb))


REPORT_WEEKS = 8


def keeping_section(
    diary: Diary, now: datetime, start: date, tz: tzinfo | None, rb: Rulebook
) -> Keeping | None:
    """The keeping-well part of the report; None when there is nothing to say yet."""
    from backwalk import keepwell  # the service layer reads the diary for the report too

    well = keepwell.keep_well(diary, now, rb)
    since = datetime.combine(start, time.min, tzinfo=now.astimezone(tz).tzinfo)
    medicines = [
        MedicineRow(_when(m.taken_at, tz), m.name, m.dose, pain)
        for m, pain in keepwell.medicines_against_pain(diary, since)
        if m.taken_at <= now
    ]
    logged = diary.walk_logs(since=start)
    if well.phase == "acute" and not well.recurrences and not medicines and not logged:
        return None
    weeks = [
        KeepingRow(_day(first), walked, target)
        for first, walked, target in keepwell.weekly_minutes(diary, now, REPORT_WEEKS, rb)
    ]
    return Keeping(
        phase=well.label,
        days_since_recovery=well.days_since_recovery,
        recurrences=tuple(_when(at, tz) for at in well.recurrences),
        weeks=tuple(weeks),
        medicines=tuple(medicines),
    )


def report_from(
    checks: Sequence[CheckRecord],
    walks: Sequence[WalkRecord],
    measures: Sequence[OutcomeRecord],
    now: datetime,
    days: int | None,
    *,
    tz: tzinfo | None = None,
    name: str | None = None,
    rb: Rulebook | None = None,
    seen: Sequence[datetime] = (),
) -> Report:
    """`build_report` from records already read (oldest first)."""
    rb = rb or default_rulebook()
    words = Words(rb)
    end = now.astimezone(tz).date()
    start = _start(checks, walks, measures, end, days, tz)
    since = datetime.combine(start, time.min, tzinfo=now.astimezone(tz).tzinfo)
    in_checks = [c for c in checks if since <= c.at <= now]
    in_walks = [w for w in walks if since <= w.started_at <= now]
    signs = _signs(in_checks, in_walks, words, rb, tz)
    before_checks = [c for c in checks if c.at < since]
    before_walks = [w for w in walks if w.started_at < since]
    scored = [c.pain_score for c in in_checks if c.pain_score is not None]
    first_day = _first_day(checks, walks, measures, tz)
    return Report(
        name=" ".join(name.split()) if name and name.strip() else None,
        start=start,
        end=end,
        days=days,
        period=_period(start, end, days),
        generated=_("{day}, {time}").format(
            day=_day(now.astimezone(tz).date(), year=True),
            time=now.astimezone(tz).strftime("%H:%M"),
        ),
        checks=len(in_checks),
        walks=len(in_walks),
        walks_completed=sum(1 for w in in_walks if w.status == "completed"),
        walks_stopped=sum(1 for w in in_walks if w.status in ("stopped", "stopped_seek_care")),
        minutes_walked=_minutes(sum(w.elapsed_seconds for w in in_walks) / 60),
        pain_range=_("{least} to {most}").format(least=min(scored), most=max(scored))
        if scored
        else "",
        signs=tuple(signs),
        earlier_signs=len(_signs(before_checks, before_walks, words, rb, tz)),
        latest=_latest(checks, walks, words, rb, tz),
        seen=tuple(_when(at, tz) for at in seen if since <= at <= now),
        pain_chart=charts.pain_chart(in_walks, tz=tz),
        minutes_chart=charts.minutes_chart(in_walks, start, end, tz=tz),
        progress=tuple(progress(checks, measures, rb)),
        progress_since=_day(first_day, year=True) if first_day else "",
        activities=_activities(measures),
        disclaimer=rb.disclaimer,
    )


def _start(
    checks: Sequence[CheckRecord],
    walks: Sequence[WalkRecord],
    measures: Sequence[OutcomeRecord],
    end: date,
    days: int | None,
    tz: tzinfo | None,
) -> date:
    if days is not None:
        return end - timedelta(days=days - 1)
    first = _first_day(checks, walks, measures, tz)
    return min(first, end) if first else end


def _first_day(
    checks: Sequence[CheckRecord],
    walks: Sequence[WalkRecord],
    measures: Sequence[OutcomeRecord],
    tz: tzinfo | None,
) -> date | None:
    moments = [c.at for c in checks] + [w.started_at for w in walks] + [m.at for m in measures]
    return min(moments).astimezone(tz).date() if moments else None


def _period(start: date, end: date, days: int | None) -> str:
    span = (end - start).days + 1
    count = ngettext("{n} day", "{n} days", span).format(n=span)
    label = _("{first} to {last} ({count})").format(
        first=_day(start, year=True), last=_day(end, year=True), count=count
    )
    return label if days is not None else _("{period}, the whole diary").format(period=label)


def _signs(
    checks: Sequence[CheckRecord],
    walks: Sequence[WalkRecord],
    words: Words,
    rb: Rulebook,
    tz: tzinfo | None,
) -> list[SignRow]:
    rows: list[tuple[datetime, SignRow]] = []
    for check in checks:
        advised = _advised(check, rb)
        for flag in dict.fromkeys(check.red_flags):
            urgency = words.urgency(_flag_urgency(flag, rb) or check.urgency)
            row = SignRow(_when(check.at, tz), words.sign(flag), urgency, advised, False)
            rows.append((check.at, row))
    for walk in walks:
        for checkin in walk.checkins:
            for flag in dict.fromkeys(checkin.red_flags):
                urgency_id = _flag_urgency(flag, rb)
                advised = words.checkin_action(checkin.action)
                if urgency_id:
                    advised = f"{advised} {rb.urgency_headline(urgency_id)}."
                row = SignRow(
                    _when(checkin.at, tz),
                    words.sign(flag),
                    words.urgency(urgency_id),
                    advised,
                    True,
                )
                rows.append((checkin.at, row))
    rows.sort(key=lambda pair: pair[0])
    return [row for _at, row in rows]


def _flag_urgency(flag: str, rb: Rulebook) -> str | None:
    known = {f.id: f.urgency for f in rb.red_flags}
    return known.get(rb.aliases.get(flag, flag))


def _advised(check: CheckRecord, rb: Rulebook) -> str:
    if check.urgency and check.urgency in {u.id for u in rb.urgencies}:
        return rb.seek_care_headline(check.urgency, check.red_flags)
    return str(check.assessment.get("headline") or "")


def _latest(
    checks: Sequence[CheckRecord],
    walks: Sequence[WalkRecord],
    words: Words,
    rb: Rulebook,
    tz: tzinfo | None,
) -> LatestDecision | None:
    if not checks:
        return None
    check = checks[-1]
    stopped = [w for w in walks if w.started_at >= check.at and w.status in STOPPED_STATUSES]
    reasons = tuple(
        str(r["text"])
        for r in check.assessment.get("reasons", [])
        if r.get("text") and r.get("rule") not in SKIPPED_REASONS
    )[:MAX_REASONS]
    headline = words.decision(check.disposition)
    if check.urgency and check.urgency in {u.id for u in rb.urgencies}:
        headline = f"{headline}: {rb.seek_care_headline(check.urgency, check.red_flags)}"
    return LatestDecision(
        when=_when(check.at, tz),
        decision=words.decision(check.disposition),
        headline=headline,
        urgency=words.urgency(check.urgency),
        reasons=reasons,
        since=_stopped_since(stopped[-1], words, tz) if stopped else "",
    )


STOPPED_STATUSES = ("stopped", "stopped_seek_care")


def _stopped_since(walk: WalkRecord, words: Words, tz: tzinfo | None) -> str:
    """'Since then, the walk at 6 Dec 14:10 stopped: <why>'."""
    when = _when(walk.ended_at or walk.started_at, tz)
    why = words.stop_reason(walk) or words.walk_outcome(walk)
    return _("Since then, the walk at {when} stopped: {why}").format(when=when, why=why)


def _activities(measures: Sequence[OutcomeRecord]) -> tuple[ActivityRow, ...]:
    rated = [m for m in measures if m.activities]
    if not rated:
        return ()
    latest = rated[-1]
    rows = []
    for activity in latest.activities:
        key = activity.activity.casefold()
        first = next(
            (a.score for m in rated[:-1] for a in m.activities if a.activity.casefold() == key),
            None,
        )
        rows.append(ActivityRow(activity.activity, first, activity.score))
    return tuple(rows)


def _minutes(total: float) -> str:
    """Minutes walked in all: one decimal under 10 (a decimal comma in Spanish), whole
    minutes above."""
    return one_decimal(total) if total < 10 else str(round(total))


def _when(moment: datetime, tz: tzinfo | None) -> str:
    local = moment.astimezone(tz)
    return f"{_day(local.date())} {local.strftime('%H:%M')}"


def _day(day: date, *, year: bool = False) -> str:
    """'5 Jan' or '5 Jan 2026', whatever the machine's locale; in the active language."""
    return charts.web.day_label(day, year=year)
