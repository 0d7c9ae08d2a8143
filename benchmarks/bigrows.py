"""A big hosted database written straight into its tables with COPY (for `benchmarks.bigdb`).

People with accounts, and checks in time order across them as a live service would have
written them, each third followed by a walk of five minutes with one check-in. Among them is
one person, the one whose pages are measured, with `person_checks` checks every 4.8 hours and
`person_walks` walks (the diary `benchmarks.pages` seeds in local mode); their rows are spread
through the tables among everybody else's, not kept together.

The measured person's checks hold the engine's own assessment of their answers, as the app
stores it (about 3 kB of JSON each). Everybody else's hold the same answers with the
assessment cut to its decision and rule names (about 0.2 kB), so that five million rows can be
written in a minute or two: nobody reads them in the benchmark, and the size of a full check
is measured on the measured person's rows.

`load(conn, scale, now, fast=True)` is the bulk load: the foreign-key triggers are off for the
load (`session_replication_role = replica`, the rows are made consistent here) and the
indexes no constraint needs are dropped and made again afterwards from their own definitions,
so the schema ends as migrated. With `fast=False` every trigger, constraint and index is live,
which is how the tests load a small scale.
"""

from __future__ import annotations

import heapq
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

PERSON_ID = 2  # id 1 is the local person migration 0005 makes
PERSON_NAME = "bigdb-person"
CHUNK_ROWS = 20_000  # rows per write to the COPY stream
ANSWERS_ONSET_HOURS = 24
# A multiplier coprime with any count of people: checks go round everybody in a scattered order.
SCATTER = 2_654_435_761
COLUMNS = {
    "people": ("id", "kind", "username", "password_hash", "created_at", "session_key"),
    "checks": (
        "id",
        "owner_id",
        "at",
        "answers",
        "assessment",
        "disposition",
        "urgency",
        "pain_score",
        "red_flags",
        "text",
        "client_id",
    ),
    "walks": (
        "id",
        "owner_id",
        "check_id",
        "started_at",
        "ended_at",
        "planned_minutes",
        "pain_before",
        "pain_after",
        "status",
        "stop_reason",
        "elapsed_seconds",
        "last_seen_at",
    ),
    "checkins": (
        "id",
        "owner_id",
        "walk_id",
        "at",
        "elapsed_seconds",
        "current_pain",
        "sharp_or_shooting",
        "red_flags",
        "action",
        "client_id",
    ),
}
TABLES = tuple(COLUMNS)


@dataclass(frozen=True)
class Scale:
    """How big: people (the measured person among them) and checks (theirs among them)."""

    people: int = 100_000
    checks: int = 5_000_000
    walk_every: int = 3  # everybody else: a walk after every third check
    person_checks: int = 1000
    person_walks: int = 300
    days: float = 200.0

    def __post_init__(self) -> None:
        if self.people < 1 or self.checks < self.person_checks:
            raise ValueError("need at least one person and the measured person's checks")
        if self.people == 1 and self.checks != self.person_checks:
            raise ValueError("with one person, every check is theirs")


class Layout:
    """Which check is whose and when, and which check a walk follows: the same answer on
    every pass, so the tables can be written one after another."""

    def __init__(self, scale: Scale, now: datetime) -> None:
        self.scale = scale
        self.stride = scale.checks // scale.person_checks
        self.step = scale.days * 86400 / scale.checks
        last = now - timedelta(hours=1)
        self.first = int(last.timestamp() - self.step * (scale.checks - 1))

    def is_persons(self, k: int) -> bool:
        return k % self.stride == 0 and k // self.stride < self.scale.person_checks

    def owner(self, k: int) -> int:
        if self.is_persons(k):
            return PERSON_ID
        return PERSON_ID + 1 + (k * SCATTER) % (self.scale.people - 1)

    def walks(self) -> Iterator[int]:
        """The checks followed by a walk, in order (the walk's id is its place here + 1)."""
        scale, stride = self.scale, self.stride
        persons_end = stride * scale.person_checks
        theirs = (n * stride for n in range(0, min(3 * scale.person_walks, scale.person_checks), 3))
        others = (
            k for k in range(0, scale.checks, scale.walk_every) if k % stride or k >= persons_end
        )
        return heapq.merge(theirs, others)


class Stamps:
    """timestamptz text for whole seconds since the epoch, fast: a day's text is made once."""

    def __init__(self) -> None:
        self.days: dict[int, str] = {}
        self.times = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(86400)]

    def __call__(self, seconds: int) -> str:
        day, rest = divmod(seconds, 86400)
        text = self.days.get(day)
        if text is None:
            text = datetime.fromtimestamp(day * 86400, UTC).strftime("%Y-%m-%d ")
            self.days[day] = text
        return text + self.times[rest]


def copy_text(value: Any) -> str:
    """A value as COPY's text format writes it: \\N for NULL, JSON for lists and dicts,
    backslashes, tabs and newlines escaped."""
    if value is None:
        return "\\N"
    text = (
        json.dumps(value, separators=(",", ":")) if isinstance(value, (dict, list)) else str(value)
    )
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def check_tails() -> dict[tuple[int, bool], str]:
    """A check's columns after its time, for each pain score (2 to 7) and both kinds of
    assessment (full: the measured person's; cut: everybody else's), made once."""
    from backwalk.diary.checks import build_check_row
    from backwalk.engine import assess

    tails = {}
    for pain in range(2, 8):
        answers = {"pain_score": pain, "onset_hours": ANSWERS_ONSET_HOURS}
        full = assess(answers)
        for keep_all in (True, False):
            assessment = full if keep_all else _cut(full)
            row = build_check_row(
                at=datetime.now(UTC), answers=answers, assessment=assessment, text=None
            )
            values: tuple[Any, ...] = (row.answers, row.assessment, row.disposition)
            values += (row.urgency, row.pain_score, row.red_flags, None, None)  # text, client_id
            tails[(pain, keep_all)] = "\t".join(copy_text(v) for v in values) + "\n"
    return tails


