"""The service layer: every use case both faces share, in one place.

The CLI and the web app call these functions and only render what comes back, so a walk in the
browser and a walk in the terminal follow the same rules and leave the same diary records. The
rules that must hold however requests race (one walk at a time, a check-in stored once) are the
database's; this layer reports the database's answer as a typed error (`backwalk.errors`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from backwalk import keepwell
from backwalk.checkflow import words_order
from backwalk.diary import WalkStatus
from backwalk.diary.records import CheckinDecision, WalkEnd
from backwalk.engine import assess, checkin, read_words
from backwalk.errors import InputError, TextUnreadable, WalkRefused
from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.i18n.dates import date_at_time
from backwalk.i18n.numbers import number
from backwalk.programme import day_names
from backwalk.progression import STOPPED, NextWalk, WalkLike, next_walk
from backwalk.remembered import (
    Remembered,
    remembered_from,
    remembered_warning,
    warnings_since,
)
from backwalk.rules import Rulebook, default_rulebook

if TYPE_CHECKING:
    from backwalk.diary import CheckRecord, Diary, WalkRecord
    from backwalk.diary.records import KeepwellFacts, VisitRecord


# A walk not heard from for this long cannot still be going: it is closed as interrupted. It must
# outlast the longest walk, because a phone that lost its connection keeps walking and queues
# its check-ins; the CLI's killed walks simply wait this long to be marked.
STALE_WALK_SECONDS = 45 * 60
RECENT_WALKS = 20
FINISH_STATUSES = (WalkStatus.COMPLETED, WalkStatus.INTERRUPTED)
# Stored in English, as backwalk's own reasons are, and said in the reader's language (N_).
INTERRUPTED_REASON = N_("The walk was interrupted before its planned end.")


def recover_stale_walks(diary: Diary, now: datetime) -> list[WalkRecord]:
    """Close walks left in progress by a killed process or an abandoned page (one rule for all)."""
    return diary.recover_interrupted(now=now, stale_after_seconds=STALE_WALK_SECONDS)


def plan_next_walk(diary: Diary, now: datetime, rb: Rulebook | None = None) -> NextWalk:
    """The proposal for the next walk: the progression's, from the diary's most recent walks
    (read as summaries: it needs no check-in but each walk's peak pain), or in keeping well
    the walking programme's."""
    recent = diary.snapshot(RECENT_WALKS).recent_walks
    return _next_walk(diary, now, rb or default_rulebook(), recent)


def _next_walk(diary: Diary, now: datetime, rb: Rulebook, recent: Sequence[WalkLike]) -> NextWalk:
    plan = next_walk(recent, now, rb.progression)
    if keepwell.phase_of(diary) == "keeping_well":  # not the spasm's "first walk: 5 minutes"
        return _programme_walk(keepwell.keep_well(diary, now, rb), rb) or plan
    return plan


# The check


def run_check(
    diary: Diary,
    answers: Mapping[str, Any],
    now: datetime,
    text: str | None = None,
    unsure: Iterable[str] = (),
    confirmed: Mapping[str, bool] | None = None,
    client_id: str | None = None,
) -> tuple[dict[str, Any], CheckRecord]:
    """Assess the answers (walk length from the progression) and save the check, once per
    `client_id` (a screen sent twice saves one check: see save_check).

    `unsure` lists yes/no questions answered 'not sure'; they count as yes (see engine.assess).
    `confirmed` holds the answers to questions about the person's own words (contract v3).
    Free text that cannot be read because the language module is missing or broken raises
    TextUnreadable and saves nothing: a warning sign in it must never be silently dropped.
    """
    if confirmed:
        answers = {**answers, "confirmed": dict(confirmed)}
    assessment, record, _ = save_check(diary, answers, now, text, unsure, client_id)
    return assessment, record


def save_check(
    diary: Diary,
    answers: Mapping[str, Any],
    now: datetime,
    text: str | None = None,
    unsure: Iterable[str] = (),
    client_id: str | None = None,
) -> tuple[dict[str, Any], CheckRecord, bool]:
    """`run_check`, stored once per `client_id` (a check a phone decided offline and may send
    more than once): a repeat returns the stored check and its assessment, and True. What it
    reads first is read in one transaction (`Diary.one_read`), then the check is written."""
    with diary.one_read():
        minutes = plan_next_walk(diary, now).minutes
    with _reading_text():
        assessment = assess(answers, text=text, walk_minutes=minutes, unsure=unsure)
    record, duplicate = diary.record_check_once(
        at=now, answers=dict(answers), assessment=assessment, text=text, client_id=client_id
    )
    return (record.assessment if duplicate else assessment), record, duplicate


def assess_answers(answers: Any) -> dict[str, Any]:
    """A stateless assessment (nothing saved); free text that cannot be read is TextUnreadable."""
    with _reading_text():
        return assess(answers)


def words_to_confirm(
    text: str, confirmed: Mapping[str, bool] | None = None, told: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """The yes/no questions the person's own words raise, each with the words to quote, in
    the order a check asks them (emergency signs first). Denials, what the person has already
    `confirmed`, and the yes/no questions this check already has a yes to (`told`: a box
    ticked, a Yes chosen), are never asked about: nothing is asked twice (WCAG 3.3.7)."""
    answers: dict[str, Any] = dict.fromkeys(told, True)
    with _reading_text():
        read = read_words({**answers, "confirmed": dict(confirmed or {})}, text)
    quotes = {f["field"]: f["quote"] for f in read["text_findings"] if f["value"] is True}
    return [(key, quotes[key]) for key in words_order(default_rulebook(), read["confirm"])]


@contextmanager
def _reading_text() -> Iterator[None]:
    # Only a missing or broken language module is "unreadable"; any other error is a bug and
    # must surface as one, not hide behind a message about the text.
    try:
        yield
    except ImportError as err:
        message = _("your text could not be read, so nothing was saved ({why})")
        raise TextUnreadable(message.format(why=err)) from err


# Where the person stands


@dataclass(frozen=True)
class WalkGate:
    """Whether a walk may start now, and if not, why, in plain words."""

    allowed: bool
    why: str
    check: CheckRecord | None = None
    planned_minutes: int = 0
    # When not allowed: "check_needed", "walk_stopped", "seek_care", "seen" or "rest_first".
    refusal: str | None = None


@dataclass(frozen=True)
class Standing:
    """Where the person stands now: what every screen leads with.

    `kind` is one of the rulebook's standings; `headline` and `text` are its words filled in.
    `next_walk` is set only when a walk is the way forward, so no screen can offer a walk
    after a check that said to get care or to rest.
    """

    kind: str
    headline: str
    text: str
    source: str
    latest: CheckRecord | None
    active_walk: WalkRecord | None
    gate: WalkGate
    next_walk: NextWalk | None
    also: str | None = None  # the see-a-GP notice that stands beside a rest or walk decision
    fresh: bool = False  # the latest check is recent enough to act on as it stands
    warning: Remembered | None = None  # a warning sign that still stands (remembered.py)
    phase: str = "acute"  # keeping well: acute, recovered or keeping_well (keepwell.py)
    phase_label: str = ""
    proposal: NextWalk | None = None  # the progression's next walk, offered or not (the API's)
    kept: KeepwellFacts | None = None  # the keeping-well facts read with it (keep_well reuses)
    # In keeping well, the programme worked out for the next walk (keep_well reuses it whole).
    well: keepwell.KeepWell | None = None

    @property
    def urgency(self) -> str | None:
        if self.warning is not None:
            return self.warning.urgency
        return self.latest.urgency if self.latest is not None else None

    def as_dict(self) -> dict[str, Any]:
        """The same facts as plain JSON-ready data, for the API and `--json` output."""
        return {
            "kind": self.kind,
            "headline": self.headline,
            "text": self.text,
            "urgency": self.urgency,
            "check_id": self.latest.id if self.latest else None,
            "walk_id": self.active_walk.id if self.active_walk else None,
            "next_walk_minutes": self.next_walk.minutes if self.next_walk else None,
            "warning": _warning_dict(self.warning),
            "phase": self.phase,
            "phase_label": self.phase_label,
        }


def _warning_dict(warning: Remembered | None) -> dict[str, Any] | None:
    if warning is None:
        return None
    return {
        "at": warning.at.isoformat(),
        "urgency": warning.urgency,
        "red_flags": list(warning.flags),
        "check_id": warning.check_id,
        "walk_id": warning.walk_id,
    }


def standing(diary: Diary, now: datetime, rb: Rulebook | None = None) -> Standing:
    """Where the person stands, from one consistent read of the diary."""
    rb = rb or default_rulebook()
    since = warnings_since(now, rb)
    snap, warned, facts = diary.standing_snapshot(RECENT_WALKS, since)
    active = snap.active_walk
    if active is not None and _is_stale(active, now):  # closed first, then read again
        recover_stale_walks(diary, now)
        snap, warned, facts = diary.standing_snapshot(RECENT_WALKS, since)
        active = snap.active_walk
    latest, recent = snap.latest_check, snap.recent_walks
    phase = keepwell.phase_from(facts)
    plan = next_walk(recent, now, rb.progression)
    warning, seen_at = remembered_from(*warned, rb)
    well = None
    if phase == "keeping_well":  # the programme's walk, not the spasm's "first walk: 5 minutes"
        well = keepwell.keep_well(diary, now, rb, keepwell.Known(facts, warning))
        plan = _programme_walk(well, rb) or plan
    gate = _gate(rb, latest, recent, now, plan, warning=warning, seen_at=seen_at)
    kind = _standing_kind(active, latest, gate)
    words = rb.standing(kind)
    fill = _standing_fill(rb, plan, warning)
    also = None
    if latest is not None and kind in ("rest_first", "walk_ready", "walking"):
        also = rb.urgency("gp_soon").label if latest.urgency == "gp_soon" else None
    return Standing(
        kind=kind,
        headline=words.headline.format(**fill),
        text=words.text.format(**fill),
        source=rb.source_title(words.source),
        latest=latest,
        active_walk=active,
        gate=gate,
        next_walk=plan if kind == "walk_ready" else None,
        also=also,
        fresh=latest is not None
        and now - latest.at <= timedelta(hours=rb.progression.check_valid_hours),
        warning=warning,
        phase=phase,
        phase_label=rb.phase(phase).label,
        proposal=plan,
        kept=facts,
        well=well,
    )


def _programme_walk(well: keepwell.KeepWell, rb: Rulebook) -> NextWalk | None:
    """In keeping well, the next walk is the programme's: its minutes and its days."""
    state = well.programme
    if state is None:
        return None
    why = rb.keepwell.next_walk_plan.format(
        minutes=state.minutes_per_walk, days=day_names(state.days)
    )
    return NextWalk(state.minutes_per_walk, why)


def _standing_fill(rb: Rulebook, plan: NextWalk, warning: Remembered | None) -> dict[str, Any]:
    fill: dict[str, Any] = {
        "minutes": plan.minutes,
        "hours": number(rb.progression.check_valid_hours),
    }
    fill["when"] = when_text(warning.at) if warning else _("your last check")
    fill["signs"] = warning.signs(rb) if warning else _("a warning sign")
    return fill


def when_text(moment: datetime) -> str:
    """'6 Dec at 14:05', in the machine's time zone (the app runs on the person's own), in the
    active language."""
    return date_at_time(moment)


def _is_stale(walk: WalkRecord, now: datetime) -> bool:
    return (now - walk.last_seen_at).total_seconds() > STALE_WALK_SECONDS


def _standing_kind(active: WalkRecord | None, latest: CheckRecord | None, gate: WalkGate) -> str:
    if active is not None:
        return "walking"
    if latest is None:
        return "no_check"
    if gate.allowed:
        return "walk_ready"
    return "check_expired" if gate.refusal == "check_needed" else str(gate.refusal)


def walk_gate(diary: Diary, now: datetime, pain_before: int | None = None) -> WalkGate:
    """A walk needs a recent check that said walk gently; a new pain score is re-assessed."""
    rb = default_rulebook()
    snap = diary.snapshot(RECENT_WALKS)
    recent = snap.recent_walks
    plan = next_walk(recent, now, rb.progression)
    warning, seen_at = remembered_warning(diary, now, rb)
    return _gate(rb, snap.latest_check, recent, now, plan, pain_before, warning, seen_at)


def _gate(
    rb: Rulebook,
    check: CheckRecord | None,
    recent: Sequence[WalkLike],
    now: datetime,
    plan: NextWalk,
    pain_before: int | None = None,
    warning: Remembered | None = None,
    seen_at: datetime | None = None,
) -> WalkGate:
    if warning is not None:  # a warning stands whatever a later check said
        fill = _standing_fill(rb, plan, warning)
        return WalkGate(
            False, rb.standing("seek_care").text.format(**fill), check, refusal="seek_care"
        )
    max_age = timedelta(hours=rb.progression.check_valid_hours)
    if check is None or now - check.at > max_age:
        hours = number(rb.progression.check_valid_hours)
        why = _("No check in the last {hours} hours: do a check first (it takes under a minute).")
        why = why.format(hours=hours)
        return WalkGate(False, why, check, refusal="check_needed")
    if check.disposition == "seek_care_now" or (seen_at is not None and seen_at >= check.at):
        # A clinician has seen them since the warning: what they said needs a new check first.
        return WalkGate(False, rb.standing("seen").text, check, refusal="seen")
    if check.disposition != "walk_gently":
        return WalkGate(False, _refusal(check), check, refusal="rest_first")
    if any(w.status in STOPPED and w.started_at >= check.at for w in recent):
        why = rb.standing("walk_stopped").text
        return WalkGate(False, why, check, refusal="walk_stopped")
    if pain_before is not None:
        fresh = assess({**check.assessment["answers"], "pain_score": pain_before})
        if fresh["disposition"] != "walk_gently":
            return WalkGate(False, fresh["reasons"][0]["text"], check, refusal="rest_first")
    return WalkGate(True, _("Your latest check says a gentle walk is fine."), check, plan.minutes)


def _refusal(check: CheckRecord) -> str:
    reasons = " ".join(r["text"] for r in check.assessment.get("reasons", [])[:2])
    return _("Your latest check said to rest first, so do not walk yet. {reasons}").format(
        reasons=reasons
    )


def record_seen(diary: Diary, now: datetime) -> VisitRecord:
    """The person says a clinician has seen them: a standing warning ends here."""
    return diary.record_visit(at=now)


def still_to_ask(diary: Diary, now: datetime) -> tuple[Remembered | None, list[str]]:
    """What a new check asks first when a warning stands: is each of its signs still so? The
    advice stands whatever the answers (until "I have been seen")."""
    warning, _ = remembered_warning(diary, now)
    return warning, list(warning.flags) if warning else []


# The walk


def start_walk(diary: Diary, now: datetime, pain_before: int) -> WalkRecord:
    """Start a walk if the gate allows it. Raises WalkRefused (the gate said no) or
    WalkInProgress (another walk is going: the database allows one at a time). The reads
    before the walk is written share one transaction (`Diary.one_read`): they were three."""
    with diary.one_read():
        recover_stale_walks(diary, now)
        gate = walk_gate(diary, now, pain_before)
    return begin_walk(diary, now, pain_before, gate)


def begin_walk(diary: Diary, now: datetime, pain_before: int, gate: WalkGate) -> WalkRecord:
    """Start a walk that `walk_gate` allowed; the diary has it before the first step."""
    if not gate.allowed:
        raise WalkRefused(gate.refusal or "check_needed", gate.why)
    check_id = gate.check.id if gate.check else None
    return diary.start_walk(
        at=now, planned_minutes=gate.planned_minutes, pain_before=pain_before, check_id=check_id
    )


@dataclass(frozen=True)
class CheckinOutcome:
    """A check-in's decision, the walk after it, and whether it was a repeat of a client id."""

    result: dict[str, Any]
    walk: WalkRecord
    duplicate: bool


def record_checkin(
    diary: Diary,
    walk_id: int,
    now: datetime,
    elapsed_seconds: float,
    report: Mapping[str, Any],
    client_id: str | None = None,
) -> CheckinOutcome:
    """Record one in-walk check-in and, when a stop rule fires, end the walk there and then.

    `report` holds `current_pain`, optional `sharp_or_shooting` and any red-flag keys. A repeat
    of a `client_id` changes nothing and is answered with the same decision, `duplicate`.
    """
    if "baseline_pain" in report:
        raise InputError("baseline_pain", _("is taken from the walk's pain before it started"))
    decided: dict[str, Any] = {}

    def decide(pain_before: int) -> CheckinDecision:
        # Inside the check-in's transaction, with the walk locked: one transaction in all.
        decided.update(checkin({**report, "baseline_pain": pain_before}))
        return CheckinDecision(
            current_pain=report["current_pain"],
            sharp_or_shooting=bool(report.get("sharp_or_shooting", False)),
            red_flags=decided["red_flags"],
            action=decided["action"],
            ends_walk=_stop_rule_end(report, decided),
        )

    _checkin, duplicate, walk = diary.check_in(
        walk_id, at=now, elapsed_seconds=elapsed_seconds, client_id=client_id, decide=decide
    )
    return CheckinOutcome(decided, walk, duplicate)


def _stop_rule_end(report: Mapping[str, Any], result: dict[str, Any]) -> WalkEnd | None:
    """How a stop rule ends the walk (in the check-in's own transaction), or None to go on."""
    if result["action"] == "continue":
        return None
    status = WalkStatus.STOPPED_SEEK_CARE if result["red_flags"] else WalkStatus.STOPPED
    return WalkEnd(status, report["current_pain"], result["reasons"][0]["text"])


def walk_checkin(
    diary: Diary,
    walk: WalkRecord,
    now: datetime,
    elapsed_seconds: float,
    report: Mapping[str, Any],
    client_id: str | None = None,
) -> dict[str, Any]:
    """`record_checkin` for a walk already in hand; returns only the decision."""
    return record_checkin(diary, walk.id, now, elapsed_seconds, report, client_id).result


def heartbeat(diary: Diary, walk_id: int, elapsed_seconds: float) -> WalkRecord:
    """The walk is still going; raises NotFound or WalkAlreadyEnded."""
    diary.heartbeat(walk_id, elapsed_seconds=elapsed_seconds)
    return diary.get_walk(walk_id)


def finish_walk(
    diary: Diary,
    walk_id: int,
    now: datetime,
    status: str,
    elapsed_seconds: float,
    pain_after: int | None,
) -> WalkRecord:
    """End a walk: completed (time is up) or interrupted (ended early)."""
    if status not in FINISH_STATUSES:
        raise InputError("status", _('must be "completed" or "interrupted"'))
    completed = status == WalkStatus.COMPLETED
    return diary.finish_walk(
        walk_id,
        at=now,
        status=WalkStatus(status),
        elapsed_seconds=elapsed_seconds,
        pain_after=pain_after if completed else None,  # no score is asked when it ends early
        stop_reason=None if completed else INTERRUPTED_REASON,
    )


def complete_walk(
    diary: Diary, walk: WalkRecord, now: datetime, elapsed_seconds: float, pain_after: int | None
) -> WalkRecord:
    """The planned time is up: record the walk as completed with the pain afterwards."""
    return finish_walk(diary, walk.id, now, WalkStatus.COMPLETED, elapsed_seconds, pain_after)


def interrupt_walk(
    diary: Diary, walk: WalkRecord, now: datetime, elapsed_seconds: float
) -> WalkRecord:
    """Ctrl-C, a closed page or a lost connection: keep what happened, mark it interrupted."""
    return finish_walk(diary, walk.id, now, WalkStatus.INTERRUPTED, elapsed_seconds, None)


# The weekly outcome measures


def weekly_due(diary: Diary, now: datetime, check_id: int | None) -> bool:
    """Whether to offer the weekly questions after the check `check_id` (see outcomes)."""
    from backwalk.outcomes import weekly_measures_due

    return weekly_measures_due(diary, now, current_check_id=check_id)


def weekly_offer(diary: Diary, rb: Rulebook | None = None) -> str:
    """The words that offer the weekly questions: "a week has passed" only when it has."""
    rb = rb or default_rulebook()
    return rb.outcomes.offer_for(answered_before=diary.latest_outcome() is not None)


def activities_to_rate(diary: Diary) -> tuple[str, ...]:
    from backwalk.outcomes import activities_to_rate as named_last_time

    return named_last_time(diary)


def record_weekly(
    diary: Diary,
    now: datetime,
    activities: list[tuple[str, int]],
    global_change: int | None,
    check_id: int | None = None,
) -> Any:
    """Save one week's answers: activities rated 0-10 and the overall change (-3..3)."""
    return diary.record_outcome(
        at=now, activities=activities, global_change=global_change, check_id=check_id
    )


# The diary as a whole


def export(diary: Diary, fmt: str, now: datetime) -> str:
    """The whole diary as text in `fmt` (see docs/diary.md); InputError for an unknown format."""
    return diary.export(fmt, now=now)


def forget(diary: Diary) -> int:
    """Delete every check, walk and check-in; how many rows went."""
    return diary.forget()
