"""Plain words: every text a person reads stays within its reading-age target (issue 21), in
English and in Spanish.

The targets and their sources are data (backwalk/plainwords/targets.toml): a reading age of
9 to 11 (the NHS content guide), so Flesch-Kincaid grade 6 or below for everyday texts and whole
pages, grade 5 or below for the safety texts; in Spanish, Fernandez Huerta 70 or more and 80 or
more. Each test is named by the text it holds, so a failure says which text to make plainer.
docs/plain-words.md is the same table, kept up to date.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from backwalk.plainwords import measure
from backwalk.plainwords.pages import FOR_DEVELOPERS, PAGES
from backwalk.plainwords.report import all_texts, plain_words_markdown
from backwalk.plainwords.terminal import RUNS
from backwalk.plainwords.texts import Text, rulebook_texts
from backwalk.rules import default_rulebook
from tests.conftest import REPO

RULEBOOK = [t for t in rulebook_texts(default_rulebook()) if measure.long_enough(t.text)]
RULEBOOK_ES = [
    t for t in rulebook_texts(default_rulebook(), "es") if measure.long_enough(t.text, "es")
]
PO_ES = "backwalk/locale/es/LC_MESSAGES/messages.po"
WHOLE = [f"page: {name}" for name in PAGES if name not in FOR_DEVELOPERS] + list(RUNS)


def explain(text: Text, reading: measure.Reading) -> str:
    body = textwrap.fill(text.text, 100)
    where = f" (its msgstr in {PO_ES})" if text.lang == "es" else ""
    over = "over" if reading.easier == "lower" else "under"
    return (
        f"{text.id}{where} reads at {reading.measure} {reading.score}, {over} its {text.level} "
        f"target {reading.target:g}: use plainer words and shorter sentences.\n{body}"
    )


@pytest.fixture(scope="module")
def texts() -> dict[str, Text]:
    """Every page, run and rulebook text, rendered once for the module."""
    return {t.id: t for t in all_texts()}


@pytest.fixture(scope="module")
def spanish() -> dict[str, Text]:
    """The same, in Spanish."""
    return {t.id: t for t in all_texts("es")}


@pytest.mark.parametrize("text", RULEBOOK, ids=[t.id for t in RULEBOOK])
def test_rulebook_text_is_within_its_target(text: Text) -> None:
    reading = measure.read(text.text, text.level)
    assert reading.passes, explain(text, reading)


@pytest.mark.parametrize("name", WHOLE)
def test_page_or_output_as_a_whole_is_within_its_target(texts: dict[str, Text], name: str) -> None:
    text = texts[name]
    reading = measure.read(text.text, text.level)
    assert reading.words > 0, f"{name}: no text found"
    assert reading.passes, explain(text, reading)


@pytest.mark.parametrize("text", RULEBOOK_ES, ids=[t.id for t in RULEBOOK_ES])
def test_spanish_rulebook_text_is_within_its_target(text: Text) -> None:
    reading = measure.read(text.text, text.level, "es")
    assert reading.passes, explain(text, reading)


@pytest.mark.parametrize("name", WHOLE)
def test_spanish_page_or_output_as_a_whole_is_within_its_target(
    spanish: dict[str, Text], name: str
) -> None:
    text = spanish[name]
    reading = measure.read(text.text, text.level, "es")
    assert reading.words > 0, f"{name}: no text found"
    assert reading.passes, explain(text, reading)


def test_spanish_texts_are_the_english_ones_translated_at_the_same_level() -> None:
    """Each Spanish rulebook text has its English text's id and level, and is Spanish."""
    english = rulebook_texts(default_rulebook())
    spanish = rulebook_texts(default_rulebook(), "es")
    assert [(t.id, t.level) for t in spanish] == [(t.id, t.level) for t in english]
    assert {t.lang for t in spanish} == {"es"}
    by_id = {t.id: t.text for t in spanish}
    assert by_id["questions.saddle_numbness.prompt"].startswith("¿Siente adormecimiento")
    assert "esta señal" in by_id["standings.seek_care.text"]  # a typical value, in Spanish


