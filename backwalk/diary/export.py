"""The diary as one JSON document (full fidelity) or one CSV file for people to read.

The JSON keeps everything exactly as stored: UTC times, ids, the answers and the full
assessment. The CSV is for a person or their clinician in a spreadsheet: local dates and times,
pain scores, minutes rounded to what a person would say, and the decision, the warning signs and
how each walk ended in the rulebook's words.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from backwalk.diary.measures import OutcomeRecord
from backwalk.diary.records import (
    CheckinRecord,
    CheckRecord,
    KeepwellFacts,
    MedicineRecord,
    VisitRecord,
    WalkLogRecord,
    WalkRecord,
)
from backwalk.i18n import gettext
from backwalk.i18n.dates import weekday_short
from backwalk.rules import Rulebook, default_rulebook

FORMATS = ("json", "csv")

# One fixed set of columns for every kind of row; "record" says which kind a row is: "check",
# "walk", "checkin" (during the walk above it), "weekly" (the weekly outcome measures) or "seen"
# (the person recorded that a clinician had seen them); for keeping well, "walk_logged" (a walk
# logged by hand: the day, no time), "medicine" (when it was taken), "recovered" (back to
# normal), "recurrence_check" (the monthly question: the outcome is the answer) and "programme"
# (the walking plan as set up or changed).
CSV_COLUMNS = (
    "record",
    "date",
    "time",
    "pain",
    "pain_before",
    "pain_after",
    "minutes_walked",
    "minutes_planned",
    "decision",
    "urgency",
    "warning_signs",
    "outcome",
    "activities",
    "activities_average",
    "overall_change",
    "your_words",
    "medicine",
    "dose",
)

LIST_SEPARATOR = "; "


def render(
    fmt: str,
    checks: Sequence[CheckRecord],
    walks: Sequence[WalkRecord],
    *,
    exported_at: datetime,
    outcomes: Sequence[OutcomeRecord] = (),
    visits: Sequence[VisitRecord] = (),
    keepwell: KeepwellFacts | None = None,
    walk_logs: Sequence[WalkLogRecord] = (),
    medicines: Sequence[MedicineRecord] = (),
) -> str:
    """The diary in ``fmt`` (one of FORMATS)."""
    kept = Kept(keepwell, walk_logs, medicines)
    renderers: dict[str, Callable[[], str]] = {
        "json": lambda: to_json(
            checks, walks, exported_at=exported_at, outcomes=outcomes, visits=visits, kept=kept
        ),
        "csv": lambda: to_csv(checks, walks, outcomes, visits=visits, kept=kept),
    }
    return renderers[fmt]()


class Kept:
    """The keeping-well rows an export carries beside the checks and walks."""

    def __init__(
        self,
        facts: KeepwellFacts | None = None,
        walk_logs: Sequence[WalkLogRecord] = (),
        medicines: Sequence[MedicineRecord] = (),
    ) -> None:
        self.facts = facts or KeepwellFacts([], [], [])
        self.walk_logs = walk_logs
        self.medicines = medicines

    def documents(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "walk_logs": [asdict(log) for log in self.walk_logs],
            "medicines": [asdict(medicine) for medicine in self.medicines],
            "recoveries": [asdict(r) for r in self.facts.recoveries],
            "recurrence_checks": [asdict(r) for r in self.facts.recurrences],
            "programme_settings": [
                {**asdict(p), "days": list(p.days)} for p in self.facts.programmes
            ],
        }


def to_json(
    checks: Sequence[CheckRecord],
    walks: Sequence[WalkRecord],
    *,
    exported_at: datetime,
    outcomes: Sequence[OutcomeRecord] = (),
    visits: Sequence[VisitRecord] = (),
    kept: Kept | None = None,
) -> str:
    """``{"exported_at", "checks", "walks", "outcomes", "clinician_visits", "walk_logs",
    "medicines", "recoveries", "recurrence_checks", "programme_settings"}`` with ISO-8601
    times; walks carry their check-ins."""
    document = {
        "exported_at": exported_at,
        "checks": [asdict(check) for check in checks],
        "walks": [_walk_document(walk) for walk in walks],
        "outcomes": [_outcome_document(outcome) for outcome in outcomes],
        "clinician_visits": [asdict(visit) for visit in visits],
        **(kept or Kept()).documents(),
    }
    return json.dumps(document, default=_json_default, indent=2, ensure_ascii=False) + "\n"


def to_csv(
    checks: Sequence[CheckRecord],
    walks: Sequence[WalkRecord],
    outcomes: Sequence[OutcomeRecord] = (),
    *,
    tz: tzinfo | None = None,
    rb: Rulebook | None = None,
    visits: Sequence[VisitRecord] = (),
    kept: Kept | None = None,
) -> str:
    """One CSV with CSV_COLUMNS, oldest first, each walk followed by its check-ins.

    ``tz`` is the time zone of the dates and times (default: the machine's local zone).
    """
    words = Words(rb or default_rulebook())
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in _csv_rows(checks, walks, outcomes, words, tz, visits, kept or Kept()):
        writer.writerow({column: _cell(row.get(column)) for column in CSV_COLUMNS})
    return buffer.getvalue()


class Words:
    """Ids in the diary, said in the rulebook's words (an unknown, older id as it is)."""

    def __init__(self, rb: Rulebook) -> None:
        self.rb = rb

    def sign(self, flag_id: str) -> str:
        """A warning sign's words: 'loss of bladder or bowel control'."""
        question = self.rb.question_by_id.get(self.rb.aliases.get(flag_id, flag_id))
        return question.label if question else flag_id.replace("_", " ")

    def signs(self, flag_ids: Iterable[str]) -> list[str]:
        return [self.sign(flag) for flag in dict.fromkeys(flag_ids)]

    def decision(self, disposition: str) -> str:
        known = {d.id: d.short for d in self.rb.dispositions}
        return known.get(disposition, disposition.replace("_", " "))

    def urgency(self, urgency: str | None) -> str:
        if urgency is None:
            return ""
        known = {u.id: u.label for u in self.rb.urgencies}
        return known.get(urgency, urgency.replace("_", " "))

    def walk_outcome(self, walk: WalkRecord) -> str:
        label = self.rb.walk_status_label(walk.status)
        return f"{label} ({self.stop_reason(walk)})" if walk.stop_reason else label

    def stop_reason(self, walk: WalkRecord) -> str:
        """Why the walk ended: a stop rule's reason is kept in the language it was said in;
        backwalk's own reasons (an interrupted walk) are kept in English and said here."""
        return gettext(walk.stop_reason) if walk.stop_reason else ""

    def checkin_action(self, action: str) -> str:
        known = {a.id: a.headline for a in self.rb.checkin_actions}
        return known.get(action, action)

    def recurrence(self, limited_activity: bool) -> str:
        """The monthly answer in words: yes opened a new episode."""
        return gettext("yes: a new episode") if limited_activity else gettext("no")

    def days(self, days: Sequence[str]) -> str:
        """The walking days: 'Mon, Wed, Fri'; in Spanish 'Lun, Mié, Vie'."""
        return ", ".join(weekday_short(d) for d in days)

    def change(self, value: int | None) -> str:
        if value is None:
            return ""
        options = {o.value: o.label for o in self.rb.outcomes.global_change.options}
        return options.get(value, f"{value:+d}")


def walked_minutes(seconds: float) -> str:
    """Minutes as a person would say them: whole minutes (half up), one decimal under a minute."""
    minutes = max(0.0, seconds) / 60
    if minutes < 0.95:
        return one_decimal(minutes)
    return str(math.floor(minutes + 0.5))


def one_decimal(value: float) -> str:
    """4.3, or 4 rather than 4.0."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _walk_document(walk: WalkRecord) -> dict[str, Any]:
    document = asdict(walk)
    document["checkins"] = [asdict(checkin) for checkin in walk.checkins]
    document["pain_rose"] = walk.pain_rose
    return document


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__} as JSON")


def _outcome_document(outcome: OutcomeRecord) -> dict[str, Any]:
    document = asdict(outcome)
    document["activities"] = [asdict(a) for a in outcome.activities]
    document["activities_average"] = outcome.activities_average
    return document


def _csv_rows(
    checks: Iterable[CheckRecord],
    walks: Iterable[WalkRecord],
    outcomes: Iterable[OutcomeRecord],
    words: Words,
    tz: tzinfo | None,
    visits: Iterable[VisitRecord] = (),
    kept: Kept | None = None,
) -> Iterator[dict[str, Any]]:
    timeline: list[tuple[datetime, int, int, list[dict[str, Any]]]] = []
    timeline += list(_kept_rows(kept or Kept(), words))
    for visit in visits:
        timeline.append((visit.at, 3, visit.id, [{"record": "seen", "at": visit.at}]))
    for check in checks:
        timeline.append((check.at, 0, check.id, [_check_row(check, words)]))
    for walk in walks:
        rows = [_walk_row(walk, words)] + [_checkin_row(c, words) for c in walk.checkins]
        timeline.append((walk.started_at, 1, walk.id, rows))
    for outcome in outcomes:
        timeline.append((outcome.at, 2, outcome.id, [_outcome_row(outcome, words)]))
    timeline.sort(key=lambda item: item[:3])
    for _, _, _, rows in timeline:
        for row in rows:
            if "day" in row:  # a walk logged by hand has a day and no time
                yield {**row, "date": row.pop("day").isoformat(), "time": ""}
                continue
            moment = row.pop("at")
            local = moment.astimezone(tz)
            yield {**row, "date": local.strftime("%Y-%m-%d"), "time": local.strftime("%H:%M")}


def _kept_rows(
    kept: Kept, words: Words
) -> Iterator[tuple[datetime, int, int, list[dict[str, Any]]]]:
    for log in kept.walk_logs:
        noon = datetime.combine(log.walked_on, time(12), tzinfo=UTC)
        yield (
            noon,
            4,
            log.id,
            [{"record": "walk_logged", "day": log.walked_on, "minutes_walked": log.minutes}],
        )
    for medicine in kept.medicines:
        row = {"record": "medicine", "at": medicine.taken_at, "medicine": medicine.name}
        yield medicine.taken_at, 5, medicine.id, [{**row, "dose": medicine.dose}]
    for recovery in kept.facts.recoveries:
        yield recovery.at, 6, recovery.id, [{"record": "recovered", "at": recovery.at}]
    for answer in kept.facts.recurrences:
        outcome = words.recurrence(answer.limited_activity)
        row = {"record": "recurrence_check", "at": answer.at, "outcome": outcome}
        yield answer.at, 7, answer.id, [row]
    for plan in kept.facts.programmes:
        row = {"record": "programme", "at": plan.at, "minutes_planned": plan.minutes_per_walk}
        yield plan.at, 8, plan.id, [{**row, "outcome": words.days(plan.days)}]


def _check_row(check: CheckRecord, words: Words) -> dict[str, Any]:
    plan = check.assessment.get("walk_plan") or {}
    return {
        "record": "check",
        "at": check.at,
        "pain": check.pain_score,
        "minutes_planned": plan.get("minutes") if check.disposition == "walk_gently" else None,
        "decision": words.decision(check.disposition),
        "urgency": words.urgency(check.urgency),
        "warning_signs": words.signs(check.red_flags),
        "your_words": check.text,
    }


def _walk_row(walk: WalkRecord, words: Words) -> dict[str, Any]:
    return {
        "record": "walk",
        "at": walk.started_at,
        "pain_before": walk.pain_before,
        "pain_after": walk.pain_after,
        "minutes_walked": walked_minutes(walk.elapsed_seconds),
        "minutes_planned": walk.planned_minutes,
        "warning_signs": words.signs(f for c in walk.checkins for f in c.red_flags),
        "outcome": words.walk_outcome(walk),
    }


def _checkin_row(checkin: CheckinRecord, words: Words) -> dict[str, Any]:
    return {
        "record": "checkin",
        "at": checkin.at,
        "pain": checkin.current_pain,
        "minutes_walked": walked_minutes(checkin.elapsed_seconds),
        "warning_signs": words.signs(checkin.red_flags),
        "outcome": words.checkin_action(checkin.action),
    }


def _outcome_row(outcome: OutcomeRecord, words: Words) -> dict[str, Any]:
    average = outcome.activities_average
    return {
        "record": "weekly",
        "at": outcome.at,
        "activities": [f"{a.activity}: {a.score}/10" for a in outcome.activities],
        "activities_average": None if average is None else one_decimal(average),
        "overall_change": words.change(outcome.global_change),
    }


def _cell(value: object) -> str:
    """How one value reads in a spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return inert(LIST_SEPARATOR.join(str(item) for item in value))
    return inert(value) if isinstance(value, str) else str(value)


# A spreadsheet reads a cell that starts with one of these as a formula: the person's own words
# (or anybody's, in a clinician's download) could then run one on the reader's computer.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """Text a spreadsheet shows as it is: a leading single quote before anything that would
    start a formula (OWASP's advice on CSV injection). Only text cells come here; the numbers
    the export writes itself are never negative, so they are left alone."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
