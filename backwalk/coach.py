"""The use cases both faces share: a check saved to the diary, and a walk with its check-ins.

The CLI and the web app call these functions, so a walk in the browser and a walk in the
terminal follow the same rules and leave the same diary records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from backwalk.diary import WalkStatus
from backwalk.engine import assess, checkin
from backwalk.progression import NextWalk, next_walk
from backwalk.rules import Rulebook, default_rulebook

if TYPE_CHECKING:
    from backwalk.diary import CheckRecord, Diary, WalkRecord


# A walk not heard from for this long cannot still be going: it is closed as interrupted. It must
# outlast the longest walk, because a phone that lost its connection keeps walking and queues
# its check-ins; the CLI's killed walks simply wait this long to be marked.
STALE_WALK_SECONDS = 45 * 60
RECENT_WALKS = 20


def recover_stale_walks(diary: Diary, now: datetime) -> list[WalkRecord]:
    """Close walks left in progress by a killed process or an abandoned page (one rule for all)."""
    return diary.recover_interrupted(now=now, stale_after_seconds=STALE_WALK_SECONDS)


def plan_next_walk(diary: Diary, now: datetime, rb: Rulebook | None = None) -> NextWalk:
    """The progression's proposal for the next walk, from the diary's walks.

    Only the most recent walks matter (the progression looks at the last finished one), so a
    long diary is not read in full for every check.
    """
    recent = diary.walks(limit=RECENT_WALKS)
    return next_walk(recent, now, (rb or default_rulebook()).progression)


def run_check(
    diary: Diary,
    answers: Mapping[str, Any],
    now: datetime,
    text: str | None = None,
    unsure: Iterable[str] = (),
) -> tuple[dict[str, Any], CheckRecord]:
    """Assess the answers (walk length from the progression) and save the check.

    `unsure` lists yes/no questions answered 'not sure'; they count as yes (see engine.assess).
    """
    minutes = plan_next_walk(diary, now).minutes
    assessment = assess(answers, text=text, walk_minutes=minutes, unsure=unsure)
    record = diary.record_check(at=now, answers=dict(answers), assessment=assessment, text=text)
    return assessment, record


@dataclass(frozen=True)
class WalkGate:
    """Whether a walk may start now, and if not, why, in plain words."""

    allowed: bool
    why: str
    check: CheckRecord | None = None
    planned_minutes: int = 0
    refusal: str | None = None  # "check_needed", "seek_care" or "rest_first" when not allowed


def walk_gate(diary: Diary, now: datetime, pain_before: int | None = None) -> WalkGate:
    """A walk needs a recent check that said walk gently; a new pain score is re-assessed."""
    rb = default_rulebook()
    check = diary.latest_check()
    max_age = timedelta(hours=rb.progression.check_valid_hours)
    if check is None or now - check.at > max_age:
        hours = f"{rb.progression.check_valid_hours:g}"
        why = f"No check in the last {hours} hours: do a check first (it takes under a minute)."
        return WalkGate(False, why, check, refusal="check_needed")
    if check.disposition != "walk_gently":
        kind = "seek_care" if check.disposition == "seek_care_now" else "rest_first"
        return WalkGate(False, _refusal(check), check, refusal=kind)
    if _stopped_since(diary, check):
        why = "Your last walk had to stop. Do a new check before walking again."
        return WalkGate(False, why, check, refusal="check_needed")
    if pain_before is not None:
        fresh = assess({**check.assessment["answers"], "pain_score": pain_before})
        if fresh["disposition"] != "walk_gently":
            return WalkGate(False, fresh["reasons"][0]["text"], check, refusal="rest_first")
    minutes = plan_next_walk(diary, now).minutes
    return WalkGate(True, "Your latest check says a gentle walk is fine.", check, minutes)


def _stopped_since(diary: Diary, check: CheckRecord) -> bool:
    """A stop rule fired after this check was made, so the check no longer speaks for now."""
    stopped = (WalkStatus.STOPPED, WalkStatus.STOPPED_SEEK_CARE)
    recent = diary.walks(limit=RECENT_WALKS)
    return any(w.status in stopped and w.started_at >= check.at for w in recent)


def _refusal(check: CheckRecord) -> str:
    reasons = " ".join(r["text"] for r in check.assessment.get("reasons", [])[:2])
    if check.disposition == "seek_care_now":
        return f"Your latest check found a warning sign: get medical care, do not walk. {reasons}"
    return f"Your latest check said to rest first, so do not walk yet. {reasons}"


def begin_walk(diary: Diary, now: datetime, pain_before: int, gate: WalkGate) -> WalkRecord:
    """Start a walk that `walk_gate` allowed; the diary has it before the first step."""
    if not gate.allowed:
        raise ValueError(gate.why)
    check_id = gate.check.id if gate.check else None
    return diary.start_walk(
        at=now, planned_minutes=gate.planned_minutes, pain_before=pain_before, check_id=check_id
    )


def walk_checkin(
    diary: Diary,
    walk: WalkRecord,
    now: datetime,
    elapsed_seconds: float,
    report: Mapping[str, Any],
    client_id: str | None = None,
) -> dict[str, Any]:
    """Record one in-walk check-in and, when a stop rule fires, end the walk there and then.

    `report` holds `current_pain`, optional `sharp_or_shooting` and any red-flag keys.
    """
    result = checkin({**report, "baseline_pain": walk.pain_before})
    flags = result["red_flags"]
    diary.add_checkin(
        walk.id,
        at=now,
        elapsed_seconds=elapsed_seconds,
        current_pain=report["current_pain"],
        sharp_or_shooting=bool(report.get("sharp_or_shooting", False)),
        red_flags=flags,
        action=result["action"],
        client_id=client_id,
    )
    if result["action"] != "continue":
        status = WalkStatus.STOPPED_SEEK_CARE if flags else WalkStatus.STOPPED
        diary.finish_walk(
            walk.id,
            at=now,
            status=status,
            elapsed_seconds=elapsed_seconds,
            pain_after=report["current_pain"],
            stop_reason=result["reasons"][0]["text"],
        )
    return result


def complete_walk(
    diary: Diary, walk: WalkRecord, now: datetime, elapsed_seconds: float, pain_after: int | None
) -> WalkRecord:
    """The planned time is up: record the walk as completed with the pain afterwards."""
    return diary.finish_walk(
        walk.id,
        at=now,
        status=WalkStatus.COMPLETED,
        elapsed_seconds=elapsed_seconds,
        pain_after=pain_after,
        stop_reason=None,
    )


def interrupt_walk(
    diary: Diary, walk: WalkRecord, now: datetime, elapsed_seconds: float
) -> WalkRecord:
    """Ctrl-C, a closed page or a lost connection: keep what happened, mark it interrupted."""
    return diary.finish_walk(
        walk.id,
        at=now,
        status=WalkStatus.INTERRUPTED,
        elapsed_seconds=elapsed_seconds,
        pain_after=None,
        stop_reason="The walk was interrupted before its planned end.",
    )
