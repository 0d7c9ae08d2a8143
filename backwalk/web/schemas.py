"""The JSON API's shapes, for the OpenAPI document and for validating the simple request bodies.

The assessment and check-in bodies are validated by the engine itself (so the web API gives the
very same messages as the CLI); their schemas here are generated from the rulebook for the docs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backwalk.checkflow import walk_signs
from backwalk.rules import Question, Rulebook

Pain = Field(ge=0, le=10, description="pain from 0 (none) to 10 (worst imaginable)")
Seconds = Field(ge=0, le=86400, allow_inf_nan=False, description="seconds since the walk started")


class ErrorDetail(BaseModel):
    field: str | None = Field(description="the input field at fault, when there is one")
    message: str


class ErrorBody(BaseModel):
    """Every error answer: `{"error": {"field": ..., "message": ...}}`."""

    error: ErrorDetail


class Refusal(ErrorBody):
    """A walk that may not start: `why` says what to do instead."""

    why: str
    walk_id: int | None = Field(None, description="the walk already in progress, if that is why")


class WalkEndedBody(ErrorBody):
    """The walk is already over; `walk` is how it ended."""

    walk: Walk


class Reason(BaseModel):
    rule: str
    text: str
    source: str
    source_id: str


class WalkPlan(BaseModel):
    minutes: int
    tips: list[str]
    stop_if: list[str]


class TextFinding(BaseModel):
    field: str
    value: bool | int | float
    reading: Literal["reported", "denied", "unsure"] = Field(
        description="contract v3: what the words say of the field"
    )
    phrase: str
    start: int | None = None
    end: int | None = None
    quote: str | None = Field(None, description="the clause of the text around the words")


class Assessment(BaseModel):
    """CONTRACT section 1's assessment."""

    disposition: Literal["seek_care_now", "rest_first", "walk_gently"]
    red_flags: list[str]
    walk_plan: WalkPlan | None
    supportive: list[str]
    reasons: list[Reason]
    unanswered: list[str]
    answers: dict[str, bool | int | float]
    rulebook_version: str
    lang: Literal["en", "es"] = Field(
        "en",
        description="the language of the headline and reasons (Accept-Language); ids never change",
    )
    urgency: Literal["emergency", "same_day", "gp_soon"] | None = Field(
        description="how fast to get care: emergency, same_day, gp_soon (a GP within days), or null"
    )
    see_gp_soon: list[str] = Field(
        default_factory=list, description="the reasons (gp_soon_rules ids) to book a GP soon"
    )
    headline: str
    unsure: list[str] | None = Field(
        None, description="questions answered 'not sure' (counted as yes); present only then"
    )
    text_findings: list[TextFinding] = Field(
        default_factory=list, description="what the free text says, each with its reading"
    )
    confirm: list[str] = Field(
        default_factory=list,
        description="contract v3: yes/no keys the words raised that the person has not "
        "settled; ask each (quoting the words) and send the answers as `confirmed`",
    )


class CheckinResult(BaseModel):
    """CONTRACT section 2's check-in answer."""

    action: Literal["stop_seek_care", "stop", "continue"]
    reasons: list[Reason]
    red_flags: list[str]
    headline: str
    urgency: str | None


class Check(BaseModel):
    id: int
    at: datetime
    answers: dict[str, Any]
    assessment: Assessment
    disposition: str
    urgency: str | None
    pain_score: int | None
    red_flags: list[str]
    text: str | None


class CheckSaved(BaseModel):
    check: Check
    assessment: Assessment


class CheckinRecord(BaseModel):
    id: int
    walk_id: int
    at: datetime
    elapsed_seconds: float
    current_pain: int
    sharp_or_shooting: bool
    red_flags: list[str]
    action: str
    client_id: str | None


class Walk(BaseModel):
    id: int
    check_id: int | None
    started_at: datetime
    ended_at: datetime | None
    planned_minutes: int
    pain_before: int
    pain_after: int | None
    status: Literal["in_progress", "completed", "stopped", "stopped_seek_care", "interrupted"]
    stop_reason: str | None
    elapsed_seconds: float
    last_seen_at: datetime
    pain_rose: bool
    checkins: list[CheckinRecord]


WalkEndedBody.model_rebuild()


class ActiveWalk(BaseModel):
    walk: Walk | None = Field(description="the walk in progress, or null")


class WalkCheckinAnswer(BaseModel):
    """The decision for one in-walk check-in, and the walk after it."""

    result: CheckinResult
    walk: Walk
    duplicate: bool = Field(description="true when this client_id had already been stored")


class Gate(BaseModel):
    allowed: bool
    why: str
    check_id: int | None
    planned_minutes: int


class Plan(BaseModel):
    minutes: int
    why: str
    gate: Gate


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Forgotten(BaseModel):
    deleted: int = Field(description="how many rows (checks, walks, check-ins) were deleted")


class StrictBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Seen(StrictBody):
    """The person's word that a clinician has seen them: an empty object (sent as JSON so that
    no other site's form can send it)."""


class Visit(BaseModel):
    id: int
    at: datetime


class SeenRecorded(BaseModel):
    visit: Visit
    standing: dict[str, Any] = Field(description="where the person stands now (see /api/plan)")


class CheckIn(StrictBody):
    """A check to assess and save in the diary."""

    answers: dict[str, Any] = Field(description="the answers object of CONTRACT section 1")
    text: str | None = Field(None, max_length=5000, description="free text, optional")
    unsure: list[str] = Field(
        default_factory=list, description="yes/no questions answered 'not sure' (counted as yes)"
    )
    client_id: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="optional id from the client (a check decided offline): a resend is stored "
        "once and answers 200 with the first check",
    )


