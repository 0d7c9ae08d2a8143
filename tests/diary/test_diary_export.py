"""Exports: one JSON document and one CSV file holding the whole diary."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from backwalk.diary import Diary, WalkStatus
from backwalk.diary.export import CSV_COLUMNS, Words, _cell, to_csv, walked_minutes
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


KEEPWELL_KEYS = ("walk_logs", "medicines", "recoveries", "recurrence_checks", "programme_settings")


def test_json_export_has_every_record_with_iso_timestamps(filled: Diary) -> None:
    document = json.loads(filled.export("json", now=EXPORTED_AT))
    assert list(document) == [
        "exported_at",
        "checks",
        "walks",
        "outcomes",
        "clinician_visits",
        *KEEPWELL_KEYS,
    ]
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
    assert document == {
        "exported_at": "2024-06-01T12:00:00+00:00",
        "checks": [],
        "walks": [],
        "outcomes": [],
        "clinician_visits": [],
        **{key: [] for key in KEEPWELL_KEYS},
    }


def test_json_export_keeps_the_weekly_measures(diary: Diary) -> None:
    check = diary.record_check(at=T0, answers={}, assessment={"disposition": "rest_first"})
    diary.record_outcome(at=T0, activities=[("gardening", 3)], global_change=-1, check_id=check.id)
    [outcome] = json.loads(diary.export("json", now=EXPORTED_AT))["outcomes"]
    assert outcome == {
        "id": outcome["id"],
        "at": "2024-05-01T09:00:00+00:00",
        "check_id": check.id,
        "activities": [{"activity": "gardening", "score": 3}],
        "global_change": -1,
        "activities_average": 3.0,
    }


def test_json_export_defaults_to_the_current_time(diary: Diary) -> None:
    before = datetime.now(UTC)
    exported_at = datetime.fromisoformat(json.loads(diary.export("json"))["exported_at"])
    assert before <= exported_at <= datetime.now(UTC)


def parse_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def people_csv(diary: Diary, tz: Any = UTC) -> list[dict[str, str]]:
    """The CSV for people, in a fixed time zone."""
    return parse_csv(to_csv(diary.checks(), diary.walks(), diary.outcomes(), tz=tz))


def test_csv_export_is_one_table_with_a_record_column(filled: Diary) -> None:
    text = filled.export("csv")
    assert next(csv.reader(io.StringIO(text))) == list(CSV_COLUMNS)
    rows = parse_csv(text)
    assert [row["record"] for row in rows] == ["check", "walk", "checkin", "checkin", "walk"]
    assert all(set(row) == set(CSV_COLUMNS) for row in rows)


def test_csv_check_row_is_in_words_and_local_time(filled: Diary) -> None:
    check = people_csv(filled, tz=timezone(timedelta(hours=2)))[0]
    assert (check["date"], check["time"]) == ("2024-05-01", "11:00")  # 09:00 UTC, shown at +02:00
    assert (check["pain"], check["decision"], check["warning_signs"]) == ("3", "Walk gently", "")
    assert check["your_words"] == "stiff, “3/10”"
    assert check["pain_before"] == check["minutes_walked"] == ""


def test_csv_walk_and_checkin_rows(filled: Diary) -> None:
    _, walk, first, second, going = people_csv(filled)
    assert (walk["date"], walk["time"]) == ("2024-05-01", "09:01")
    assert (walk["pain_before"], walk["pain_after"]) == ("3", "5")
    assert (walk["minutes_walked"], walk["minutes_planned"]) == ("3", "5")
    assert walk["outcome"] == "Stopped: pain rose or turned sharp (pain went up, from 3 to 5)"
    assert walk["warning_signs"] == "pain travelling down a leg past the knee; x"
    assert (first["pain"], first["minutes_walked"], first["outcome"]) == (
        "3",
        "2",
        "Carry on gently.",
    )
    assert (second["pain"], second["outcome"]) == ("5", "Stop the walk here.")
    assert (going["outcome"], going["pain_after"]) == ("In progress", "")


def test_csv_warning_signs_urgency_and_older_ids_in_words(diary: Diary) -> None:
    diary.record_check(
        at=T0,
        answers={"pain_score": 6},
        assessment={"disposition": "seek_care_now", "urgency": "emergency"},
    )
    diary.record_check(
        at=T0 + timedelta(hours=1),
        answers={"numbness_both_legs": True},  # an id from an older rulebook
        assessment={"disposition": "seek_care_now", "red_flags": ["numbness_both_legs"]},
    )
    first, second = people_csv(diary)
    assert first["decision"] == "Get medical care"
    assert second["warning_signs"] == diary_words().sign("numbness_both_legs")
    assert "numbness" in second["warning_signs"] and "_" not in second["warning_signs"]


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0"), (12, "0.2"), (59, "1"), (60, "1"), (89, "1"), (90, "2"), (299.5, "5"), (1801, "30")],
)
def test_minutes_are_rounded_as_people_say_them(seconds: float, shown: str) -> None:
    assert _cell(walked_minutes(seconds)) == shown


def test_csv_has_the_weekly_measures(diary: Diary) -> None:
    diary.record_outcome(
        at=T0, activities=[("putting on socks", 4), ("sitting at work", 5)], global_change=2
    )
    [weekly] = people_csv(diary)
    assert weekly["record"] == "weekly"
    assert weekly["activities"] == "putting on socks: 4/10; sitting at work: 5/10"
    assert (weekly["activities_average"], weekly["overall_change"]) == ("4.5", "Much better")


def test_csv_export_of_an_empty_diary_is_just_the_header(diary: Diary) -> None:
    assert parse_csv(diary.export("csv")) == []


@pytest.mark.parametrize("fmt", ["xml", "JSON", ""])
def test_unknown_export_format_is_refused(diary: Diary, fmt: str) -> None:
    with pytest.raises(InputError, match=f"unknown export format '{fmt}'; expected one of: json"):
        diary.export(fmt)


def diary_words() -> Words:
    from backwalk.rules import default_rulebook

    return Words(default_rulebook())


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("@cmd", "'@cmd"),
        (["-3 walking", "fine"], "'-3 walking; fine"),
        ("walking, 5/10", "walking, 5/10"),
        (4, "4"),
        (0, "0"),
        (None, ""),
    ],
)
def test_a_text_cell_never_starts_a_formula_and_numbers_stay_numbers(value: Any, cell: str) -> None:
    assert _cell(value) == cell
