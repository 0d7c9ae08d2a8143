"""The check as HTML forms, generated from the rulebook's questions.

Three short screens: the warning signs (every red-flag question, yes / no / not sure), the pain
questions, then the context and the free text. This module knows the screens and how to read a
posted form back into answers; it never decides anything (that is the engine's job).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from backwalk.rules import Question, Rulebook

YES, NO, UNSURE = "yes", "no", "unsure"
TEXT_FIELD = "text"
TEXT_MAX_CHARS = 2000


@dataclass(frozen=True)
class FormField:
    """One question on a screen and the widget that asks it."""

    question: Question
    widget: str  # "yes_no_unsure" | "yes_no" | "scale" | "number"
    required: bool
    parent: Question | None = None  # the question a follow-up depends on

    @property
    def name(self) -> str:
        return self.question.id

    @property
    def scale(self) -> range:
        lo = int(self.question.min or 0)
        hi = int(self.question.max if self.question.max is not None else 10)
        return range(lo, hi + 1)


@dataclass(frozen=True)
class Step:
    """One screen of the check."""

    slug: str
    path: str
    number: int
    title: str
    intro: str
    fields: tuple[FormField, ...]
    has_text: bool = False


@dataclass
class ParsedStep:
    """What one posted screen said: answers, 'not sure' answers, and problems by field."""

    answers: dict[str, Any] = field(default_factory=dict)
    unsure: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    text: str | None = None


def build_steps(rb: Rulebook) -> tuple[Step, ...]:
    """The three screens, in order, with every rulebook question on exactly one of them."""
    by_id = rb.question_by_id

    def fields_for(group: str, widget_for_bool: str, required: bool) -> tuple[FormField, ...]:
        out = []
        for q in rb.questions:
            if q.group != group:
                continue
            widget = widget_for_bool if q.type == "bool" else _widget(q)
            parent = by_id[q.follow_up_of] if q.follow_up_of else None
            out.append(FormField(q, widget, required and parent is None, parent))
        return tuple(out)

    return (
        Step(
            "signs",
            "/check",
            1,
            "Warning signs",
            "First, a few questions about signs that need a doctor. "
            "If you are not sure, choose \u201cNot sure\u201d: backwalk will play it safe.",
            fields_for("red_flag", "yes_no_unsure", required=True),
        ),
        Step(
            "pain",
            "/check/pain",
            2,
            "Your pain",
            "Now, about the pain itself.",
            fields_for("pain", "yes_no_unsure", required=True),
        ),
        Step(
            "more",
            "/check/more",
            3,
            "Anything else?",
            "These are optional. Skip them if you like.",
            fields_for("context", "yes_no", required=False),
            has_text=True,
        ),
    )


def _widget(q: Question) -> str:
    if q.type == "int" and q.min is not None and q.max is not None and q.max - q.min <= 10:
        return "scale"
    return "number"


def parse_step(step: Step, form: Mapping[str, Any]) -> ParsedStep:
    """Read one posted screen. Missing required answers and bad numbers become errors."""
    parsed = ParsedStep()
    for f in step.fields:
        raw = form.get(f.name)
        value = raw.strip() if isinstance(raw, str) else ""
        required = f.required
        if f.parent is not None:
            parent_value = form.get(f.parent.id)
            if _skip_follow_up(parent_value, value):
                continue
            required = parent_value in (YES, UNSURE)
        if not value:
            if required:
                parsed.errors[f.name] = _missing_message(f)
            continue
        _read_value(f, value, parsed)
    if step.has_text:
        _read_text(form.get(TEXT_FIELD), parsed)
    return parsed


def _skip_follow_up(parent_value: Any, value: str) -> bool:
    """A follow-up ('in both legs?') counts only when its question was not answered 'no'.

    A 'yes' is kept even then: contradicting answers take the cautious reading.
    """
    return parent_value == NO and value != YES


def _missing_message(f: FormField) -> str:
    if f.widget == "scale":
        return f"Choose a number from {f.scale.start} to {f.scale.stop - 1}."
    if f.widget == "yes_no_unsure":
        return "Choose yes, no or not sure."
    if f.widget == "yes_no":
        return "Choose yes or no."
    return "Enter a number."


def _read_value(f: FormField, value: str, parsed: ParsedStep) -> None:
    if f.widget in ("yes_no", "yes_no_unsure"):
        allowed = (YES, NO, UNSURE) if f.widget == "yes_no_unsure" else (YES, NO)
        if value not in allowed:
            parsed.errors[f.name] = _missing_message(f)
        elif value == UNSURE:
            parsed.unsure.append(f.name)
        else:
            parsed.answers[f.name] = value == YES
        return
    number = _to_number(value, whole=f.widget == "scale" or f.question.type == "int")
    if number is None or not _in_range(f.question, number):
        parsed.errors[f.name] = _number_message(f)
    else:
        parsed.answers[f.name] = number


def _to_number(value: str, *, whole: bool) -> int | float | None:
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    if whole:
        return int(number) if number.is_integer() else None
    return int(number) if number.is_integer() else number


def _in_range(q: Question, number: float) -> bool:
    return (q.min is None or number >= q.min) and (q.max is None or number <= q.max)


def _number_message(f: FormField) -> str:
    q = f.question
    if f.widget == "scale":
        return _missing_message(f)
    if q.min is not None and q.max is None:
        return f"Enter a number of {q.min:g} or more, for example 24."
    return "Enter a number."


def _read_text(raw: Any, parsed: ParsedStep) -> None:
    text = raw.strip() if isinstance(raw, str) else ""
    if len(text) > TEXT_MAX_CHARS:
        parsed.errors[TEXT_FIELD] = f"Please keep it under {TEXT_MAX_CHARS} characters."
    elif text:
        parsed.text = text


def selected(draft: Mapping[str, Any], unsure: list[str], name: str) -> str:
    """The radio value to pre-select for a question, from an earlier answer."""
    if name in unsure:
        return UNSURE
    value = draft.get(name)
    if value is True:
        return YES
    if value is False:
        return NO
    return "" if value is None else _plain_number(value)


def _plain_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
