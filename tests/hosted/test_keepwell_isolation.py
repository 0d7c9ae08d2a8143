"""Keeping well in hosted mode: each person's walks, medicines, programme and answers are
theirs alone, with the owner filter and with row-level security alone."""

from __future__ import annotations

import pytest

from tests.hosted.conftest import sign_up

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
