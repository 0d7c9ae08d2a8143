"""Six months with a controlled clock, through the service layer, the terminal and the API:
spasm, recovery, programme weeks stepping up, a quiet month, a recurrence (a new episode),
recovery again and back to keeping well; the standing, the report and the export at each stage.
Also the golden calendar file."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from backwalk import coach, keepwell
from backwalk.clock import ManualClock
from backwalk.diary import Diary, open_diary
from backwalk.report.build import build_report
from tests.cli.conftest import check_answers

DAY = 24 * 3600
GOLDEN = Path(__file__).parent / "golden" / "plan.ics"
NO_FLAGS = {"pain_score": 0, "sharp_pain": False}


def calm_check(diary: Diary, clock: ManualClock, pain: int) -> None:
    coach.run_check(diary, {**NO_FLAGS, "pain_score": pain}, clock.now())


def walk_week(diary: Diary, clock: ManualClock, minutes: int) -> None:
    """Three walks this week (Mon, Wed, Fri), logged by hand, then on to next Monday."""
    for step in (0, 2, 2):
        clock.advance(step * DAY)
        keepwell.log_walk(diary, clock.now(), minutes)
    clock.advance(3 * DAY)


def stage(diary: Diary, clock: ManualClock, phase: str) -> keepwell.KeepWell:
    """The phase is the same in the standing, the report and the export's story."""
    assert coach.standing(diary, clock.now()).phase == phase
    well = keepwell.keep_well(diary, clock.now())
    assert well.phase == phase
    report = build_report(diary, clock.now(), None)
    if report.keeping is not None:
        assert report.keeping.phase == well.label
    json.loads(diary.export("json", now=clock.now()))
    return well


def test_six_months_through_the_service_layer(tmp_path: Path) -> None:
    clock = ManualClock()  # Monday 5 Jan 2026, 09:00 UTC
    diary = open_diary(f"sqlite:///{tmp_path / 'diary.db'}")
    calm_check(diary, clock, 5)
    stage(diary, clock, "acute")
    for _ in range(8):  # a week of low pain
        clock.advance(DAY)
        calm_check(diary, clock, 1)
    assert stage(diary, clock, "acute").recovery_offered
    keepwell.confirm_recovery(diary, clock.now())
    assert stage(diary, clock, "recovered").days_since_recovery == 0
    clock.advance(3 * DAY)  # to Monday
    keepwell.set_programme(diary, clock.now(), ["mon", "wed", "fri"], 10)
    minutes = []
    for _ in range(4):
        well = stage(diary, clock, "keeping_well")
        assert well.programme is not None
        minutes.append(well.programme.minutes_per_walk)
        walk_week(diary, clock, well.programme.minutes_per_walk)
    assert minutes == [10, 10, 15, 15]  # two good weeks, a step up, two more
    well = stage(diary, clock, "keeping_well")
    assert well.programme is not None and well.programme.minutes_per_walk == 20
    assert well.recurrence_due  # 30 days since recovery
    keepwell.answer_recurrence(diary, clock.now(), False)
    assert not stage(diary, clock, "keeping_well").recurrence_due
    clock.advance(30 * DAY)
    keepwell.answer_recurrence(diary, clock.now(), True)  # a new episode
    well = stage(diary, clock, "acute")
    assert len(well.recurrences) == 1
    report = build_report(diary, clock.now(), None)
    assert report.keeping is not None and len(report.keeping.recurrences) == 1
    for _ in range(8):
        clock.advance(DAY)
        calm_check(diary, clock, 0)
    keepwell.confirm_recovery(diary, clock.now())
    keepwell.set_programme(diary, clock.now(), "mon,wed,fri,sat", 10)
    clock.advance(90 * DAY)  # to the end of six months
    well = stage(diary, clock, "keeping_well")
    assert well.programme is not None and well.programme.week > 12
    rows = list(csv.DictReader(io.StringIO(diary.export("csv", now=clock.now()))))
    assert [r["outcome"] for r in rows if r["record"] == "recurrence_check"] == [
        "no",
        "yes: a new episode",
    ]
    assert sum(r["record"] == "walk_logged" for r in rows) == 12
    diary.close()


