"""The pages and the API in Spanish: the browser's Accept-Language, the switch on every page
(remembered, and working without JavaScript), and the emergency path end to end."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backwalk.web.app import create_app
from tests.i18n.english import english_in, english_on_page
from tests.i18n.spanish_diary import fill as fill_spanish_diary
from tests.web.helpers import RED_FLAGS, csrf_token, do_check, main_section, signs_form

SPANISH = {"accept-language": "es-MX,es;q=0.9,en;q=0.5"}
SWITCH_TO_SPANISH = re.compile(r'<a href="/language/es\?next=([^"]*)" hreflang="es" lang="es">')


def html_lang(html: str) -> str:
    match = re.search(r'<html lang="([a-z]+)">', html)
    assert match is not None
    return match.group(1)


def test_the_browser_language_is_followed(client: TestClient) -> None:
    english = client.get("/")
    spanish = client.get("/", headers=SPANISH)
    assert html_lang(english.text) == "en" and english.headers["content-language"] == "en"
    assert html_lang(spanish.text) == "es" and spanish.headers["content-language"] == "es"
    assert "Caminar con suavidad" in spanish.text and "Empiece con una revisión" in spanish.text
    assert "Accept-Language" in spanish.headers["vary"] and "Cookie" in spanish.headers["vary"]


@pytest.mark.parametrize("header", ["fr-FR,fr;q=0.9", "*", "xx;q=oops", ""])
def test_a_language_backwalk_does_not_speak_falls_back_to_english(
    client: TestClient, header: str
) -> None:
    assert html_lang(client.get("/", headers={"accept-language": header}).text) == "en"


@pytest.mark.parametrize("path", ["/", "/check", "/learn", "/history", "/walk", "/nowhere"])
def test_every_page_has_the_switch_back_to_itself(client: TestClient, path: str) -> None:
    html = client.get(path).text
    match = SWITCH_TO_SPANISH.search(html)
    assert match is not None, f"no switch on {path}"
    assert match.group(1) == path.replace("/", "%2F") or match.group(1) == path
    spanish = client.get(path, headers=SPANISH).text
    assert '<a href="/language/en?next=' in spanish and ">English</a>" in spanish


def test_the_switch_is_remembered_and_overrides_the_browser(client: TestClient) -> None:
    response = client.get("/language/es?next=/check", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/check"
    cookie = response.headers["set-cookie"]
    assert "bw_lang=es" in cookie and "Max-Age=31536000" in cookie and "HttpOnly" in cookie
    assert html_lang(client.get("/check").text) == "es"  # the test client keeps the cookie
    client.get("/language/en?next=/")
    assert html_lang(client.get("/", headers=SPANISH).text) == "en"  # the choice wins


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil", ""])
def test_the_switch_only_returns_to_this_site(client: TestClient, target: str) -> None:
    response = client.get(f"/language/es?next={target}", follow_redirects=False)
    assert response.headers["location"] == "/"


def test_an_unknown_language_is_not_found(client: TestClient) -> None:
    assert client.get("/language/fr?next=/").status_code == 404


# ------------------------------------------------------------------------------------------
# The emergency path in Spanish
# ------------------------------------------------------------------------------------------


def test_the_first_screen_in_spanish(client: TestClient) -> None:
    html = client.get("/check", headers=SPANISH).text
    assert "<h1>Señales de emergencia</h1>" in html
    assert "¿Tiene dolor en el pecho, o de repente le cuesta respirar?" in html
    assert "Ninguna de estas" in html and ">No estoy seguro<" in html
    assert "Revisión: paso 1 de 3" in html


def _spanish_client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, headers=SPANISH) as client:
        yield client


@pytest.fixture
def es_client(app: Any) -> Iterator[TestClient]:
    yield from _spanish_client(app)


def _assert_spanish_emergency(main: str, number: str = "999") -> None:
    assert f"Llame al {number} ahora" in main
    assert f'href="tel:{number}">Llamar al {number}</a>' in main
    assert "Emergencia: pida ayuda ahora" in main
    assert "Qué decirle al profesional de la salud" in main
    assert "Por qué" in main and "Fuente:" in main
    assert "Why" not in main and "Source:" not in main


def test_without_javascript_the_whole_screen_is_sent(es_client: TestClient) -> None:
    """No script: the person ticks and presses Continue; the form carries every sign."""
    response = do_check(es_client, signs=signs_form(yes=("chest_pain",), unsure=("both_legs",)))
    main = main_section(response.text)
    _assert_spanish_emergency(main)
    assert "Tengo dolor de espalda con dolor en el pecho o dificultad para respirar." in main


def test_with_javascript_the_first_tick_is_sent_at_once(es_client: TestClient) -> None:
    """check.js sends the screen as soon as a sign is ticked (data-stop-on-tick): the post holds
    that one sign and the token, nothing else."""
    token = csrf_token(es_client.get("/check?new=1").text)
    response = es_client.post("/check", data={"csrf_token": token, "saddle_numbness": "yes"})
    assert response.url.path.startswith("/result/")
    main = main_section(response.text)
    _assert_spanish_emergency(main)
    assert "síndrome de cola de caballo" in main


def test_the_emergency_number_stays_the_setting(tmp_path: Path) -> None:
    app = create_app(db_url=f"sqlite:///{tmp_path / 'diary.db'}", emergency_number="112")
    with TestClient(app, headers=SPANISH) as client:
        main = main_section(do_check(client, signs=signs_form(yes=("chest_pain",))).text)
    app.state.web.diary.close()
    _assert_spanish_emergency(main, "112")


def test_the_home_page_after_an_emergency_in_spanish(es_client: TestClient) -> None:
    do_check(es_client, signs=signs_form(yes=("fainted_or_collapsed",)))
    html = es_client.get("/").text
    assert "Primero, busque atención médica" in html
    assert "desmayo, desplomarse o sentirse de repente muy mal" in html
    assert "Llamar al 999" in html


# ------------------------------------------------------------------------------------------
# The JSON API
# ------------------------------------------------------------------------------------------


def test_the_api_follows_accept_language_and_says_its_language(client: TestClient) -> None:
    answers = {"bladder_or_bowel_loss": True}
    english = client.post("/api/assess", json=answers).json()
    spanish = client.post("/api/assess", json=answers, headers=SPANISH).json()
    assert english["lang"] == "en" and spanish["lang"] == "es"
    assert spanish["headline"] == "Llame al 999 ahora"
    assert spanish["reasons"][0]["text"].startswith("Usted mencionó: pérdida del control")
    for key in ("disposition", "red_flags", "urgency", "unanswered", "supportive"):
        assert spanish[key] == english[key], key
    assert [r["rule"] for r in spanish["reasons"]] == [r["rule"] for r in english["reasons"]]


def test_a_saved_check_says_its_language(client: TestClient) -> None:
    body = {"answers": {"chest_pain": True}}
    saved = client.post("/api/checks", json=body, headers=SPANISH)
    assert saved.status_code == 201
    assert saved.json()["assessment"]["lang"] == "es"
    assert saved.json()["assessment"]["headline"] == "Llame al 999 ahora"


def test_words_not_in_english_via_the_api(client: TestClient) -> None:
    body: dict[str, Any] = {"pain_score": 3, "text": "no puedo orinar desde ayer"}
    refused = client.post("/api/assess", json=body, headers=SPANISH)
    assert refused.status_code == 422
    assert refused.json()["error"] == {
        "field": "text",
        "message": "no está en inglés; responda todas las preguntas sobre señales de alarma",
    }
    answered = client.post(
        "/api/assess", json={**body, **dict.fromkeys(RED_FLAGS, False)}, headers=SPANISH
    )
    assert answered.status_code == 200
    rules = [r["rule"] for r in answered.json()["reasons"]]
    assert "text_not_english" in rules and answered.json()["text_findings"] == []


def test_the_spanish_emergency_result_matches_golden(es_client: TestClient) -> None:
    """The Spanish emergency result, whole: review its diff like the English goldens'."""
    from tests.web.test_golden import GOLDEN, UPDATE, normalise

    signs = signs_form(yes=("saddle_numbness",))
    actual = normalise(main_section(do_check(es_client, signs=signs).text)) + "\n"
    path = GOLDEN / "result_seek_care_es.html"
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_words_not_read_lead_the_result(es_client: TestClient) -> None:
    """Words in another language may hold a warning sign backwalk cannot read: the result says
    so right under its headline, once, not four screens down among the reasons."""
    response = do_check(es_client, more={"text": "tengo las piernas dormidas", "pain_score": "3"})
    html = main_section(response.text)
    notice = html.index("data-words-unread")
    assert html.index('id="result-title"') < notice < html.index("Lo que escribió</h2>")
    assert html.count("no parece estar en inglés") == 1


