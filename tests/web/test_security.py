"""Security: CSRF on every form post, JSON-only API posts, headers and CSP on every response."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backwalk.web.app import create_app
from backwalk.web.security import CSP, CSRF_COOKIE, Csrf, load_or_create_secret
from tests.web.helpers import csrf_token, do_check, signs_form

FORM_POSTS = [
    "/check",
    "/check/warning",
    "/check/pain",
    "/walk/start",
    "/walk/1/checkin",
    "/walk/1/finish",
    "/history/forget",
]


@pytest.mark.parametrize("path", FORM_POSTS)
def test_form_post_without_token_is_403(client: Any, path: str) -> None:
    client.get("/check")  # the browser has the cookie half
    response = client.post(path, data={"pain_before": "4", **signs_form()})
    assert response.status_code == 403
    assert "only accepts forms that it showed you" in response.text


@pytest.mark.parametrize("path", FORM_POSTS)
def test_form_post_with_a_bad_token_is_403(client: Any, path: str) -> None:
    client.get("/check")
    response = client.post(path, data={"csrf_token": "forged.token", **signs_form()})
    assert response.status_code == 403


def test_token_from_another_browser_is_403(app: Any, client: Any) -> None:
    from fastapi.testclient import TestClient

    with TestClient(app) as other:
        stolen = csrf_token(other.get("/check").text)
    client.get("/check")
    response = client.post("/check", data={"csrf_token": stolen, **signs_form()})
    assert response.status_code == 403


def test_token_without_its_cookie_is_403(client: Any) -> None:
    token = csrf_token(client.get("/check").text)
    client.cookies.clear()
    response = client.post("/check", data={"csrf_token": token, **signs_form()})
    assert response.status_code == 403


def test_csrf_cookie_is_strict_and_http_only(client: Any) -> None:
    header = client.get("/check").headers["set-cookie"]
    assert header.startswith(f"{CSRF_COOKIE}=")
    assert "HttpOnly" in header and "SameSite=strict" in header


def test_a_valid_token_is_accepted(client: Any) -> None:
    assert do_check(client).status_code == 200


def test_signed_tokens_need_the_secret() -> None:
    assert Csrf("a" * 32)._serializer.dumps("x") != Csrf("b" * 32)._serializer.dumps("x")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/check"),
        ("GET", "/learn"),
        ("GET", "/history"),
        ("GET", "/walk"),
        ("GET", "/docs"),
        ("GET", "/openapi.json"),
        ("GET", "/api/health"),
        ("GET", "/api/rules"),
        ("GET", "/static/css/app.css"),
        ("GET", "/static/js/walk.js"),
        ("GET", "/nowhere"),
        ("GET", "/api/nowhere"),
        ("POST", "/api/assess"),
        ("POST", "/check"),
    ],
)
def test_security_headers_on_every_response(client: Any, method: str, path: str) -> None:
    response = client.request(method, path)
    h = response.headers
    assert h["content-security-policy"] == CSP
    for part in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ):
        assert part in h["content-security-policy"]
    assert "unsafe-inline" not in h["content-security-policy"]
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "no-referrer"
    assert h["x-frame-options"] == "DENY"
    assert "camera=()" in h["permissions-policy"]
    assert h["cross-origin-opener-policy"] == "same-origin"
    assert "cache-control" in h


def test_pages_and_api_are_not_cached_but_static_files_revalidate(client: Any) -> None:
    assert client.get("/history").headers["cache-control"] == "no-store"
    assert client.get("/api/checks").headers["cache-control"] == "no-store"
    assert client.get("/static/css/app.css").headers["cache-control"] == "no-cache"


def test_an_unexpected_error_is_a_500_with_headers(app: Any) -> None:
    from fastapi.testclient import TestClient

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/boom")
        spanish = c.get("/boom", headers={"Accept-Language": "es"})
    assert response.status_code == 500
    assert response.headers["content-security-policy"] == CSP
    assert "Something went wrong" in response.text
    # made at start-up in every language, so a Spanish reader gets it in Spanish
    assert spanish.status_code == 500
    assert '<html lang="es"' in spanish.text and "Algo salió mal" in spanish.text


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_api_posts_must_be_json(client: Any, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    for path in ["/api/assess", "/api/checkin", "/api/walks", "/api/checks"]:
        response = client.post(path, content=b'{"pain_score": 4}', headers=headers)
        if content_type is None and path in ("/api/walks", "/api/checks"):
            # FastAPI reads a body without a Content-Type as JSON; the check still refuses it
            assert response.status_code in (415, 422)
            continue
        assert response.status_code == 415, (path, response.text)
        assert response.json()["error"]["field"] == "content-type"


def test_json_with_charset_is_fine(client: Any) -> None:
    response = client.post(
        "/api/assess",
        content=b'{"pain_score": 4}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200


def test_host_header_is_checked_when_asked(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    app = create_app(db_url=f"sqlite:///{tmp_path / 'd.db'}", allowed_hosts=["127.0.0.1"])
    with TestClient(app, base_url="http://127.0.0.1") as c:
        assert c.get("/api/health").status_code == 200
        assert c.get("/api/health", headers={"Host": "evil.example"}).status_code == 400


def test_the_secret_is_kept_next_to_a_sqlite_diary(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'diary.db'}"
    first = load_or_create_secret(url)
    assert load_or_create_secret(url) == first
    secret_file = tmp_path / "backwalk-web-secret"
    assert secret_file.read_text().strip() == first
    assert secret_file.stat().st_mode & 0o077 == 0


def test_no_secret_file_for_memory_or_postgres(tmp_path: Path) -> None:
    assert load_or_create_secret("sqlite://") != load_or_create_secret("sqlite://")
    assert len(load_or_create_secret("postgresql+psycopg://u@h/db")) >= 32
