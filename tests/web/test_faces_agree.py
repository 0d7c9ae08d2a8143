"""Both faces say the same words (issue 17): every decision, urgency and standing rendered
through the terminal's view (backwalk.cli.views) and the result and home pages, compared word
for word. A sentence that lives in only one face fails here."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backwalk import coach
from backwalk.cli.views import decision_sections, standing_sections
from backwalk.rules import default_rulebook

RB = default_rulebook()
CASES = {
    "walk gently": {"pain_score": 3},
    "rest first (severe)": {"pain_score": 8},
    "rest first (sharp)": {"pain_score": 4, "sharp_pain": True},
    "emergency": {"bladder_or_bowel_loss": True},
    "same day": {"fever_or_chills": True, "pain_score": 4},
    "combination": {"fever_or_chills": True, "immunosuppressed_or_injects_drugs": True},
    "not sure": {"saddle_numbness": "unsure", "pain_score": 3},
    "gp soon": {"pain_score": 3, "age": 55, "first_episode": True},
    "pregnancy": {"pregnant": True, "pregnancy_warning": True},
}


def words(text: str) -> str:
    """Text as a page shows it: tags gone, entities decoded, spaces single, quotes plain."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.replace("\u2019", "'").split())


def terminal_lines(sections: list[Any]) -> list[str]:
    """Each line the terminal prints; a source line naming several sources, one per source."""
    lines = []
    for section in sections:
        for item in section.items:
            text = " ".join(item.text.split())
            lines += text.split("; ") if item.kind == "source" else [text]
    return [line for line in lines if line]


def save(client: TestClient, answers: dict[str, Any]) -> dict[str, Any]:
    sure = {k: v for k, v in answers.items() if v != "unsure"}
    unsure = [k for k, v in answers.items() if v == "unsure"]
    body = {"answers": sure, **({"unsure": unsure} if unsure else {})}
    response = client.post("/api/checks", json=body)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize("name", list(CASES))
def test_the_result_says_on_the_page_what_the_terminal_says(client: TestClient, name: str) -> None:
    saved = save(client, CASES[name])
    assessment = saved["assessment"]
    page = words(client.get(f"/result/{saved['check']['id']}").text)
    for line in terminal_lines(decision_sections(RB, assessment)):
        line = line.strip('"')
        if line.startswith("backwalk learn "):
            continue  # the terminal's command for a topic; the page links the topic itself
        assert line in page, f"{name}: the page lacks the terminal's line {line!r}"


@pytest.mark.parametrize("name", ["walk gently", "rest first (severe)", "same day"])
def test_home_leads_with_the_standing_the_terminal_shows(
    client: TestClient, app: Any, name: str
) -> None:
    save(client, CASES[name])
    state = app.state.web
    where = coach.standing(state.diary, state.now(), RB)
    home = words(client.get("/").text)
    for line in terminal_lines(standing_sections(RB, where)):
        if line.startswith("When a clinician has seen you"):
            continue  # the page has the button for it instead of the command
        assert line in home, f"{name}: home lacks the terminal's line {line!r}"
