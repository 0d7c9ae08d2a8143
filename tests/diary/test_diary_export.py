"""Exports: one JSON document and one CSV file holding the whole diary."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from backwalk.diary import Diary, WalkStatus
from backwalk.diary.export import CSV_COLUMNS
from backwalk.errors import InputError

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
EXPORTED_AT = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def filled(diary: Diary, checkin_args: Callable[..., dict[str, Any]]) -> Diary:
    """A diary with one check, one stopped walk with two check-ins, and one walk going on."""
    check = diary.record_check(
        at=T0,
        answers={"pain_score": 3, "sharp_pain": False},
        assessment={"disposition": "walk_gently", "red_flags": [], "supportive": ["heat"]},
        text="stiff, “3/10”",
    )
    walk = diary.start_walk(
        at=T0 + timedelta(minutes=1), planned_minutes=5, pain_before=3, check_id=check.id
    )
    diary.add_checkin(walk.id, **checkin_args(120, pain=3, client_id="c1"))
    diary.add_checkin(
        walk.id,
        **checkin_args(180, pain=5, action="stop", red_flags=["leg_pain_below_knee", "x"]),
    )
    diary.finish_walk(
        walk.id,
        at=T0 + timedelta(minutes=4),
        status=WalkStatus.STOPPED,
        elapsed_seconds=180,
        pain_after=5,
        stop_reason="pain went up, from 3 to 5",
    )
    diary.start_walk(at=T0 + timedelta(hours=2), planned_minutes=5, pain_before=2, check_id=None)
    return diary


def test_json_export_has_every_record_with_iso_timestamps(filled: Diary) -> None:
    document = json.loads(filled.export("json", now=EXPORTED_AT))
    assert list(document) == ["exported_at", "checks", "walks"]
    assert document["exported_at"] == "2024-06-01T12:00:00+00:00"
    [check] = document["checks"]
    assert check["at"] == "2024-05-01T09:00:00+00:00"
    assert check["text"] == "stiff, “3/10”"
    assert check["assessment"]["supportive"] == ["heat"]
    stopped, going = document["walks"]
    assert (stopped["status"], stopped["pain_rose"], stopped["check_id"]) == (
        "stopped",
        True,
        check["id"],
    )
    assert [c["current_pain"] for c in stopped["checkins"]] == [3, 5]
    assert stopped["checkins"][1]["red_flags"] == ["leg_pain_below_knee", "x"]
    assert (going["status"], going["ended_at"], going["checkins"]) == ("in_progress", None, [])


def test_json_export_keys_are_stable(filled: Diary) -> None:
    document = json.loads(filled.export("json", now=EXPORTED_AT))
    assert list(document["checks"][0]) == [
        "id", "at", "answers", "assessment", "disposition", "urgency", "pain_score",
        "red_flags", "text",
    ]  # fmt: skip
    assert list(document["walks"][0]) == [
        "id", "check_id", "started_at", "ended_at", "planned_minutes", "pain_before",
        "pain_after", "status", "stop_reason", "elapsed_seconds", "last_seen_at", "checkins",
        "pain_rose",
    ]  # fmt: skip
    assert list(document["walks"][0]["checkins"][0]) == [
        "id", "walk_id", "at", "elapsed_seconds", "current_pain", "sharp_or_shooting",
        "red_flags", "action", "client_id",
    ]  # fmt: skip


def test_json_export_of_an_empty_diary(diary: Diary) -> None:
    document = json.loads(diary.export("json", now=EXPORTED_AT))
    assert document == {"exported_at": "2024-06-01T12:00:00+00:00", "checks": [], "walks": []}


def test_json_export_defaults_to_the_current_time(diary: Diary) -> None:
    before = datetime.now(UTC)
    exported_at = datetime.fromisoformat(json.loads(diary.export("json"))["exported_at"])
    assert before <= exported_at <= datetime.now(UTC)


def parse_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_is_one_table_with_a_record_column(filled: Diary) -> None:
    text = filled.export("csv")
    assert next(csv.reader(io.StringIO(text))) == list(CSV_COLUMNS)
    rows = parse_csv(text)
    assert [row["record"] for row in rows] == ["check", "walk", "checkin", "checkin", "walk"]
    assert all(set(row) == set(CSV_COLUMNS) for row in rows)


def test_csv_check_row(filled: Diary) -> None:
    check = parse_csv(filled.export("csv"))[0]
    assert check["at"] == "2024-05-01T09:00:00+00:00"
    assert (check["disposition"], check["pain_score"], check["red_flags"]) == (
        "walk_gently",
        "3",
        "",
    )
    assert check["text"] == "stiff, “3/10”"
    assert json.loads(check["answers"]) == {"pain_score": 3, "sharp_pain": False}
    assert json.loads(check["assessment"])["supportive"] == ["heat"]
    assert check["status"] == check["walk_id"] == ""


def test_csv_walk_and_checkin_rows(filled: Diary) -> None:
    _, walk, first, second, going = parse_csv(filled.export("csv"))
    assert walk["at"] == "2024-05-01T09:01:00+00:00"
    assert walk["ended_at"] == "2024-05-01T09:04:00+00:00"
    assert (walk["status"], walk["pain_before"], walk["pain_after"]) == ("stopped", "3", "5")
    assert (walk["pain_rose"], walk["stop_reason"]) == ("true", "pain went up, from 3 to 5")
    assert (first["walk_id"], first["client_id"], first["sharp_or_shooting"]) == (
        walk["id"],
        "c1",
        "false",
    )
    assert (second["current_pain"], second["action"]) == ("5", "stop")
    assert second["red_flags"] == "leg_pain_below_knee;x"
    assert (going["status"], going["ended_at"], going["pain_after"]) == ("in_progress", "", "")


def test_csv_export_of_an_empty_diary_is_just_the_header(diary: Diary) -> None:
    assert parse_csv(diary.export("csv")) == []


@pytest.mark.parametrize("fmt", ["xml", "JSON", ""])
def test_unknown_export_format_is_refused(diary: Diary, fmt: str) -> None:
    with pytest.raises(InputError, match=f"unknown export format '{fmt}'; expected one of: json"):
        diary.export(fmt)
