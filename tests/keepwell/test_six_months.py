"""Six months with a controlled clock, through the service layer, the terminal and the API:
spasm, recovery, programme weeks stepping up, a quiet month, a recurrence (a new episode),
recovery again and back to keeping well; the standing, the report and the export at each stage.
Also the golden calendar file."""

from __future__ import annotations

import csv
import html
import io
import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from backwalk import coach, keepwell
from backwalk.clock import ManualClock
from backwalk.diary import Diary, open_diary
from backwalk.fhir import export_bundle
from backwalk.planics import plan_calendar
from backwalk.programme import local_day
from backwalk.report.build import build_report
from backwalk.rules import default_rulebook
from backwalk.status import WalkStatus
from tests.cli.conftest import check_answers

DAY = 24 * 3600
GOLDEN = Path(__file__).parent / "golden" / "plan.ics"
PAUSED_GOLDEN = Path(__file__).parent / "golden" / "plan_paused.ics"
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


def reason(well: keepwell.KeepWell) -> str | None:
    """The id of why this week's walks are what they are (None: a plan's first week)."""
    assert well.programme is not None
    change = keepwell.plan_change(well.programme)
    return change.id if change else None


def calendar(well: keepwell.KeepWell, clock: ManualClock) -> tuple[str, int]:
    """The calendar file's text (lines unfolded) and its SEQUENCE."""
    text = plan_calendar(well, clock.now()).decode().replace("\r\n ", "")
    sequence = [line for line in text.splitlines() if line.startswith("SEQUENCE:")]
    return text, int(sequence[0].split(":")[1]) if sequence else -1


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
    clock.advance(3 * DAY)  # to Friday 16 Jan: week 1 of the plan starts today
    keepwell.set_programme(diary, clock.now(), ["mon", "wed", "fri"], 10)
    minutes, reasons, sequences = [], [], []
    for _ in range(4):
        well = stage(diary, clock, "keeping_well")
        assert well.programme is not None
        minutes.append(well.programme.minutes_per_walk)
        reasons.append(reason(well))
        sequences.append(calendar(well, clock)[1])
        walk_week(diary, clock, well.programme.minutes_per_walk)
    assert minutes == [10, 10, 15, 15]  # two good weeks, a step up, two more
    # each week says why its walks are what they are
    assert reasons == [None, "good_week", "stepped_up", "good_week"]
    well = stage(diary, clock, "keeping_well")
    assert well.programme is not None and well.programme.minutes_per_walk == 20
    assert reason(well) == "stepped_up"
    change = keepwell.plan_change(well.programme)
    assert change is not None and "5 minutes longer: 20 minutes" in change.reason
    assert "WalkBack" in change.source or "backwalk policy" in change.source
    assert well.programme_dict()["last_change"]["id"] == "stepped_up"
    sequences.append(calendar(well, clock)[1])
    assert well.recurrence_due  # 30 days since recovery
    keepwell.answer_recurrence(diary, clock.now(), False)
    assert not stage(diary, clock, "keeping_well").recurrence_due
    # a week when a walk had to stop steps back, and says so
    walk_week(diary, clock, 20)
    keepwell.log_walk(diary, clock.now(), 20)
    stopped_walk(diary, clock)
    clock.advance(7 * DAY)
    well = stage(diary, clock, "keeping_well")
    assert well.programme is not None and well.programme.minutes_per_walk == 15
    assert reason(well) == "setback_walk"
    sequences.append(calendar(well, clock)[1])
    clock.advance(16 * DAY)  # two quiet weeks: short, held
    well = stage(diary, clock, "keeping_well")
    assert reason(well) == "short_week" and well.programme is not None
    before = well.programme.minutes_per_walk
    episode_day = clock.now()
    keepwell.answer_recurrence(diary, clock.now(), True)  # a new episode
    well = stage(diary, clock, "acute")
    assert len(well.recurrences) == 1
    # the plan is paused, not gone: it says so, and where it will pick up
    assert well.programme is None and well.paused is not None
    assert well.paused.minutes_per_walk == before and well.resumes_at == before - 5
    paused_week = well.paused.week
    paused = keepwell.paused_text(well)
    assert paused is not None and "paused while your back settles" in paused
    assert f"{before - 5} minutes on Mon, Wed and Fri" in paused
    assert keepwell.plan_fields(well)["paused_programme"]["resumes_at_minutes_per_walk"] == 10
    ics, sequence = calendar(well, clock)
    assert "SUMMARY:Walking plan paused" in ics and "BYDAY=MO,WE,FR" in ics
    assert "paused while your back settles" in ics
    sequences.append(sequence)
    # the report and FHIR show the new episode with its date
    report = build_report(diary, clock.now(), None)
    assert report.keeping is not None
    assert report.keeping.recurrences == (report_when(episode_day),)
    assert_fhir_episode(diary, clock, episode_day)
    for _ in range(8):
        clock.advance(DAY)
        calm_check(diary, clock, 0)
        assert calendar(stage(diary, clock, "acute"), clock)[1] == sequence
    keepwell.confirm_recovery(diary, clock.now())
    # back to normal: the plan picks up at once, one step easier than where it stood, and
    # counts its weeks on from there (the week of the pause counts)
    well = stage(diary, clock, "keeping_well")
    assert well.programme is not None and well.programme.week == paused_week + 1
    assert well.programme.minutes_per_walk == before - 5 <= before
    assert well.programme.days == ("mon", "wed", "fri")
    assert reason(well) == "resumed" and well.paused is None
    assert keepwell.recovery_done_text(well).startswith("Good news. Your walking plan picks up")
    ics, sequence = calendar(well, clock)
    assert f"SUMMARY:Walk {before - 5} minutes" in ics
    sequences.append(sequence)
    # weeks 1-2 and 3-4 held; each change (two steps up, a step back, the pause, the pick-up)
    # raised the calendar's SEQUENCE, so a subscribed calendar takes every new version
    assert sequences == sorted(sequences) and len(set(sequences)) == 6, sequences
    for _ in range(2):
        walk_week(diary, clock, 10)
    keepwell.set_programme(diary, clock.now(), "mon,wed,fri,sat", 15)
    clock.advance(90 * DAY)  # to the end of six months
    well = stage(diary, clock, "keeping_well")
    assert well.programme is not None and well.programme.week > 12
    # six months of weeks on the chart: a target wherever a plan ran (both runs, and the weeks
    # before the person's own change), none while the new episode had it paused
    weeks = keepwell.weekly_minutes(diary, clock.now(), 26, well=well)
    unplanned = [start for start, _, target in weeks if target is None]
    assert len(unplanned) == 2 and unplanned[0] == weeks[0][0]  # before the plan
    assert abs((unplanned[1] - local_day(episode_day)).days) < 7  # the week it was paused
    assert weeks[1][2] == 30 and weeks[-1][2] == 60  # the first plan, and the person's change
    rows = list(csv.DictReader(io.StringIO(diary.export("csv", now=clock.now()))))
    assert [r["outcome"] for r in rows if r["record"] == "recurrence_check"] == [
        "no",
        "yes: a new episode",
    ]
    assert sum(r["record"] == "walk_logged" for r in rows) == 4 * 3 + 4 + 2 * 3
    diary.close()


