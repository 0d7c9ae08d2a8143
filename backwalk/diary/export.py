"""The diary as one JSON document or one spreadsheet-friendly CSV file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from backwalk.diary.records import CheckinRecord, CheckRecord, WalkRecord

FORMATS = ("json", "csv")

# One fixed union of columns for all three kinds of row; "record" says which kind a row is.
# For a walk, "at" is when it started.
CSV_COLUMNS = (
    "record",
    "id",
    "walk_id",
    "check_id",
    "at",
    "ended_at",
    "last_seen_at",
    "disposition",
    "urgency",
    "pain_score",
    "red_flags",
    "planned_minutes",
    "pain_before",
    "pain_after",
    "pain_rose",
    "status",
    "stop_reason",
    "elapsed_seconds",
    "current_pain",
    "sharp_or_shooting",
    "action",
    "client_id",
    "text",
    "answers",
    "assessment",
)

LIST_SEPARATOR = ";"


def render(
    fmt: str, checks: Sequence[CheckRecord], walks: Sequence[WalkRecord], *, exported_at: datetime
) -> str:
    """The diary in ``fmt`` (one of FORMATS)."""
    renderers: dict[str, Callable[[], str]] = {
        "json": lambda: to_json(checks, walks, exported_at=exported_at),
        "csv": lambda: to_csv(checks, walks),
    }
    return renderers[fmt]()


def to_json(
    checks: Sequence[CheckRecord], walks: Sequence[WalkRecord], *, exported_at: datetime
) -> str:
    """``{"exported_at", "checks", "walks"}`` with ISO-8601 times; walks carry their check-ins."""
    document = {
        "exported_at": exported_at,
        "checks": [asdict(check) for check in checks],
        "walks": [_walk_document(walk) for walk in walks],
    }
    return json.dumps(document, default=_json_default, indent=2, ensure_ascii=False) + "\n"


def to_csv(checks: Sequence[CheckRecord], walks: Sequence[WalkRecord]) -> str:
    """One CSV with CSV_COLUMNS: checks first, then each walk followed by its check-ins."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in _csv_rows(checks, walks):
        writer.writerow({column: _cell(row.get(column)) for column in CSV_COLUMNS})
    return buffer.getvalue()


def _walk_document(walk: WalkRecord) -> dict[str, Any]:
    document = asdict(walk)
    document["checkins"] = [asdict(checkin) for checkin in walk.checkins]
    document["pain_rose"] = walk.pain_rose
    return document


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__} as JSON")


def _csv_rows(
    checks: Iterable[CheckRecord], walks: Iterable[WalkRecord]
) -> Iterator[dict[str, Any]]:
    for check in checks:
        yield {"record": "check", **asdict(check)}
    for walk in walks:
        yield _walk_csv_row(walk)
        for checkin in walk.checkins:
            yield _checkin_csv_row(checkin)


def _walk_csv_row(walk: WalkRecord) -> dict[str, Any]:
    row = asdict(walk)
    del row["checkins"]
    row.update(record="walk", at=row.pop("started_at"), pain_rose=walk.pain_rose)
    return row


def _checkin_csv_row(checkin: CheckinRecord) -> dict[str, Any]:
    return {"record": "checkin", **asdict(checkin)}


def _cell(value: object) -> str:
    """How one value reads in a spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)
