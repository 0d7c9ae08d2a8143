"""The Diary: every read and write of checks, walks and check-ins goes through here."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, bindparam, delete, func, select
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from backwalk.diary import checks as checks_by
from backwalk.diary import export as exporting
from backwalk.diary import keepwell as kept
from backwalk.diary import validate, walks
from backwalk.diary import warnings as warned
from backwalk.diary.changes import ChangeCounter
from backwalk.diary.checks import build_check_row
from backwalk.diary.convert import check_record, checkin_record, walk_record
from backwalk.diary.engine import (
    READ_ONLY,
    cannot_open,
    create_diary_engine,
    describe,
    mask_url,
    parse_url,
    resolve_url,
)
from backwalk.diary.errors import (
    DiaryError,
    DiaryUnavailable,
    NotFound,
    WalkInProgress,
)
from backwalk.diary.measures import (
    ActivityScore,
    OutcomeRecord,
    build_outcome_row,
    outcome_record,
    progress_measures,
)
from backwalk.diary.models import (
    CheckinRow,
    CheckRow,
    ClinicianVisitRow,
    OutcomeRow,
    RecoveryRow,
    RecurrenceRow,
    WalkRow,
)
from backwalk.diary.records import (
    CheckinDecision,
    CheckinRecord,
    CheckRecord,
    CheckSummary,
    History,
    KeepwellFacts,
    MedicineRecord,
    ProgrammeRecord,
    RecoveryRecord,
    RecurrenceRecord,
    Snapshot,
    VisitRecord,
    WalkedDay,
    WalkEnd,
    WalkLogRecord,
    WalkRecord,
    WalkStatus,
    WarningRecord,
)
from backwalk.diary.scope import LOCAL, Scope, scoped_session
from backwalk.errors import InputError, NotDue, ReadOnlyDiary

_CHECK_ID = select(CheckRow.id).where(CheckRow.id == bindparam("check_id"))
_NEWER_SCHEMA = "it was written by a newer version of backwalk; upgrade backwalk to open it"


def open_diary(url: str | None = None) -> Diary:
    """Open the diary, creating it or migrating it to the current schema first.

    The database is ``url`` if given, else ``BACKWALK_DB``, else ``diary.db`` in the user's
    data directory. Any failure to reach or set up the database raises ``DiaryError``.
    """
    raw_url = resolve_url(url)
    engine = create_diary_engine(parse_url(raw_url))
    try:
        _migrate_to_head(engine, raw_url)
    except BaseException:
        engine.dispose()
        raise
    return Diary(engine, url=raw_url)


def _migrate_to_head(engine: Engine, raw_url: str) -> None:
    # Imported here because alembic takes ~0.15 s to import; only opening a diary needs it.
    from alembic.util.exc import CommandError

    from backwalk.diary import migrate

    try:
        newer = migrate.unknown_revision(engine)
        if newer is not None:
            raise cannot_open(raw_url, f"{_NEWER_SCHEMA} (schema revision {newer!r})")
        migrate.upgrade(engine)
    except (SQLAlchemyError, CommandError, OSError) as err:
        raise cannot_open(raw_url, err) from err


class Diary:
    """A person's record of checks and walks. Every write is committed before returning.

    A Diary reads and writes one person's rows (its Scope): the local person in local mode, or
    whoever `scoped` names in hosted mode. ``claim`` makes the owner when the first write comes
    from somebody who has none yet (an anonymous device's first check); ``on_write`` is told
    before every write (hosted mode counts them against its rate limits, and may refuse).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        url: str,
        scope: Scope = LOCAL,
        claim: Callable[[], int] | None = None,
        changes: ChangeCounter | None = None,
        on_write: Callable[[], None] | None = None,
        reader: Engine | None = None,
    ) -> None:
        self._engine = engine
        # The same engine with reads marked as such (see engine._begin); made once per engine,
        # not per scoped diary (one per hosted request).
        self._reader = reader or engine.execution_options(**{READ_ONLY: True})
        self._on_write = on_write
        self._owns_engine = changes is None
        self._changes = changes or ChangeCounter(engine)
        self._url = url if changes is not None else mask_url(url)
        self._claim = claim
        self._writes = 0
        self._shared = threading.local()  # `one_read`'s transaction, per thread
        self._set_scope(scope)

    def _set_scope(self, scope: Scope) -> None:
        # Sessions are made directly, not by a sessionmaker: each sessionmaker makes a Session
        # class of its own, and the scope's event listeners are copied onto it, a cost every
        # hosted request paid twice (one scoped diary each).
        self._scope = scope
        self._sessions = partial(scoped_session, self._engine, scope)
        self._read_sessions = partial(scoped_session, self._reader, scope)

    def scoped(
        self,
        owner: int | None,
        *,
        viewer: int | None = None,
        claim: Callable[[], int] | None = None,
        filter_queries: bool = True,
        on_write: Callable[[], None] | None = None,
    ) -> Diary:
        """The diary of ``owner`` on the same connections (cheap: one per request is fine).
        With ``viewer``, a clinician's read-only view of it."""
        scope = Scope(owner=owner, viewer=viewer, filter_queries=filter_queries)
        return Diary(
            self._engine,
            url=self._url,
            scope=scope,
            claim=claim,
            changes=self._changes,
            on_write=on_write,
            reader=self._reader,
        )

    @property
    def owner(self) -> int | None:
        """Whose diary this is (None: an anonymous visitor who has written nothing yet)."""
        return self._scope.owner

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def url(self) -> str:
        """Where the diary lives, with any password masked."""
        return self._url

    def record_check(
        self,
        *,
        at: datetime,
        answers: dict[str, Any],
        assessment: dict[str, Any],
        text: str | None = None,
    ) -> CheckRecord:
        """Store a pre-walk check: the answers, the full assessment and the free text."""
        record, _ = self.record_check_once(at=at, answers=answers, assessment=assessment, text=text)
        return record

    def record_check_once(
        self,
        *,
        at: datetime,
        answers: dict[str, Any],
        assessment: dict[str, Any],
        text: str | None = None,
        client_id: str | None = None,
    ) -> tuple[CheckRecord, bool]:
        """Store a check; with a ``client_id`` already stored, return that check instead and
        say so (True). The unique index decides, so copies sent together store one row."""
        row = build_check_row(at=at, answers=answers, assessment=assessment, text=text)
        row.client_id = validate.optional_text("client_id", client_id)
        with self._transaction(claim=True) as session:
            row.owner_id = self._writer()
            if row.client_id is None:
                session.add(row)
                session.flush()
                return check_record(row), False
            new_id = checks_by.insert_once(session, row)
            if new_id is None:  # this client_id is stored already: that check is the answer
                first = _found(checks_by.check_by_client_id(session, row.client_id))
                return check_record(first), True
            return check_record(_found(session.get(CheckRow, new_id))), False

    def latest_check(self) -> CheckRecord | None:
        """The most recent check, or None if there is none."""
        newest = self.checks(limit=1)
        return newest[0] if newest else None

    def checks(self, limit: int | None = None) -> list[CheckRecord]:
        """Checks oldest first; with ``limit``, only the most recent ``limit`` of them."""
        with self._reading() as session:
            return _checks(session, validate.optional_limit(limit))

    def check_summaries(self, limit: int | None = None) -> list[CheckSummary]:
        """`checks` without each check's answers and assessment (`CheckSummary`)."""
        with self._reading() as session:
            return checks_by.summaries(session, validate.optional_limit(limit))

    def ping(self) -> None:
        """Ask the database one trivial question; DiaryUnavailable if it cannot answer."""
        with self._reading() as session:
            session.execute(select(1))

    def change_mark(self) -> int | None:
        """A number that differs after any commit to the diary, by this process or another;
        None where the database cannot say cheaply (then nothing may be cached)."""
        if self._scope != LOCAL:  # hosted: many people, and a write by one says nothing
            return None
        return self._changes.mark()

    @property
    def writes(self) -> int:
        """How many write transactions this Diary object has opened (tried or done): what a
        request that reads the same things twice compares, to know its own write came between."""
        return self._writes

    def snapshot(self, walk_limit: int) -> Snapshot:
        """The latest check, the most recent walks (without check-ins) and the walk in progress,
        read in one transaction: a page sees one consistent moment and opens the diary once.

        Plain column queries, no ORM objects: every page asks this, so it must be cheap.
        """
        with self._reading() as session:
            return self._snapshot(session, walk_limit)

    def standing_snapshot(
        self, walk_limit: int, warnings_since: datetime
    ) -> tuple[Snapshot, tuple[WarningRecord | None, VisitRecord | None], KeepwellFacts]:
        """Everything where the person stands is decided from, in one transaction: the
        snapshot, `warning_state(warnings_since)` and `keepwell_facts()` (every page leads
        with the standing, so it is one round of indexed lookups, not three)."""
        since = validate.aware_utc("warnings_since", warnings_since)
        with self._reading() as session:
            snap = self._snapshot(session, walk_limit)
            return snap, warned.warning_state(session, since), kept.facts(session)

    @staticmethod
    def _snapshot(session: Session, walk_limit: int) -> Snapshot:
        latest = walks.latest_check(session)
        summaries = walks.recent_summaries(session, validate.optional_limit(walk_limit) or 0)
        active = next((w for w in summaries if w.status is WalkStatus.IN_PROGRESS), None)
        full = (
            session.get(WalkRow, active.id, options=[selectinload(WalkRow.checkins)])
            if active
            else None
        )
        return Snapshot(
            latest_check=latest,
            recent_walks=summaries,
            active_walk=walk_record(full) if full else None,
        )

    def first_scored_check(self) -> CheckRecord | None:
        """The oldest check with a pain score: where progress on pain is measured from."""
        with self._reading() as session:
            return _first_scored(session)

    def recent_history(self, rows: int) -> History:
        """What the history page lists, in one transaction: the `rows` latest walks (without
        their check-ins: only when one stopped a walk to seek care), checks, visits, walks logged
        by hand and medicines, whether there are more, the first check with a pain score and the
        measures progress is judged by (`progress_measures`)."""
        shown = validate.optional_limit(rows) or 0
        with self._reading() as session:
            walks_ = walks.recent_summaries(session, shown + 1)
            checks = checks_by.summaries(session, shown + 1)
            logs = kept.walk_logs(session, None, shown + 1)
            taken = kept.medicines(session, None, shown + 1)
            return History(
                walks=walks_[-shown:] if shown else [],
                checks=checks[-shown:] if shown else [],
                more=any(len(rows_) > shown for rows_ in (walks_, checks, logs, taken)),
                visits=warned.visits(session, shown),
                first_scored=checks_by.first_scored(session),
                measures=progress_measures(session),
                walk_logs=logs[-shown:] if shown else [],
                medicines=taken[-shown:] if shown else [],
                seek_care_at=walks.seek_care_at(session, shown) if shown else [],
            )

    def get_check(self, check_id: int) -> CheckRecord:
        """One check; ``NotFound`` if there is no such check."""
        validate.record_id("check", check_id)
        with self._reading() as session:
            row = session.get(CheckRow, check_id)
            if row is None:
                raise NotFound("check", check_id)
            return check_record(row)

    def counts(self) -> tuple[int, int]:
        """How many checks and walks the diary holds (what `forget` would delete)."""
        with self._reading() as session:
            checks = session.scalar(select(func.count()).select_from(CheckRow)) or 0
            walks_ = session.scalar(select(func.count()).select_from(WalkRow)) or 0
        return checks, walks_

    def start_walk(
        self, *, at: datetime, planned_minutes: int, pain_before: int, check_id: int | None
    ) -> WalkRecord:
        """Start a walk (status ``in_progress``), optionally linked to the check that led to it."""
        row = walks.new_walk_row(
            at=validate.aware_utc("at", at),
            planned_minutes=validate.positive_int("planned_minutes", planned_minutes),
            pain_before=validate.pain("pain_before", pain_before),
            check_id=check_id,
        )
        with self._transaction(claim=True) as session:
            row.owner_id = self._writer()
            self._require_check(session, check_id)
            active = walks.in_progress_id(session)
            if active is not None:
                raise WalkInProgress(active)
            session.add(row)
            try:
                session.flush()
            except IntegrityError as err:  # a start that raced this one won: one walk at a time
                raise WalkInProgress(None) from err
            set_committed_value(row, "checkins", [])  # a new walk has none: no query to say so
            return walk_record(row)

    def heartbeat(self, walk_id: int, *, elapsed_seconds: float) -> None:
        """Note that the walk is still going, ``elapsed_seconds`` after it started."""
        elapsed = validate.seconds("elapsed_seconds", elapsed_seconds)
        with self._transaction() as session:
            walk = walks.locked_walk(session, walk_id, checkins=False)
            walks.require_in_progress(walk)
            seen_at = walks.heartbeat_time(walk, elapsed)
            walks.mark_alive(walk, seen_at=seen_at, elapsed_seconds=elapsed)

    def check_in(
        self,
        walk_id: int,
        *,
        at: datetime,
        elapsed_seconds: float,
        client_id: str | None,
        decide: Callable[[int], CheckinDecision],
    ) -> tuple[CheckinRecord, bool, WalkRecord]:
        """Store an in-walk check-in, decided inside its transaction from the walk's pain before
        (`decide`); return it, whether it repeated a ``client_id``, and the walk as it stands
        after, check-ins and all. One transaction for the whole check-in (a walk sends one
        every minute or so): the walk locked, the decision, the insert, the walk's end if a
        stop rule fired, and the walk read back.

        The insert itself decides (the unique ``client_id`` per walk), so copies sent at the
        same moment store one row, and every copy but one is answered "duplicate".
        """
        moment = validate.aware_utc("at", at)
        elapsed = validate.seconds("elapsed_seconds", elapsed_seconds)
        with self._transaction() as session:
            # Locked first, so a check-in and the walk's end cannot cross; nobody's walk: nothing
            # written. Its check-ins are read once, at the end, with the new one among them.
            walk = walks.locked_walk(session, walk_id, checkins=False)
            decision = decide(walk.pain_before)
            values = _checkin_values(walk_id, moment, elapsed, decision, client_id)
            values["owner_id"] = self._writer()
            end = _checked_end(decision.ends_walk)
            checkin_id, duplicate = self._store_checkin(session, walk, values)
            if end is not None and not duplicate:
                walks.end_walk(
                    walk,
                    at=moment,
                    status=end.status,
                    elapsed_seconds=elapsed,
                    pain_after=end.pain_after,
                    stop_reason=end.stop_reason,
                )
            session.flush()
            session.refresh(walk, ["checkins"])
            stored = next((c for c in walk.checkins if c.id == checkin_id), None)
            return checkin_record(_found(stored)), duplicate, walk_record(walk)

    def add_checkin(self, walk_id: int, **fields: Any) -> CheckinRecord:
        """`record_checkin` without the "duplicate" answer: the check-in as stored."""
        record, _ = self.record_checkin(walk_id, **fields)
        return record

    def record_checkin(
        self,
        walk_id: int,
        *,
        at: datetime,
        elapsed_seconds: float,
        current_pain: int,
        sharp_or_shooting: bool,
        red_flags: list[str],
        action: str,
        client_id: str | None = None,
        ends_walk: WalkEnd | None = None,
    ) -> tuple[CheckinRecord, bool]:
        """`check_in` with the decision already made; also say whether it was a repeat of a
        ``client_id``. With ``ends_walk``, a new check-in also ends its walk, in the same
        transaction."""
        decision = CheckinDecision(current_pain, sharp_or_shooting, red_flags, action, ends_walk)
        record, duplicate, _walk = self.check_in(
            walk_id,
            at=at,
            elapsed_seconds=elapsed_seconds,
            client_id=client_id,
            decide=lambda _pain_before: decision,
        )
        return record, duplicate

    def finish_walk(
        self,
        walk_id: int,
        *,
        at: datetime,
        status: WalkStatus,
        elapsed_seconds: float,
        pain_after: int | None,
        stop_reason: str | None,
    ) -> WalkRecord:
        """End a walk with its final status; ending a walk twice raises ``DiaryError``."""
        final_status = _final_status(status)
        ended_at = validate.aware_utc("at", at)
        elapsed = validate.seconds("elapsed_seconds", elapsed_seconds)
        after = validate.optional_pain("pain_after", pain_after)
        reason = validate.optional_text("stop_reason", stop_reason)
        with self._transaction() as session:
            walk = walks.locked_walk(session, walk_id)
            walks.require_in_progress(walk)
            walks.end_walk(
                walk,
                at=ended_at,
                status=final_status,
                elapsed_seconds=elapsed,
                pain_after=after,
                stop_reason=reason,
            )
            return walk_record(walk)

    def active_walk(self) -> WalkRecord | None:
        """The newest walk still in progress (the one to resume), or None."""
        query = (
            select(WalkRow)
            .where(WalkRow.status == WalkStatus.IN_PROGRESS.value)
            .options(selectinload(WalkRow.checkins))
            .order_by(WalkRow.started_at.desc(), WalkRow.id.desc())
            .limit(1)
        )
        with self._reading() as session:
            walk = session.scalars(query).one_or_none()
            return walk_record(walk) if walk else None

    def recover_interrupted(self, *, now: datetime, stale_after_seconds: float) -> list[WalkRecord]:
        """Mark walks not heard from for ``stale_after_seconds`` as interrupted; return them.

        Each one ends at its last sign of life (start, heartbeat or check-in), because that is
        the last moment the person is known to have been walking.
        """
        stale_for = validate.seconds("stale_after_seconds", stale_after_seconds)
        cutoff = validate.aware_utc("now", now) - timedelta(seconds=stale_for)
        with self._reading() as session:  # look first: most of the time there is nothing to do
            if not walks.any_stale(session, cutoff):
                return []
        with self._transaction() as session:
            stale = walks.stale_walks(session, cutoff)
            for walk in stale:
                walks.mark_interrupted(walk)
            return [walk_record(walk) for walk in stale]

    def walks(self, limit: int | None = None) -> list[WalkRecord]:
        """Walks oldest first, with their check-ins; with ``limit``, only the most recent."""
        with self._reading() as session:
            return _walks(session, validate.optional_limit(limit))

    def walked_days(self, first: date, last: date) -> dict[date, WalkedDay]:
        """Each day from `first` to `last` that a walk started on or a walk was logged for, with
        the seconds walked, the walks stopped and the minutes logged (`WalkedDay`), added up by
        the database in one transaction: what minutes walked and the programme's setbacks are
        counted from, in a few rows whatever the number of walks."""
        if last < first:
            raise InputError("last", "the last day comes before the first")
        with self._reading() as session:
            walked = walks.walked_days(session, first, last)
            for day, minutes in kept.logged_by_day(session, first, last).items():
                walks_of_day = walked.get(day, WalkedDay(None, 0))
                walked[day] = replace(walks_of_day, logged_minutes=minutes)
            return walked

    def get_walk(self, walk_id: int) -> WalkRecord:
        """One walk with its check-ins; ``NotFound`` if there is no such walk."""
        validate.record_id("walk", walk_id)
        with self._reading() as session:
            walk = session.get(WalkRow, walk_id, options=[selectinload(WalkRow.checkins)])
            if walk is None:
                raise NotFound("walk", walk_id)
            return walk_record(walk)

    def export(self, fmt: str, *, now: datetime | None = None) -> str:
        """The whole diary as ``"json"`` or ``"csv"`` text (see docs/diary.md for the layout)."""
        if fmt not in exporting.FORMATS:
            choices = ", ".join(exporting.FORMATS)
            raise InputError("format", f"unknown export format {fmt!r}; expected one of: {choices}")
        exported_at = validate.aware_utc("now", now or datetime.now(UTC))
        return exporting.render(
            fmt,
            self.checks(),
            self.walks(),
            exported_at=exported_at,
            outcomes=self.outcomes(),
            visits=self.visits(),
            keepwell=self.keepwell_facts(),
            walk_logs=self.walk_logs(),
            medicines=self.medicines(),
        )

    def forget(self) -> int:
        """Delete every check, walk and check-in; return how many rows were deleted."""
        deleted = 0
        with self._transaction() as session:
            models = (CheckinRow, WalkRow, OutcomeRow, CheckRow, ClinicianVisitRow)
            for model in (*models, *kept.KEEPWELL_MODELS):
                deleted += _count_deleted(session.execute(delete(model)))
        return deleted

    def record_visit(self, *, at: datetime) -> VisitRecord:
        """Store the person's word that a clinician has seen them ("I have been seen")."""
        row = ClinicianVisitRow(at=validate.aware_utc("at", at))
        with self._transaction(claim=True) as session:
            row.owner_id = self._writer()
            session.add(row)
            session.flush()
            return VisitRecord(row.id, row.at)

    def warning_state(self, since: datetime) -> tuple[WarningRecord | None, VisitRecord | None]:
        """The most recent warning sign at or after `since` that no visit came after, and the
        latest visit, in one read."""
        with self._reading() as session:
            return warned.warning_state(session, validate.aware_utc("since", since))

    def visits(self, limit: int | None = None) -> list[VisitRecord]:
        """The "I have been seen" records, oldest first; with `limit`, the most recent ones."""
        with self._reading() as session:
            return warned.visits(session, validate.optional_limit(limit))

    def log_walk(self, *, at: datetime, walked_on: date, minutes: int) -> WalkLogRecord:
        """Store a walk logged by hand: the day and the minutes (1 to 600)."""
        row = kept.walk_log_row(at, walked_on, minutes)
        with self._transaction(claim=True) as session:
            row.owner_id = self._writer()
            session.add(row)
            session.flush()
            return kept.walk_log_record(row)

    def walk_logs(self, since: date | None = None, limit: int | None = None) -> list[WalkLogRecord]:
        """Walks logged by hand, by day, oldest first; with `since`, from that day on; with
        `limit`, the latest ones."""
        with self._reading() as session:
            return kept.walk_logs(session, since, validate.optional_limit(limit))

    def log_medicine(
        self, *, at: datetime, taken_at: datetime, name: str, dose: str
    ) -> MedicineRecord:
        """Store a medicine taken for the pain, its name and dose as the person wrote them."""
        row = kept.medicine_row(at, taken_at, name, dose)
        with self._transaction(claim=True) as session:
            row.owner_id = self._writer()
            session.add(row)
            session.flush()
            return kept.medicine_record(row)

    def medicines(
        self, since: datetime | None = None, limit: int | None = None
    ) -> list[MedicineRecord]:
        """Medicines by the time they were taken, oldest first; with `limit`, the latest."""
        with self._reading() as session:
            return kept.medicines(session, since, validate.optional_limit(limit))

    def record_recovery(
        self, *, at: datetime, resume: tuple[tuple[str, ...], int] | None = None
    ) -> RecoveryRecord:
        """Store the person's word that their back is back to normal; with `resume` (days,
        minutes a walk), the walking plan a new episode paused picks up at that same moment,
        in the same transaction (so the phase never reads one without the other)."""
        row = RecoveryRow(at=validate.aware_utc("at", at))
        plan = kept.programme_row(at, *resume) if resume is not None else None
        with self._transaction(claim=True) as session:
            owner = self._writer()
            row.owner_id = owner
            session.add(row)
            if plan is not None:
                plan.owner_id = owner
                session.add(plan)
            session.flush()
            return RecoveryRecord(row.id, row.at)

    def record_recurrence(
        self, *, at: datetime, since: datetime, limited_activity: bool
    ) -> RecurrenceRecord:
        """Store an answer to the monthly question asked about the time from `since`. The
        question is answered once: a second answer (even one racing this) raises NotDue."""
        row = RecurrenceRow(
            at=validate.aware_utc("at", at),
            since=validate.aware_utc("since", since),
            limited_activity=_boolean("limited_activity", limited_activity),
        )
        with self._transaction(claim=True) as session:
            row.owner_id = self._writer()
            session.add(row)
            try:
                session.flush()
            except IntegrityError as err:
                raise NotDue(
                    "limited_activity", "this month's question is answered already"
                ) from err
            return kept.recurrence_record(row)

    def record_programme(
        self, *, at: datetime, days: tuple[str, ...], minutes_per_walk: int
    ) -> ProgrammeRecord:
        """Store the walking programme's days and minutes, as set up or changed now."""
        row = kept.programme_row(at, days, minutes_per_walk)
        with self._transaction(claim=True) as session:
            row.owner_id = self._writer()
            session.add(row)
            session.flush()
            return kept.programme_record(row)

    def keepwell_facts(self) -> KeepwellFacts:
        """Recoveries, recurrence answers and programme settings, in one read."""
        with self._reading() as session:
            return kept.facts(session)

    def record_outcome(
        self,
        *,
        at: datetime,
        activities: list[ActivityScore] | list[tuple[str, int]],
        global_change: int | None = None,
        check_id: int | None = None,
    ) -> OutcomeRecord:
        """Store a weekly outcome measure: activities rated 0-10 and a global rating (-3..3)."""
        row = build_outcome_row(
            at=at, activities=activities, global_change=global_change, check_id=check_id
        )
        with self._transaction(claim=True) as session:
            row.owner_id = self._writer()
            self._require_check(session, check_id)
            session.add(row)
            session.flush()
            return outcome_record(row)

    def outcomes(self, limit: int | None = None) -> list[OutcomeRecord]:
        """Outcome measures oldest first; with ``limit``, only the most recent ``limit``."""
        query = select(OutcomeRow).order_by(OutcomeRow.at.desc(), OutcomeRow.id.desc())
        query = query.limit(validate.optional_limit(limit))
        with self._reading() as session:
            rows = list(session.scalars(query))
            return [outcome_record(row) for row in reversed(rows)]

    def progress_measures(self) -> list[OutcomeRecord]:
        """The few measures progress is judged by (`outcomes.progress` reads the same from
        them as from every measure): the latest ones and the baseline of the latest set."""
        with self._reading() as session:
            return progress_measures(session)

    def latest_outcome(self) -> OutcomeRecord | None:
        """The most recent outcome measure, or None."""
        newest = self.outcomes(limit=1)
        return newest[0] if newest else None

    def close(self) -> None:
        """Release the database connections (an in-memory diary is gone after this). A scoped
        diary borrows its connections, so closing it leaves them to the diary it came from."""
        if self._owns_engine:
            self._changes.close()
            self._engine.dispose()

    def __enter__(self) -> Diary:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Diary({self._url!r})"

    @contextmanager
    def one_read(self) -> Iterator[None]:
        """Every read inside shares one read transaction, in this thread: one connection from
        the pool (one pre-ping), one BEGIN, one owner named, one COMMIT for the lot, where each
        read on its own pays for all of them (hosted mode's page reads five or six times). The
        reads see one moment, as a page should. A write inside ends the shared transaction
        first, so what is read after it sees the write. Reentrant: inside, it does nothing."""
        if self._shared.__dict__.get("reading") is not None:
            yield
            return
        self._shared.reading = _SharedRead()
        try:
            yield
        except BaseException:
            self._end_shared_read(commit=False)  # what failed is the caller's to report
            raise
        else:
            self._end_shared_read()
        finally:
            self._shared.reading = None

    def _end_shared_read(self, *, commit: bool = True) -> None:
        shared: _SharedRead | None = self._shared.__dict__.get("reading")
        if shared is None or shared.session is None:
            return
        session, shared.session = shared.session, None
        if not commit:
            with suppress(SQLAlchemyError):  # a rollback; the error on its way matters more
                session.close()
            return
        with self._translated():
            try:
                session.commit()
            finally:
                session.close()

    @contextmanager
    def _transaction(self, *, claim: bool = False) -> Iterator[Session]:
        # One write transaction per call, committed on the way out: a record the caller has
        # been handed back is already durable.
        self._end_shared_read()  # the reads after this write see it
        self._ensure_writable(claim)
        self._writes += 1
        with self._guarded(self._sessions) as session:
            yield session

    def _ensure_writable(self, claim: bool) -> None:
        if self._scope.read_only:
            raise ReadOnlyDiary()
        if self._on_write is not None:  # before a claim: a refused write makes no person
            self._on_write()
        if claim and self._scope.owner is None and self._claim is not None:
            # The first write of somebody without a person yet: make one, then write as them.
            self._set_scope(Scope(owner=self._claim(), filter_queries=self._scope.filter_queries))

    def _writer(self) -> int:
        """The owner every row written now gets (set by `_ensure_writable`)."""
        if self._scope.owner is None:
            raise DiaryError("this diary has no owner yet, so nothing can be written to it")
        return self._scope.owner

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        # A read never takes SQLite's write lock (see engine._begin): pages stay fast while a
        # walk is being written, and a read-only diary can still be read.
        shared: _SharedRead | None = self._shared.__dict__.get("reading")
        if shared is None:
            with self._guarded(self._read_sessions) as session:
                yield session
            return
        if shared.session is None:
            shared.session = self._read_sessions()
            shared.session.begin()
        try:
            with self._translated():
                yield shared.session
        except BaseException:
            # A failed statement spoils the transaction (PostgreSQL refuses the rest of it):
            # the next read, if any, starts a new one.
            session, shared.session = shared.session, None
            if session is not None:
                session.close()
            raise

    @contextmanager
    def _guarded(self, sessions: Callable[[], Session]) -> Iterator[Session]:
        with self._translated(), sessions() as session, session.begin():
            yield session

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except DataError as err:  # the database refused a value: bad input, not an outage
            raise DiaryError(f"a value could not be stored ({describe(err)})") from err
        except SQLAlchemyError as err:
            raise DiaryUnavailable(f"the diary at {self._url} failed: {describe(err)}") from err

    @staticmethod
    def _require_check(session: Session, check_id: int | None) -> None:
        # Only whether the person has it: its id, not its answers and assessment (kilobytes).
        if check_id is None:
            return
        found = session.scalar(_CHECK_ID, {"check_id": validate.record_id("check", check_id)})
        if found is None:
            raise NotFound("check", check_id)

    @staticmethod
    def _store_checkin(session: Session, walk: WalkRow, values: dict[str, Any]) -> tuple[int, bool]:
        """The check-in's id, and whether it was stored before (a repeat of its client_id)."""
        if walk.status != WalkStatus.IN_PROGRESS:
            existing = walks.checkin_by_client_id(session, walk.id, values["client_id"])
            if existing is not None:  # a late copy of a check-in that ended the walk
                return existing.id, True
            walks.require_in_progress(walk)
        new_id = walks.insert_checkin(session, values)
        if new_id is None:  # the conflict that skipped the insert is the copy stored before
            existing = walks.checkin_by_client_id(session, walk.id, values["client_id"])
            return _found(existing).id, True
        walks.mark_alive(walk, seen_at=values["at"], elapsed_seconds=values["elapsed_seconds"])
        return new_id, False