def stopped_walk(diary: Diary, clock: ManualClock) -> None:
    """A guided walk a stop rule ended: a setback week."""
    walk = diary.start_walk(at=clock.now(), planned_minutes=20, pain_before=2, check_id=None)
    diary.finish_walk(
        walk.id,
        at=clock.now(),
        status=WalkStatus.STOPPED,
        elapsed_seconds=300,
        pain_after=6,
        stop_reason=default_rulebook().stop_rules[0].id,
    )


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def report_when(at: datetime) -> str:
    """'2 Apr 09:00': a moment as the report writes it, in the machine's zone."""
    local = at.astimezone()
    return f"{local.day} {MONTHS[local.month - 1]} {local:%H:%M}"


def assert_fhir_episode(diary: Diary, clock: ManualClock, at: datetime) -> None:
    bundle = json.loads(export_bundle(diary, clock.now()))
    answers = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and e["resource"].get("valueBoolean") is True
    ]
    assert len(answers) == 1
    assert datetime.fromisoformat(answers[0]["effectiveDateTime"]) == at
    assert answers[0]["note"] == [{"text": "A new episode began."}]


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
    change = doc["programme"]["last_change"]
    assert change["id"] == "stepped_up" and change["change"] == "up" and change["source"]
    # the same sentence, once, in `plan` and `programme`
    for command in ("plan", "programme"):
        shown = " ".join(run_cli(command).stdout.split())
        assert "Why this week's plan" in shown and change["reason"] in shown
    assert run_cli("log-walk", "-5").code == 2
    assert run_cli("recurrence", "--yes").code == 2  # not due yet
    clock.advance(16 * DAY)
    assert "Since" in run_cli("plan").stdout
    assert run_cli("recurrence", "--yes").code == 0
    doc = run_cli("plan", "--json").json()
    assert doc["phase"] == "acute" and "programme" not in doc
    assert doc["paused_programme"]["resumes_at_minutes_per_walk"] == 10
    shown = " ".join(run_cli("plan").stdout.split())
    assert "Your walking plan is paused while your back settles" in shown
    assert "SUMMARY:Walking plan paused" in run_cli("plan", "--ics").stdout
    assert run_cli("medicine", "ibuprofen", "--dose", "400 mg").code == 0
    # in the terminal a time without a zone is the machine's local time (new-user trial)
    earlier = (clock.now() - timedelta(hours=2)).astimezone().strftime("%Y-%m-%d %H:%M")
    assert run_cli("medicine", "paracetamol", "--dose", "1 g", "--at", earlier).code == 0
    exported = json.loads(run_cli("export", "--format", "json").stdout)
    assert exported["recurrence_checks"][0]["limited_activity"] is True
    assert {m["dose"] for m in exported["medicines"]} == {"400 mg", "1 g"}
    for _ in range(8):
        clock.advance(DAY)
        assert run_cli("check", "--no-text", stdin=check_answers(pain=0)).code == 0
    done = run_cli("recovered")
    assert done.code == 0 and "Your walking plan picks up again: 10 minutes" in done.stdout
    doc = run_cli("plan", "--json").json()
    assert doc["phase"] == "keeping_well" and doc["programme"]["minutes_per_walk"] == 10
    assert doc["programme"]["last_change"]["id"] == "resumed"


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
    change = doc["programme"]["last_change"]
    assert change["id"] == "stepped_up" and change["week"] == 3
    page = html.unescape(client.get("/keepwell").text)
    assert 'data-change="stepped_up"' in page and change["reason"] in page
    assert client.post("/api/recurrence", json={"limited_activity": False}).status_code == 422
    clock.advance(16 * DAY)
    assert "Since 5 Jan 2026," in client.get("/api/plan").json()["recurrence_question"]
    episode_day = clock.now()
    answer = client.post("/api/recurrence", json={"limited_activity": True})
    assert answer.status_code == 201 and answer.json()["phase"] == "acute"
    assert answer.json()["paused_programme"]["minutes_per_walk_before"] == 15
    doc = client.get("/api/plan").json()
    assert doc["standing"]["phase"] == "acute"
    assert doc["paused_programme"]["resumes_at_minutes_per_walk"] == 10
    assert "data-paused" in client.get("/keepwell").text
    ics = client.get("/plan.ics")
    assert ics.status_code == 200 and "SUMMARY:Walking plan paused" in ics.text
    report = client.get("/report").text
    assert "Keeping well" in report
    episodes = f"New episodes (the monthly question answered yes): {report_when(episode_day)}."
    assert episodes in report
    bundle = client.get("/api/export?format=fhir").json()
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert "Observation" in kinds
    for _ in range(8):
        clock.advance(DAY)
        assert client.post("/api/checks", json={"answers": NO_FLAGS}).status_code == 201
    back = client.post("/api/recovered", json={})
    assert back.status_code == 201 and back.json()["phase"] == "keeping_well"
    assert back.json()["programme"]["last_change"]["id"] == "resumed"
    assert "SUMMARY:Walk 10 minutes" in client.get("/plan.ics").text


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
    assert sequence_of(changed) > sequence_of(ics) and "BYDAY=MO,WE,FR,SA" in changed


def test_the_paused_calendar_matches_its_golden_file(run_cli, clock: ManualClock) -> None:
    """A new episode keeps the walking days in the calendar, marked paused with the words
    saying when the plan picks up, under the same UID and a higher SEQUENCE."""
    assert run_cli("recovered").code == 0
    assert run_cli("programme", "--days", "mon,wed,fri", "--minutes", "15").code == 0
    walking = run_cli("plan", "--ics").stdout
    clock.advance(31 * DAY)
    assert run_cli("recurrence", "--yes").code == 0
    ics = run_cli("plan", "--ics").stdout
    if os.environ.get("BACKWALK_UPDATE_GOLDEN"):
        PAUSED_GOLDEN.write_bytes(ics.encode())
    assert ics == PAUSED_GOLDEN.read_bytes().decode(), "BACKWALK_UPDATE_GOLDEN=1 and review"
    assert sequence_of(ics) > sequence_of(walking)


def sequence_of(ics: str) -> int:
    return int(next(line for line in ics.splitlines() if line.startswith("SEQUENCE:"))[9:])
