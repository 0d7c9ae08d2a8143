"""docs/web.md keeps up with the app: every route, page or API, is documented there."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.helpers import app_routes

DOC = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text("utf-8")


def _routes(app: Any) -> list[tuple[str, str]]:
    out = [(method, route.path) for route in app_routes(app) for method in sorted(route.methods)]
    assert len(out) > 20, "the app's routes were not found"
    return out


def test_every_route_is_documented(app: Any) -> None:
    missing = [
        f"{method} {path}"
        for method, path in _routes(app)
        if not re.search(rf"{method} {re.escape(path)}(?=[`?])", DOC)
    ]
    assert missing == [], missing


@pytest.mark.parametrize(
    "header",
    [
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "Cross-Origin-Opener-Policy",
    ],
)
def test_security_headers_are_documented(header: str) -> None:
    assert header in DOC