def _checkin_values(
    walk_id: int,
    at: datetime,
    elapsed: float,
    decision: CheckinDecision,
    client_id: str | None,
) -> dict[str, Any]:
    """A check-in's row, each value checked."""
    return {
        "walk_id": walk_id,
        "at": at,
        "elapsed_seconds": elapsed,
        "current_pain": validate.pain("current_pain", decision.current_pain),
        "sharp_or_shooting": _boolean("sharp_or_shooting", decision.sharp_or_shooting),
        "red_flags": validate.string_list("red_flags", decision.red_flags),
        "action": _required_text("action", decision.action),
        "client_id": validate.optional_text("client_id", client_id),
    }


@dataclass
class _SharedRead:
    """The transaction `one_read` shares: None until the first read, and after a write."""

    session: Session | None = None


def _checks(session: Session, limit: int | None) -> list[CheckRecord]:
    query = select(CheckRow).order_by(CheckRow.at.desc(), CheckRow.id.desc()).limit(limit)
    return [check_record(row) for row in reversed(list(session.scalars(query)))]


def _walks(session: Session, limit: int | None) -> list[WalkRecord]:
    return walks.records(session, limit)


def _first_scored(session: Session) -> CheckRecord | None:
    query = (
        select(CheckRow)
        .where(CheckRow.pain_score.is_not(None))
        .order_by(CheckRow.at, CheckRow.id)
        .limit(1)
    )
    row = session.scalars(query).one_or_none()
    return check_record(row) if row else None


def _found(row: Any) -> Any:
    """A row the same transaction just wrote or matched; missing means the database misbehaved."""
    if row is None:
        raise DiaryUnavailable("the diary lost a record it had just stored; try again")
    return row


def _checked_end(end: WalkEnd | None) -> WalkEnd | None:
    if end is None:
        return None
    return WalkEnd(
        _final_status(end.status),
        validate.optional_pain("pain_after", end.pain_after),
        validate.optional_text("stop_reason", end.stop_reason),
    )


def _final_status(status: object) -> WalkStatus:
    final = validate.walk_status(status)
    if not final.is_final:
        raise DiaryError("a walk cannot be finished as in_progress; pick the status it ended with")
    return final


def _boolean(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise DiaryError(f"{name} must be true or false, got {value!r}")
    return value


def _required_text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise DiaryError(f"{name} must be non-empty text, got {value!r}")
    return validate.storable_text(name, value)


def _count_deleted(result: Any) -> int:
    # DELETE results are CursorResults; rowcount is what the database reports as removed.
    return int(result.rowcount)
