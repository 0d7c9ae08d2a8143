"""Whatever a client sends, the API answers with a documented status and a JSON body: never a
500. Random JSON (and random bytes) at every endpoint that takes input."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backwalk.clock import ManualClock
from backwalk.web.app import create_app
from tests.web.helpers import RB

KEYS = [q.id for q in RB.questions] + [
    "text",
    "baseline_pain",
    "current_pain",
    "sharp_or_shooting",
    "elapsed_seconds",
    "client_id",
    "pain_before",
    "pain_after",
    "status",
    "answers",
    "unsure",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["completed", "interrupted", "in_progress", "", "yes"]),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=12,
)
BODIES = st.dictionaries(st.sampled_from(KEYS), JSON, max_size=6) | JSON
POSTS = [
    "/api/assess",
    "/api/checkin",
    "/api/checks",
    "/api/walks",
    "/api/walks/1/checkins",
    "/api/walks/1/heartbeat",
    "/api/walks/1/finish",
    "/api/walks/99/finish",
]
GETS = [
    "/api/checks?limit={}",
    "/api/walks?limit={}",
    "/api/walks/{}",
    "/api/checks/{}",
    "/api/export?format={}",
]
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("fuzz") / "diary.db"
    app = create_app(db_url=f"sqlite:///{db}", clock=ManualClock(), secret="f" * 32)
    with TestClient(app) as client:
        client.post("/api/checks", json={"answers": {"pain_score": 3}})
        client.post("/api/walks", json={"pain_before": 3})
        yield client


def _answered_well(response: Any) -> None:
    assert response.status_code < 500 or response.status_code == 503, response.text
    assert response.headers["content-type"].startswith(("application/json", "text/csv"))
    if response.status_code >= 400:
        error = response.json()["error"]
        assert isinstance(error["message"], str) and error["message"]


@pytest.mark.parametrize("path", POSTS)
@FUZZ
@given(body=BODIES)
def test_random_json_never_breaks_the_api(fuzz_client: TestClient, path: str, body: Any) -> None:
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k != "text"}  # keep the NLP stack out of it
    _answered_well(fuzz_client.post(path, json=body))


@pytest.mark.parametrize("path", POSTS[:3])
@FUZZ
@given(raw=st.binary(max_size=200))
def test_random_bytes_never_break_the_api(fuzz_client: TestClient, path: str, raw: bytes) -> None:
    response = fuzz_client.post(path, content=raw, headers={"Content-Type": "application/json"})
    _answered_well(response)


@pytest.mark.parametrize("template", GETS)
@FUZZ
@given(value=st.one_of(st.integers(-(2**70), 2**70), st.text(max_size=12)))
def test_random_query_and_path_values(fuzz_client: TestClient, template: str, value: Any) -> None:
    _answered_well(fuzz_client.get(template.format(quote(str(value), safe=""))))


NASTY_BODIES = [
    b'{"pain_score": 3, "fever_or_chills": true, "fever_or_chills": false}',
    b'{"pain_score": 3, "text": "\\ud800 lone surrogate"}',
    b'{"answers": {"pain_score": 3, "text": "\\udfff"}}',
    b'{"pain_score": 1' + b"0" * 5000 + b"}",
    b'{"pain_score": 3, "onset_hours": 1' + b"0" * 400 + b"}",
    b'{"": true}',
    b'{"a\\nb": true}',
    b'{"answers": {"saddle_numbness": true, "saddle_numbness": false}}',
    b"\xff\xfe{}",
]


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("raw", NASTY_BODIES, ids=range(len(NASTY_BODIES)))
def test_nasty_json_gets_the_error_shape_naming_the_field(
    fuzz_client: TestClient, path: str, raw: bytes
) -> None:
    response = fuzz_client.post(path, content=raw, headers={"content-type": "application/json"})
    _answered_well(response)
    if path in ("/api/assess", "/api/checkin"):
        assert response.status_code == 422
        message = response.json()["error"]["message"]
        assert "\n" not in message
