"""The HTML pages without a browser: every page renders, and the check works by plain form posts
(no JavaScript), post-redirect-get, with its result saved in the diary."""

from __future__ import annotations

import re
from typing import Any

import pytest
from markupsafe import escape

from backwalk.clock import ManualClock
from tests.web.helpers import (
    EMERGENCY_SIGNS,
    RB,
    SCREENS,
    csrf_token,
    do_check,
    main_section,
    pain_form,
    signs_form,
)

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
    first = SCREENS[0].spec
    assert escape(first.title) in html and escape(first.intro) in html
    assert escape(first.none_label) in html
    for qid in EMERGENCY_SIGNS:
        q = RB.question_by_id[qid]
        assert escape(q.prompt) in html and escape(q.help) in html
    assert html.count('type="checkbox"') == 2 * len(EMERGENCY_SIGNS)  # a tick and 'Not sure'
    assert html.count('value="unsure"') == len(EMERGENCY_SIGNS)
    assert 'value="no"' not in html  # a checklist, not rows of yes/no
    assert "<legend" in html and "data-stop-on-tick" in html


def test_an_emergency_sign_ends_the_check_on_screen_one(client: Any, diary: Any) -> None:
    token = csrf_token(client.get("/check?new=1").text)
    form = {"csrf_token": token, "bladder_or_bowel_loss": "yes"}
    response = client.post("/check", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/result/1"
    html = client.get("/result/1").text
    assert '<h1 id="result-title">Call 999 now</h1>' in html
    assert 'href="tel:999"' in main_section(html)  # the call button, not only the banner's
    urgency = RB.urgency("emergency")
    assert urgency.label in html and urgency.action in html  # 999 / 911 / 112 stays
    assert RB.red_flag("bladder_or_bowel_loss").tell_clinician in html
    assert "Start the" not in html  # no walk offered
    check = diary.latest_check()
    assert (check.disposition, check.urgency) == ("seek_care_now", "emergency")
    assert check.red_flags == ["bladder_or_bowel_loss"]


def test_a_screen_sent_twice_saves_one_check(client: Any, diary: Any) -> None:
    """A double tap, or a second tick while the first send is on its way: the page's check id
    makes the second send find the first check, not save another."""
    page = client.get("/check?new=1").text
    client_id = re.search(r'name="client_id" value="([0-9a-f]{32})"', page)
    assert client_id is not None
    form = {"csrf_token": csrf_token(page), "client_id": client_id.group(1)}
    first = client.post("/check", data={**form, "saddle_numbness": "yes"}, follow_redirects=False)
    again = client.post(
        "/check", data={**form, "bladder_or_bowel_loss": "yes"}, follow_redirects=False
    )
    assert first.headers["location"] == again.headers["location"] == "/result/1"
    assert len(diary.checks()) == 1
    other = client.get("/check?new=1").text
    assert client_id.group(1) not in other  # every new check has its own id


def test_not_sure_on_screen_one_also_ends_the_check(client: Any, diary: Any) -> None:
    response = do_check(client, signs=signs_form(unsure=("chest_pain",)))
    assert response.url.path == "/result/1"
    html = response.text
    label = RB.question_by_id["chest_pain"].label
    assert escape(RB.notes.tell_clinician_unsure.format(label=label)) in html
    assert escape(RB.red_flag("chest_pain").tell_clinician) not in html
    assert "You weren&#39;t sure about" in html
    assert diary.latest_check().assessment["unsure"] == ["chest_pain"]


def test_none_of_these_with_a_tick_keeps_the_tick(client: Any) -> None:
    token = csrf_token(client.get("/check?new=1").text)
    form = {"csrf_token": token, "none": "1", "major_trauma": "yes"}
    response = client.post("/check", data=form)
    assert response.url.path == "/result/1"  # contradicting answers: the cautious reading


def test_none_of_these_moves_on(client: Any) -> None:
    token = csrf_token(client.get("/check?new=1").text)
    response = client.post("/check", data={"csrf_token": token, "none": "1"})
    assert response.url.path == "/check/warning"
    assert escape(SCREENS[1].spec.intro) in response.text
    response = client.post("/check/warning", data={"csrf_token": token, "none": "1"})
    assert response.url.path == "/check/pain"


def test_a_warning_sign_skips_the_pain_screen(client: Any, diary: Any) -> None:
    response = do_check(client, signs=signs_form(yes=("leg_pain_below_knee",)))
    assert response.url.path == "/result/1"
    html = response.text
    assert '<h1 id="result-title">Get seen today</h1>' in html
    assert escape(RB.urgency("same_day").action) in html
    assert "tel:" not in main_section(html)  # no call button (the banner always has the number)
    assert diary.latest_check().urgency == "same_day"


def test_a_not_sure_warning_sign_is_same_day(client: Any, diary: Any) -> None:
    response = do_check(client, signs=signs_form(unsure=("fever_or_chills",)))
    assert "Get seen today" in response.text
    assert RB.urgency("same_day").label in response.text
    assert "not sure" in response.text
    assert diary.latest_check().red_flags == ["fever_or_chills"]


def test_a_combination_of_signs_is_an_emergency(client: Any, diary: Any) -> None:
    signs = signs_form(yes=("fever_or_chills", "immunosuppressed_or_injects_drugs"))
    html = do_check(client, signs=signs).text
    assert "Call 999 now" in html and 'href="tel:999"' in main_section(html)
    combo = next(k for k in RB.combinations if k.id == "spinal_infection")
    assert escape(combo.why) in html and escape(combo.tell_clinician) in html
    assert diary.latest_check().urgency == "emergency"


def test_the_emergency_number_is_a_setting(tmp_path: Any, monkeypatch: Any) -> None:
    from fastapi.testclient import TestClient

    from backwalk.web.app import create_app

    monkeypatch.setenv("BACKWALK_EMERGENCY_NUMBER", "112")
    app = create_app(db_url=f"sqlite:///{tmp_path / 'd.db'}", secret="s" * 32)
    with TestClient(app) as c:
        html = do_check(c, signs=signs_form(yes=("saddle_numbness",))).text
    app.state.web.diary.close()
    assert "Call 112 now" in html and 'href="tel:112"' in html and "tel:999" not in html
    for number in ("999 in the UK", "911 in the US", "112 in Europe"):  # the action still says
        assert number in html
    monkeypatch.setenv("BACKWALK_EMERGENCY_NUMBER", "call me")
    with pytest.raises(ValueError, match="BACKWALK_EMERGENCY_NUMBER"):
        create_app(db_url=f"sqlite:///{tmp_path / 'e.db'}", secret="s" * 32)


def test_gp_soon_sits_beside_the_walk_plan(client: Any, diary: Any) -> None:
    more = {"age": "55", "first_episode": "yes"}
    html = do_check(client, pain=pain_form(4), more=more).text
    assert f'<h1 id="result-title">{escape(WALK)}</h1>' in html
    assert RB.urgency_headline("gp_soon") in html
    rule = next(r for r in RB.gp_soon_rules if r.id == "first_episode_over_50")
    assert escape(rule.text) in html
    assert "Start the 5-minute walk" in html  # beside the plan, not instead of it
    check = diary.latest_check()
    assert check.urgency == "gp_soon" and check.disposition == "walk_gently"


def test_rest_first(client: Any, diary: Any) -> None:
    response = do_check(client, pain=pain_form(8), more={"onset_hours": "12"})
    html = response.text
    assert REST in html
    for measure in ("rest_knees_bent", "fetal_position", "ice_after_onset"):
        assert RB.supportive_measure(measure).title in html
    assert html.count('<svg class="illustration"') == 2
    assert escape(RB.safety_net.text) in html and RB.source_title(RB.safety_net.source) in html
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
    assert escape(RB.safety_net.text) in html
    assert RB.urgency_headline("gp_soon") not in html
    check = diary.latest_check()
    assert check.disposition == "walk_gently" and check.pain_score == 4


def test_missing_pain_score_re_asks_with_an_error_summary(client: Any) -> None:
    response = do_check(client, pain={"sharp_pain": "unsure"}, more={"onset_hours": "5"})
    assert response.status_code == 422
    html = response.text
    assert 'class="error-summary"' in html
    assert 'href="#pain_score-input"' in html and 'id="pain_score-error"' in html
    assert re.search(r'value="unsure"[^>]* checked', html) and 'value="5"' in html  # kept


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("onset_hours", "sometime", "Enter a number of 0 or more"),
        ("age", "130", "Enter a whole number from 0 to 120"),
        ("age", "forty", "Enter a whole number from 0 to 120"),
    ],
)
def test_bad_numbers_are_an_error_not_a_crash(
    client: Any, field: str, value: str, message: str
) -> None:
    response = do_check(client, more={field: value})
    assert response.status_code == 422
    assert message in response.text


