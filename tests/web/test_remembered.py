"""Warnings are remembered (issue 17): an emergency or same-day sign reported in the last 24
hours keeps its advice whatever a later check says, and no walk starts, until the person records
that a clinician has seen them. Driven through the JSON API, and read back from every page."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from backwalk.clock import ManualClock
from backwalk.rules import default_rulebook
from tests.web.helpers import csrf_token, do_check

RB = default_rulebook()
PAGES = ("/", "/walk", "/history")
HOURS = RB.progression.warning_remembered_hours
CALM = {"pain_score": 3}


def check(client: TestClient, answers: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/checks", json={"answers": answers})
    assert response.status_code == 201, response.text
    return response.json()


def start_walk(client: TestClient) -> Any:
    return client.post("/api/walks", json={"pain_before": 3})


@pytest.mark.parametrize(
    ("warning", "urgency"),
    [({"bladder_or_bowel_loss": True}, "emergency"), ({"fever_or_chills": True}, "same_day")],
)
def test_a_warning_outlives_a_calm_check(
    client: TestClient, clock: ManualClock, warning: dict[str, Any], urgency: str
) -> None:
    check(client, warning)
    clock.advance(60)
    calm = check(client, CALM)
    assert calm["assessment"]["disposition"] == "walk_gently"  # the check itself is calm
    plan = client.get("/api/plan").json()
    assert plan["standing"]["kind"] == "seek_care"
    assert plan["standing"]["urgency"] == urgency
    assert plan["standing"]["warning"]["red_flags"] == list(warning)
    assert plan["gate"] == {**plan["gate"], "allowed": False, "reason": "seek_care"}
    refused = start_walk(client)
    assert refused.status_code == 409
    assert refused.json()["reason"] == "seek_care"
    label = RB.question_by_id[next(iter(warning))].label
    assert label in refused.json()["why"]
    for path in PAGES:
        html = client.get(path).text
        assert RB.standing("seek_care").headline in html, path
        assert label in html, path
        assert "-minute walk" not in html, path


def test_i_have_been_seen_ends_the_warning(client: TestClient, clock: ManualClock) -> None:
    check(client, {"saddle_numbness": True})
    clock.advance(3600)
    seen = client.post("/api/seen", json={})
    assert seen.status_code == 201
    assert seen.json()["standing"]["warning"] is None
    assert seen.json()["standing"]["kind"] == "seen"  # a new check comes first
    assert start_walk(client).status_code == 409
    clock.advance(60)
    check(client, CALM)
    assert start_walk(client).status_code == 201


def test_the_warning_lapses_after_a_day(client: TestClient, clock: ManualClock) -> None:
    check(client, {"bladder_or_bowel_loss": True})
    clock.advance(HOURS * 3600 + 1)
    check(client, CALM)
    assert client.get("/api/plan").json()["standing"]["warning"] is None
    assert start_walk(client).status_code == 201


def test_a_warning_after_the_visit_stands_again(client: TestClient, clock: ManualClock) -> None:
    check(client, {"bladder_or_bowel_loss": True})
    client.post("/api/seen", json={})
    clock.advance(60)
    check(client, {"chest_pain": True})
    clock.advance(60)
    check(client, CALM)
    warning = client.get("/api/plan").json()["standing"]["warning"]
    assert warning["red_flags"] == ["chest_pain"]


def test_a_warning_at_a_walk_check_in_is_remembered(client: TestClient, clock: ManualClock) -> None:
    check(client, CALM)
    walk = start_walk(client).json()
    clock.advance(120)
    stop = client.post(
        f"/api/walks/{walk['id']}/checkins",
        json={"client_id": "c1", "elapsed_seconds": 120, "current_pain": 3, "chest_pain": True},
    )
    assert stop.json()["result"]["action"] == "stop_seek_care"
    clock.advance(60)
    check(client, CALM)
    plan = client.get("/api/plan").json()
    assert plan["standing"]["warning"]["walk_id"] == walk["id"]
    assert plan["standing"]["urgency"] == "emergency"
    assert start_walk(client).status_code == 409


def test_gp_soon_is_not_a_warning_that_stops_walks(client: TestClient) -> None:
    check(client, {"pain_score": 3, "age": 60, "first_episode": True})
    assert client.get("/api/plan").json()["standing"]["warning"] is None
    assert start_walk(client).status_code == 201


def test_seen_must_be_json(client: TestClient) -> None:
    # Another site's form could otherwise end a person's warning behind their back.
    response = client.post("/api/seen", content=b"", headers={"content-type": "text/plain"})
    assert response.status_code in (415, 422)


# -- the pages ------------------------------------------------------------------------------


def test_a_new_check_first_asks_whether_the_sign_is_still_so(
    client: TestClient, clock: ManualClock
) -> None:
    check(client, {"bladder_or_bowel_loss": True})
    clock.advance(600)
    page = client.get("/check?new=1")
    assert RB.notes.still_title in page.text
    assert RB.question_by_id["bladder_or_bowel_loss"].label in page.text
    assert "checked" not in page.text.split("<form", 1)[1]  # no answer chosen to begin with
    token = csrf_token(page.text)
    sent = client.post("/check/still", data={"csrf_token": token, "bladder_or_bowel_loss": "yes"})
    assert sent.url.path.startswith("/result/")  # a yes decides at once, as on the checklist
    assert "Call 999" in sent.text


def test_no_lets_the_check_go_on_but_the_advice_stands(
    client: TestClient, clock: ManualClock
) -> None:
    check(client, {"fever_or_chills": True})
    clock.advance(600)
    token = csrf_token(client.get("/check?new=1").text)
    sent = client.post("/check/still", data={"csrf_token": token, "fever_or_chills": "no"})
    assert sent.url.path == "/check"
    assert RB.notes.still_title not in sent.text  # asked once
    result = do_check(client)
    assert result.url.path.startswith("/result/")
    assert RB.standing("seek_care").headline in result.text  # the earlier warning still leads
    assert "Start the" not in result.text
    assert client.post("/api/walks", json={"pain_before": 3}).status_code == 409


def test_a_blank_still_answer_is_asked_again(client: TestClient) -> None:
    check(client, {"chest_pain": True})
    token = csrf_token(client.get("/check?new=1").text)
    sent = client.post("/check/still", data={"csrf_token": token})
    assert sent.status_code == 422
    assert RB.notes.still_title in sent.text


def test_the_seen_button_ends_the_warning(client: TestClient, clock: ManualClock) -> None:
    check(client, {"chest_pain": True})
    home = client.get("/")
    assert RB.notes.seen_button in home.text
    clock.advance(3600)
    confirm = client.get("/seen")  # one tap asks first: a mis-tap cannot lift the warning
    assert RB.notes.seen_confirm_title in confirm.text
    assert RB.question_by_id["chest_pain"].label in confirm.text
    assert client.get("/api/plan").json()["standing"]["warning"] is not None
    done = client.post("/seen", data={"csrf_token": csrf_token(confirm.text)})
    assert done.url.path == "/"
    assert RB.standing("seen").text in done.text
    assert RB.notes.seen_button not in done.text
    assert RB.notes.still_title not in client.get("/check?new=1").text


def test_the_seen_page_without_a_warning_goes_home(client: TestClient) -> None:
    assert client.get("/seen").url.path == "/"


def test_the_seen_button_needs_its_token(client: TestClient) -> None:
    check(client, {"chest_pain": True})
    assert client.post("/seen", data={}).status_code == 403
    assert client.get("/api/plan").json()["standing"]["warning"] is not None


def test_after_the_visit_a_walk_needs_a_new_check(client: TestClient, clock: ManualClock) -> None:
    # Found by a new user: "I have been seen" offered a walk from a check made before the visit.
    check(client, {"fever_or_chills": True})
    clock.advance(60)
    client.post("/check/still")  # (no token: refused, changes nothing)
    check(client, CALM)  # a calm check while the warning stands
    clock.advance(60)
    client.post("/api/seen", json={})
    plan = client.get("/api/plan").json()
    assert plan["standing"]["kind"] == "seen" and plan["gate"]["reason"] == "seen"
    assert start_walk(client).status_code == 409
    clock.advance(60)
    check(client, CALM)
    assert start_walk(client).status_code == 201


def test_a_calm_result_under_a_standing_warning_leads_with_the_warning(
    client: TestClient, clock: ManualClock
) -> None:
    first = check(client, {"bladder_or_bowel_loss": True})
    clock.advance(60)
    calm = check(client, CALM)
    html = client.get(f"/result/{calm['check']['id']}").text
    h1 = html.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert RB.standing("seek_care").headline in h1
    assert "A short, gentle walk is a good idea" not in h1
    assert "Heat just before a walk" not in html
    assert f'href="/result/{first["check"]["id"]}"' in html  # the warning's own result
    # one heading for the warning, and nothing saying a walk is appropriate now
    assert html.count(RB.standing("seek_care").headline) == 1
    assert "So a gentle walk is a good idea" not in html  # the walk rule's conclusion
    assert RB.notes.remembered_check.format(short="Walk gently") in " ".join(html.split())


def test_a_sign_settled_on_the_still_screen_is_not_asked_again(
    client: TestClient, clock: ManualClock
) -> None:
    # Found by a new user: after "No, not still so" the fever was asked again on step 2.
    check(client, {"fever_or_chills": True})
    clock.advance(600)
    token = csrf_token(client.get("/check?new=1").text)
    client.post("/check/still", data={"csrf_token": token, "fever_or_chills": "no"})
    client.post("/check", data={"csrf_token": token})  # step 1: none of these
    step2 = client.get("/check/warning").text
    assert 'name="fever_or_chills"' not in step2
    assert 'name="night_pain"' in step2
    client.post("/check/warning", data={"csrf_token": token})
    done = client.post("/check/pain", data={"csrf_token": token, "pain_score": "3"})
    assert done.url.path.startswith("/result/")
    saved = client.get("/api/checks?limit=1").json()[0]
    assert saved["answers"]["fever_or_chills"] is False


def test_history_marks_a_calm_check_made_under_a_warning(
    client: TestClient, clock: ManualClock
) -> None:
    check(client, {"fever_or_chills": True})
    clock.advance(60)
    check(client, CALM)
    clock.advance(60)
    client.post("/api/seen", json={})
    clock.advance(60)
    check(client, CALM)  # after the visit: an ordinary calm check
    html = client.get("/history").text
    assert html.count(RB.notes.held_back) == 1
