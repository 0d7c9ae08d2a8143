"""Sessions and rate-limit counters in Redis (BACKWALK_REDIS_URL), and the settings' checks."""

from __future__ import annotations

import pytest
import redis

from backwalk.errors import HostedConfigError
from backwalk.hosted.config import HostedSettings, hosted_requested, settings_from_env
from backwalk.hosted.people import SESSION_COOKIE
from backwalk.hosted.sessions import token_hash
from tests.hosted.conftest import SECRET, log_in, save_check, sign_up

REDIS_URL = "redis://127.0.0.1:6379/12"


@pytest.fixture
def redis_db():
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.mark.postgres
def test_sessions_live_in_redis_when_it_is_configured(make_client, redis_db) -> None:
    phone = make_client(redis_url=REDIS_URL)
    laptop = make_client(redis_url=REDIS_URL)
    sign_up(phone, "mia")
    save_check(phone)
    token = phone.cookies[SESSION_COOKIE]
    assert redis_db.keys("backwalk:*:session:" + token_hash(token))
    log_in(laptop, "mia")
    assert len(laptop.get("/api/checks").json()) == 1
    phone.post("/api/logout", json={"everywhere": True})
    assert laptop.get("/api/account").status_code == 401
    assert not redis_db.keys("backwalk:*:session:*")


@pytest.mark.postgres
def test_login_limits_count_in_redis(make_client, redis_db) -> None:
    sign_up(make_client(redis_url=REDIS_URL), "ned")
    client = make_client(redis_url=REDIS_URL, limit_login_account="2 per 15 minutes")
    statuses = [
        client.post(
            "/api/login", json={"username": "ned", "password": "wrong password"}
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [401, 401, 429]
    assert any(b"login-account" in key for key in redis_db.keys("*"))


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({}, "BACKWALK_DB"),
        ({"BACKWALK_DB": "sqlite:///x.db", "BACKWALK_SECRET": SECRET}, "PostgreSQL"),
        ({"BACKWALK_DB": "postgresql://a@b/c"}, "BACKWALK_SECRET"),
        ({"BACKWALK_DB": "postgresql://a@b/c", "BACKWALK_SECRET": "short"}, "32 characters"),
        ({"BACKWALK_DB": "::::", "BACKWALK_SECRET": SECRET}, "not a database URL"),
        (
            {
                "BACKWALK_DB": "postgresql://a@b/c",
                "BACKWALK_SECRET": SECRET,
                "BACKWALK_LIMIT_SIGNUP": "lots",
            },
            "BACKWALK_LIMIT_SIGNUP",
        ),
        (
            {
                "BACKWALK_DB": "postgresql://a@b/c",
                "BACKWALK_SECRET": SECRET,
                "BACKWALK_LIMIT_PERSON_WRITES": "many a day",
            },
            "BACKWALK_LIMIT_PERSON_WRITES",
        ),
        (
            {
                "BACKWALK_DB": "postgresql://a@b/c",
                "BACKWALK_SECRET": SECRET,
                "BACKWALK_ALLOWED_HOSTS": "https://backwalk.example.org/",
            },
            "BACKWALK_ALLOWED_HOSTS",
        ),
        (
            {
                "BACKWALK_DB": "postgresql://a@b/c",
                "BACKWALK_SECRET": SECRET,
                "BACKWALK_ALLOWED_HOSTS": "",
            },
            "BACKWALK_ALLOWED_HOSTS",
        ),
        (
            {
                "BACKWALK_DB": "postgresql://a@b/c",
                "BACKWALK_SECRET": SECRET,
                "BACKWALK_SESSION_DAYS": "0",
            },
            "BACKWALK_SESSION_DAYS",
        ),
        (
            {
                "BACKWALK_DB": "postgresql://a@b/c",
                "BACKWALK_SECRET": SECRET,
                "BACKWALK_SECURE_COOKIES": "no",
            },
            "BACKWALK_SECURE_COOKIES",
        ),
    ],
)
def test_a_bad_setting_is_one_clear_error(env: dict[str, str], problem: str) -> None:
    with pytest.raises(HostedConfigError, match=problem):
        settings_from_env(env)


def test_good_settings_and_the_mode_switch() -> None:
    env = {
        "BACKWALK_DB": "postgresql+psycopg://app@db/backwalk",
        "BACKWALK_SECRET": SECRET,
        "BACKWALK_REDIS_URL": "redis://cache:6379/0",
        "BACKWALK_SECURE_COOKIES": "always",
        "BACKWALK_ALLOWED_HOSTS": "backwalk.example.org, *.clinic.example",
    }
    settings = settings_from_env(env)
    assert settings == HostedSettings(
        db_url=env["BACKWALK_DB"],
        secret=SECRET,
        redis_url="redis://cache:6379/0",
        always_secure_cookies=True,
        allowed_hosts=("backwalk.example.org", "*.clinic.example"),
    )
    assert hosted_requested({"BACKWALK_MODE": "hosted"})
    assert not hosted_requested({})
    with pytest.raises(HostedConfigError):
        hosted_requested({"BACKWALK_MODE": "cloud"})


