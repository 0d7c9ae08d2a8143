"""The histories list walks logged by hand and medicines: the terminal's table and JSON, and
the history page, from one shared view (`keepwell.logged_entries`)."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from backwalk.clock import ManualClock
from tests.cli.conftest import check_answers

HOUR = 3600


def test_the_terminal_history_lists_logged_walks_and_medicines(run_cli, clock: ManualClock) -> None:
    assert run_cli("check", "--no-text", stdin=check_answers(pain=4)).code == 0
    clock.advance(HOUR)
    assert run_cli("medicine", "ibuprofen", "--dose", "400 mg").code == 0
    clock.advance(HOUR)
    assert run_cli("log-walk", "25").code == 0
    assert run_cli("log-walk", "15", "--date", "2026-01-03").code == 0  # two days back
    table = run_cli("history").stdout
    rows = [line for line in table.splitlines() if line[:4] == "2026"]
    assert rows[0].startswith("2026-01-03  ") and "logged walk" in rows[0]
    assert "15" in rows[0] and "09:00" not in rows[0]  # a logged walk has a day, not a time
    assert "check" in rows[1]
    assert "medicine" in rows[2] and "ibuprofen 400 mg" in rows[2]
    assert " 4 " in rows[2]  # the pain of the check before it
    assert "logged walk" in rows[3] and "25" in rows[3]
    doc = run_cli("history", "--json").json()
    kinds = [(e["kind"], e["outcome"]) for e in doc["entries"]]
    assert kinds == [
        ("walk_log", "logged"),
        ("check", "walk_gently"),
        ("medicine", "taken"),
        ("walk_log", "logged"),
    ]
    medicine = doc["entries"][2]
    assert medicine["outcome_text"] == "ibuprofen 400 mg" and medicine["pain_before"] == 4
    assert doc["pain_trend"] == [4]  # a medicine's pain is its check's, counted once
    limited = run_cli("history", "--json", "--limit", "2").json()["entries"]
    assert [e["kind"] for e in limited] == ["medicine", "walk_log"]


def test_the_history_page_lists_them_too(client: TestClient, clock: ManualClock) -> None:
    answers = {"pain_score": 3, "sharp_pain": False}
    assert client.post("/api/checks", json={"answers": answers}).status_code == 201
    clock.advance(HOUR)
    medicine = {"name": "paracetamol", "dose": "1 g"}
    assert client.post("/api/medicines", json=medicine).status_code == 201
    clock.advance(HOUR)
    assert client.post("/api/activity", json={"minutes": 20}).status_code == 201
    page = html.unescape(client.get("/history").text)
    assert "Walks you logged and medicines" in page
    assert "Logged walk: 20 minutes" in page
    assert "Medicine: paracetamol 1 g</td><td>3</td>" in page
    assert page.index("Logged walk: 20") < page.index("Medicine: paracetamol")  # newest first


def test_a_diary_with_only_logged_walks_is_not_empty(client: TestClient) -> None:
    assert client.post("/api/activity", json={"minutes": 30}).status_code == 201
    page = client.get("/history").text
    assert "Nothing here yet" not in page and "data-logged" in page
