"""Hosted mode speaks the person's language too: the same switch, Accept-Language and `lang`."""

from __future__ import annotations

import re

import pytest

from tests.hosted.conftest import save_check, sign_up

pytestmark = pytest.mark.postgres
SPANISH = {"accept-language": "es"}


def test_a_signed_in_person_sees_spanish_pages_and_answers(make_client) -> None:
    client = make_client()
    sign_up(client, "ana")
    client.get("/language/es?next=/")
    home = client.get("/")
    assert '<html lang="es">' in home.text and ">Cuenta</a>" in home.text
    assert "Empiece con una revisión" in home.text
    saved = save_check(client, {"chest_pain": True})
    assert saved["assessment"]["lang"] == "es"
    result = client.get(f"/result/{saved['check']['id']}").text
    assert "Llame al 999 ahora" in result and re.search(r"Llamar al 999</a>", result)


def test_the_api_follows_accept_language(make_client) -> None:
    client = make_client()
    answer = client.post("/api/assess", json={"saddle_numbness": True}, headers=SPANISH)
    assert answer.json()["lang"] == "es" and answer.json()["headline"] == "Llame al 999 ahora"
    assert client.post("/api/assess", json={"saddle_numbness": True}).json()["lang"] == "en"


def test_the_hosted_pages_in_spanish_hold_no_english(make_client, app_url, clock) -> None:
    """A person's pages with walks in the diary (account, sharing, history, the report) and the
    clinician's (their people, a person's diary and report): every word backwalk puts there is
    Spanish, with Spanish dates and numbers."""
    from tests.hosted.conftest import log_in, make_clinician, walk_once
    from tests.i18n.english import english_on_page

    ana = make_client()
    sign_up(ana, "ana")
    ana.get("/language/es?next=/")
    save_check(ana, {"pain_score": 4})
    walk_once(ana)
    save_check(ana, {"night_pain": True})
    code = ana.post("/api/shares", json={}).json()["code"]
    make_clinician(app_url, clock)
    lee = make_client()
    log_in(lee, "drlee")
    lee.get("/language/es?next=/")
    assert lee.post("/api/clinician/shares", json={"code": code}).status_code == 200
    person = lee.get("/api/clinician/people").json()[0]["person_id"]
    pages = {
        **{path: ana.get(path) for path in ("/", "/account", "/sharing", "/history", "/report")},
        **{
            path: lee.get(path)
            for path in (
                "/clinician",
                f"/clinician/people/{person}",
                f"/clinician/people/{person}/report",
                "/account",
            )
        },
    }
    for path, page in pages.items():
        assert page.status_code == 200 and '<html lang="es">' in page.text, path
        assert english_on_page(page.text) == [], path
    signed_out = make_client()
    signed_out.get("/language/es?next=/")
    for path in ("/login", "/signup"):
        assert english_on_page(signed_out.get(path).text) == [], path
