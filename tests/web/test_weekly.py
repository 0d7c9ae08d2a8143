"""The weekly outcome measures on the web: offered after a check once a week has passed (never
at the first check, never after a warning sign), answered on one optional form, saved once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from backwalk.clock import ManualClock
from backwalk.rules import default_rulebook
from tests.web.helpers import csrf_token

RB = default_rulebook()
OFFER = "Answer the weekly questions"


def save_check(client: TestClient, answers: dict[str, Any]) -> int:
    response = client.post("/api/checks", json={"answers": answers})
    assert response.status_code == 201, response.text
    return int(response.json()["check"]["id"])


def test_no_offer_at_the_first_check_then_an_offer_at_the_second(client: TestClient) -> None:
    first = save_check(client, {"pain_score": 4})
    assert OFFER not in client.get(f"/result/{first}").text
    second = save_check(client, {"pain_score": 3})
    assert OFFER in client.get(f"/result/{second}").text


def test_never_after_a_warning_sign(client: TestClient) -> None:
    save_check(client, {"pain_score": 4})
    flagged = save_check(client, {"fever_or_chills": True})
    assert OFFER not in client.get(f"/result/{flagged}").text


def test_answers_are_saved_and_shown_in_history(
    client: TestClient, diary: Any, clock: ManualClock
) -> None:
    save_check(client, {"pain_score": 4})
    check = save_check(client, {"pain_score": 3})
    page = client.get(f"/weekly?check={check}")
    assert page.status_code == 200 and RB.outcomes.activities.title in page.text
    form = {
        "csrf_token": csrf_token(page.text),
        "check_id": str(check),
        "activity_1": "putting on socks",
        "score_1": "4",
        "activity_2": "  ",
        "global_change": "1",
    }
    saved = client.post("/weekly", data=form, follow_redirects=False)
    assert saved.status_code == 303
    [measure] = diary.outcomes()
    assert [(a.activity, a.score) for a in measure.activities] == [("putting on socks", 4)]
    assert measure.global_change == 1 and measure.check_id == check
    assert OFFER not in client.get(f"/result/{check}").text  # answered this week
    clock.advance(timedelta(days=8).total_seconds())
    later = save_check(client, {"pain_score": 2})
    again = client.get("/weekly").text
    assert OFFER in client.get(f"/result/{later}").text
    assert 'value="putting on socks"' in again  # the same activities, to rate again


def test_bad_answers_are_explained_and_nothing_is_saved(client: TestClient, diary: Any) -> None:
    token = csrf_token(client.get("/weekly").text)
    bad = {"csrf_token": token, "activity_1": "x" * 500, "score_1": "4", "global_change": "9"}
    response = client.post("/weekly", data=bad)
    assert response.status_code == 422
    assert "Choose one of the answers." in response.text
    assert diary.outcomes() == []
    score = {"csrf_token": token, "activity_1": "walking the dog", "score_1": "11"}
    assert client.post("/weekly", data=score).status_code == 422
    assert diary.outcomes() == []


def test_an_empty_form_saves_nothing(client: TestClient, diary: Any) -> None:
    token = csrf_token(client.get("/weekly").text)
    response = client.post("/weekly", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert diary.outcomes() == []


def test_the_weekly_page_never_says_to_press_enter() -> None:
    """On a page Enter sends the form; only the terminal says to press it to stop naming."""
    from backwalk.rules import default_rulebook

    acts = default_rulebook().outcomes.activities
    assert "Enter" not in acts.name_prompt
    assert "Enter" in acts.name_done_hint


def test_the_weekly_page_never_says_to_answer_n(client: TestClient, diary: Any) -> None:
    """The terminal asks yes or no to rating the same activities again; the page shows their
    names in boxes to type over, so it never says to answer n, in either language."""
    from backwalk import i18n

    save_check(client, {"pain_score": 4})
    diary.record_outcome(at=diary.checks()[0].at, activities=[("gardening", 3)])
    for lang in ("en", "es"):
        with i18n.using(lang):
            acts = default_rulebook().outcomes.activities
        page = client.get("/weekly", headers={"accept-language": lang}).text
        assert acts.same_again in page and 'value="gardening"' in page
        assert acts.same_again_hint not in page
