"""Every page tells the same story: each leads with where the person stands, and none offers a
walk that the latest decision does not allow. With the diary down, every route says 503."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backwalk.clock import ManualClock
from backwalk.rules import default_rulebook
from backwalk.web.app import create_app
from backwalk.web.errors import UNAVAILABLE
from tests.web.conftest import SECRET
from tests.web.helpers import main_section

RB = default_rulebook()
PAGES = ("/", "/walk", "/history")
WALK_OFFERS = ("/walk/start", "-minute walk")

# (answers for POST /api/checks, the standing it leads to, the urgency shown)
SCENARIOS = {
    "emergency": ({"bladder_or_bowel_loss": True}, "seek_care", "emergency"),
    "same_day": ({"fever_or_chills": True, "pain_score": 3}, "seek_care", "same_day"),
    "rest_first": ({"pain_score": 8}, "rest_first", None),
    "walk_gently": ({"pain_score": 3}, "walk_ready", None),
    "gp_soon": ({"pain_score": 3, "age": 60, "first_episode": True}, "walk_ready", "gp_soon"),
}


def save_check(client: TestClient, answers: dict[str, Any]) -> int:
    response = client.post("/api/checks", json={"answers": answers})
    assert response.status_code == 201, response.text
    return int(response.json()["check"]["id"])


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_page_agrees_with_the_latest_decision(client: TestClient, name: str) -> None:
    answers, kind, urgency = SCENARIOS[name]
    older = save_check(client, {"pain_score": 2})
    save_check(client, answers)
    words = RB.standing(kind)
    headline = words.headline.format(minutes=RB.progression.start_minutes)
    pages = {path: client.get(path).text for path in (*PAGES, f"/result/{older}")}
    for path, html in pages.items():
        assert headline in html, path
        if kind != "walk_ready":
            assert not any(offer in html for offer in WALK_OFFERS), path
    assert "This is an older result" in pages[f"/result/{older}"]
    plan = client.get("/api/plan").json()
    assert plan["standing"]["kind"] == kind
    assert plan["standing"]["urgency"] == urgency
    assert (plan["standing"]["next_walk_minutes"] is None) == (kind != "walk_ready")
    if urgency == "emergency":
        assert 'href="tel:999"' in main_section(pages["/"])  # the call button
    if urgency == "gp_soon":
        assert RB.urgency_headline("gp_soon") in pages["/"]


def test_after_a_stopped_walk_every_page_asks_for_a_new_check(client: TestClient) -> None:
    save_check(client, {"pain_score": 3})
    walk = client.post("/api/walks", json={"pain_before": 3}).json()
    stop = {"current_pain": 6, "elapsed_seconds": 60}
    assert client.post(f"/api/walks/{walk['id']}/checkins", json=stop).status_code == 201
    headline = RB.standing("walk_stopped").headline
    for path in PAGES:
        html = client.get(path).text
        assert headline in html, path
        assert not any(offer in html for offer in WALK_OFFERS), path
    refused = client.post("/api/walks", json={"pain_before": 3})
    assert refused.status_code == 409 and refused.json()["reason"] == "walk_stopped"


def test_a_walk_in_progress_is_what_every_page_leads_with(client: TestClient) -> None:
    save_check(client, {"pain_score": 3})
    first = client.post("/api/walks", json={"pain_before": 3})
    assert first.status_code == 201
    for path in ("/", "/history"):
        assert RB.standing("walking").headline in client.get(path).text, path
    again = client.post("/api/walks", json={"pain_before": 3})
    assert again.status_code == 409
    assert again.json()["reason"] == "walk_in_progress"
    assert again.json()["walk_id"] == first.json()["id"]


@pytest.fixture
def broken(tmp_path: Path, clock: ManualClock) -> Any:
    """A running app whose diary file is then overwritten with bytes that are no database:
    a real failure of the storage underneath, not a stand-in."""
    path = tmp_path / "diary.db"
    app = create_app(db_url=f"sqlite:///{path}", clock=clock, secret=SECRET)
    with TestClient(app) as client:
        save_check(client, {"pain_score": 3})
        app.state.web.diary.close()  # drop pooled connections that cached the old pages
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.write_bytes(b"this is not a database " * 512)
        yield client


ROUTES = [
    ("GET", "/", None),
    ("GET", "/walk", None),
    ("GET", "/history", None),
    ("GET", "/history/forget", None),
    ("GET", "/result", None),
    ("GET", "/result/1", None),
    ("GET", "/walks/1", None),
    ("GET", "/api/checks", None),
    ("GET", "/api/checks/1", None),
    ("GET", "/api/walks", None),
    ("GET", "/api/walks/1", None),
    ("GET", "/api/walks/active", None),
    ("GET", "/api/plan", None),
    ("GET", "/api/export", None),
    ("POST", "/api/checks", {"answers": {"pain_score": 3}}),
    ("POST", "/api/walks", {"pain_before": 3}),
    ("POST", "/api/walks/1/checkins", {"current_pain": 3, "elapsed_seconds": 5}),
    ("POST", "/api/walks/1/heartbeat", {"elapsed_seconds": 5}),
    ("POST", "/api/walks/1/finish", {"status": "completed", "elapsed_seconds": 5}),
    ("DELETE", "/api/diary", None),
    ("GET", "/api/ready", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_with_the_diary_down_every_route_answers_503(
    broken: TestClient, method: str, path: str, body: Any
) -> None:
    response = broken.request(method, path, json=body)
    assert response.status_code == 503, (path, response.status_code, response.text[:200])
    if path.startswith("/api/"):
        # A plain message: the database's URL and the driver's words are for the log only.
        assert response.json()["error"]["message"] == UNAVAILABLE
    assert "sqlite" not in response.text and "diary.db" not in response.text


def test_a_write_by_another_process_shows_at_once(app: Any, client: TestClient) -> None:
    """Pages reuse what they read while the diary is unchanged; any commit, even from the
    command line in another process, is seen on the next request."""
    from backwalk.coach import run_check
    from backwalk.diary import open_diary

    save_check(client, {"pain_score": 3})
    assert RB.standing("walk_ready").headline.format(minutes=5) in client.get("/").text
    other = open_diary(app.state.web.diary.url)
    try:
        run_check(other, {"bladder_or_bowel_loss": True}, app.state.web.now())
    finally:
        other.close()
    for path in PAGES:
        assert RB.standing("seek_care").headline in client.get(path).text, path


def test_a_reused_walk_page_gives_each_browser_its_own_token_and_ids(app: Any) -> None:
    import re

    with TestClient(app) as first, TestClient(app) as second:
        save_check(first, {"pain_score": 3})
        assert first.post("/api/walks", json={"pain_before": 3}).status_code == 201
        pages = [first.get("/walk").text, first.get("/walk").text, second.get("/walk").text]
    tokens = [re.findall(r'name="csrf_token" value="([^"]+)"', p) for p in pages]
    ids = [re.search(r'name="client_id" value="([0-9a-f]{32})"', p) for p in pages]
    assert all(t for t in tokens) and all(ids)
    assert tokens[0] == tokens[1] != tokens[2]  # one browser keeps its token; another has its own
    assert len({m.group(1) for m in ids if m}) == 3  # a fresh check-in id on every load
    assert all("\x00" not in p for p in pages)


def test_ready_says_so_when_the_diary_answers(client: TestClient) -> None:
    response = client.get("/api/ready")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_requests_arriving_together_build_a_page_once(app: Any) -> None:
    """When a page goes out of date, the requests in flight wait for one rebuild instead of
    each making its own (every one of them rebuilding made the pages' p99 jump)."""
    import threading

    state = app.state.web
    builds: list[int] = []
    started = threading.Event()
    release = threading.Event()
    threads_count = 8

    def build() -> str:
        builds.append(1)
        started.set()
        release.wait(5)  # the others arrive while this one is still building
        return "page"

    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(state.reuse("page", build)))
        for _ in range(threads_count)
    ]
    threads[0].start()
    assert started.wait(5)
    for thread in threads[1:]:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(5)
    assert results == ["page"] * threads_count
    assert len(builds) == 1


