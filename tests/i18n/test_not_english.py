"""Free text that is not English: backwalk's reader reads English only, so such words are never
read or guessed from; the answer says so, in the person's language, and every warning-sign
question must have been answered instead."""

from __future__ import annotations

from typing import Any

import pytest

from backwalk import InputError, assess, i18n
from backwalk.engine import read_words
from backwalk.nlp.language import looks_english
from backwalk.rules import packaged_rulebook
from tests.conftest import load_cases

ENGLISH_CASES = [
    c["text"]
    for name in ("freetext_dev.jsonl", "freetext_v2_dev.jsonl", "freetext_v3_dev.jsonl")
    for c in load_cases(name)
]
SECOND_LANGUAGE = [
    c["text"] for c in load_cases("freetext_v3_dev.jsonl") if c["style"].startswith("second")
]
NOT_ENGLISH = [
    "Me duele mucho la espalda desde ayer",
    "Tengo dolor de espalda y no puedo orinar desde esta mañana",
    "No siento las piernas y tengo hormigueo entre las piernas",
    "dolor de espalda",
    "no puedo orinar",
    "me caí de la escalera y me duele la espalda",
    "Tengo 45 años, dolor de espalda baja desde hace dos días, 6 de 10",
    "Mi esposo no puede orinar y tiene las dos piernas débiles",
    "Siento un dolor muy fuerte en el pecho y me cuesta respirar",
    "Estoy embarazada de 20 semanas y me duele la espalda",
    "¿Puedo caminar con este dolor?",
    "espalda bloqueada, dolor 7",
    "Estou com dor nas costas desde ontem e não consigo andar",
    "J'ai mal au dos depuis hier soir",
    "Ich habe seit gestern starke Rückenschmerzen",
]
SIGNS = [f.id for f in packaged_rulebook().red_flags]
ALL_NO = dict.fromkeys(SIGNS, False)


def test_every_english_case_reads_as_english() -> None:
    """Every contract case is English, however it is written; 17 are English from people whose
    first language is Spanish, Polish, Urdu, Mandarin, Arabic or Portuguese."""
    assert len(SECOND_LANGUAGE) == 17
    assert [t for t in ENGLISH_CASES if not looks_english(t)] == []


@pytest.mark.parametrize("text", NOT_ENGLISH)
def test_other_languages_are_not_read_as_english(text: str) -> None:
    assert not looks_english(text)


@pytest.mark.parametrize("text", ["6/10", "ouch", "spasm", "", "back pain, 4"])
def test_too_little_to_tell_is_english(text: str) -> None:
    assert looks_english(text)


def test_words_not_read_are_never_guessed_from() -> None:
    """'Cannot pee' in Spanish: the reader could not read it, so the questions' answers decide,
    and the answer says the words were not used."""
    result = assess({**ALL_NO, "pain_score": 3, "text": "no puedo orinar desde ayer"})
    assert result["text_findings"] == [] and result["confirm"] == []
    assert result["disposition"] == "walk_gently"
    note = next(r for r in result["reasons"] if r["rule"] == "text_not_english")
    assert note["text"].startswith("What you wrote does not look like English")
    assert read_words({}, "no puedo orinar desde ayer")["text_findings"] == []


def test_the_note_is_in_the_active_language() -> None:
    with i18n.using("es"):
        result = assess({**ALL_NO, "pain_score": 3, "text": "me duele la espalda"})
    note = next(r for r in result["reasons"] if r["rule"] == "text_not_english")
    assert note["text"].startswith("Lo que escribió no parece estar en inglés")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_unread_words_need_every_warning_sign_answered(lang: str) -> None:
    answers: dict[str, Any] = {**ALL_NO, "pain_score": 3, "text": "no puedo orinar"}
    del answers["bladder_or_bowel_loss"]
    with i18n.using(lang), pytest.raises(InputError) as err:
        assess(answers)
    assert err.value.field == "text"
    expected = "is not in English" if lang == "en" else "no está en inglés"
    assert expected in err.value.message


def test_a_warning_sign_answered_yes_needs_no_more_answers() -> None:
    """Someone already sent to get care is not held back by the questions left: unread words
    demand the checklists only while no warning sign is answered yes."""
    result = assess({"chest_pain": True, "pain_score": 2, "text": "me duele mucho el pecho"})
    assert result["disposition"] == "seek_care_now" and "chest_pain" in result["red_flags"]


@pytest.mark.parametrize("noise", ["Ç0ß", "ß ç", "é à"])
def test_lone_letters_are_not_another_language(noise: str) -> None:
    assert looks_english(noise)


def test_not_sure_counts_as_answered() -> None:
    answers: dict[str, Any] = {**ALL_NO, "pain_score": 3, "text": "no puedo orinar"}
    del answers["bladder_or_bowel_loss"]
    result = assess(answers, unsure=["bladder_or_bowel_loss"])
    assert result["disposition"] == "seek_care_now"


def test_english_from_a_second_language_is_still_read() -> None:
    result = assess({"text": SECOND_LANGUAGE[0]})
    assert result["text_findings"] and not any(
        r["rule"] == "text_not_english" for r in result["reasons"]
    )
