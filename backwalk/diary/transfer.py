"""Copy one person's diary into another database as another person (`admin import-diary`).

Every row is copied as it is (times, statuses, free text, check-ins), new ids are given, and the
links between rows (a walk's check, a check-in's walk) follow them; a walk still in progress
there arrives as interrupted at its last sign of life (it is not going on here). One
transaction: all or nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, insert, select

from backwalk.diary.models import CheckinRow, CheckRow, OutcomeRow, WalkRow
from backwalk.diary.records import WalkStatus
from backwalk.i18n import N_

IMPORTED_STOP_REASON = N_("still in progress when the diary was imported")


def copy_diary(source: Connection, source_owner: int, target: Connection, owner: int) -> int:
    """Copy ``source_owner``'s rows into ``target`` as ``owner``; returns how many rows."""
    checks = _copy(source, target, CheckRow.__table__, source_owner, owner, {})
    walks = _copy(source, target, WalkRow.__table__, source_owner, owner, {"check_id": checks})
    checkins = _copy(source, target, CheckinRow.__table__, source_owner, owner, {"walk_id": walks})
    outcomes = _copy(
        source, target, OutcomeRow.__table__, source_owner, owner, {"check_id": checks}
    )
    return len(checks) + len(walks) + len(checkins) + len(outcomes)


def _copy(
    source: Connection,
    target: Connection,
    table: Any,
    source_owner: int,
    owner: int,
    links: dict[str, dict[int, int]],
) -> dict[int, int]:
    """Copy a table's rows in id order; returns old id -> new id."""
    assert isinstance(table, Table)
    rows = source.execute(
        select(table).where(table.c.owner_id == source_owner).order_by(table.c.id)
    ).mappings()
    new_ids: dict[int, int] = {}
    for row in rows:
        values = {k: v for k, v in row.items() if k not in ("id", "owner_id")}
        if values.get("status") == WalkStatus.IN_PROGRESS.value:
            values.update(
                status=WalkStatus.INTERRUPTED.value,
                ended_at=values["last_seen_at"],
                stop_reason=values.get("stop_reason") or IMPORTED_STOP_REASON,
            )
        for column, mapping in links.items():
            if values.get(column) is not None:
                values[column] = mapping[values[column]]
        new_id = target.execute(
            insert(table).values(owner_id=owner, **values).returning(table.c.id)
        ).scalar_one()
        new_ids[row["id"]] = new_id
    return new_ids
