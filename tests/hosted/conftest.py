"""Hosted mode on the real PostgreSQL: a fresh schema per test, owned by a non-superuser owner
role and used by an app role that row-level security binds, exactly as in production."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from backwalk.clock import ManualClock
from backwalk.hosted.app import create_hosted_app
from backwalk.hosted.config import HostedSettings
from backwalk.hosted.database import migrate_and_grant
from tests.diary.conftest import pg_admin_engine, pg_base_url  # noqa: F401

OWNER_ROLE = "backwalk_test_owner"
APP_ROLE = "backwalk_test_app"
SECRET = "test-secret-" + "x" * 40
PASSWORD = "correct horse battery"
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
GENTLE = {"pain_score": 4, "sharp_pain": False}


def role_url(role: str, schema: str) -> str:
    url = make_url(pg_base_url()).set(username=role, password=None)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@pytest.fixture(scope="session")
def hosted_roles(pg_admin_engine: Engine) -> None:  # noqa: F811
    with pg_admin_engine.begin() as connection:
        for role in (OWNER_ROLE, APP_ROLE):
            connection.execute(
                text(
                    f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}')"
                    f" THEN CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$"
                )
            )


@pytest.fixture
def hosted_schema(pg_admin_engine: Engine, hosted_roles: None) -> Iterator[str]:  # noqa: F811
    """A new schema owned by the owner role, migrated and granted to the app role."""
    schema = f"bw_hosted_{uuid.uuid4().hex[:12]}"
    with pg_admin_engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}" AUTHORIZATION {OWNER_ROLE}'))
    migrate_and_grant(role_url(OWNER_ROLE, schema), APP_ROLE)
    yield schema
    with pg_admin_engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def app_url(hosted_schema: str) -> str:
    return role_url(APP_ROLE, hosted_schema)


@pytest.fixture
def settings(app_url: str) -> HostedSettings:
    return HostedSettings(
        db_url=app_url,
        secret=SECRET,
        limit_signup="1000 per hour",
        limit_login_ip="1000 per hour",
        limit_login_account="1000 per hour",
        limit_share_code="1000 per hour",
        limit_anonymous_writes="10000 per hour",
        limit_person_writes="10000 per day",
        allowed_hosts=("testserver",),
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def make_client(
    settings: HostedSettings, clock: ManualClock
) -> Iterator[Callable[..., TestClient]]:
    """Clients of one hosted app (each its own browser, with its own cookies)."""
    made: list[TestClient] = []
    apps: dict[tuple[Any, ...], Any] = {}

    def make(
        *, filter_queries: bool = True, base_url: str = "http://testserver", **over: Any
    ) -> TestClient:
        key = (filter_queries, tuple(sorted(over.items())))
        if key not in apps:
            chosen = HostedSettings(**{**settings.__dict__, **over}) if over else settings
            apps[key] = create_hosted_app(chosen, clock=clock, filter_queries=filter_queries)
        client = TestClient(apps[key], base_url=base_url)
        client.__enter__()
        made.append(client)
        return client

    yield make
    for client in made:
        client.__exit__(None, None, None)


def sign_up(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, Any]:
    answer = client.post("/api/accounts", json={"username": username, "password": password})
    assert answer.status_code == 201, answer.text
    return answer.json()


def save_check(client: TestClient, answers: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = client.post("/api/checks", json={"answers": answers or GENTLE})
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def owner_url(app_url: str) -> str:
    """The same database as the owner role: what BACKWALK_ADMIN_DB names."""
    return make_url(app_url).set(username=OWNER_ROLE).render_as_string(hide_password=False)


def make_clinician(app_url: str, clock: ManualClock, name: str = "drlee") -> None:
    """As `backwalk admin create-clinician` does it: as the tables' owner (only it may)."""
    from backwalk.diary.engine import create_diary_engine, parse_url
    from backwalk.hosted.accounts import Accounts

    engine = create_diary_engine(parse_url(owner_url(app_url)))
    try:
        Accounts(engine, clock).create_clinician(name, PASSWORD)
    finally:
        engine.dispose()


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, Any]:
    answer = client.post("/api/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return answer.json()


def csrf_token(html: str) -> str:
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def walk_once(client: TestClient, pain: int = 4) -> dict[str, Any]:
    """Start a walk, check in once, finish it; the finished walk."""
    started = client.post("/api/walks", json={"pain_before": pain})
    assert started.status_code == 201, started.text
    wid = started.json()["id"]
    checkin = client.post(
        f"/api/walks/{wid}/checkins",
        json={"elapsed_seconds": 60, "current_pain": pain, "sharp_or_shooting": False},
    )
    assert checkin.status_code in (200, 201), checkin.text
    finished = client.post(
        f"/api/walks/{wid}/finish",
        json={"status": "completed", "elapsed_seconds": 300, "pain_after": pain - 1},
    )
    assert finished.status_code == 200, finished.text
    return finished.json()


def delete_account(client: TestClient, password: str = PASSWORD) -> Any:
    return client.request("DELETE", "/api/account", json={"password": password})