def _cut(assessment: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {
        k: assessment[k] for k in ("disposition", "red_flags", "urgency") if k in assessment
    }
    kept["reasons"] = [{"rule": r["rule"]} for r in assessment.get("reasons", [])]
    return kept


# ------------------------------------------------------------------------------------------
# The rows, as COPY text, in chunks
# ------------------------------------------------------------------------------------------


def people_chunks(layout: Layout, password_hash: str, created: datetime) -> Iterator[str]:
    at = copy_text(created.astimezone(UTC).isoformat(sep=" "))
    rows = []
    for n in range(layout.scale.people):
        pid = PERSON_ID + n
        name = PERSON_NAME if pid == PERSON_ID else f"bigdb{pid}"
        rows.append(f"{pid}\tperson\t{name}\t{password_hash}\t{at}\t{secrets.token_hex(16)}\n")
        if len(rows) >= CHUNK_ROWS:
            yield "".join(rows)
            rows.clear()
    yield "".join(rows)


def check_chunks(layout: Layout) -> Iterator[str]:
    """The checks in time order. The loop is Layout's rules written out inline: five million
    method calls each would double the time it takes."""
    tails, stamp = check_tails(), Stamps()
    scale, stride = layout.scale, layout.stride
    persons_end = stride * scale.person_checks
    others = max(scale.people - 1, 1)
    for start in range(0, scale.checks, CHUNK_ROWS):
        rows = []
        for k in range(start, min(start + CHUNK_ROWS, scale.checks)):
            if k % stride == 0 and k < persons_end:
                owner, tail = PERSON_ID, tails[(2 + k // stride % 6, True)]
            else:
                owner, tail = PERSON_ID + 1 + k * SCATTER % others, tails[(2 + k % 6, False)]
            at = stamp(layout.first + int(k * layout.step))
            rows.append(f"{k + 1}\t{owner}\t{at}\t{tail}")
        yield "".join(rows)


def walk_chunks(layout: Layout) -> Iterator[str]:
    """Five minutes walked, planned five, pain 3 before and 2 after, completed."""
    stamp = Stamps()
    rows = []
    for walk_id, k in enumerate(layout.walks(), start=1):
        at = layout.first + int(k * layout.step)
        started, ended = stamp(at), stamp(at + 300)
        rows.append(
            f"{walk_id}\t{layout.owner(k)}\t{k + 1}\t{started}\t{ended}\t5\t3\t2\tcompleted"
            f"\t\\N\t300\t{ended}\n"
        )
        if len(rows) >= CHUNK_ROWS:
            yield "".join(rows)
            rows.clear()
    yield "".join(rows)


def checkin_chunks(layout: Layout) -> Iterator[str]:
    """One check-in two minutes into each walk: pain 3, go on."""
    stamp = Stamps()
    rows = []
    for walk_id, k in enumerate(layout.walks(), start=1):
        at = stamp(layout.first + int(k * layout.step) + 120)
        rows.append(
            f"{walk_id}\t{layout.owner(k)}\t{walk_id}\t{at}\t120\t3\tf\t[]\tcontinue\t\\N\n"
        )
        if len(rows) >= CHUNK_ROWS:
            yield "".join(rows)
            rows.clear()
    yield "".join(rows)


# ------------------------------------------------------------------------------------------
# Loading
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """What went in, and the seconds each table took (COPY, then the indexes made again)."""

    rows: dict[str, int]
    seconds: dict[str, float]


def load(conn: Any, scale: Scale, now: datetime, password_hash: str, *, fast: bool) -> Loaded:
    """Every row, in one transaction on `conn` (psycopg, a role row-level security does not
    bind: the superuser). The tables must be as migrated and empty but for the local person."""
    import time

    layout = Layout(scale, now)
    created = now - timedelta(days=scale.days + 1)
    streams = {
        "people": people_chunks(layout, password_hash, created),
        "checks": check_chunks(layout),
        "walks": walk_chunks(layout),
        "checkins": checkin_chunks(layout),
    }
    rows, seconds = {}, {}
    with conn.transaction():
        remade = _set_up_bulk(conn) if fast else []
        for table, chunks in streams.items():
            started = time.perf_counter()
            rows[table] = _copy(conn, table, chunks)
            seconds[table] = time.perf_counter() - started
        started = time.perf_counter()
        for definition in remade:
            conn.execute(definition)
        seconds["indexes"] = time.perf_counter() - started
        for table in TABLES:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    return Loaded(rows, seconds)


def _set_up_bulk(conn: Any) -> list[str]:
    """No foreign-key triggers for this transaction, and the indexes no constraint needs
    dropped; returns their definitions, to make them again after the rows are in."""
    conn.execute("SET LOCAL session_replication_role = replica")
    conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
    found = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        (list(TABLES),),
    ).fetchall()
    for name, _ in found:
        conn.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]


def _copy(conn: Any, table: str, chunks: Iterator[str]) -> int:
    columns = ", ".join(COLUMNS[table])
    count = 0
    with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for chunk in chunks:
            copy.write(chunk)
            count += chunk.count("\n")
    return count
