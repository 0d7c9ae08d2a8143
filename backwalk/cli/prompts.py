"""Reading answers, from a keyboard or from a pipe, one answer per line.

On a terminal a bad answer is explained and asked again. With piped input there is nobody to ask,
so a bad answer, or the input ending before a required answer, raises AnswerError: the command
stops with one clear line and exit status 2 before anything is saved. Optional questions
(a blank line skips them) treat the end of the input as a skip.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, TypeVar

from backwalk.durations import parse_hours
from backwalk.errors import BackwalkError
from backwalk.i18n import N_
from backwalk.i18n import gettext as _

if TYPE_CHECKING:
    from backwalk.cli.env import Environment
    from backwalk.cli.render import Printer

T = TypeVar("T")


class AnswerError(BackwalkError, ValueError):
    """A piped answer that cannot be used, or input that ended too soon; the message is one line."""


class Answer(Enum):
    YES = "yes"
    NO = "no"
    UNSURE = "not sure"

    @property
    def cautious(self) -> bool:
        """The value to act on: 'not sure' counts as yes, because yes is the safer assumption."""
        return self is not Answer.NO


YES_NO_UNSURE_HINT = N_("answer y (yes), n (no) or ? (not sure)")
YES_NO_HINT = N_("answer y (yes) or n (no)")
YES_NO_UNSURE_CHOICES = N_("  [y/n/?] ")
WHOLE_OR_SKIP = N_("answer with a whole number from {lo} to {hi}, or press Enter to skip")

# Every language's words are understood whichever is shown: a Spanish speaker's "s" (si) is a yes
# even at an English prompt, and no word of one language means the opposite in the other.
_YES = {"y", "yes", "s", "si", "sí"}
_NO = {"n", "no"}
_UNSURE = {"?", "not sure", "unsure", "dont know", "don't know", "idk", "no se", "no sé"}

_SCORE = re.compile(r"^(\d{1,2})\s*(?:/\s*10)?$")


def parse_yes_no_unsure(raw: str) -> Answer | None:
    """'y'/'yes', 'n'/'no' or '?'/'not sure', in any case; None for anything else."""
    word = " ".join(raw.strip().lower().split())
    if word in _YES:
        return Answer.YES
    if word in _NO:
        return Answer.NO
    if word in _UNSURE:
        return Answer.UNSURE
    return None


def parse_yes_no(raw: str) -> bool | None:
    answer = parse_yes_no_unsure(raw)
    return None if answer in (None, Answer.UNSURE) else answer is Answer.YES


def parse_score(raw: str, lo: int, hi: int) -> int | None:
    """A whole number in [lo, hi]; '4/10' is accepted as 4."""
    match = _SCORE.match(raw.strip())
    if not match:
        return None
    value = int(match.group(1))
    return value if lo <= value <= hi else None


def parse_whole(raw: str, lo: int, hi: int) -> int | None:
    """A plain whole number in [lo, hi]; at most 3 digits, so a huge number is just 'not valid'."""
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 3):
        return None
    value = int(text)
    return value if lo <= value <= hi else None


def parse_numbers(raw: str, count: int) -> list[int] | None:
    """One or more choices from a numbered list of `count`: '3', '1,4' or '1 4'."""
    parts = [p for p in re.split(r"[\s,]+", raw.strip()) if p]
    if not parts or not all(p.isdigit() and 1 <= int(p) <= count for p in parts):
        return None
    return sorted({int(p) for p in parts})


class _Skip:
    """Marker for 'this question has no default: a blank line is not an answer'."""


_REQUIRED = _Skip()


class Prompter:
    """Asks questions through a Printer and reads one answer per line from the environment."""

    def __init__(self, env: Environment, printer: Printer) -> None:
        self.env = env
        self.printer = printer
        self._pending = ""  # typed ahead before a question was asked

    def push(self, text: str) -> None:
        """Keys typed before the next question (in the walk, after the check-in key): they are
        the start of its answer, not lost."""
        self._pending += text

    def yes_no_unsure(self, name: str, question: str, help: str | None = None) -> Answer:
        """A red-flag or pain question: yes, no or not sure."""
        self._show(question, help)
        choices, hint = _(YES_NO_UNSURE_CHOICES), _(YES_NO_UNSURE_HINT)
        return self._ask(name, choices, parse_yes_no_unsure, hint)

    def confirm(self, name: str, question: str, default: bool = True) -> bool:
        """A yes/no confirmation; a blank line (or the input ending) takes the default."""
        choices = _("[Y/n]") if default else _("[y/N]")
        hint = _(YES_NO_HINT)
        return self._ask(name, f"{question} {choices} ", parse_yes_no, hint, blank=default)

    def score(
        self,
        name: str,
        question: str,
        help: str | None = None,
        default: int | None = None,
        lo: int = 0,
        hi: int = 10,
    ) -> int:
        """A whole number from lo to hi; with a default, a blank line keeps it."""
        self._show(question, help)
        hint = _("answer with a whole number from {lo} to {hi}").format(lo=lo, hi=hi)
        prompt = f"  [{lo}-{hi}] "
        blank: int | _Skip = _REQUIRED
        if default is not None:
            prompt = _("  [{lo}-{hi}, Enter for {default}] ").format(lo=lo, hi=hi, default=default)
            blank = default
        return self._ask(name, prompt, lambda raw: parse_score(raw, lo, hi), hint, blank=blank)

    def optional_score(self, name: str, question: str, lo: int = 0, hi: int = 10) -> int | None:
        """A whole number from lo to hi, or None when skipped with a blank line."""
        self._show(question, None)
        hint = _(WHOLE_OR_SKIP).format(lo=lo, hi=hi)
        parse: Callable[[str], int | None] = lambda raw: parse_score(raw, lo, hi)  # noqa: E731
        prompt = _("  [{lo}-{hi}, Enter to skip] ").format(lo=lo, hi=hi)
        return self._ask(name, prompt, parse, hint, blank=None)

    def optional_yes_no(self, name: str, question: str, help: str | None = None) -> bool | None:
        """A yes/no question that may be skipped with a blank line (None)."""
        self._show(question, help)
        hint = _("answer y (yes) or n (no), or press Enter to skip")
        return self._ask(name, _("  [y/n, Enter to skip] "), parse_yes_no, hint, blank=None)

    def optional_whole(
        self, name: str, question: str, help: str | None = None, lo: int = 0, hi: int = 120
    ) -> int | None:
        """A whole number from lo to hi (an age, say), or None when skipped with a blank line."""
        self._show(question, help)
        hint = _(WHOLE_OR_SKIP).format(lo=lo, hi=hi)
        parse: Callable[[str], int | None] = lambda raw: parse_whole(raw, lo, hi)  # noqa: E731
        return self._ask(name, _("  [number, Enter to skip] "), parse, hint, blank=None)

    def hours(self, name: str, question: str, help: str | None = None) -> float | None:
        """A duration in hours ('36', '2 days'), or None when skipped with a blank line."""
        self._show(question, help)
        hint = _(
            "answer with a number of hours, or e.g. '2 days' or 'yesterday', or press Enter to skip"
        )
        return self._ask(name, _("  [hours, Enter to skip] "), parse_hours, hint, blank=None)

    def free_text(self, name: str, question: str) -> str | None:
        """Anything the person wants to add, or None for a blank line or no more input."""
        self._show(question, None)
        raw = self._read_line(name, "  > ", optional=True)
        return raw.strip() or None if raw is not None else None

    def choices(self, name: str, question: str, options: list[str]) -> list[int]:
        """One or more items from a numbered list, as indexes from 0."""
        self._show(question, None)
        for number, option in enumerate(options, 1):
            self.printer.line(f"{number}. {option}", indent="  ")
        hint = _("answer with a number from 1 to {most}, or several separated by commas")
        hint = hint.format(most=len(options))
        parse: Callable[[str], list[int] | None] = lambda raw: parse_numbers(raw, len(options))  # noqa: E731
        picked = self._ask(name, _("  [number(s)] "), parse, hint)
        return [n - 1 for n in picked]

    def _pending_line(self) -> str | None:
        """A whole line typed ahead (shown, since the terminal did not echo it), or None; a
        part of a line is shown and completed by what is typed next."""
        if not self._pending:
            return None
        pending, self._pending = self._pending, ""
        if "\n" in pending or "\r" in pending:
            first, _newline, rest = pending.replace("\r", "\n").partition("\n")
            self._pending = rest
            self.printer.raw(first + "\n")
            return first + "\n"
        self.printer.raw(pending)
        more = self.env.stdin.readline()
        return pending + more if more else pending + "\n"

    def text_line(self, name: str, prompt: str) -> str | None:
        """One raw line (e.g. a typed confirmation); None when the input has ended."""
        return self._read_line(name, prompt, optional=True)

    def _show(self, question: str, help: str | None) -> None:
        self.printer.line(question)
        if help:
            self.printer.line(f"({help})", tone="muted", indent="  ")

    def _ask(
        self,
        name: str,
        prompt: str,
        parse: Callable[[str], T | None],
        hint: str,
        blank: T | _Skip = _REQUIRED,
    ) -> T:
        optional = not isinstance(blank, _Skip)
        while True:
            raw = self._read_line(name, prompt, optional=optional)
            if raw is None or (optional and not raw.strip()):
                return blank  # type: ignore[return-value]
            value = parse(raw)
            if value is not None:
                return value
            if not self.env.interactive:
                shown = _shorten(raw.strip())
                raise AnswerError(
                    _("{name}: '{shown}' is not a valid answer ({hint})").format(
                        name=name, shown=shown, hint=hint
                    )
                )
            sorry = _("Sorry, I did not understand that: {hint}.").format(hint=hint)
            self.printer.line(sorry, tone="warning", indent="  ")

    def _read_line(self, name: str, prompt: str, optional: bool) -> str | None:
        self.printer.prompt(prompt)
        line = self._pending_line()
        if line is None:
            line = self.env.stdin.readline()
        if not line:
            self.printer.raw("\n")
            if optional:
                return None
            raise AnswerError(
                _("{name}: no answer (the input ended before this question)").format(name=name)
            )
        raw = line.rstrip("\r\n")
        if not self.env.interactive:
            self.printer.raw(raw + "\n")  # piped answers are echoed so the transcript reads well
        return raw


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