def test_the_terminal_journey(run_cli, clock: ManualClock) -> None:
    assert run_cli("check", "--no-text", stdin=check_answers(pain=1)).code == 0
    assert run_cli("plan", "--json").json()["phase"] == "acute"
    assert run_cli("programme", "--days", "mon,wed,fri", "--minutes", "10").code == 2
    assert run_cli("recovered").code == 0
    assert run_cli("programme", "--days", "mon,wed,fri", "--minutes", "10").code == 0
    for _week in range(2):
        for _ in range(3):
            assert run_cli("log-walk", "12").code == 0
            clock.advance(DAY)
        clock.advance(4 * DAY)
    doc = run_cli("plan", "--json").json()
    assert doc["phase"] == "keeping_well" and doc["standing"]["phase"] == "keeping_well"
    assert doc["programme"]["minutes_per_walk"] == 15 and doc["programme"]["week"] == 3
    assert run_cli("log-walk", "-5").code == 2
    assert run_cli("recurrence", "--yes").code == 2  # not due yet
    clock.advance(16 * DAY)
    assert "Since" in run_cli("plan").stdout
    assert run_cli("recurrence", "--yes").code == 0
    assert run_cli("plan", "--json").json()["phase"] == "acute"
    assert run_cli("medicine", "ibuprofen", "--dose", "400 mg").code == 0
    # in the terminal a time without a zone is the machine's local time (new-user trial)
    earlier = (clock.now() - timedelta(hours=2)).astimezone().strftime("%Y-%m-%d %H:%M")
    assert run_cli("medicine", "paracetamol", "--dose", "1 g", "--at", earlier).code == 0
    exported = json.loads(run_cli("export", "--format", "json").stdout)
    assert exported["recurrence_checks"][0]["limited_activity"] is True
    assert {m["dose"] for m in exported["medicines"]} == {"400 mg", "1 g"}


def test_the_api_journey(client: TestClient, clock: ManualClock) -> None:
    assert client.post("/api/checks", json={"answers": NO_FLAGS}).status_code == 201
    assert client.post("/api/recovered", json={}).status_code == 201
    plan = {"days": ["mon", "wed", "fri"], "minutes_per_walk": 10}
    assert client.post("/api/programme", json=plan).status_code == 201
    for _ in range(2):
        for _ in range(3):
            assert client.post("/api/activity", json={"minutes": 10}).status_code == 201
            clock.advance(DAY)
        clock.advance(4 * DAY)
    doc = client.get("/api/plan").json()
    assert doc["programme"]["minutes_per_walk"] == 15
    assert client.post("/api/recurrence", json={"limited_activity": False}).status_code == 422
    clock.advance(16 * DAY)
    assert "Since 5 Jan 2026," in client.get("/api/plan").json()["recurrence_question"]
    answer = client.post("/api/recurrence", json={"limited_activity": True})
    assert answer.status_code == 201 and answer.json()["phase"] == "acute"
    assert client.get("/api/plan").json()["standing"]["phase"] == "acute"
    assert "Keeping well" in client.get("/report").text
    bundle = client.get("/api/export?format=fhir").json()
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert "Observation" in kinds


def test_the_calendar_file_matches_the_golden_file(run_cli, clock: ManualClock) -> None:
    assert run_cli("recovered").code == 0
    assert run_cli("programme", "--days", "mon,wed,fri", "--minutes", "10").code == 0
    clock.advance(timedelta(days=2).total_seconds())
    ics = run_cli("plan", "--ics").stdout
    if os.environ.get("BACKWALK_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(ics.encode())
    assert ics == GOLDEN.read_bytes().decode(), "run with BACKWALK_UPDATE_GOLDEN=1 and review"
    assert run_cli("programme", "--days", "mon,wed,fri,sat", "--minutes", "10").code == 0
    changed = run_cli("plan", "--ics").stdout
    assert "SEQUENCE:2" in changed and "BYDAY=MO,WE,FR,SA" in changed