class StartWalk(StrictBody):
    pain_before: int = Pain


class Heartbeat(StrictBody):
    elapsed_seconds: float = Seconds


class FinishWalk(StrictBody):
    status: Literal["completed", "interrupted"]
    elapsed_seconds: float = Seconds
    pain_after: int | None = Field(None, ge=0, le=10, description="pain after the walk")


def _question_schema(q: Question, description: str) -> dict[str, Any]:
    prop: dict[str, Any] = {"description": description}
    if q.type == "bool":
        prop["type"] = "boolean"
    else:
        prop["type"] = "integer" if q.type == "int" else "number"
        if q.min is not None:
            prop["minimum"] = q.min
        if q.max is not None:
            prop["maximum"] = q.max
    return prop


def _alias_note(rb: Rulebook, alias: str) -> str:
    return f"older name of `{rb.aliases[alias]}`, still accepted"


def answers_schema(rb: Rulebook, *, with_text: bool) -> dict[str, Any]:
    """JSON schema of the answers object, from the rulebook's questions and their aliases."""
    props = {q.id: _question_schema(q, q.prompt) for q in rb.questions}
    for alias, target in rb.aliases.items():
        props[alias] = _question_schema(rb.question_by_id[target], _alias_note(rb, alias))
    props["confirmed"] = {
        "type": "object",
        "description": "contract v3: the person's answers to questions about their own words "
        "(a yes/no key -> true or false; 'Not sure' is sent as true)",
        "additionalProperties": {"type": "boolean"},
    }
    if with_text:
        props["text"] = {"type": "string", "description": "free text in your own words"}
    return {
        "type": "object",
        "properties": props,
        "additionalProperties": False,
        "example": {"pain_score": 4, "sharp_pain": False},
    }


def checkin_schema(rb: Rulebook, *, in_walk: bool) -> dict[str, Any]:
    """JSON schema of a check-in (CONTRACT section 2), or of one sent during a diary walk.

    Every red flag is accepted (the walk signs first: those are what a walk asks about), and so
    are their older names; the engine validates the body itself.
    """
    flag_ids = [f.id for f in rb.red_flags]
    signs = [q.id for q in walk_signs(rb)]
    ordered = signs + [f for f in flag_ids if f not in signs]
    props: dict[str, Any] = {
        "current_pain": {"type": "integer", "minimum": 0, "maximum": 10},
        "sharp_or_shooting": {"type": "boolean"},
        **{
            qid: {"type": "boolean", "description": rb.question_by_id[qid].prompt}
            for qid in ordered
        },
        **{
            alias: {"type": "boolean", "description": _alias_note(rb, alias)}
            for alias, target in rb.aliases.items()
            if target in flag_ids
        },
    }
    required = ["current_pain"]
    example: dict[str, Any] = {"current_pain": 4, "sharp_or_shooting": False}
    if in_walk:
        props["elapsed_seconds"] = {"type": "number", "minimum": 0, "maximum": 86400}
        props["client_id"] = {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "description": "a unique id per check-in: repeats are stored once",
        }
        required.append("elapsed_seconds")
        example.update(elapsed_seconds=120, client_id="3f1c2d9e")
    else:
        props["baseline_pain"] = {"type": "integer", "minimum": 0, "maximum": 10}
        required.insert(0, "baseline_pain")
        example["baseline_pain"] = 4
    return {
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
        "example": example,
    }


class ProgrammeIn(StrictBody):
    """Start or change the walking plan."""

    days: list[str] = Field(
        min_length=1, max_length=7, description='3 to 5 weekdays: "mon", "tue", ... "sun"'
    )
    minutes_per_walk: int = Field(ge=1, le=60, description="minutes a walk (the rules cap it)")


class ActivityIn(StrictBody):
    """A walk done without backwalk."""

    minutes: int = Field(ge=1, le=600, description="minutes walked")
    date: str | None = Field(
        None, max_length=10, description="the day walked, YYYY-MM-DD (default: today)"
    )


class RecurrenceIn(StrictBody):
    """The answer to the monthly question."""

    limited_activity: bool = Field(
        description="true: back pain stopped usual activities for at least a day since the date "
        "the question named (a new episode starts)"
    )


class Recovered(StrictBody):
    """The person's word that their back is back to normal: an empty object."""


class MedicineIn(StrictBody):
    """A medicine taken for the pain, as the person writes it."""

    name: str = Field(min_length=1, max_length=100, description="e.g. ibuprofen")
    dose: str = Field("", max_length=100, description='e.g. "400 mg"')
    taken_at: str | None = Field(
        None,
        max_length=64,
        description="when it was taken, ISO 8601 with a time zone (default: now)",
    )


class KeepWellBody(BaseModel):
    phase: Literal["acute", "recovered", "keeping_well"]
    standing: dict[str, Any] = Field(description="where the person stands now (see /api/plan)")
    programme: dict[str, Any] | None = Field(
        description="the programme in keeping_well; its `last_change` says why this week's "
        "walks are what they are (`id`, `change`, `reason`, `source`), or is null in a plan's "
        "first week"
    )
    paused_programme: dict[str, Any] | None = Field(
        description="while a new episode lasts, the plan it paused: its days, the minutes a "
        "walk before, the minutes it picks up at, and a `message` saying so"
    )
