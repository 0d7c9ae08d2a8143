"""Topics, whose back, and the writer's own words: the mechanisms that let the reader meet a
sign described in words no rule names, without deciding for the person (contract v3)."""

from __future__ import annotations

import pytest

from backwalk.nlp import extract

TOPICS = [
    # An unusual description of a sign comes back unsure: asked about, never "you reported".
    ("it stings like mad when I spend a penny. Back is a 5.", "urinary_symptoms"),
    ("Q: Pain or burning passing urine, or blood in it? A: some blood", "urinary_symptoms"),
    ("I still inject now and then if I'm honest. Back 6/10", "immunosuppressed_or_injects_drugs"),
    (
        "I've been using again, the needle kind. Back's in spasm, 6",
        "immunosuppressed_or_injects_drugs",
    ),
    ("went a bit wobbly and ended up on the floor. back 5/10", "fainted_or_collapsed"),
    ("I went all funny and next thing I was on the bathroom floor", "fainted_or_collapsed"),
]


@pytest.mark.parametrize(("text", "field"), TOPICS)
def test_a_topic_is_read_as_unsure(text: str, field: str) -> None:
    found = extract(text)
    assert found.readings[field].reading == "unsure"
    assert field not in found.answers  # never reported: only asked about
    assert found.counted()[field] is True  # the cautious path until the person answers


@pytest.mark.parametrize(
    "text",
    [
        "weeing is normal, no burning or blood. Pain 4/10",
        "I inject insulin twice a day, back spasm 4/10",
        "Pins and needles in both feet",
        "lying on the floor helps, pain 3",
    ],
)
def test_a_topic_needs_its_sign(text: str) -> None:
    readings = extract(text).readings
    assert (
        readings.get("urinary_symptoms") is None or readings["urinary_symptoms"].reading != "unsure"
    )
    assert "immunosuppressed_or_injects_drugs" not in extract(text).counted()
    assert "fainted_or_collapsed" not in extract(text).counted()


def test_a_settled_sign_is_not_made_unsure_by_its_topic() -> None:
    found = extract("my wee looks pink and it stings, back 5/10")
    assert found.answers["urinary_symptoms"] is True
    assert found.readings.get("urinary_symptoms") is None


@pytest.mark.parametrize(
    ("text", "field"),
    [
        # The text is about someone else's back, so their signs count, even with "I" in it.
        (
            "My boyfriend's back pain started two weeks ago and I thought it was easing, "
            "but he says his legs feel weak on the stairs.",
            "new_numbness_or_weakness",
        ),
        (
            "My husband is 71 and was diagnosed with osteoporosis last year. He bent down and "
            "felt something go in his mid back.",
            "osteoporosis_or_steroids",
        ),
        # Words that name the writer as the owner stay the writer's after another person.
        (
            "grey and clammy my husband said, with a sudden awful pain in my belly",
            "tearing_or_tummy_pain",
        ),
    ],
)
def test_whose_sign_it_is(text: str, field: str) -> None:
    assert extract(text).answers[field] is True


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("my son has a fever, my back hurts", "fever_or_chills"),
        (
            "My colleague had a car accident and hurt her back, mine is just stiff, 2/10",
            "major_trauma",
        ),
        ("My mum had cancer. My back is in spasm, 5/10", "history_of_cancer"),
    ],
)
def test_other_peoples_signs_stay_theirs_when_the_back_is_the_writers(
    text: str, field: str
) -> None:
    assert field not in extract(text).counted()


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Is this the first time you've had pain like this? Caller: Yes", "first_episode"),
        ("74 and never had one like it", "first_episode"),
        ("never once had back trouble until yesterday", "first_episode"),
        ("29 weeks, second baby. I'm 27.", "pregnant"),
        ("We've a bun in the oven, 20 weeks today!", "pregnant"),
        ("the hard lump over my spine. Pain 4.", "back_lump_or_shape_change"),
        ("M 81, back spasm, 5/10, first time ever", "first_episode"),
        ("today he cannot make pee from morning", "bladder_or_bowel_loss"),
        ("a heavy, squeezing feeling in the middle of my chest", "chest_pain"),
        (
            "sat on the sofa doing nothing and felt something RIP between my shoulder blades",
            "upper_back_pain",
        ),
    ],
)
def test_everyday_words_for_a_sign(text: str, field: str) -> None:
    assert extract(text).answers[field] is True


def test_weeks_alone_are_not_a_pregnancy() -> None:
    assert "pregnant" not in extract("back pain for 20 weeks today, 4/10").answers


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Q: Your age? A: 58", 58),
        ("Nurse: Can I take your age? Caller: 46.", 46),
        ("How old are you? 62", 62),
    ],
)
def test_the_answer_to_an_age_question_is_the_age(text: str, age: int) -> None:
    assert extract(text).answers["age"] == age


def test_a_pain_score_after_an_age_question_is_not_an_age() -> None:
    assert "age" not in extract("Your age? A: 5/10").answers
