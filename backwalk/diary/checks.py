"""Building a stored check from an answers dict and the assessment made from it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from backwalk.diary import validate
from backwalk.diary.errors import DiaryError
from backwalk.diary.models import CheckRow


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
