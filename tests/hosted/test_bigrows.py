"""The big database's rows (benchmarks.bigrows, for `make bench` part bigdb) are rows the app
reads as its own: written by COPY at a small scale, the measured person signs in through the
real route and sees their diary, and nobody else's. Loaded with every trigger and constraint
live they are accepted; loaded the bench's fast way they hold together and the indexes end as
migrated."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from backwalk.hosted.passwords import hash_password
from benchmarks.bigrows import PERSON_ID, PERSON_NAME, Scale, load
from benchmarks.hostedsetup import PASSWORD
from tests.diary.conftest import pg_base_url
from tests.hosted.conftest import T0

pytestmark = pytest.mark.postgres

SCALE = Scale(people=6, checks=100, person_checks=20, person_walks=4, days=10)
# The person has every fifth check and a walk after their 1st, 4th, 7th and 10th; everybody
# else a walk after every third check that is not the person's.
WALKS = 4 + sum(1 for k in range(0, 100, 3) if k % 5)


@pytest.fixture
def superuser(hosted_schema: str) -> Iterator[Any]:
    """psycopg as the superuser (row-level security does not bind it), in the test's schema."""
    url = make_url(pg_base_url())
    with psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        dbname=url.database or "postgres",
        options=f"-csearch_path={hosted_schema}",
        autocommit=True,
    ) as conn:
        yield conn


def _indexes(conn: Any) -> set[str]:
    rows = conn.execute(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename IN ('people', 'checks', 'walks', 'checkins')"
    ).fetchall()
    return {row[0] for row in rows}


def _loose_ends(conn: Any) -> list[tuple[str, int]]:
    """Rows pointing at no person, or at a check or walk of somebody else's."""
    found = []
    for what, sql in {
        "check without its person": "SELECT count(*) FROM checks c "
        "LEFT JOIN people p ON p.id = c.owner_id WHERE p.id IS NULL",
        "walk after another's check": "SELECT count(*) FROM walks w "
        "JOIN checks c ON c.id = w.check_id WHERE c.owner_id <> w.owner_id",
        "walk without its check": "SELECT count(*) FROM walks w "
        "LEFT JOIN checks c ON c.id = w.check_id WHERE c.id IS NULL",
        "check-in of another's walk": "SELECT count(*) FROM checkins i "
        "LEFT JOIN walks w ON w.id = i.walk_id WHERE w.id IS NULL OR w.owner_id <> i.owner_id",
    }.items():
        count = conn.execute(sql).fetchone()[0]
        if count:
            found.append((what, count))
    return found


@pytest.mark.parametrize("fast", [False, True], ids=["constraints-live", "bulk"])
def test_copied_rows_are_a_diary_the_app_reads(
    make_client: Callable[..., TestClient], superuser: Any, fast: bool
) -> None:
    migrated = _indexes(superuser)
    loaded = load(superuser, SCALE, T0, hash_password(PASSWORD), fast=fast)
    assert loaded.rows == {"people": 6, "checks": 100, "walks": WALKS, "checkins": WALKS}
    assert _indexes(superuser) == migrated
    assert _loose_ends(superuser) == []

    person = make_client()
    signed_in = person.post("/api/login", json={"username": PERSON_NAME, "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["id"] == PERSON_ID
    checks = person.get("/api/checks").json()
    assert len(checks) == SCALE.person_checks
    assert len(person.get("/api/walks").json()) == SCALE.person_walks
    assert {c["disposition"] for c in checks} <= {"walk_gently", "rest_first"}
    for page in ("/", "/history", "/walk"):
        assert person.get(page).status_code == 200, page

    someone = superuser.execute(f"SELECT max(owner_id) FROM checks WHERE owner_id <> {PERSON_ID}")
    other = make_client()
    body = {"username": f"bigdb{someone.fetchone()[0]}", "password": PASSWORD}
    assert other.post("/api/login", json=body).is_success
    theirs = other.get("/api/checks").json()
    assert theirs and not {c["id"] for c in theirs} & {c["id"] for c in checks}


def test_a_new_check_after_the_load_takes_the_next_id(
    make_client: Callable[..., TestClient], superuser: Any
) -> None:
    """The sequences are moved past the copied ids, so the app's next write fits."""
    load(superuser, SCALE, T0, hash_password(PASSWORD), fast=True)
    person = make_client()
    person.post("/api/login", json={"username": PERSON_NAME, "password": PASSWORD})
    saved = person.post("/api/checks", json={"answers": {"pain_score": 3, "sharp_pain": False}})
    assert saved.status_code == 201, saved.text
    assert saved.json()["check"]["id"] == SCALE.checks + 1