def test_while_a_page_is_rebuilt_the_others_get_it_from_a_moment_ago(
    app: Any, clock: ManualClock
) -> None:
    """When only time has moved on (the next slot), a request arriving during the rebuild
    takes the page of the slot before at once; after a write it waits for the new page."""
    from backwalk.coach import run_check
    from backwalk.web.state import REUSE_SECONDS

    state = app.state.web
    assert state.reuse("page", lambda: "old") == "old"
    clock.advance(REUSE_SECONDS)
    assert _during_a_rebuild(state, "new", answers_at_once=True) == ["old"]
    assert state.reuse("page", lambda: "not needed") == "new"
    run_check(state.diary, {"pain_score": 3}, state.now())
    assert _during_a_rebuild(state, "after the write") == ["after the write"]


def _during_a_rebuild(state: Any, page: str, *, answers_at_once: bool = False) -> list[str]:
    """What another request gets while one rebuilds the page as `page`; with
    `answers_at_once` it must answer before the rebuild ends."""
    import threading

    building, release = threading.Event(), threading.Event()
    seen: list[str] = []

    def rebuild() -> str:
        building.set()
        release.wait(5)
        return page

    rebuilder = threading.Thread(target=lambda: state.reuse("page", rebuild))
    rebuilder.start()
    assert building.wait(5)
    other = threading.Thread(target=lambda: seen.append(state.reuse("page", lambda: "twice")))
    other.start()
    other.join(5 if answers_at_once else 0.2)
    release.set()
    rebuilder.join(5)
    other.join(5)
    return seen


def test_while_the_app_runs_what_it_started_with_is_kept_out_of_the_collectors_way(
    app: Any,
) -> None:
    """A full cycle collection over everything loaded at start took 140 ms, a stall for every
    request in flight; frozen at start, it looks only at what requests made."""
    import gc

    with TestClient(app):
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