# ------------------------------------------------------------------------------------------
# Two weeks of walks in Spanish: history, keeping well, the weekly questions and the report
# ------------------------------------------------------------------------------------------


@pytest.fixture
def two_weeks(es_client: TestClient, diary: Any) -> TestClient:
    fill_spanish_diary(diary)
    return es_client


PAGES_WITH_WALKS = ["/", "/history", "/keepwell", "/weekly", "/report?days=14", "/report?days=all"]


@pytest.mark.parametrize("path", PAGES_WITH_WALKS)
def test_no_english_is_left_on_a_page_with_walks(two_weeks: TestClient, path: str) -> None:
    """Every word backwalk puts on these pages is Spanish, the charts' words and their
    screen-reader descriptions too; dates are Spanish ('24 dic'), numbers have a decimal
    comma. The sources in English (in <cite>) may stay English."""
    page = two_weeks.get(path)
    assert page.status_code == 200 and html_lang(page.text) == "es"
    assert english_on_page(page.text) == []


def test_the_history_in_spanish_words_and_numbers(two_weeks: TestClient) -> None:
    page = two_weeks.get("/history").text
    assert re.search(r">\d{1,2} dic \d\d:\d\d</time>", page)  # the tables' dates
    assert ": 3,5 minutos</title>" in page and ": 5,2 minutos</title>" in page  # the bars
    assert "Semanas, por su primer día" in page  # the weekly chart's axis
    assert "Semana desde el " in page and "(hasta ahora)." in page  # and its description
    assert "Caminata anotada: 7 minutos" in page


def test_the_report_in_spanish_words_and_numbers(two_weeks: TestClient) -> None:
    report = two_weeks.get("/report?days=14").text
    assert "(6 terminadas, 1 parada por dolor o por una señal de alarma)" in report
    assert "Episodios nuevos (respondió sí a la pregunta del mes): ninguno." in report
    assert "; 0 días desde que volvió a estar como siempre" in report
    assert "de 3,5 a 6,5 sobre 10" in report  # the activities' average, with a decimal comma


def test_the_calendar_and_the_export_in_spanish(two_weeks: TestClient) -> None:
    calendar = two_weeks.get("/plan.ics").text
    assert "SUMMARY:Caminar 10 minutos" in calendar
    unfolded = calendar.replace("\r\n ", "").replace("\\,", ",")
    assert "DESCRIPTION:Semana 1: 10 minutos, los días lunes, miércoles y viernes." in unfolded
    assert english_in(unfolded.split("DESCRIPTION:", 1)[1]) == []
    csv = two_weeks.get("/api/export?format=csv").text
    assert '"Lun, Mié, Vie"' in csv
    assert "Terminada antes de tiempo (La caminata se interrumpió antes de tiempo.)" in csv
