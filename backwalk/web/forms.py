"""The check as HTML forms, generated from the rulebook through `checkflow.screens`.

The warning-sign screens are checklists: an unticked sign is a 'no', a ticked one a 'yes', and
each sign has its own 'Not sure' box. The last screen asks about the pain and the person. This
module knows the screens and how to read a posted form back into answers; it never decides
anything (that is the engine's job, and when to stop early is checkflow's).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from backwalk import checkflow
from backwalk.durations import parse_hours
from backwalk.engine import MAX_TEXT_CHARS
from backwalk.i18n import gettext as _
from backwalk.i18n.numbers import number
from backwalk.rules import Question, Rulebook

YES, NO, UNSURE = "yes", "no", "unsure"
TEXT_FIELD = "text"
TEXT_MAX_CHARS = MAX_TEXT_CHARS  # one limit for the form and the API: the engine's
NONE_BUTTON = "none"  # the name of the one-tap "None of these" submit button


@dataclass(frozen=True)
class FormField:
    """One question on a screen and the widget that asks it."""

    question: Question
    widget: str  # "check" (tick, or 'not sure') | "yes_no" | "scale" | "number"
    required: bool

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

    screen: checkflow.Screen
    path: str
    fields: tuple[FormField, ...]

    @property
    def slug(self) -> str:
        return self.screen.id

    @property
    def number(self) -> int:
        return self.screen.number

    @property
    def title(self) -> str:
        return self.screen.spec.title

    @property
    def intro(self) -> str:
        return self.screen.spec.intro

    @property
    def none_label(self) -> str:
        return self.screen.spec.none_label

    @property
    def is_checklist(self) -> bool:
        return self.screen.is_checklist

    @property
    def has_text(self) -> bool:
        """The free-text box sits on the last screen, with the pain questions."""
        return not self.screen.is_checklist

    @property
    def checks(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if f.widget == "check")

    def without(self, names: Iterable[str]) -> Step:
        """This screen without the questions already settled in this check (nothing is asked
        twice: a sign answered on the still-so screen)."""
        skip = set(names)
        return replace(self, fields=tuple(f for f in self.fields if f.name not in skip))

    @property
    def others(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if f.widget != "check")


@dataclass
class ParsedStep:
    """What one posted screen said: answers, 'not sure' answers, and problems by field."""

    answers: dict[str, Any] = field(default_factory=dict)
    unsure: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    text: str | None = None

    @property
    def yes(self) -> list[str]:
        """Every question answered yes or 'not sure' (which counts as yes)."""
        return [k for k, v in self.answers.items() if v is True] + self.unsure


def build_steps(rb: Rulebook) -> tuple[Step, ...]:
    """The screens, in the rulebook's order, with every question on exactly one of them."""
    return tuple(
        Step(screen, "/check" if screen.number == 1 else f"/check/{screen.id}", _fields(screen))
        for screen in checkflow.screens(rb)
    )


def _fields(screen: checkflow.Screen) -> tuple[FormField, ...]:
    return tuple(_field(q, screen.is_checklist) for q in screen.questions)


def _field(q: Question, on_checklist: bool) -> FormField:
    if q.type == "bool":
        # Signs and the pain's character are ticked; facts about the person are yes or no.
        return FormField(q, "check" if on_checklist or q.group == "pain" else "yes_no", False)
    if q.type == "int" and q.min is not None and q.max is not None and q.max - q.min <= 10:
        return FormField(q, "scale", q.group == "pain")
    return FormField(q, "number", False)


def parse_step(step: Step, form: Mapping[str, Any]) -> ParsedStep:
    """Read one posted screen. Missing required answers and bad values become errors.

    A ticked sign stays ticked even when "None of these" was pressed: contradicting answers take
    the cautious reading.
    """
    parsed = ParsedStep()
    for f in step.fields:
        if f.widget == "check":
            _read_check(f, _values(form, f.name), parsed)
            continue
        raw = form.get(f.name)
        value = raw.strip() if isinstance(raw, str) else ""
        if not value:
            if f.required:
                parsed.errors[f.name] = missing_message(f)
            continue
        _read_value(f, value, parsed)
    if step.has_text:
        _read_text(form.get(TEXT_FIELD), parsed)
    return parsed


def _values(form: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(form, "getlist", None)
    values = getlist(name) if getlist else [form.get(name)]
    return [v for v in values if isinstance(v, str)]


def _read_check(f: FormField, values: list[str], parsed: ParsedStep) -> None:
    """An unticked sign is a no; 'yes' and 'not sure' both ticked is a yes."""
    if YES in values:
        parsed.answers[f.name] = True
    elif UNSURE in values:
        parsed.unsure.append(f.name)
    else:
        parsed.answers[f.name] = False


def missing_message(f: FormField) -> str:
    if f.widget == "scale":
        message = _("Choose a number from {least} to {most}.")
        return message.format(least=f.scale.start, most=f.scale.stop - 1)
    if f.widget == "yes_no":
        return _("Choose yes or no.")
    return _("Enter a number.")


def _read_value(f: FormField, value: str, parsed: ParsedStep) -> None:
    if f.widget == "yes_no":
        if value not in (YES, NO):
            parsed.errors[f.name] = missing_message(f)
        else:
            parsed.answers[f.name] = value == YES
        return
    number = _to_number(value, whole=f.question.type == "int")
    if number is None and f.name == ONSET:  # "ayer", "2 days", "yesterday", as the terminal
        number = parse_hours(value)
    if number is None or not _in_range(f.question, number):
        parsed.errors[f.name] = _number_message(f)
    else:
        parsed.answers[f.name] = number


ONSET = "onset_hours"


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
        return missing_message(f)
    if q.min is not None and q.max is not None:
        message = _("Enter a whole number from {least} to {most}.")
        return message.format(least=number(q.min), most=number(q.max))
    if q.min is not None:
        return _("Enter a number of {least} or more, for example 24.").format(least=number(q.min))
    return _("Enter a number.")


def _read_text(raw: Any, parsed: ParsedStep) -> None:
    text = raw.strip() if isinstance(raw, str) else ""
    if len(text) > TEXT_MAX_CHARS:
        message = _("Please keep it under {most} characters.")
        parsed.errors[TEXT_FIELD] = message.format(most=TEXT_MAX_CHARS)
    elif text:
        parsed.text = text


def selected(draft: Mapping[str, Any], unsure: list[str], name: str) -> str:
    """The value to pre-select for a question, from an earlier answer."""
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
