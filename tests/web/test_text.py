"""Free text on the check: what was understood is shown with the phrases highlighted (escaped),
and a request without text never loads the language module."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from backwalk.engine import assess
from backwalk.web.templating import highlight
from tests.web.helpers import RB, answer_words, do_check, pain_form

REPO = Path(__file__).resolve().parents[2]


def test_highlight_marks_each_span_and_escapes_everything() -> None:
    text = "<b>sharp</b> pain & fever"
    sharp, fever = text.index("sharp"), text.index("& fever")
    findings = [
        {"field": "x", "start": fever, "end": fever + 7},
        {"field": "sharp_pain", "start": sharp, "end": sharp + 5},
    ]
    assert str(highlight(text, findings)) == (
        "&lt;b&gt;<mark>sharp</mark>&lt;/b&gt; pain <mark>&amp; fever</mark>"
    )


def test_highlight_ignores_bad_and_overlapping_spans() -> None:
    findings = [
        {"start": 0, "end": 4},
        {"start": 2, "end": 6},
        {"start": 5, "end": 99},
        {"start": "1", "end": 2},
        {"field": "no span"},
    ]
    assert str(highlight("abcdefg", findings)) == "<mark>abcd</mark>efg"
    assert str(highlight(None, findings)) == ""


def _record_with_text(diary: Any, clock: Any, text: str, findings: list[dict[str, Any]]) -> int:
    """A stored check as if the engine had read `text` (so this runs without the NLP stack)."""
    assessment = assess({"pain_score": 3, "fever_or_chills": True})
    assessment["text_findings"] = findings
    assessment["reasons"].append(
        {
            "rule": "text_fever_or_chills",
            "source": "x",
            "source_id": "article_assessing",
            "text": "You wrote 'a fever': backwalk read that as unexplained fever or chills.",
        }
    )
    record = diary.record_check(
        at=clock.now(), answers={"pain_score": 3}, assessment=assessment, text=text
    )
    return int(record.id)


def test_result_shows_what_was_understood(client: Any, diary: Any, clock: Any) -> None:
    text = "I have <em>a fever</em> since yesterday"
    start = text.index("a fever")
    check_id = _record_with_text(
        diary,
        clock,
        text,
        [
            {
                "field": "fever_or_chills",
                "value": True,
                "phrase": "a fever",
                "start": start,
                "end": start + 7,
            },
        ],
    )
    html = client.get(f"/result/{check_id}").text
    assert "What you wrote" in html
    assert "I have &lt;em&gt;<mark>a fever</mark>&lt;/em&gt; since yesterday" in html
    assert "What backwalk understood" in html
    assert "<em>" not in html


def test_text_box_is_on_the_last_screen(client: Any) -> None:
    client.get("/check?new=1")
    html = do_check(client, more=None).text  # walks through all screens
    assert "Anything else? Describe it in your own words" not in html  # result page now
    from tests.web.helpers import csrf_token, signs_form

    token = csrf_token(client.get("/check?new=1").text)
    client.post("/check", data={"csrf_token": token, **signs_form()})
    page = client.post("/check/warning", data={"csrf_token": token, **signs_form()}).text
    assert "Anything else? Describe it in your own words" in page
    assert '<textarea class="input" id="text-input" name="text"' in page


def test_text_that_cannot_be_read_is_refused_not_ignored(client: Any, monkeypatch: Any) -> None:
    """Without the language module a red flag in the text could be missed: say so, save nothing."""
    monkeypatch.setitem(sys.modules, "backwalk.nlp", None)
    response = do_check(client, more={"text": "I have a fever"})
    assert response.status_code == 422
    assert "cannot read free text" in response.text
    api = client.post("/api/assess", json={"pain_score": 3, "text": "I have a fever"})
    assert api.status_code == 503 and api.json()["error"]["field"] == "text"


def test_very_long_text_is_refused_kindly(client: Any) -> None:
    from backwalk.engine import MAX_TEXT_CHARS

    response = do_check(client, more={"text": "x" * (MAX_TEXT_CHARS + 1)})
    assert response.status_code == 422
    assert f"under {MAX_TEXT_CHARS} characters" in response.text


NO_NLP = textwrap.dedent("""
    import sys, tempfile
    from fastapi.testclient import TestClient
    from backwalk.web.app import create_app
    from tests.web.helpers import do_check, pain_form

    app = create_app(db_url=f"sqlite:///{tempfile.mkdtemp()}/d.db", secret="s" * 32)
    with TestClient(app) as client:
        assert client.post("/api/assess", json={"pain_score": 4}).status_code == 200
        assert client.post("/api/assess", json={"pain_score": 4, "text": "  "}).status_code == 200
        assert client.post("/api/checks", json={"answers": {"pain_score": 4}}).status_code == 201
        assert "gentle walk" in do_check(client, pain=pain_form(4), more={"text": ""}).text
        for page in ("/", "/learn", "/history", "/walk"):
            assert client.get(page).status_code == 200
    loaded = sorted(m for m in sys.modules if m.startswith(("backwalk.nlp", "spacy", "medspacy")))
    print(loaded)
    assert not loaded, loaded
""")


def test_requests_without_text_never_import_the_nlp_module() -> None:
    result = subprocess.run(
        [sys.executable, "-c", NO_NLP], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert result.stdout.strip() == "[]"


def _need_nlp() -> None:
    try:
        from backwalk.nlp import extract  # noqa: F401
    except ImportError:
        pytest.skip("the NLP module (backwalk.nlp.extract) is not available in this checkout")


@pytest.mark.nlp
def test_a_red_flag_in_the_text_changes_the_decision(client: Any, diary: Any) -> None:
    _need_nlp()
    text = "Since this morning I have a fever and chills."
    words = do_check(client, pain=pain_form(3), more={"text": text})
    assert "You wrote &#39;Since this morning I have a fever and chills&#39;." in words.text
    html = answer_words(client, words, fever_or_chills="yes").text
    assert RB.urgency_headline("same_day") in html
    assert "<mark>" in html
    check = diary.latest_check()
    assert check.text == text and "fever_or_chills" in check.red_flags


@pytest.mark.nlp
def test_api_assess_with_text(client: Any) -> None:
    _need_nlp()
    body = {"pain_score": 3, "text": "I have a fever and chills."}
    result = client.post("/api/assess", json=body).json()
    assert result["disposition"] == "seek_care_now"
    assert result["text_findings"]
