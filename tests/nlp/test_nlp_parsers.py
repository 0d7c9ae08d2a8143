"""The focused number parsers and the normaliser, without spaCy."""

from __future__ import annotations

import pytest

from backwalk.nlp.normalise import TypoCorrector, apply_edits, load_normaliser
from backwalk.nlp.onset import load_onset_parser
from backwalk.nlp.pain_score import load_pain_score_parser

PAIN = load_pain_score_parser()
ONSET = load_onset_parser(PAIN.number_words)


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("pain is 6/10", 6),
        ("six out of ten", 6),
        ("about a 6", 6),
        ("pain level 5", 5),
        ("pain 7", 7),
        ("was 8 yesterday, now 5", 5),
        ("it's about 6-7 out of 10", 7),
        ("pain 4.5/10", 5),
        ("11/10, unbearable", 10),
        ("i rated it 7 earlier, now it's more like 4", 4),
        ("5/10 at rest, 8/10 when walking", 8),
        ("ten out of ten.", 10),
        ("pain: 0", 0),
    ],
)
def test_pain_score_found(text: str, score: int) -> None:
    found = PAIN.find(text)
    assert found is not None and found.score == score


@pytest.mark.parametrize(
    "text",
    [
        "fever of 38.5 and shivering",
        "i've lost 6 kg without trying",
        "i had breast cancer three years ago",
        "i'm 40 years old",
        "a 10 minute walk",
        "when i was 8 i broke my arm",
        "date 12/10/2023",
        "pain for 3 days",
        "took 2 paracetamol at 6 am",
    ],
)
def test_no_pain_score_in_quantities(text: str) -> None:
    assert PAIN.find(text) is None


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("dull ache since yesterday", 24),
        ("my back went into spasm 3 days ago", 72),
        ("started two hours ago", 2),
        ("back spasm this morning", 6),
        ("since last night", 12),
        ("it started the day before yesterday", 48),
        ("for the past 2 weeks my back has been sore", 336),
        ("half an hour ago i twisted and felt it go", 0.5),
        ("car accident two days ago, back started spasming this morning", 6),
        ("i've had this spasm for a week", 168),
    ],
)
def test_onset_found(text: str, hours: float) -> None:
    found = ONSET.find(text)
    assert found is not None and found.hours == hours


@pytest.mark.parametrize(
    "text",
    [
        "i had breast cancer three years ago and now i have this new back pain.",
        "my dad fell off a ladder last month. my back is 3/10",
        "i walked for 20 minutes",
        "i stubbed my toe last week, unrelated. back is 3/10",
        "i had a fever last year with covid.",
    ],
)
def test_no_onset_from_other_events(text: str) -> None:
    assert ONSET.find(text) is None


def test_apply_edits_keeps_offsets() -> None:
    text, origin = apply_edits("I cant stand", list(range(12)), [(2, 6, "can't")])
    assert text == "I can't stand"
    assert [origin[i] for i in (0, 2, 6, 8)] == [0, 2, 5, 7]


def test_normaliser_maps_back_to_the_original() -> None:
    normalise = load_normaliser()
    clean = normalise("my bak is killin me n i cant stand")
    start = clean.text.index("can't stand")
    assert clean.original_phrase(start, start + len("can't stand")) == "cant stand"
    assert "back" in clean.text and " and " in clean.text


def test_typo_corrector_leaves_known_words_alone() -> None:
    corrector = TypoCorrector(["weight", "tingling"], known=["height"], min_length=6)
    assert corrector.correct("wieght") == "weight"
    assert corrector.correct("tinglng") == "tingling"
    assert corrector.correct("height") is None
    assert corrector.correct("table") is None


@pytest.mark.parametrize(
    ("typo", "fixed"),
    [
        ("tingeling", "tingling"),
        ("bladdr", "bladder"),
        ("numbnes", "numbness"),
        ("shivres", "shivers"),
        ("wieght", "weight"),
    ],
)
def test_typo_corrector_fixes_one_keystroke(typo: str, fixed: str) -> None:
    corrector = TypoCorrector(["tingling", "bladder", "numbness", "shivers", "weight"], (), 6)
    assert corrector.correct(typo) == fixed


@pytest.mark.parametrize("word", ["never", "dancers", "height", "ladder", "fewer", "wright"])
def test_typo_corrector_never_corrects_a_real_english_word(word: str) -> None:
    # None of these is protected by hand here: symspellpy's English dictionary keeps them.
    corrector = TypoCorrector(["fever", "cancer", "weight", "bladder"], (), 5)
    assert corrector.correct(word) is None


@pytest.mark.nlp
@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("no fever, numb foot", "new_numbness_or_weakness"),
        ("fever no, numbness yes", "new_numbness_or_weakness"),
        ("no numbness, lost 5kg", "unexplained_weight_loss"),
        ("no chills, fell down the stairs", "major_trauma"),
        ("numb foot, bladder and bowels fine", "new_numbness_or_weakness"),
        ("no fever, rear-ended on the freeway", "major_trauma"),
    ],
)
def test_a_denial_stops_at_an_item_of_its_own(text: str, flag: str) -> None:
    from backwalk.nlp import extract

    assert extract(text).counted().get(flag) is True


@pytest.mark.nlp
@pytest.mark.parametrize(
    "text",
    [
        "no fever, chills or sweats",
        "no numbness, tingling or weakness in my legs",
        "no fever, chills, or unexplained weight loss",
        "bladder, bowels fine",
    ],
)
def test_a_denied_list_stays_denied(text: str) -> None:
    from backwalk.nlp import extract

    assert extract(text).answers == {}
