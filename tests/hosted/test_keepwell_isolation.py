"""Keeping well in hosted mode: each person's walks, medicines, programme and answers are
theirs alone, with the owner filter and with row-level security alone."""

from __future__ import annotations

import pytest

from tests.hosted.conftest import log_in, sign_up

pytestmark = pytest.mark.postgres
FILTER = pytest.mark.parametrize("filter_queries", [True, False], ids=["filtered", "rls-only"])


@FILTER
def test_keeping_well_rows_stay_with_their_owner(make_client, filter_queries):
    alice = make_client(filter_queries=filter_queries)
    sign_up(alice, "alice")
    assert alice.post("/api/recovered", json={}).status_code == 201
    plan = {"days": ["mon", "wed", "fri"], "minutes_per_walk": 10}
    assert alice.post("/api/programme", json=plan).status_code == 201
    assert alice.post("/api/activity", json={"minutes": 47}).status_code == 201
    medicine = {"name": "alicemed", "dose": "400 mg"}
    assert alice.post("/api/medicines", json=medicine).status_code == 201
    assert alice.get("/api/plan").json()["phase"] == "keeping_well"
    bob = make_client(filter_queries=filter_queries)
    sign_up(bob, "bob")
    assert bob.get("/api/plan").json()["phase"] == "acute"
    exported = bob.get("/api/export?format=json").json()
    for key in ("walk_logs", "medicines", "recoveries", "recurrence_checks", "programme_settings"):
        assert exported[key] == [], key
    assert "alicemed" not in bob.get("/api/export?format=csv").text
    assert bob.get("/plan.ics").status_code == 200
    assert "VEVENT" not in bob.get("/plan.ics").text
    assert "VEVENT" in alice.get("/plan.ics").text


@FILTER
def test_a_paused_plan_picks_up_for_its_owner_only(make_client, clock, filter_queries):
    """The pick-up writes a programme row in the same transaction as the recovery: under
    row-level security it is the owner's, and the other person's plan never moves."""
    alice = make_client(filter_queries=filter_queries)
    sign_up(alice, "alice")
    bob = make_client(filter_queries=filter_queries)
    sign_up(bob, "bob")
    plan = {"days": ["mon", "wed", "fri"], "minutes_per_walk": 15}
    for person in (alice, bob):
        assert person.post("/api/recovered", json={}).status_code == 201
        assert person.post("/api/programme", json=plan).status_code == 201
    clock.advance(31 * 86400)
    alice = relogin(make_client, filter_queries, "alice")
    answer = alice.post("/api/recurrence", json={"limited_activity": True})
    assert answer.status_code == 201 and answer.json()["paused_programme"] is not None
    clock.advance(7 * 86400)
    alice = relogin(make_client, filter_queries, "alice")
    back = alice.post("/api/recovered", json={})
    assert back.status_code == 201, back.text
    assert back.json()["programme"]["minutes_per_walk"] == 10
    assert back.json()["programme"]["last_change"]["id"] == "resumed"
    bob = relogin(make_client, filter_queries, "bob")
    doc = bob.get("/api/plan").json()
    assert doc["phase"] == "keeping_well" and doc["paused_programme"] is None
    assert doc["programme"]["minutes_per_walk"] == 15
    assert len(bob.get("/api/export?format=json").json()["programme_settings"]) == 1


def relogin(make_client, filter_queries: bool, username: str):
    """A fresh sign-in after the clock has moved a month (sessions do not last that long)."""
    client = make_client(filter_queries=filter_queries)
    log_in(client, username)
    return client
