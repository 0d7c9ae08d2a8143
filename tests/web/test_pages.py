"""The HTML pages without a browser: every page renders, and the check works by plain form posts
(no JavaScript), post-redirect-get, with its result saved in the diary."""

from __future__ import annotations

import re
from typing import Any

import pytest
from markupsafe import escape

from backwalk.clock import ManualClock
from tests.web.helpers import RB, RED_FLAGS, csrf_token, do_check, pain_form, signs_form

SEEK = RB.disposition("seek_care_now").headline
REST = RB.disposition("rest_first").headline
WALK = RB.disposition("walk_gently").headline

PAGES = ["/", "/check", "/walk", "/history", "/history/forget", "/learn", "/docs"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_without_javascript(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<main id="main"' in html
    assert 'class="skip-link" href="#main"' in html
    assert "<script>" not in html and " style=" not in html  # nothing inline: the CSP allows none


def test_pages_with_data_render(client: Any) -> None:
    do_check(client)
    token = csrf_token(client.get("/walk").text)
    client.post("/walk/start", data={"csrf_token": token, "pain_before": "4"})
    for path in ["/", "/walk", "/history", "/result/1", "/result"]:
        assert client.get(path).status_code == 200, path


def test_unknown_pages_are_a_calm_404(client: Any) -> None:
    for path in ["/nowhere", "/result/999", "/result/abc", "/walks/999", "/walks/x"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Page not found" in response.text


def test_check_screens_are_built_from_the_rulebook(client: Any) -> None:
    html = client.get("/check").text
    for q in RB.questions:
        if q.group == "red_flag":
            assert q.prompt in html and q.help in html
    assert html.count("<fieldset") >= len(RED_FLAGS)
    assert html.count('value="unsure"') == len(RED_FLAGS) + 1  # and the both-legs follow-up
    assert "<legend" in html


def test_a_red_flag_stops_the_check_at_once_with_what_to_do(client: Any, diary: Any) -> None:
    response = do_check(client, signs=signs_form(yes=("bladder_or_bowel_loss",)))
    assert response.url.path == "/result/1"
    html = response.text
    assert SEEK in html
    urgency = RB.urgency("emergency")
    assert urgency.label in html and urgency.action in html
    assert RB.red_flag("bladder_or_bowel_loss").tell_clinician in html
    assert "Start the" not in html  # no walk offered
    check = diary.latest_check()
    assert check.disposition == "seek_care_now"
    assert check.red_flags == ["bladder_or_bowel_loss"]


def test_not_sure_counts_as_yes(client: Any, diary: Any) -> None:
    response = do_check(client, signs=signs_form(unsure=("fever_or_chills",)))
    assert SEEK in response.text
    assert RB.urgency("same_day").label in response.text
    assert "not sure" in response.text
    assert diary.latest_check().red_flags == ["fever_or_chills"]


def test_both_legs_follow_up_escalates_to_emergency(client: Any, diary: Any) -> None:
    signs = signs_form(yes=("new_numbness_or_weakness",), numbness_both_legs="yes")
    response = do_check(client, signs=signs)
    assert RB.urgency("emergency").label in response.text
    assert diary.latest_check().urgency == "emergency"


def test_follow_up_is_required_when_its_question_is_yes(client: Any) -> None:
    response = do_check(client, signs=signs_form(yes=("new_numbness_or_weakness",)))
    assert response.status_code == 422
    assert 'href="#numbness_both_legs-input"' in response.text


def test_follow_up_is_ignored_when_its_question_is_no(client: Any) -> None:
    response = do_check(client, signs=signs_form(numbness_both_legs="unsure"))
    assert WALK in response.text


def test_rest_first(client: Any, diary: Any) -> None:
    response = do_check(client, pain=pain_form(8), more={"onset_hours": "12"})
    html = response.text
    assert REST in html
    for measure in ("rest_knees_bent", "fetal_position", "ice_after_onset"):
        assert RB.supportive_measure(measure).title in html
    assert html.count('<svg class="illustration"') == 2
    assert diary.latest_check().disposition == "rest_first"


def test_sharp_pain_rests_first(client: Any) -> None:
    response = do_check(client, pain=pain_form(3, yes=("sharp_pain",)))
    assert REST in response.text


def test_walk_gently_shows_plan_measures_and_start(client: Any, diary: Any) -> None:
    response = do_check(client, pain=pain_form(4))
    html = response.text
    assert WALK in html
    assert "Start the 5-minute walk" in html
    for rule in RB.stop_rules:
        assert rule.text in html
    for measure in ("heat_before_walk", "knee_to_chest", "pelvic_tilt"):
        m = RB.supportive_measure(measure)
        assert m.title in html and all(step in html for step in m.steps)
    assert RB.supportive_measure("ice_after_onset").title not in html  # no onset given
    assert "Source:" in html
    check = diary.latest_check()
    assert check.disposition == "walk_gently" and check.pain_score == 4


def test_missing_answers_re_ask_with_an_error_summary(client: Any) -> None:
    token = csrf_token(client.get("/check?new=1").text)
    form = signs_form()
    del form["saddle_numbness"]
    response = client.post("/check", data={"csrf_token": token, **form})
    assert response.status_code == 422
    assert 'class="error-summary"' in response.text
    assert 'href="#saddle_numbness-input"' in response.text
    assert 'id="saddle_numbness-error"' in response.text
    assert "checked" in response.text  # the other answers are kept


def test_bad_onset_hours_is_an_error_not_a_crash(client: Any) -> None:
    response = do_check(client, more={"onset_hours": "yesterday"})
    assert response.status_code == 422
    assert "Enter a number of 0 or more" in response.text


def test_screens_cannot_be_skipped(client: Any) -> None:
    client.get("/check?new=1")
    response = client.get("/check/more", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/check"


def test_back_to_screen_one_keeps_the_answers(client: Any) -> None:
    token = csrf_token(client.get("/check?new=1").text)
    client.post("/check", data={"csrf_token": token, **signs_form()})
    html = client.get("/check").text
    assert len(re.findall(r'value="no" checked', html)) == len(RED_FLAGS)


def test_post_redirect_get(client: Any) -> None:
    token = csrf_token(client.get("/check?new=1").text)
    response = client.post(
        "/check",
        data={"csrf_token": token, **signs_form(yes=("major_trauma",))},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/result/")


def test_result_without_text_has_no_what_you_wrote(client: Any) -> None:
    assert "What you wrote" not in do_check(client).text


def test_walk_start_and_checkin_by_plain_forms(client: Any, diary: Any, clock: ManualClock) -> None:
    result = do_check(client, pain=pain_form(4))
    token = csrf_token(result.text)
    response = client.post("/walk/start", data={"csrf_token": token, "pain_before": "4"})
    assert response.url.path == "/walk"
    walk = diary.active_walk()
    assert walk is not None and walk.planned_minutes == 5
    clock.advance(120)
    html = response.text
    client_id = re.search(r'name="client_id" value="([^"]+)"', html).group(1)
    form = {"csrf_token": token, "client_id": client_id, "current_pain": "4", "sharp": "no"}
    response = client.post(f"/walk/{walk.id}/checkin", data=form)
    assert RB.checkin_action("continue").headline in response.text
    again = client.post(f"/walk/{walk.id}/checkin", data=form)  # a resubmitted form
    assert again.status_code == 200
    assert len(diary.get_walk(walk.id).checkins) == 1
    form = {"csrf_token": token, "client_id": "second", "current_pain": "6", "sharp": "no"}
    response = client.post(f"/walk/{walk.id}/checkin", data=form)
    assert response.url.path == f"/walks/{walk.id}"
    assert RB.checkin_action("stop").headline in response.text
    assert diary.get_walk(walk.id).status == "stopped"


def test_walk_checkin_with_a_warning_sign_says_how_urgently(client: Any, diary: Any) -> None:
    token = csrf_token(do_check(client).text)
    client.post("/walk/start", data={"csrf_token": token, "pain_before": "4"})
    walk = diary.active_walk()
    form = {
        "csrf_token": token,
        "current_pain": "3",
        "sharp": "no",
        "new_numbness_or_weakness": "yes",
        "numbness_both_legs": "yes",
    }
    response = client.post(f"/walk/{walk.id}/checkin", data=form)
    assert RB.checkin_action("stop_seek_care").headline in response.text
    assert RB.urgency("emergency").label in response.text
    assert diary.get_walk(walk.id).status == "stopped_seek_care"


def test_walk_finish_by_plain_form(client: Any, diary: Any, clock: ManualClock) -> None:
    token = csrf_token(do_check(client).text)
    client.post("/walk/start", data={"csrf_token": token, "pain_before": "4"})
    walk = diary.active_walk()
    clock.advance(300)
    response = client.post(
        f"/walk/{walk.id}/finish",
        data={"csrf_token": token, "status": "completed", "pain_after": "3"},
    )
    assert "Walk complete" in response.text
    done = diary.get_walk(walk.id)
    assert (done.status, done.pain_after, done.elapsed_seconds) == ("completed", 3, 300)


def test_walk_page_refuses_without_a_walk_gently_check(client: Any) -> None:
    html = client.get("/walk").text
    assert "No check in the last" in html
    do_check(client, pain=pain_form(8))
    html = client.get("/walk").text
    assert "rest first" in html


def test_walk_start_refused_after_rest_first(client: Any, diary: Any) -> None:
    do_check(client, pain=pain_form(8))
    token = csrf_token(client.get("/check").text)
    response = client.post("/walk/start", data={"csrf_token": token, "pain_before": "3"})
    assert response.status_code == 409
    assert diary.active_walk() is None


def test_history_lists_checks_and_walks_with_charts(client: Any, diary: Any) -> None:
    token = csrf_token(do_check(client).text)
    client.post("/walk/start", data={"csrf_token": token, "pain_before": "4"})
    walk = diary.active_walk()
    client.post(
        f"/walk/{walk.id}/finish",
        data={"csrf_token": token, "status": "completed", "pain_after": "2"},
    )
    html = client.get("/history").text
    assert "Pain before and after each walk" in html
    assert "Minutes walked per day" in html
    assert html.count("<tr>") >= 3
    assert 'href="/api/export?format=csv"' in html and 'href="/api/export?format=json"' in html


def test_forget_asks_first_then_deletes_everything(client: Any, diary: Any) -> None:
    do_check(client)
    page = client.get("/history/forget")
    assert "This deletes 1 check and 0 walks" in page.text
    response = client.post(
        "/history/forget", data={"csrf_token": csrf_token(page.text), "confirm": "yes"}
    )
    assert response.url.path == "/history"
    assert "Everything was deleted" in response.text
    assert diary.checks() == []


def test_learn_shows_every_rulebook_item_with_its_source(client: Any) -> None:
    html = client.get("/learn").text
    for section in RB.learn:
        assert escape(section.title) in html and escape(section.text) in html
    for measure in RB.supportive:
        assert escape(measure.title) in html
        assert all(escape(step) in html for step in measure.steps)
    for tip in RB.tips:
        assert escape(tip.title) in html and escape(tip.text) in html
    for flag in RB.red_flags:
        assert escape(flag.why) in html
    for urgency in RB.urgencies:
        assert escape(urgency.label) in html and escape(urgency.action) in html
    for source in RB.sources.values():
        assert escape(source.title) in html
    assert html.count('<svg class="illustration"') == 5


def test_illustration_ids_are_unique_on_a_page(client: Any) -> None:
    html = client.get("/learn").text
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_check_page_weight_is_under_100_kb(client: Any) -> None:
    html = client.get("/check").content
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html.decode())
    total = len(html) + sum(len(client.get(a).content) for a in assets)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    assert total < 100_000, total


def test_not_sure_about_a_pain_question_is_the_cautious_answer(client: Any) -> None:
    pain = {**pain_form(3), "hard_to_stand": "unsure"}
    response = do_check(client, pain=pain)
    assert REST in response.text
    assert "not sure" in response.text
