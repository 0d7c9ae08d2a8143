"""The languages backwalk speaks: choosing one, the catalogue, and the rulebook in Spanish."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from backwalk import assess, i18n
from backwalk.i18n.catalogue import translations
from backwalk.i18n.negotiate import choose, negotiate, preferred
from backwalk.i18n.rulebook import in_language, is_text_field, texts
from backwalk.rules import packaged_rulebook


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "en"),
        ("", "en"),
        ("es", "es"),
        ("es-MX", "es"),
        ("es_AR", "es"),
        ("ES-es", "es"),
        ("en-GB,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,es;q=0.8,en;q=0.7", "es"),  # the first language backwalk speaks
        ("en;q=0.5,es;q=0.9", "es"),  # weights, not order, decide
        ("es;q=0,en", "en"),  # q=0 means "not this one"
        ("fr, de", "en"),  # none spoken: English
        ("*", "en"),
        ("es;q=abc, en;q=0.1", "en"),  # a malformed weight drops that range
        ("es;q=2", "en"),  # out of range too
        (";;;,,,", "en"),
        ("x" * 10_000, "en"),
    ],
)
def test_accept_language_negotiation(header: str | None, lang: str) -> None:
    assert negotiate(header) == lang


def test_preferred_keeps_the_header_order_for_equal_weights() -> None:
    assert preferred("fr, es;q=0.9, de, en;q=0.9") == ["fr", "de", "es", "en"]


@pytest.mark.parametrize(
    ("cookie", "header", "lang"),
    [
        ("es", "en", "es"),  # the switch wins over the browser
        ("en", "es", "en"),
        ("fr", "es", "es"),  # a cookie naming no language of ours is ignored
        ("", "es", "es"),
        (None, None, "en"),
    ],
)
def test_the_cookie_overrides_accept_language(cookie: str | None, header: str | None, lang: str):
    assert choose(cookie, header) == lang


@pytest.mark.parametrize(
    ("tag", "lang"),
    [("es", "es"), ("es_ES.UTF-8", "es"), ("EN-us", "en"), ("fr", None), ("", None), (None, None)],
)
def test_supported(tag: str | None, lang: str | None) -> None:
    assert i18n.supported(tag) == lang


def test_the_active_language_is_restored_after_a_block() -> None:
    assert i18n.active() == "en"
    with i18n.using("es"):
        assert i18n.active() == "es"
        assert i18n.gettext("Why") == "Por qué"
    assert i18n.active() == "en"
    assert i18n.gettext("Why") == "Why"
    with pytest.raises(ValueError):
        i18n.activate("fr")


def test_the_spanish_catalogue_compiles_and_translates() -> None:
    es = translations("es")
    assert es.gettext("Call {number} now") == "Llame al {number} ahora"
    assert es.ngettext("Source", "Sources", 1) == "Fuente"
    assert es.ngettext("Source", "Sources", 2) == "Fuentes"
    assert es.gettext("no such text") == "no such text"  # untranslated: the English


# ------------------------------------------------------------------------------------------
# The rulebook in Spanish: same rules and ids, translated words
# ------------------------------------------------------------------------------------------


def test_every_string_field_is_a_text_or_an_identifier() -> None:
    """A new field that names things (an id, a reference) must be declared in IDENTIFIERS,
    or its values would be sent to translators and translated."""
    looks_like_an_id = [
        (where, text)
        for where, text in texts(packaged_rulebook())
        if text.isascii() and text.replace("_", "").isalnum() and text.islower() and "_" in text
    ]
    assert looks_like_an_id == []
    assert not is_text_field("id") and not is_text_field("caution_source")
    assert is_text_field("why") and is_text_field("steps")


def test_the_spanish_rulebook_keeps_every_id_and_number() -> None:
    en = packaged_rulebook()
    es = in_language(en, "es")
    assert es.lang == "es" and en.lang == "en"
    assert [q.id for q in es.questions] == [q.id for q in en.questions]
    assert [(f.id, f.urgency) for f in es.red_flags] == [(f.id, f.urgency) for f in en.red_flags]
    assert es.progression == en.progression._replace(text=es.progression.text)
    assert set(es.question_by_id) == set(en.question_by_id)
    assert es.question_by_id["chest_pain"].label == "dolor en el pecho o dificultad para respirar"
    assert in_language(en, "en") is en
    assert in_language(en, "es") is es  # translated once per process


def test_english_answers_say_their_language() -> None:
    result = assess({"pain_score": 3})
    assert result["lang"] == "en"


def test_spanish_answers_have_the_same_ids_and_spanish_words() -> None:
    answers = {"chest_pain": True, "saddle_numbness": True}
    english = assess(answers, unsure=["both_legs"])
    with i18n.using("es"):
        spanish = assess(answers, unsure=["both_legs"])
    assert spanish["lang"] == "es"
    ids = ("disposition", "red_flags", "urgency", "see_gp_soon", "supportive", "unanswered")
    assert {k: spanish[k] for k in ids} == {k: english[k] for k in ids}
    assert [r["rule"] for r in spanish["reasons"]] == [r["rule"] for r in english["reasons"]]
    assert [r["source_id"] for r in spanish["reasons"]] == [
        r["source_id"] for r in english["reasons"]
    ]
    assert spanish["headline"] == "Llame al 999 ahora"
    assert spanish["reasons"][0]["text"].startswith("Usted mencionó: adormecimiento")


def test_an_english_run_never_imports_babel() -> None:
    """English is the source language: it needs no catalogue, so `backwalk assess` does not
    pay for Babel (the light-import rule of the CLI's start)."""
    code = (
        "import sys, io, json; sys.stdin = io.StringIO('{\"pain_score\": 3}');"
        "from backwalk.cli.main import main; main(['assess']);"
        "print(json.dumps('babel' in sys.modules), file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stderr.strip().splitlines()[-1]) is False


@pytest.mark.parametrize(
    ("value", "english", "spanish"),
    [
        (5.2, "5.2", "5,2"),
        (5.0, "5", "5"),
        (3.25, "3.2", "3,2"),
        (0.04, "0", "0"),
        (1234.5, "1234.5", "1234,5"),
    ],
)
def test_a_number_for_people_has_the_language_decimal_sign(
    value: float, english: str, spanish: str
) -> None:
    """One decimal at most, the same digits in each language; no grouping (minutes, scores)."""
    from backwalk.i18n.numbers import one_decimal

    assert one_decimal(value) == english
    with i18n.using("es"):
        assert one_decimal(value) == spanish


def test_a_number_as_it_is_has_the_language_decimal_sign() -> None:
    from backwalk.i18n.numbers import number

    assert [number(v) for v in (2.5, 4, 0.25)] == ["2.5", "4", "0.25"]
    with i18n.using("es"):
        assert [number(v) for v in (2.5, 4, 0.25)] == ["2,5", "4", "0,25"]


def test_a_table_date_follows_the_language() -> None:
    """'7 Dec 12:15' in English whatever the machine's locale; '7 dic 12:15' in Spanish."""
    from datetime import datetime

    from backwalk.i18n.dates import day_month, day_month_time

    moment = datetime(2026, 12, 7, 12, 15).astimezone()
    assert day_month_time(moment) == "7 Dec 12:15"
    assert day_month_time(moment, day_only=True) == "7 Dec"
    with i18n.using("es"):
        assert day_month_time(moment) == "7 dic 12:15"
        assert day_month(moment.date(), year=True) == "7 dic 2026"
