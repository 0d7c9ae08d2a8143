"""The limits every route shares: a body over 64 KB is 413 everywhere (with the JSON error shape
under /api), and a refused Host header under /api is the JSON error shape too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backwalk.web.app import create_app
from backwalk.web.limits import MAX_BODY_BYTES
from tests.web.helpers import app_routes, csrf_token

TWENTY_MB = b"x" * (20 * 1024 * 1024)


def post_routes(app: FastAPI) -> list[str]:
    """Every route that takes a body, with a path parameter filled in."""
    paths = []
    for route in app_routes(app):
        if route.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            paths.append(_fill(route.path))
    return sorted(set(paths))


def _fill(path: str) -> str:
    return path.replace("{walk_id}", "1").replace("{check_id}", "1").replace("{slug}", "warning")


def test_every_route_that_takes_a_body_is_listed(app: FastAPI) -> None:
    assert {"/api/assess", "/check", "/walk/start", "/history/forget"} <= set(post_routes(app))


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_a_twenty_megabyte_body_is_413_on_every_route(
    client: TestClient, app: FastAPI, declared: bool
) -> None:
    token = csrf_token(client.get("/check?new=1").text)
    for path in post_routes(app):
        is_api = path.startswith("/api/")
        headers = {
            "content-type": "application/json" if is_api else "application/x-www-form-urlencoded"
        }
        body: Any = (
            TWENTY_MB if declared else iter([TWENTY_MB[:1024]] * (MAX_BODY_BYTES // 1024 + 2))
        )
        if not is_api:
            body = (
                b"csrf_token="
                + token.encode()
                + b"&text="
                + (TWENTY_MB if declared else b"y" * 70_000)
            )
        response = client.request(
            "POST" if path != "/api/diary" else "DELETE", path, content=body, headers=headers
        )
        if path == "/api/diary":  # takes no body: nothing to refuse, nothing read
            continue
        assert response.status_code == 413, (path, response.status_code, response.text[:120])
        if is_api:
            assert response.json()["error"] == {
                "field": "body",
                "message": "the body is too large (at most 64 KB)",
            }


def test_a_refused_host_under_api_is_the_json_error_shape(tmp_path: Path) -> None:
    app = create_app(db_url=f"sqlite:///{tmp_path / 'd.db'}", allowed_hosts=["127.0.0.1"])
    with TestClient(app, base_url="http://127.0.0.1") as c:
        refused = c.get("/api/health", headers={"Host": "evil.example"})
        assert refused.status_code == 400
        assert refused.json()["error"]["field"] == "host"
        page = c.get("/", headers={"Host": "evil.example"})
        assert page.status_code == 400 and "text/html" in page.headers["content-type"]
        assert c.get("/api/health", headers={"Host": "127.0.0.1:8000"}).status_code == 200


@pytest.mark.parametrize(
    ("error", "status"),
    [
        ("InputError('pain_score', 'is required')", 422),
        ("NotFound('walk', 3)", 404),
        ("WalkRefused('seek_care', 'get care')", 409),
        ("WalkInProgress(3)", 409),
        ("WalkAlreadyEnded(3, 'completed', 'earlier')", 409),
        ("TextUnreadable('cannot read')", 503),
        ("DiaryUnavailable('down')", 503),
        ("DiaryError('bad argument')", 422),
    ],
)
def test_each_typed_error_has_its_http_status(error: str, status: int) -> None:
    from backwalk import errors
    from backwalk.web.errors import http_status

    assert http_status(eval(error, vars(errors))) == status  # noqa: S307 - our own literals