def test_screens_cannot_be_skipped(client: Any) -> None:
    client.get("/check?new=1")
    for path in ("/check/pain", "/check/warning"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/check"
    assert client.get("/check/nowhere").status_code == 404


def test_back_to_screen_two_keeps_the_answers(client: Any) -> None:
    token = csrf_token(client.get("/check?new=1").text)
    client.post("/check", data={"csrf_token": token})
    client.post("/check/warning", data={"csrf_token": token})
    html = client.get("/check/warning").text
    assert 'href="/check"' in html and "checked" not in html
    html = client.get("/check/pain").text
    assert 'href="/check/warning">Back' in html


def test_post_redirect_get(client: Any) -> None:
    token = csrf_token(client.get("/check?new=1").text)
    response = client.post("/check", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/check/warning"
    assert "bw_check=" in response.headers["set-cookie"]  # the signed draft


def test_result_without_text_has_no_what_you_wrote(client: Any) -> None:
    assert "What you wrote" not in do_check(client).text


def test_an_older_check_still_renders(client: Any, diary: Any, clock: ManualClock) -> None:
    """Stored answers and reasons from an older rulebook: unknown ids are skipped."""
    assessment = {
        "disposition": "seek_care_now",
        "red_flags": ["new_numbness_or_weakness", "retired_flag"],
        "urgency": "emergency",
        "reasons": [{"rule": "unanswered_numbness_both_legs", "text": "An old note."}],
        "unsure": ["numbness_both_legs"],
        "supportive": ["gone_measure"],
        "walk_plan": None,
        "unanswered": [],
        "answers": {"numbness_both_legs": True, "new_numbness_or_weakness": True},
        "rulebook_version": "2025.01.01",
        "headline": "Do not walk it off: get medical care now.",
    }
    answers = {"numbness_both_legs": True, "new_numbness_or_weakness": True}
    check = diary.record_check(at=clock.now(), answers=answers, assessment=assessment)
    html = client.get(f"/result/{check.id}").text
    assert "Call 999 now" in html and "An old note." in html
    assert RB.red_flag("new_numbness_or_weakness").tell_clinician in html
    old = {"disposition": "walk_gently", "reasons": "not a list", "walk_plan": {"minutes": 5}}
    check = diary.record_check(at=clock.now(), answers={"pain_score": 3}, assessment=old)
    assert WALK in client.get(f"/result/{check.id}").text
    assert client.get("/history").status_code == 200


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
        "numbness_both_legs": "yes",  # an older name of both_legs, from a form before an update
    }
    response = client.post(f"/walk/{walk.id}/checkin", data=form)
    assert RB.checkin_action("stop_seek_care").headline in response.text
    assert RB.urgency("emergency").label in response.text
    assert 'href="tel:999"' in main_section(response.text)
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
    assert RB.standing("no_check").headline in html
    do_check(client, pain=pain_form(8))
    html = client.get("/walk").text
    assert RB.standing("rest_first").headline in html
    assert "/walk/start" not in html


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


def test_check_pages_weigh_at_most_60_kb(client: Any) -> None:
    token = csrf_token(client.get("/check?new=1").text)
    pages = [client.get("/check").content]
    client.post("/check", data={"csrf_token": token})
    pages.append(client.get("/check/warning").content)
    client.post("/check/warning", data={"csrf_token": token})
    pages.append(client.get("/check/pain").content)
    for html in pages:
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html.decode())
        total = len(html) + sum(len(client.get(a).content) for a in assets)
        assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
        assert total <= 60_000, total


