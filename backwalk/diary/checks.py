"""Building a stored check from an answers dict and the assessment made from it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from backwalk.diary import validate
from backwalk.diary.errors import DiaryError
from backwalk.diary.models import CheckRow
from backwalk.diary.records import CheckSummary
from backwalk.diary.scope import owners_rows


def build_check_row(
    *, at: datetime, answers: object, assessment: object, text: str | None
) -> CheckRow:
    """A new CheckRow with the denormalised columns filled in from the assessment."""
    answers_copy = validate.json_object("answers", answers)
    assessment_copy = validate.json_object("assessment", assessment)
    return CheckRow(
        at=validate.aware_utc("at", at),
        answers=answers_copy,
        assessment=assessment_copy,
        disposition=_disposition(assessment_copy),
        urgency=validate.optional_text("assessment.urgency", assessment_copy.get("urgency")),
        pain_score=_pain_score(answers_copy, assessment_copy),
        red_flags=validate.string_list(
            "assessment.red_flags", assessment_copy.get("red_flags", [])
        ),
        text=validate.optional_text("text", text),
    )


def _disposition(assessment: dict[str, Any]) -> str:
    disposition = assessment.get("disposition")
    if not isinstance(disposition, str) or not disposition:
        raise DiaryError("assessment.disposition is missing: only a finished assessment is stored")
    return disposition


def _pain_score(answers: dict[str, Any], assessment: dict[str, Any]) -> int | None:
    # The score may have come from free text only, in which case it lives in the assessment's
    # effective answers rather than in what the person typed into the form.
    score = answers.get("pain_score")
    if score is None:
        effective = assessment.get("answers")
        score = effective.get("pain_score") if isinstance(effective, dict) else None
    return validate.optional_pain("pain_score", score)


def check_by_client_id(session: Session, client_id: str | None) -> CheckRow | None:
    """The check stored under the sender's id, if any."""
    if client_id is None:
        return None
    return session.scalars(select(CheckRow).where(CheckRow.client_id == client_id)).one_or_none()


def insert_once(session: Session, row: CheckRow) -> int | None:
    """Insert the check; None when its client_id is stored already. INSERT ... ON CONFLICT DO
    NOTHING lets the unique index decide, so copies sent together store one row."""
    values = {c.key: getattr(row, c.key) for c in CheckRow.__table__.columns if c.key != "id"}
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgresql_insert
    statement = (
        insert(CheckRow)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["owner_id", "client_id"])
        .returning(CheckRow.id)
    )
    return session.scalar(statement)


_SUMMARY = select(
    CheckRow.id,
    CheckRow.at,
    CheckRow.disposition,
    CheckRow.urgency,
    CheckRow.pain_score,
    CheckRow.red_flags,
).order_by(CheckRow.at.desc(), CheckRow.id.desc())


_FIRST_SCORED = owners_rows(
    select(*_SUMMARY.selected_columns)
    .where(CheckRow.pain_score.is_not(None))
    .order_by(CheckRow.at, CheckRow.id)
    .limit(1)
)


def first_scored(session: Session) -> CheckSummary | None:
    """The oldest check with a pain score (where progress on pain is measured from)."""
    r = session.execute(_FIRST_SCORED).first()
    return CheckSummary(r[0], r[1], r[2], r[3], r[4], list(r[5])) if r else None


_ALL_SUMMARIES = owners_rows(_SUMMARY)
_READ = "backwalk_check_summaries"  # in the session's info: what `summaries` has read
_LATEST_SUMMARIES = owners_rows(_SUMMARY.limit(bindparam("limit", type_=Integer)))


def summaries(session: Session, limit: int | None) -> list[CheckSummary]:
    """The latest checks (all with no limit) without answers and assessment, oldest first.

    Read once per read transaction: a page's standing, its recovery offer and its history each
    want the latest few dozen, and a shorter list is the end of a longer one already read (a
    read session never writes, so what it read stays true for its transaction)."""
    read: dict[int | None, list[CheckSummary]] = session.info.setdefault(_READ, {})
    for have, found in read.items():
        if have is None or (limit is not None and have >= limit):
            return found[len(found) - limit :] if limit is not None else list(found)
    query = _ALL_SUMMARIES if limit is None else _LATEST_SUMMARIES
    rows = session.execute(query, {"limit": limit}).all()
    read[limit] = [CheckSummary(r[0], r[1], r[2], r[3], r[4], list(r[5])) for r in reversed(rows)]
    return list(read[limit])
