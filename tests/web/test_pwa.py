"""The installable app without a browser: the manifest, the service worker script, the blank
screens it keeps for offline, compressed static files, and checks sent twice stored once."""

from __future__ import annotations

import gzip
from typing import Any

from fastapi.testclient import TestClient

from backwalk.web.pages_pwa import SHELL_STATIC, static_version
from backwalk.web.templating import STATIC_DIR


def test_the_manifest_is_complete_and_linked(client: TestClient) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    data = response.json()
    assert data["name"] and data["short_name"] == "backwalk"
    assert data["start_url"].startswith("/") and data["display"] == "standalone"
    assert data["theme_color"] and data["background_color"]
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200
    page = client.get("/check").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<script type="module" src="/static/js/pwa.js"></script>' in page


def test_icons_are_the_sizes_they_claim() -> None:
    from PIL import Image

    for name, size in (("icon-192.png", 192), ("icon-512.png", 512)):
        with Image.open(STATIC_DIR / "icons" / name) as image:
            assert image.size == (size, size)


def test_the_service_worker_is_versioned_by_the_static_files(client: TestClient) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    body = response.text
    assert f'"{static_version()}"' in body and "__VERSION__" not in body
    for path in SHELL_STATIC:
        assert f"/static/{path}" in body
        assert (STATIC_DIR / path).exists(), path


def test_a_changed_static_file_changes_the_version(tmp_path: Any) -> None:
    (tmp_path / "a.js").write_text("one")
    before = static_version(tmp_path)
    (tmp_path / "a.js").write_text("two")
    assert static_version(tmp_path) != before


def test_blank_later_screens_and_the_offline_result_shell(client: TestClient) -> None:
    assert client.get("/offline/check/warning").status_code == 200
    assert client.get("/offline/check/pain").status_code == 200
    assert client.get("/offline/check/emergency").status_code == 404
    assert client.get("/offline/check/nope").status_code == 404
    page = client.get("/offline/result")
    assert page.status_code == 200 and "decided on this phone" in page.text


def test_static_files_are_sent_compressed(client: TestClient) -> None:
    plain = (STATIC_DIR / "js" / "engine.js").read_bytes()
    response = client.get("/static/js/engine.js", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.content == plain  # httpx decodes it
    raw = client.get("/static/js/engine.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers and raw.content == plain
    assert len(gzip.compress(plain)) < len(plain) / 2


def test_a_check_sent_twice_with_one_client_id_is_stored_once(client: TestClient) -> None:
    body = {"answers": {"pain_score": 4}, "unsure": [], "client_id": "phone-1"}
    first = client.post("/api/checks", json=body)
    again = client.post("/api/checks", json=body)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["check"]["id"] == again.json()["check"]["id"]
    assert len(client.get("/api/checks").json()) == 1
    other = client.post("/api/checks", json={**body, "client_id": "phone-2"})
    assert other.status_code == 201
    assert len(client.get("/api/checks").json()) == 2


def test_favicon_ico_is_the_apps_icon(client: TestClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
