"""Routes that serve nobody in particular (health, rules, the stateless assessment, the app's
files) skip the session lookup in hosted mode: no database query and no Redis call for a
session, even from a signed-in browser; every other route still looks its person up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import redis
from sqlalchemy import event
from starlette.testclient import TestClient

from backwalk.hosted.sessions import DatabaseSessions, RedisSessions
from tests.hosted.conftest import GENTLE, sign_up
from tests.hosted.test_sessions import REDIS_URL

pytestmark = pytest.mark.postgres

NO_PERSON = [
    ("GET", "/api/health", None),
    ("GET", "/api/rules", None),
    ("POST", "/api/assess", GENTLE),
    ("GET", "/favicon.ico", None),
    ("GET", "/manifest.webmanifest", None),
    ("GET", "/sw.js", None),
    ("GET", "/static/css/app.css", None),
]


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The session tokens looked up, by either store."""
    seen: list[str] = []
    for store in (DatabaseSessions, RedisSessions):
        original = store.person

        def person(self: Any, token: str, original: Any = original) -> Any:
            seen.append(token)
            return original(self, token)

        monkeypatch.setattr(store, "person", person)
    return seen


def statements_during(client: TestClient, send: Callable[[], Any]) -> list[str]:
    ran: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        ran.append(statement)

    engine = client.app.state.web.diary.engine  # type: ignore[attr-defined]
    event.listen(engine, "after_cursor_execute", note)
    try:
        send()
    finally:
        event.remove(engine, "after_cursor_execute", note)
    return ran


@pytest.mark.parametrize(("method", "path", "body"), NO_PERSON)
def test_a_route_for_nobody_makes_no_query_and_no_session_lookup(
    make_client: Callable[..., TestClient], lookups: list[str], method: str, path: str, body: Any
) -> None:
    client = make_client()
    sign_up(client, "alice")  # a signed-in browser: its cookie comes along
    lookups.clear()
    answers: list[Any] = []
    ran = statements_during(client, lambda: answers.append(client.request(method, path, json=body)))
    assert answers[0].status_code == 200, answers[0].text
    assert (lookups, ran) == ([], [])


def test_readiness_asks_the_database_but_looks_no_session_up(
    make_client: Callable[..., TestClient], lookups: list[str]
) -> None:
    client = make_client()
    sign_up(client, "alice")
    lookups.clear()
    ran = statements_during(client, lambda: client.get("/api/ready").raise_for_status())
    assert lookups == []
    assert not [s for s in ran if "sessions" in s or "people" in s]


@pytest.mark.parametrize("store", ["database", "redis"])
def test_a_route_for_the_person_looks_the_session_up_once(
    make_client: Callable[..., TestClient], lookups: list[str], store: str
) -> None:
    """In the database: one query on the session's primary key, joined to its person. In Redis:
    one GET, then one primary-key query that the person still holds the session's key (a
    database restored from a backup must not hand a session to somebody new)."""
    if store == "redis":
        redis.Redis.from_url(REDIS_URL).flushdb()
    client = make_client(**({"redis_url": REDIS_URL} if store == "redis" else {}))
    sign_up(client, "alice")
    lookups.clear()
    ran = statements_during(client, lambda: client.get("/api/account").raise_for_status())
    assert len(lookups) == 1
    assert len([s for s in ran if "FROM people" in s]) == 1