def test_spanish_pages_and_runs_are_rendered_in_spanish(
    texts: dict[str, Text], spanish: dict[str, Text]
) -> None:
    assert "Llame" in spanish["page: result: emergency"].text
    assert "Llame" in spanish["backwalk check: emergency"].text
    assert "Fuente" not in spanish["backwalk learn"].text  # citations are left out, as in English
    same = [name for name in WHOLE if spanish[name].text == texts[name].text]
    assert same == []


def test_safety_texts_are_the_warning_signs_and_the_urgent_advice() -> None:
    levels = {t.id: t.level for t in rulebook_texts(default_rulebook())}
    for safety in (
        "questions.saddle_numbness.prompt",
        "questions.bladder_or_bowel_loss.help",
        "red_flags.both_legs.why",
        "combinations.cord_compression.why",
        "urgencies.emergency.action",
        "urgencies.same_day.action",
        "safety_net.text",
        "safety_net.while_waiting",
    ):
        assert levels[safety] == "safety", safety
    for everyday in (
        "questions.pain_score.help",
        "learn.pain_relief.text",
        "urgencies.gp_soon.action",
    ):
        assert levels[everyday] == "everyday", everyday


def test_the_targets_follow_the_reading_age() -> None:
    assert (measure.target("everyday"), measure.target("safety")) == (6, 5)
    assert (measure.target("everyday", "es"), measure.target("safety", "es")) == (70, 80)
    t = measure.targets()
    assert (t.reading_age_low, t.reading_age_high) == (9, 11)
    assert "reading age of 9 to 11" in t.sources[t.reading_age_source]


def test_an_unknown_language_or_level_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no reading measure for language 'fr'"):
        measure.read("Une phrase.", lang="fr")
    with pytest.raises(ValueError, match="unknown level 'urgent'"):
        measure.target("urgent")


SPANISH_EASY = "Pare si le duele más. Siéntese o túmbese. Llame al 112 si no puede orinar."
SPANISH_HARD = (
    "La sintomatología neurológica progresiva asociada a la disfunción esfinteriana constituye "
    "una indicación de valoración hospitalaria inmediata, independientemente de la intensidad "
    "del dolor lumbar experimentada por el paciente."
)


def test_spanish_is_measured_with_fernandez_huerta() -> None:
    easy = measure.read(SPANISH_EASY, "safety", "es")
    hard = measure.read(SPANISH_HARD, "everyday", "es")
    assert easy.measure == "Fernandez Huerta" and easy.easier == "higher"
    assert easy.score >= 80 and easy.passes  # short words, short sentences: "fácil"
    assert hard.score < 40 and not hard.passes  # a clinician's sentence: "difícil"


def test_english_grades_order_plain_and_clinical_words() -> None:
    plain = measure.read("Stop. Sit down. Call 999 if you cannot pee.", "safety")
    clinical = measure.read(
        "Urinary retention with perineal anaesthesia suggests cauda equina compression "
        "necessitating emergency neurosurgical evaluation.",
        "safety",
    )
    assert plain.passes and not clinical.passes
    assert plain.score < clinical.score


def test_the_measures_work_with_no_network() -> None:
    """textstat and its word list must not reach out: a later release would, and fail here."""
    code = textwrap.dedent(
        """
        import socket
        def refuse(*args, **kwargs):
            raise OSError("no network in this test")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from backwalk.plainwords import measure
        print(measure.score("Walk slowly on flat ground. Stop if it hurts more."))
        print(measure.score("Camine despacio. Pare si le duele más.", "es"))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert proc.returncode == 0, proc.stderr
    grade, ease = (float(line) for line in proc.stdout.split())
    assert grade < 5 and ease > 80


def test_docs_plain_words_is_up_to_date(texts: dict[str, Text], spanish: dict[str, Text]) -> None:
    expected = plain_words_markdown([*texts.values(), *spanish.values()])
    assert (REPO / "docs" / "plain-words.md").read_text("utf-8") == expected, "run `make docs`"