@pytest.mark.postgres
def test_every_hosted_route_is_documented_in_the_hosting_guide(make_client) -> None:
    import re
    from pathlib import Path

    from tests.web.helpers import app_routes

    guide = (Path(__file__).resolve().parents[2] / "docs" / "hosting.md").read_text("utf-8")
    local = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text("utf-8")
    missing = [
        f"{method} {route.path}"
        for route in app_routes(make_client().app)
        for method in sorted(route.methods)
        if not re.search(rf"{method} {re.escape(route.path)}(?=[`?])", guide + local)
    ]
    assert missing == [], missing


def test_every_rate_limit_is_read_from_its_variable() -> None:
    from backwalk.hosted.config import LIMIT_SETTINGS

    env = {"BACKWALK_DB": "postgresql://a@b/c", "BACKWALK_SECRET": SECRET}
    env.update({name: f"{n + 1} per minute" for n, name in enumerate(LIMIT_SETTINGS)})
    settings = settings_from_env(env)
    for n, attribute in enumerate(LIMIT_SETTINGS.values()):
        assert getattr(settings, attribute) == f"{n + 1} per minute"
    assert {
        "BACKWALK_LIMIT_SHARE_CODE",
        "BACKWALK_LIMIT_ANONYMOUS_WRITES",
        "BACKWALK_LIMIT_PERSON_WRITES",
    } <= set(LIMIT_SETTINGS)


def _restore_without(pg_admin_engine, schema: str, person_id: int) -> list[tuple]:
    """What a restore from a backup taken before ``person_id`` signed up does: that person's
    row is gone and the id sequence is back where it was, so the next account gets their id.
    Returns the person's session rows, as a sessions table restored from elsewhere might."""
    from sqlalchemy import text

    with pg_admin_engine.begin() as connection:
        connection.execute(text(f'SET LOCAL search_path TO "{schema}"'))
        sessions = list(
            connection.execute(
                text("SELECT * FROM sessions WHERE person_id = :p"), {"p": person_id}
            )
        )
        connection.execute(text("DELETE FROM people WHERE id = :p"), {"p": person_id})
        connection.execute(text("SELECT setval('people_id_seq', :p - 1)"), {"p": person_id})
    return sessions


@pytest.mark.postgres
@pytest.mark.parametrize("store", ["database", "redis"])
def test_a_session_does_not_outlive_its_person_across_a_restore(
    make_client, redis_db, pg_admin_engine, hosted_schema, store: str
) -> None:
    from sqlalchemy import text

    over = {"redis_url": REDIS_URL} if store == "redis" else {}
    old = make_client(**over)
    first = sign_up(old, "xia")
    save_check(old)
    token = old.cookies[SESSION_COOKIE]
    sessions = _restore_without(pg_admin_engine, hosted_schema, first["id"])
    newcomer = make_client(**over)
    second = sign_up(newcomer, "yan")
    save_check(newcomer, {"pain_score": 7, "sharp_pain": False})
    assert second["id"] == first["id"]  # the same id, now somebody else's
    if store == "database":  # the old session row, back as a restored table would bring it
        with pg_admin_engine.begin() as connection:
            connection.execute(text(f'SET LOCAL search_path TO "{hosted_schema}"'))
            for row in sessions:
                connection.execute(
                    text("INSERT INTO sessions VALUES (:h, :p, :c, :e, :k)"),
                    {
                        "h": row.token_hash,
                        "p": row.person_id,
                        "c": row.created_at,
                        "e": row.expires_at,
                        "k": row.person_key,
                    },
                )
    stolen = make_client(**over)
    stolen.cookies.set(SESSION_COOKIE, token, domain="testserver.local")
    assert stolen.get("/api/account").status_code == 401
    assert stolen.get("/api/checks").json() == []


@pytest.mark.postgres
@pytest.mark.parametrize("store", ["database", "redis"])
def test_signing_out_everywhere_gives_the_person_a_new_session_key(
    make_client, redis_db, store: str
) -> None:
    over = {"redis_url": REDIS_URL} if store == "redis" else {}
    phone, laptop = make_client(**over), make_client(**over)
    sign_up(phone, "zoe")
    log_in(laptop, "zoe")
    if store == "redis":  # a Redis that lost the set of the person's sessions
        redis_db.delete(*redis_db.keys("backwalk:*:sessions-of:*"))
    phone.post("/api/logout", json={"everywhere": True})
    assert laptop.get("/api/account").status_code == 401
