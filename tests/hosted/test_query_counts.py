"""Pages read what they show: the same queries on a 10-check diary as on a 1,000-check one, and
no query fetches more rows than a page shows. Hosted mode on PostgreSQL has no page cache, so
every request here does all its reads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from tests.diary.conftest import pg_base_url
from tests.hosted.conftest import T0, sign_up
from tests.web.longdiary import fill

pytestmark = pytest.mark.postgres

PAGES = ("/", "/history", "/walk", "/keepwell", "/api/plan")
# The most rows one query may fetch: a page's table of 50 rows (and one more, to know there are
# more), or the latest 60 checks the recovery offer looks back over. The weeks of minutes the
# charts show come back added up (one row of a few arrays), not walk by walk. The long diary is
# 400 days, so a read of the whole of it fetches far more.
ROWS_BOUND = 60
LONG = 2000  # checks, one every 4.8 hours: 400 days


@dataclass(eq=False)  # hashable: SQLAlchemy keeps listeners in weak dicts
class Queries:
    """The statements run and the rows each fetched (psycopg knows a SELECT's row count)."""

    ran: list[tuple[str, int]] = field(default_factory=list)

    def __call__(self, _conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        self.ran.append((" ".join(statement.split())[:120], cursor.rowcount))

    @property
    def most_rows(self) -> tuple[int, str]:
        return max(((rows, sql) for sql, rows in self.ran), default=(0, ""))


@contextmanager
def counting(engine: Engine) -> Iterator[Queries]:
    queries = Queries()
    event.listen(engine, "after_cursor_execute", queries)
    try:
        yield queries
    finally:
        event.remove(engine, "after_cursor_execute", queries)


@pytest.fixture
def superuser(hosted_schema: str) -> Iterator[Engine]:
    """The test schema as the superuser, which row-level security does not bind: the filler's."""
    url = make_url(pg_base_url()).update_query_dict({"options": f"-csearch_path={hosted_schema}"})
    engine = create_engine(url)
    yield engine
    engine.dispose()


def person_with_diary(
    make_client: Callable[..., TestClient], superuser: Engine, name: str, checks: int, **kw: Any
) -> TestClient:
    client = make_client()
    owner = sign_up(client, name)["id"]
    fill(superuser, checks, T0, owner=owner, **kw)
    return client


def page_queries(client: TestClient) -> dict[str, Queries]:
    engine = client.app.state.web.diary.engine  # type: ignore[attr-defined]
    seen = {}
    for path in PAGES:
        assert client.get(path).status_code == 200, path  # once first: stale walks are closed
        with counting(engine) as queries:
            assert client.get(path).status_code == 200, path
        seen[path] = queries
    return seen


@pytest.mark.parametrize("recovered", [False, True], ids=["acute", "keeping_well"])
def test_a_page_makes_the_same_queries_on_a_long_diary_and_fetches_few_rows(
    make_client: Callable[..., TestClient], superuser: Engine, recovered: bool
) -> None:
    short = page_queries(
        person_with_diary(make_client, superuser, "shorty", 10, recovered=recovered)
    )
    long = page_queries(
        person_with_diary(make_client, superuser, "longer", LONG, recovered=recovered)
    )
    assert {p: len(q.ran) for p, q in long.items()} == {p: len(q.ran) for p, q in short.items()}
    for path, queries in long.items():
        rows, sql = queries.most_rows
        assert rows <= ROWS_BOUND, f"{path} fetched {rows} rows with {sql}"


def test_a_check_in_is_one_transaction(
    make_client: Callable[..., TestClient], superuser: Engine
) -> None:
    """Reading the walk, deciding, storing the check-in and answering with the walk as it
    stands after: one transaction of the diary (a walk sends a check-in every minute or so),
    as every diary transaction names its person once. The session's lookup and the write
    counter of the rate limits are not the diary's."""
    client = person_with_diary(make_client, superuser, "walker", 10)
    walk = client.post("/api/walks", json={"pain_before": 3})
    assert walk.status_code == 201, walk.text
    engine = client.app.state.web.diary.engine  # type: ignore[attr-defined]
    path = f"/api/walks/{walk.json()['id']}/checkins"
    for n, pain in enumerate((3, 8)):  # the second fires a stop rule, ending the walk with it
        with counting(engine) as queries:
            body = {"current_pain": pain, "elapsed_seconds": 60 * (n + 1), "client_id": f"c{n}"}
            answer = client.post(path, json=body)
        assert answer.status_code == 201, answer.text
        assert _named(queries) == 1, queries.ran
        assert len(answer.json()["walk"]["checkins"]) == n + 1
    assert answer.json()["walk"]["status"] != "in_progress"


def _named(queries: Queries) -> int:
    """How many diary transactions ran: each names its person once."""
    return sum("set_config('backwalk.owner'" in sql for sql, _rows in queries.ran)


def test_a_check_and_a_walks_start_read_in_one_transaction_and_write_in_another(
    make_client: Callable[..., TestClient], superuser: Engine
) -> None:
    client = person_with_diary(make_client, superuser, "starter", 10)
    engine = client.app.state.web.diary.engine  # type: ignore[attr-defined]
    with counting(engine) as queries:
        check = client.post("/api/checks", json={"answers": {"pain_score": 3}})
    assert check.status_code == 201, check.text
    assert _named(queries) == 2
    with counting(engine) as queries:
        walk = client.post("/api/walks", json={"pain_before": 3})
    assert walk.status_code == 201, walk.text
    assert _named(queries) == 2
    with counting(engine) as queries:
        path = f"/api/walks/{walk.json()['id']}/finish"
        ended = client.post(path, json={"status": "completed", "elapsed_seconds": 60})
    assert ended.status_code == 200, ended.text
    assert _named(queries) == 1
