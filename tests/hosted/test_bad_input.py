"""Input the database would refuse is bad input (422 naming the field), never an outage (503);
and no answer, whatever went wrong, shows how the app connects to its database."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from tests.hosted.conftest import APP_ROLE, GENTLE, save_check, sign_up

pytestmark = pytest.mark.postgres

NUL = "before\x00after"


def post_json(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(
        path, content=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )


def assert_names_the_field(answer: Any, field: str) -> None:
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == field
    assert "postgresql" not in answer.text and "127.0.0.1" not in answer.text


def test_a_nul_byte_in_a_checks_text_is_a_422_naming_the_field(make_client) -> None:
    client = make_client()
    sign_up(client, "nul")
    answer = post_json(client, "/api/checks", {"answers": GENTLE, "text": NUL})
    assert_names_the_field(answer, "text")
    assert client.get("/api/checks").json() == []


def test_a_nul_byte_in_any_client_id_is_a_422_naming_the_field(make_client) -> None:
    client = make_client()
    sign_up(client, "nul")
    answer = post_json(client, "/api/checks", {"answers": GENTLE, "client_id": NUL})
    assert_names_the_field(answer, "client_id")
    save_check(client)
    walk = post_json(client, "/api/walks", {"pain_before": 4}).json()
    checkin = {"elapsed_seconds": 60, "current_pain": 4, "sharp_or_shooting": False}
    answer = post_json(client, f"/api/walks/{walk['id']}/checkins", {**checkin, "client_id": NUL})
    assert_names_the_field(answer, "client_id")


@pytest.mark.parametrize(
    "path",
    [
        "/result/999999999999",
        "/walks/999999999999",
        "/result/2147483648",
        "/walks/２",
        "/walks/²",
        "/api/checks/2147483648",
    ],
)
def test_an_id_beyond_the_columns_range_is_not_found(make_client, path: str) -> None:
    client = make_client()
    sign_up(client, "ids")
    save_check(client)
    answer = client.get(path)
    assert answer.status_code in (404, 422), (path, answer.status_code)
    assert answer.status_code != 503


def test_an_outage_answer_names_no_database(make_client, pg_admin_engine, hosted_schema) -> None:
    client = make_client()
    sign_up(client, "out")
    with pg_admin_engine.begin() as connection:  # a real failure underneath: reads now fail
        connection.execute(text(f'REVOKE SELECT ON "{hosted_schema}".checks FROM {APP_ROLE}'))
    answer = client.get("/api/checks")
    assert answer.status_code == 503
    assert "postgresql" not in answer.text and "127.0.0.1" not in answer.text
    assert answer.json()["error"]["field"] is None
