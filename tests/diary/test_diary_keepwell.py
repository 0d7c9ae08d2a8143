"""Keeping well in the diary and the service layer: walks logged by hand, medicines, back to
normal, the monthly question and the programme, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from backwalk import keepwell
from backwalk.diary import Diary, DiaryError
from backwalk.errors import InputError, NotDue
from tests.diary.conftest import T0

DAY = timedelta(days=1)


def check(diary: Diary, days: float, pain: int) -> None:
    answers = {"pain_score": pain}
    assessment = {"disposition": "walk_gently", "red_flags": [], "answers": answers}
    diary.record_check(at=T0 + days * DAY, answers=answers, assessment=assessment)


def test_a_logged_walk_is_kept_by_day(diary: Diary) -> None:
    log = keepwell.log_walk(diary, T0, 25, on=date(2024, 4, 30))
    assert (log.walked_on, log.minutes) == (date(2024, 4, 30), 25)
    assert diary.walk_logs() == [log]


@pytest.mark.parametrize(
    ("minutes", "day", "message"),
    [
        (-5, None, "minutes: must be from 1 to 600"),
        (0, None, "minutes: must be from 1 to 600"),
        (601, None, "minutes: must be from 1 to 600"),
        (True, None, "minutes: must be a whole number"),
        (20, date(2024, 5, 2), "date: 2024-05-02 is in the future"),
        (20, date(2023, 1, 1), "date: 2023-01-01 is more than a year ago"),
    ],
)
def test_bad_walks_are_refused_and_nothing_is_saved(
    diary: Diary, minutes: object, day: date | None, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        keepwell.log_walk(diary, T0, minutes, on=day)
    assert diary.walk_logs() == []


def test_the_database_refuses_impossible_minutes(diary: Diary) -> None:
    with pytest.raises(Exception), diary.engine.begin() as connection:  # noqa: B017
        connection.execute(
            text(
                "INSERT INTO walk_logs (owner_id, at, walked_on, minutes) VALUES (1, :at, :day, -3)"
            ),
            {"at": T0, "day": date(2024, 5, 1)},
        )


def test_medicines_are_logged_as_written(diary: Diary) -> None:
    med = keepwell.log_medicine(diary, T0, "  Ibuprofen ", "400 mg", T0 - DAY / 4)
    assert (med.name, med.dose, med.taken_at) == ("Ibuprofen", "400 mg", T0 - DAY / 4)
    with pytest.raises(InputError, match="taken_at: is in the future"):
        keepwell.log_medicine(diary, T0, "ibuprofen", "400 mg", T0 + DAY)
    with pytest.raises(InputError, match="name: must not be empty"):
        keepwell.log_medicine(diary, T0, " ", "400 mg")
    with pytest.raises(InputError, match="dose: must be at most 100"):
        keepwell.log_medicine(diary, T0, "ibuprofen", "x" * 101)
    assert diary.medicines() == [med]


def test_from_acute_to_keeping_well_and_back(diary: Diary) -> None:
    check(diary, 0, 1)
    assert keepwell.keep_well(diary, T0).phase == "acute"
    check(diary, 7, 0)
    now = T0 + 7 * DAY
    assert keepwell.keep_well(diary, now).recovery_offered
    with pytest.raises(NotDue, match="back to normal"):
        keepwell.set_programme(diary, now, ["mon", "wed", "fri"], 10)
    keepwell.confirm_recovery(diary, now)
    with pytest.raises(NotDue, match="already"):
        keepwell.confirm_recovery(diary, now)
    assert keepwell.keep_well(diary, now).phase == "recovered"
    keepwell.set_programme(diary, now + DAY, ["mon", "wed", "fri"], 10)
    well = keepwell.keep_well(diary, now + DAY)
    assert well.phase == "keeping_well" and well.programme is not None
    assert well.programme.as_dict()["minutes_per_walk"] == 10
    assert well.card is not None and well.card.week == 1
    with pytest.raises(NotDue, match="not due"):
        keepwell.answer_recurrence(diary, now + DAY, False)
    later = now + 30 * DAY
    assert keepwell.keep_well(diary, later).recurrence_due
    keepwell.answer_recurrence(diary, later, True)
    assert keepwell.keep_well(diary, later).phase == "acute"
    with pytest.raises(NotDue):
        keepwell.answer_recurrence(diary, later, False)


def test_one_answer_per_question_even_when_the_check_is_skipped(diary: Diary) -> None:
    keepwell.confirm_recovery(diary, T0)
    diary.record_recurrence(at=T0 + 31 * DAY, since=T0, limited_activity=False)
    with pytest.raises(NotDue, match="answered already"):
        diary.record_recurrence(at=T0 + 32 * DAY, since=T0, limited_activity=True)


def test_the_export_carries_every_keeping_well_row(diary: Diary) -> None:
    keepwell.confirm_recovery(diary, T0)
    keepwell.set_programme(diary, T0, "mon,wed,fri", 10)
    keepwell.log_walk(diary, T0, 25)
    keepwell.log_medicine(diary, T0, "ibuprofen", "400 mg")
    keepwell.answer_recurrence(diary, T0 + 30 * DAY, False)
    doc = json.loads(diary.export("json", now=T0 + 30 * DAY))
    assert doc["walk_logs"][0]["minutes"] == 25
    assert doc["medicines"][0]["name"] == "ibuprofen"
    assert doc["programme_settings"][0]["days"] == ["mon", "wed", "fri"]
    assert doc["recurrence_checks"][0]["limited_activity"] is False
    assert len(doc["recoveries"]) == 1
    rows = list(csv.DictReader(io.StringIO(diary.export("csv", now=T0))))
    kinds = {row["record"] for row in rows}
    assert {"walk_logged", "medicine", "recovered", "recurrence_check", "programme"} <= kinds
    assert next(r for r in rows if r["record"] == "medicine")["dose"] == "400 mg"
    assert diary.forget() == 5
    assert diary.walk_logs() == [] and diary.keepwell_facts().programmes == []


def test_a_bad_value_from_elsewhere_is_a_diary_error(diary: Diary) -> None:
    with pytest.raises(DiaryError):
        diary.record_recurrence(at=T0, since=T0, limited_activity="yes")  # type: ignore[arg-type]
