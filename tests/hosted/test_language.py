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
