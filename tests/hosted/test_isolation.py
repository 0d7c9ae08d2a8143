"""One person's diary is theirs alone: on every route that takes an id, in every list, export
and count. Run twice: with the service layer's owner filter, and with it switched off, where
PostgreSQL's row-level security alone must keep the diaries apart."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.hosted.conftest import (
    csrf_token,
    log_in,
    make_clinician,
    save_check,
    sign_up,
    walk_once,
)

pytestmark = pytest.mark.postgres

ALICE_PAIN = 6  # only Alice ever reports 6; Bob reports 3
FILTER = pytest.mark.parametrize("filter_queries", [True, False], ids=["filtered", "rls-only"])


def alice_and_bob(make_client: Any, filter_queries: bool) -> tuple[Any, Any, dict[str, int]]:
    alice = make_client(filter_queries=filter_queries)
    sign_up(alice, "alice")
    check = save_check(alice, {"pain_score": ALICE_PAIN, "sharp_pain": False})["check"]
    walk = walk_once(alice, pain=ALICE_PAIN)
    share = alice.post("/api/shares", json={}).json()
    active = alice.post("/api/walks", json={"pain_before": ALICE_PAIN}).json()
    bob = make_client(filter_queries=filter_queries)
    sign_up(bob, "bob")
    save_check(bob, {"pain_score": 3, "sharp_pain": False})
    ids = {
        "check": check["id"],
        "walk": walk["id"],
        "active": active["id"],
        "share": share["id"],
        "person": alice.get("/api/account").json()["id"],
    }
    return alice, bob, ids


def api_attempts(ids: dict[str, int]) -> list[tuple[str, str, Any]]:
    checkin = {"elapsed_seconds": 90, "current_pain": 9, "sharp_or_shooting": True}
    return [
        ("GET", f"/api/checks/{ids['check']}", None),
        ("GET", f"/api/walks/{ids['walk']}", None),
        ("GET", f"/api/walks/{ids['active']}", None),
        ("POST", f"/api/walks/{ids['active']}/checkins", checkin),
        ("POST", f"/api/walks/{ids['active']}/heartbeat", {"elapsed_seconds": 100}),
        (
            "POST",
            f"/api/walks/{ids['active']}/finish",
            {"status": "interrupted", "elapsed_seconds": 5},
        ),
        ("DELETE", f"/api/shares/{ids['share']}", None),
    ]


@FILTER
def test_every_api_route_with_an_id_answers_404_to_anyone_else(make_client, filter_queries):
    alice, bob, ids = alice_and_bob(make_client, filter_queries)
    before = alice.get("/api/export?format=json").json()
    for method, path, body in api_attempts(ids):
        answer = bob.request(method, path, json=body)
        assert answer.status_code == 404, (method, path, answer.text)
        assert str(ALICE_PAIN) not in json.dumps(answer.json().get("walk"))
    assert alice.get("/api/export?format=json").json() == before
    assert alice.get("/api/shares").json()[0]["state"] == "waiting"


@FILTER
def test_every_page_with_an_id_answers_404_to_anyone_else(make_client, filter_queries):
    alice, bob, ids = alice_and_bob(make_client, filter_queries)
    token = csrf_token(bob.get("/account").text)
    assert bob.get(f"/result/{ids['check']}").status_code == 404
    assert bob.get(f"/walks/{ids['walk']}").status_code == 404
    for path, form in (
        (f"/walk/{ids['active']}/checkin", {"current_pain": "9", "sharp": "yes"}),
        (f"/walk/{ids['active']}/finish", {"pain_after": "2"}),
        (f"/sharing/{ids['share']}/revoke", {}),
    ):
        answer = bob.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
        assert answer.status_code == 404, (path, answer.status_code, answer.text[:200])
    assert alice.get(f"/api/walks/{ids['active']}").json()["status"] == "in_progress"
    assert alice.get("/api/shares").json()[0]["revoked_at"] is None


@FILTER
def test_nothing_leaks_through_lists_exports_or_counts(make_client, filter_queries):
    _alice, bob, _ids = alice_and_bob(make_client, filter_queries)
    checks = bob.get("/api/checks").json()
    assert [c["pain_score"] for c in checks] == [3]
    assert bob.get("/api/walks").json() == []
    assert bob.get("/api/walks/active").status_code in (200, 404)
    assert "in_progress" not in bob.get("/api/walks/active").text
    exported = bob.get("/api/export?format=json").json()
    assert len(exported["checks"]) == 1 and exported["walks"] == []
    for fmt in ("csv", "fhir"):
        assert f"{ALICE_PAIN}" not in _pain_values(bob.get(f"/api/export?format={fmt}").text)
    assert bob.get("/api/shares").json() == []
    assert "1 check and 0 walks" in bob.get("/history/forget").text
    for page in ("/history", "/report", "/", "/walk"):
        answer = bob.get(page)
        assert answer.status_code == 200, page
        assert "alice" not in answer.text.lower()
    plan = bob.get("/api/plan")
    assert plan.status_code in (200, 409), plan.text


def _pain_values(body: str) -> str:
    # Only the pain figures matter here: the number 6 may well appear in a date.
    return " ".join(
        part for part in body.replace(",", " ").split() if part.isdigit() and len(part) == 1
    )


@FILTER
def test_a_clinician_without_a_share_sees_nothing(make_client, app_url, clock, filter_queries):
    _alice, _bob, ids = alice_and_bob(make_client, filter_queries)
    make_clinician(app_url, clock)
    lee = make_client(filter_queries=filter_queries)
    log_in(lee, "drlee")
    assert lee.get("/api/clinician/people").json() == []
    for what in ("checks", "walks"):
        answer = lee.get(f"/api/clinician/people/{ids['person']}/{what}")
        assert answer.status_code == 404 or answer.json() == [], answer.text
        if filter_queries:
            assert answer.status_code == 404
    exported = lee.get(f"/api/clinician/people/{ids['person']}/export?format=json")
    assert exported.status_code == 404 or exported.json()["checks"] == []
    page = lee.get(f"/clinician/people/{ids['person']}")
    assert page.status_code == 404 or "No checks yet" in page.text
    assert lee.get(f"/api/checks/{ids['check']}").status_code == 404


@FILTER
def test_a_revoked_share_stops_at_once(make_client, app_url, clock, filter_queries):
    alice, _bob, ids = alice_and_bob(make_client, filter_queries)
    make_clinician(app_url, clock)
    lee = make_client(filter_queries=filter_queries)
    log_in(lee, "drlee")
    code = alice.post("/api/shares", json={}).json()["code"]
    assert lee.post("/api/clinician/shares", json={"code": code}).status_code == 200
    people = lee.get("/api/clinician/people").json()
    assert [p["username"] for p in people] == ["alice"]
    checks = lee.get(f"/api/clinician/people/{ids['person']}/checks").json()
    assert [c["pain_score"] for c in checks] == [ALICE_PAIN]
    share_id = next(s["id"] for s in alice.get("/api/shares").json() if s["state"] == "active")
    assert alice.delete(f"/api/shares/{share_id}").status_code == 200
    after = lee.get(f"/api/clinician/people/{ids['person']}/checks")
    assert after.status_code == 404 or after.json() == []
    assert lee.get("/api/clinician/people").json() == []


def test_an_expired_code_does_not_work_and_a_used_one_works_once(make_client, app_url, clock):
    alice = make_client()
    sign_up(alice, "alice")
    make_clinician(app_url, clock)
    make_clinician(app_url, clock, "drkay")
    lee, kay = make_client(), make_client()
    log_in(lee, "drlee")
    log_in(kay, "drkay")
    old = alice.post("/api/shares", json={}).json()["code"]
    clock.advance(timedelta(days=7, seconds=1).total_seconds())
    refused = lee.post("/api/clinician/shares", json={"code": old})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "code"
    fresh = alice.post("/api/shares", json={}).json()["code"]
    assert lee.post("/api/clinician/shares", json={"code": fresh.lower()}).status_code == 200
    assert kay.post("/api/clinician/shares", json={"code": fresh}).status_code == 422
    states = sorted(s["state"] for s in alice.get("/api/shares").json())
    assert states == ["active", "expired"]


def test_a_clinician_cannot_change_a_shared_diary(make_client, app_url, clock):
    alice = make_client()
    sign_up(alice, "alice")
    save_check(alice)
    make_clinician(app_url, clock)
    lee = make_client()
    log_in(lee, "drlee")
    lee.post(
        "/api/clinician/shares", json={"code": alice.post("/api/shares", json={}).json()["code"]}
    )
    person = alice.get("/api/account").json()["id"]
    from backwalk.diary.engine import create_diary_engine, parse_url
    from backwalk.diary.store import Diary
    from backwalk.errors import ReadOnlyDiary

    engine = create_diary_engine(parse_url(app_url))
    try:
        viewer = Diary(engine, url=app_url).scoped(person, viewer=2 + 1)
        with pytest.raises(ReadOnlyDiary):
            viewer.forget()
        unfiltered = Diary(engine, url=app_url).scoped(person, viewer=3, filter_queries=False)
        assert unfiltered.counts() == (1, 0)
    finally:
        engine.dispose()
    assert len(alice.get("/api/checks").json()) == 1


def test_row_level_security_binds_the_app_role_in_plain_sql(make_client, app_url):
    alice = make_client()
    sign_up(alice, "alice")
    save_check(alice)
    alice_id = alice.get("/api/account").json()["id"]
    engine = create_engine(app_url)
    try:
        with engine.begin() as connection:
            assert connection.execute(text("SELECT count(*) FROM checks")).scalar() == 0
        with engine.begin() as connection:
            connection.execute(text("SELECT set_config('backwalk.owner', :o, true)"), {"o": "999"})
            assert connection.execute(text("SELECT count(*) FROM checks")).scalar() == 0
        with engine.begin() as connection:
            connection.execute(
                text("SELECT set_config('backwalk.owner', :o, true)"), {"o": str(alice_id)}
            )
            assert connection.execute(text("SELECT count(*) FROM checks")).scalar() == 1
        with pytest.raises(DBAPIError, match="row-level security"), engine.begin() as connection:
            connection.execute(text("SELECT set_config('backwalk.owner', '999', true)"))
            connection.execute(
                text(
                    "INSERT INTO checks (owner_id, at, answers, assessment, disposition,"
                    " red_flags) VALUES (:o, now(), '{}', '{}', 'walk_gently', '[]')"
                ),
                {"o": alice_id},
            )
    finally:
        engine.dispose()
