"""The order of the check, shared by every face: which questions each screen asks, and when the
check may stop early.

Safety shapes the order. The emergency signs come first and a yes (or 'not sure') to any one of
them ends the check at once: a person who has lost bladder control must not answer one more
question. Then the other warning signs: any of them already decides 'get seen', so the pain
screen, which could no longer change the decision, is skipped. Only a person with no warning
sign reaches the pain screen, which makes three screens at most.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from backwalk.rules import CheckScreen, Question, Rulebook


class Screen(NamedTuple):
    """A rulebook screen with its questions resolved."""

    spec: CheckScreen
    number: int
    questions: tuple[Question, ...]

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def is_checklist(self) -> bool:
        """Warning-sign screens are checklists ('Do any of these apply?'), not rows of yes/no."""
        return self.spec.ask != "pain_and_you"


def screens(rb: Rulebook) -> tuple[Screen, ...]:
    """The check's screens in order, each rulebook question on exactly one of them."""
    return tuple(
        Screen(spec, number, _questions_for(rb, spec.ask))
        for number, spec in enumerate(rb.check_screens, 1)
    )


def _questions_for(rb: Rulebook, ask: str) -> tuple[Question, ...]:
    flags = {f.id for f in rb.red_flags}
    if ask == "emergency_signs":
        return tuple(q for q in rb.questions if rb.is_emergency_sign(q.id))
    if ask == "other_signs":
        return tuple(q for q in rb.questions if q.id in flags and not rb.is_emergency_sign(q.id))
    return tuple(q for q in rb.questions if q.id not in flags)


def stops_after(rb: Rulebook, screen: Screen, yes: Iterable[str]) -> bool:
    """True when the answers given on this screen end the check (a warning sign among them)."""
    flags = {f.id for f in rb.red_flags}
    return screen.is_checklist and any(name in flags for name in yes)


def walk_signs(rb: Rulebook) -> tuple[Question, ...]:
    """The warning signs a walk check-in asks about: only those that can appear mid-walk."""
    return tuple(q for q in rb.questions if q.during_walk)


def words_order(rb: Rulebook, keys: Iterable[str]) -> list[str]:
    """The `confirm` keys in the order a check asks them: emergency signs first (the first yes
    ends the check), then the others in the contract's order."""
    keys = list(keys)
    return [k for k in keys if rb.is_emergency_sign(k)] + [
        k for k in keys if not rb.is_emergency_sign(k)
    ]
