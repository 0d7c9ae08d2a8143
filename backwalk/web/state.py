"""What every request handler shares: the diary (opened once per app), the clock, the rulebook,
and the web settings (`emergency_number`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar, cast

from starlette.requests import Request

from backwalk import coach, i18n, keepwell
from backwalk.clock import Clock
from backwalk.diary import Diary
from backwalk.i18n.rulebook import in_language
from backwalk.rules import Rulebook
from backwalk.settings import EMERGENCY_NUMBER_ENV, emergency_number

__all__ = ["EMERGENCY_NUMBER_ENV", "WebState", "emergency_number", "get_state"]
from backwalk.web.forms import Step, build_steps
from backwalk.web.security import Csrf
from backwalk.web.templating import Pages

T = TypeVar("T")
# Time alone changes where someone stands only over hours (a check grows old, a silent walk is
# closed); a few seconds' delay there is harmless, and any write shows at once.
REUSE_SECONDS = 5


@dataclass
class WebState:
    diary: Diary
    clock: Clock
    base_rb: Rulebook  # as written, in English: `rb` is it in the request's language
    csrf: Csrf
    pages: Pages
    secret: str
    emergency_number: str
    cache: dict[str, Any] = field(default_factory=dict)
    # True for a state made for one request (hosted mode): there a read may be reused for the
    # rest of the request until the request itself writes, even where the database cannot say
    # cheaply whether anybody else wrote (a request sees one moment, as a page should).
    per_request: bool = False
    # More that must answer before the app is ready (hosted mode: the Redis sessions live in).
    readiness: tuple[Callable[[], None], ...] = ()
    # One computation per name at a time (see `reuse`); new with every copy of the state.
    computing: dict[str, threading.RLock] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    computing_guard: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def rb(self) -> Rulebook:
        """The rulebook in the language of this request (backwalk.i18n)."""
        return in_language(self.base_rb, i18n.active())

    @property
    def steps(self) -> tuple[Step, ...]:
        """The check's screens, in the language of this request."""
        return steps_in(self.rb)

    def step(self, slug: str) -> Step:
        return next(s for s in self.steps if s.slug == slug)

    def standing(self) -> coach.Standing:
        """Where the person stands (after closing walks abandoned long ago): what every page
        leads with, from one read of the diary, reused while nothing has changed."""
        return self.reuse("standing", lambda: coach.standing(self.diary, self.now(), self.rb))

    def keep_well(self) -> keepwell.KeepWell:
        """The phase, the programme today and the monthly question, reused like the standing."""
        return self.reuse("keep_well", self._keep_well)

    def _keep_well(self) -> keepwell.KeepWell:
        where = self.standing()  # read already on most pages: its facts and warning serve here
        if where.well is not None:  # keeping well: the standing worked it out for its walk
            return where.well
        known = keepwell.Known(where.kept, where.warning) if where.kept is not None else None
        return keepwell.keep_well(self.diary, self.now(), self.rb, known)

    def moment(self) -> tuple[int, int] | None:
        """How long a read stays good: until the diary changes (any writer) or the next time
        slot begins; None when the database cannot say cheaply (then nothing is reused)."""
        mark = self.diary.change_mark()
        if mark is None and self.per_request:
            mark = self.diary.writes
        if mark is None:
            return None
        return mark, int(self.now().timestamp() // REUSE_SECONDS)

    def peek(self, name: str) -> Any:
        """What `reuse` stored under `name`, if it is still good; else None."""
        found = self._kept(_in_language(name))
        return found[0] if found is not None else None

    def reuse(self, name: str, compute: Callable[[], T]) -> T:
        """`compute()`, or what it gave at this same moment. A result is kept only when the
        diary did not change while it was being computed (so it cannot be older than its key).

        One computation per name at a time. When a time slot ends, every request in flight
        found the page out of date at once and each rebuilt it (16 connections: 16 rebuilds
        queued on one interpreter, a p99 of 300 ms every REUSE_SECONDS). Now the first
        rebuilds; while it does, the others take the page of the slot before if the diary has
        not changed since (time alone changes a page only over hours), else wait for it.
        What is kept is kept per language: a page, or the words of where someone stands."""
        name = _in_language(name)
        found = self._kept(name)
        if found is not None:
            return cast(T, found[0])
        lock = self._lock(name)
        if not lock.acquire(blocking=False):
            earlier = self._kept(name, slots_late=1)
            if earlier is not None:
                return cast(T, earlier[0])
            lock.acquire()
        try:
            found = self._kept(name)
            if found is not None:
                return cast(T, found[0])
            before = self.moment()
            value = self._computed(compute)
            if before is not None and self.moment() == before:
                self.cache[name] = (before, value)
            return value
        finally:
            lock.release()

    def _computed(self, compute: Callable[[], T]) -> T:
        with self.reading():
            return compute()

    def reading(self) -> AbstractContextManager[None]:
        """For one request's state (hosted mode, where nothing is kept between requests): every
        read inside in one transaction (`Diary.one_read`). Pages built by `reuse` have it; a
        handler that reads more than one thing beside it opens it around them all."""
        return self.diary.one_read() if self.per_request else nullcontext()

    def _kept(self, name: str, slots_late: int = 0) -> tuple[Any] | None:
        """What `reuse` kept under `name`, in a tuple (a page may be anything), if it is still
        good: kept with the diary as it is now, in this time slot or up to `slots_late` before."""
        key = self.moment()
        hit = self.cache.get(name)
        if key is None or hit is None:
            return None
        (mark, slot), (mark_now, slot_now) = hit[0], key
        return (hit[1],) if mark == mark_now and slot_now - slots_late <= slot <= slot_now else None

    def _lock(self, name: str) -> threading.RLock:
        with self.computing_guard:
            return self.computing.setdefault(name, threading.RLock())


def _in_language(name: str) -> str:
    return f"{name}@{i18n.active()}"


# The screens of each language's rulebook, by the rulebook's id (one entry per language).
_steps: dict[int, tuple[Rulebook, tuple[Step, ...]]] = {}


def steps_in(rb: Rulebook) -> tuple[Step, ...]:
    hit = _steps.get(id(rb))
    if hit is None or hit[0] is not rb:
        hit = _steps[id(rb)] = (rb, build_steps(rb))
    return hit[1]


def get_state(request: Request) -> WebState:
    """The app's state; in hosted mode, the copy scoped to this request's person."""
    scoped: WebState | None = request.scope.get("state", {}).get("web")
    if scoped is not None:
        return scoped
    state: WebState = request.app.state.web
    return state
