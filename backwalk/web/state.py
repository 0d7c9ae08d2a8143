"""What every request handler shares: the diary (opened once per app), the clock, the rulebook,
and the web settings (`emergency_number`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.requests import Request

from backwalk import coach
from backwalk.clock import Clock
from backwalk.diary import Diary
from backwalk.rules import Rulebook
from backwalk.web.forms import Step
from backwalk.web.security import Csrf
from backwalk.web.templating import Pages


@dataclass
class WebState:
    diary: Diary
    clock: Clock
    rb: Rulebook
    steps: tuple[Step, ...]
    csrf: Csrf
    pages: Pages
    secret: str
    emergency_number: str
    cache: dict[str, Any] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.clock.now()

    def step(self, slug: str) -> Step:
        return next(s for s in self.steps if s.slug == slug)

    def standing(self) -> coach.Standing:
        """Where the person stands (after closing walks abandoned long ago): what every page
        leads with, from one read of the diary."""
        return coach.standing(self.diary, self.now(), self.rb)


EMERGENCY_NUMBER_ENV = "BACKWALK_EMERGENCY_NUMBER"
# A number a phone can dial from a tel: link: digits, optionally a leading +.
_DIALLABLE = re.compile(r"\+?[0-9]{2,15}")


def emergency_number(rb: Rulebook, configured: str | None = None) -> str:
    """The number the emergency result offers to call: the argument, else the environment
    setting, else the rulebook's default. A number a phone cannot dial stops start-up: a broken
    call button on the emergency result is worse than no app."""
    number = (configured or os.environ.get(EMERGENCY_NUMBER_ENV) or rb.emergency_number).strip()
    if not _DIALLABLE.fullmatch(number):
        raise ValueError(
            f"{EMERGENCY_NUMBER_ENV}: '{number}' is not a phone number (digits, optionally a +)"
        )
    return number


def get_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state