def test_not_sure_about_a_pain_question_is_the_cautious_answer(client: Any) -> None:
    pain = {**pain_form(3), "hard_to_stand": "unsure"}
    response = do_check(client, pain=pain)
    assert REST in response.text
    assert "not sure" in response.text


def test_the_walk_check_in_asks_only_about_signs_that_can_appear_mid_walk(client: Any) -> None:
    token = csrf_token(do_check(client).text)
    client.post("/walk/start", data={"csrf_token": token, "pain_before": "4"})
    html = client.get("/walk").text
    checkin = html[
        html.index("data-checkin-form") : html.index("</form>", html.index("data-checkin-form"))
    ]
    asked = set(re.findall(r'type="checkbox" name="([a-z_]+)"', checkin))
    assert asked == {q.id for q in RB.questions if q.during_walk}
    assert "history_of_cancer" not in asked and "osteoporosis_or_steroids" not in asked


def test_the_api_documents_the_v2_fields(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    assessment = spec["components"]["schemas"]["Assessment"]["properties"]
    assert {"urgency", "see_gp_soon", "headline", "unsure"} <= set(assessment)
    text = client.get("/openapi.json").text
    assert "numbness_both_legs" in text and "both_legs" in text
    assert client.get("/docs").status_code == 200
    body = {"baseline_pain": 3, "current_pain": 3, "numbness_both_legs": True}
    assert client.post("/api/checkin", json=body).json()["urgency"] == "emergency"


def test_no_walk_checkin_question_starts_with_an_answer_chosen(client: Any, diary: Any) -> None:
    result = do_check(client, pain=pain_form(4))
    token = csrf_token(result.text)
    response = client.post("/walk/start", data={"csrf_token": token, "pain_before": "4"})
    form_html = response.text.split("data-checkin-form", 1)[1].split("</form>", 1)[0]
    assert " checked" not in form_html
    walk = diary.active_walk()
    missing = client.post(
        f"/walk/{walk.id}/checkin", data={"csrf_token": token, "current_pain": "4"}
    )
    assert missing.status_code == 422
    assert "Choose Yes or No: is the pain sharp or shooting?" in missing.text
    assert not diary.get_walk(walk.id).checkins
    # a pain above the starting pain stops the walk whatever the answer: not asked
    risen = client.post(f"/walk/{walk.id}/checkin", data={"csrf_token": token, "current_pain": "6"})
    assert risen.status_code in (200, 303), risen.text
    assert diary.get_walk(walk.id).checkins[0].action == "stop"


@pytest.mark.parametrize(("typed", "hours"), [("ayer", 24), ("2 days", 48), ("36", 36)])
def test_the_onset_box_reads_words_as_the_terminal_does(
    client: Any, diary: Any, typed: str, hours: int
) -> None:
    response = do_check(client, pain=pain_form(4) | {"onset_hours": typed})
    assert response.url.path == "/result/1"
    assert diary.latest_check().answers["onset_hours"] == hours
