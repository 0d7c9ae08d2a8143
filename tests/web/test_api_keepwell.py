"""The keeping-well API: JSON only, clear 422s that change nothing, and the phase on /api/plan."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from backwalk.clock import ManualClock

DAY = 86400


def post(client: TestClient, path: str, body: Any) -> Any:
    return client.post(path, json=body)


def test_plan_shows_the_phase(client: TestClient) -> None:
    doc = client.get("/api/plan").json()
    assert doc["phase"] == "acute" and doc["standing"]["phase"] == "acute"
    assert "programme" not in doc


def test_from_recovery_to_a_programme(client: TestClient, clock: ManualClock) -> None:
    assert (
        post(
            client, "/api/programme", {"days": ["mon", "wed", "fri"], "minutes_per_walk": 10}
        ).status_code
        == 422
    )
    answer = post(client, "/api/recovered", {})
    assert answer.status_code == 201 and answer.json()["phase"] == "recovered"
    answer = post(client, "/api/programme", {"days": ["mon", "wed", "fri"], "minutes_per_walk": 10})
    assert answer.status_code == 201, answer.text
    assert answer.json()["phase"] == "keeping_well"
    walked = post(client, "/api/activity", {"minutes": 25})
    assert walked.status_code == 201
    programme = client.get("/api/plan").json()["programme"]
    assert programme["walked_minutes_this_week"] == 25
    assert programme["target_minutes_per_week"] == 30
    assert set(programme) == {
        "week",
        "days",
        "minutes_per_walk",
        "target_minutes_per_week",
        "walked_minutes_this_week",
        "next_step_on",
        "next_recurrence_check",
        "last_change",
    }
    assert programme["last_change"] is None  # week 1: nothing to explain yet


BAD = [
    ("/api/activity", {"minutes": -5}, "minutes"),
    ("/api/activity", {"minutes": 20, "date": "2099-01-01"}, "date"),
    ("/api/activity", {"minutes": 20, "date": "yesterday"}, "date"),
    ("/api/activity", {"minutes": 20, "extra": 1}, "extra"),
    ("/api/recurrence", {"limited_activity": True}, "limited_activity"),
    ("/api/recurrence", {"limited_activity": "yes"}, "limited_activity"),
    ("/api/medicines", {"name": "ibuprofen", "taken_at": "2099-01-01T08:00:00+00:00"}, "taken_at"),
    ("/api/medicines", {"name": "ibuprofen", "taken_at": "2026-01-01T08:00:00"}, "taken_at"),
    ("/api/medicines", {"name": ""}, "name"),
    ("/api/programme", {"days": ["mon"], "minutes_per_walk": 10}, "programme"),
]


@pytest.mark.parametrize(("path", "body", "field"), BAD)
def test_bad_input_is_a_clear_422_and_changes_nothing(
    client: TestClient, path: str, body: Any, field: str
) -> None:
    before = client.get("/api/export?format=json").json()
    answer = post(client, path, body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == field
    after = client.get("/api/export?format=json").json()
    assert {k: v for k, v in before.items() if k != "exported_at"} == {
        k: v for k, v in after.items() if k != "exported_at"
    }


@pytest.mark.parametrize(
    "path",
    ["/api/activity", "/api/recurrence", "/api/medicines", "/api/programme", "/api/recovered"],
)
def test_only_json_is_taken(client: TestClient, path: str) -> None:
    assert client.post(path, data={"minutes": "5"}).status_code == 415


def test_medicines_are_logged(client: TestClient) -> None:
    answer = post(client, "/api/medicines", {"name": "ibuprofen", "dose": "400 mg"})
    assert answer.status_code == 201
    assert answer.json()["medicine"]["dose"] == "400 mg"


def test_in_keeping_well_the_next_walk_is_the_programmes(client: TestClient) -> None:
    # the new-user trial: the standing said "first walk: 5 minutes" beside a 15-minute plan
    assert post(client, "/api/recovered", {}).status_code == 201
    body = {"days": ["mon", "wed", "fri"], "minutes_per_walk": 15}
    assert post(client, "/api/programme", body).status_code in (200, 201)
    assert post(client, "/api/checks", {"answers": {"pain_score": 1}}).status_code == 201
    plan = client.get("/api/plan").json()
    assert plan["minutes"] == 15 and plan["gate"]["planned_minutes"] == 15
    assert "15 minutes a walk" in plan["why"]


def test_home_asks_the_monthly_question_when_it_is_due(
    client: TestClient, clock: ManualClock
) -> None:
    assert post(client, "/api/recovered", {}).status_code == 201
    body = {"days": ["mon", "wed", "fri"], "minutes_per_walk": 15}
    assert post(client, "/api/programme", body).status_code in (200, 201)
    assert "data-home-monthly" not in client.get("/").text
    clock.advance(31 * 24 * 3600)
    home = client.get("/").text
    assert "data-home-monthly" in home and 'href="/keepwell"' in home
