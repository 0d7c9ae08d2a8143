"""Whose diary a Diary object reads and writes: every query is scoped to one person.

Two layers keep one person's rows from another. Here, in the one place every diary query passes
through, each ORM statement on a person's tables gets ``owner_id = <the person>`` added
(SQLAlchemy's ``with_loader_criteria``), and each new row must carry the same owner. Below,
on PostgreSQL, every transaction names its person with ``set_config(..., is_local => true)``
(the function form of ``SET LOCAL``) for the row-level security policies of migration 0005,
so a query that slipped past this module still returns nothing of anybody else's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Executable, Integer, bindparam, event, text
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, with_loader_criteria

from backwalk.diary.errors import DiaryError
from backwalk.diary.models import LOCAL_PERSON_ID, OWNED_MODELS

SCOPE_KEY = "backwalk_scope"
NAME_THE_PERSON = text(
    "SELECT set_config('backwalk.owner', :owner, true),"
    " set_config('backwalk.viewer', :viewer, true)"
)


@dataclass(frozen=True)
class Scope:
    """``owner``: whose rows (None: nobody yet, so reads find nothing). ``viewer``: a clinician
    reading the owner's diary under a share, which makes the diary read-only.
    ``filter_queries`` exists for one test: switched off, row-level security must hold alone."""

    owner: int | None
    viewer: int | None = None
    filter_queries: bool = True

    @property
    def read_only(self) -> bool:
        return self.viewer is not None

    @property
    def criteria(self) -> tuple[Any, ...]:
        """The loader options that keep a statement to the owner's rows (`owner_criteria`)."""
        return owner_criteria(self.owner)


@lru_cache(maxsize=4096)
def owner_criteria(owner: int | None) -> tuple[Any, ...]:
    """One plain criterion per table for `owner`'s rows. Made once per person while they are
    active (the most recent few thousand people are kept), not once per statement or request:
    building them was a third of a hosted page's time in SQLAlchemy's expression code, and
    half a millisecond of every request. The owner is a bound value of the statement, so the
    compiled statements are the same for everybody."""
    return tuple(
        with_loader_criteria(
            model,
            model.owner_id == owner,  # type: ignore[attr-defined]
            include_aliases=True,
        )
        for model in OWNED_MODELS
    )


LOCAL = Scope(owner=LOCAL_PERSON_ID)

# The owner as a bound value of statements kept to the owner when they are built (`owners_rows`).
OWNER = bindparam("backwalk_owner", type_=Integer)
_UNFILTERED = "backwalk_unfiltered"
Statement = TypeVar("Statement", bound=Executable)


def owners_rows(statement: Statement) -> Statement:
    """`statement` kept to the owner's rows where it is built, once, not on every execution.

    The same criteria as `owner_criteria` (SQLAlchemy's, so they reach every subquery, union
    and alias), with the owner a bound value filled in at each execution. Adding criteria to a
    statement as it runs makes a new statement each time, whose criteria SQLAlchemy analyses
    again: a fifth of a millisecond a query, and the hot reads of a page are a dozen queries.
    The statement as written is kept alongside for the test that switches the filter off."""
    criteria = (
        with_loader_criteria(model, model.owner_id == OWNER, include_aliases=True)  # type: ignore[attr-defined]
        for model in OWNED_MODELS
    )
    kept: Statement = statement.options(*criteria).execution_options(  # type: ignore[attr-defined]
        **{_UNFILTERED: statement}
    )
    return kept


class ScopedSession(Session):
    """A session that knows its Scope (in ``info``) and applies it to every statement."""


def scoped_session(bind: Engine, scope: Scope) -> ScopedSession:
    """A session on `bind` that keeps to ``scope``."""
    return ScopedSession(bind, expire_on_commit=False, info={SCOPE_KEY: scope})


def scope_of(session: Session) -> Scope:
    scope: Scope = session.info[SCOPE_KEY]
    return scope


@event.listens_for(ScopedSession, "do_orm_execute")
def _only_the_owners_rows(state: ORMExecuteState) -> None:
    scope = scope_of(state.session)
    unfiltered = state.execution_options.get(_UNFILTERED)
    if unfiltered is not None:  # kept to the owner when it was built (`owners_rows`)
        if scope.filter_queries:  # reads only: one dict of parameters, never a list of them
            given = state.parameters if isinstance(state.parameters, Mapping) else {}
            state.parameters = {**given, OWNER.key: scope.owner}
        else:
            state.statement = unfiltered
        return
    if not scope.filter_queries or state.is_relationship_load or state.is_column_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    # One plain criterion per table, added in one go: a lambda per table, or one `options`
    # call per table, cost a third of a page's time (they are analysed on every statement).
    state.statement = state.statement.options(*scope.criteria)


@event.listens_for(ScopedSession, "before_flush")
def _new_rows_belong_to_the_owner(session: Session, _context: Any, _instances: Any) -> None:
    owner = scope_of(session).owner
    for row in session.new:
        if isinstance(row, OWNED_MODELS) and row.owner_id != owner:  # type: ignore[attr-defined]
            raise DiaryError("a record was about to be written into another person's diary")


@event.listens_for(ScopedSession, "after_begin")
def _name_the_person(session: Session, _tx: SessionTransaction, connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    scope = scope_of(session)
    connection.execute(
        NAME_THE_PERSON,
        {"owner": _setting(scope.owner), "viewer": _setting(scope.viewer)},
    )


def _setting(person: int | None) -> str:
    return "" if person is None else str(int(person))
