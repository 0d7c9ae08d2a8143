"""Table tests of the keeping-well rules: phases, the recovery offer, weekly steps and caps."""

from __future__ import annotations

import copy
import tomllib
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backwalk import programme as pg
from backwalk.errors import InputError, RulebookError
from backwalk.programme import CheckFact, ProgrammeChoice, WeekFacts
from backwalk.rules import default_rulebook, parse_rulebook

RULE = default_rulebook().programme
T0 = datetime(2027, 1, 4, 9, tzinfo=UTC)  # a Monday


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


PHASES = [
    ("nothing yet", [], [], [], "acute"),
    ("back to normal", [at(1)], [], [], "recovered"),
    ("programme set up", [at(1)], [], [at(2)], "keeping_well"),
    ("programme before recovery does not count", [at(3)], [], [at(2)], "recovered"),
    ("a recurrence opens a new episode", [at(1)], [at(40)], [at(2)], "acute"),
    ("recovered again after it", [at(1), at(60)], [at(40)], [at(2)], "recovered"),
    ("and a new programme", [at(1), at(60)], [at(40)], [at(2), at(61)], "keeping_well"),
]


@pytest.mark.parametrize(("name", "recoveries", "episodes", "programmes", "want"), PHASES)
def test_phase(name: str, recoveries: Any, episodes: Any, programmes: Any, want: str) -> None:
    assert pg.phase(recoveries, episodes, programmes) == want


def checks(*rows: tuple[float, int | None, bool]) -> list[CheckFact]:
    return [CheckFact(at(d), pain, warning) for d, pain, warning in rows]


OFFERS = [
    ("no checks", [], 10, False),
    ("one good check a week ago", [(0, 0, False)], 10, False),
    ("low pain for 7 days", [(0, 1, False), (7, 0, False)], 7, True),
    ("low pain for 6 days", [(0, 1, False), (6, 0, False)], 6, False),
    ("pain 2 breaks the streak", [(0, 1, False), (3, 2, False), (7, 0, False)], 8, False),
    ("a warning sign breaks it", [(0, 0, False), (3, 0, True), (7, 0, False)], 9, False),
    (
        "an older high pain is before the streak",
        [(0, 6, False), (1, 1, False), (8, 0, False)],
        8,
        True,
    ),
    ("no pain score breaks it", [(0, 1, False), (4, None, False), (8, 0, False)], 8, False),
]


@pytest.mark.parametrize(("name", "rows", "now", "want"), OFFERS)
def test_recovery_offer(name: str, rows: Any, now: float, want: bool) -> None:
    assert pg.recovery_offered(checks(*rows), at(now), RULE) is want


OUTCOMES = [
    ("walked the plan", 30, 30, False, "good"),
    ("walked 80 percent", 50, 40, False, "good"),
    ("walked less", 50, 39, False, "short"),
    ("walked nothing", 30, 0, False, "short"),
    ("walked more", 30, 90, False, "good"),
    ("a setback whatever was walked", 30, 90, True, "setback"),
]


@pytest.mark.parametrize(("name", "planned", "walked", "setback", "want"), OUTCOMES)
def test_week_outcome(name: str, planned: int, walked: int, setback: bool, want: str) -> None:
    assert pg.week_outcome(planned, walked, setback, RULE) == want


STEPS = [
    # minutes, days, outcome, good weeks in a row before -> minutes, good in a row, change
    ("first good week waits", 10, 3, "good", 0, (10, 1, "hold")),
    ("second good week steps up", 10, 3, "good", 1, (15, 0, "up")),
    ("short week holds and restarts the count", 10, 3, "short", 1, (10, 0, "hold")),
    ("setback steps back", 15, 3, "setback", 1, (10, 0, "back")),
    ("setback never below the start minimum", 5, 3, "setback", 0, (5, 0, "back")),
    ("step capped at the target", 28, 3, "good", 1, (30, 0, "up")),
    ("at the target it holds", 30, 5, "good", 1, (30, 2, "hold")),
    (
        "weekly increase capped (5 days: 30/5 = 6 a walk, step 5 fits)",
        10,
        5,
        "good",
        1,
        (15, 0, "up"),
    ),
]


@pytest.mark.parametrize(("name", "minutes", "days", "outcome", "good", "want"), STEPS)
def test_after_week(
    name: str, minutes: int, days: int, outcome: str, good: int, want: tuple[int, int, str]
) -> None:
    assert pg.after_week(minutes, days, outcome, good, RULE) == want


def test_the_weekly_cap_limits_a_step() -> None:
    tight = RULE._replace(max_weekly_increase_minutes=15, step_minutes=5)
    assert pg.step_up(10, 5, tight) == 13  # 15 more a week over 5 days is 3 a walk
    assert pg.step_up(10, 3, tight) == 15


START = date(2027, 1, 4)


def state(facts: dict[int, WeekFacts], today: date, minutes: int = 10, days: int = 3) -> Any:
    choice = ProgrammeChoice(START, ("mon", "wed", "fri", "sat", "sun")[:days], minutes)
    return pg.programme_state(START, choice, facts, today, RULE)


def test_programme_week_one() -> None:
    s = state({1: WeekFacts(walked=10)}, START + timedelta(days=2))
    assert (s.week, s.minutes_per_walk, s.target_minutes_per_week) == (1, 10, 30)
    assert s.walked_minutes_this_week == 10
    assert s.next_step_on == START + timedelta(days=14)  # weeks 1 and 2 go well: week 3


def test_two_good_weeks_step_up_then_a_setback_steps_back() -> None:
    facts = {1: WeekFacts(30), 2: WeekFacts(30), 3: WeekFacts(45, setback=True)}
    s = state(facts, START + timedelta(days=21))
    assert [w.change for w in s.weeks] == ["hold", "up", "back"]
    assert s.minutes_per_walk == 10 and s.week == 4
    assert s.next_step_on == START + timedelta(days=35)


def test_six_good_months_reach_the_target_and_stop_there() -> None:
    facts = {n: WeekFacts(150) for n in range(1, 27)}
    s = state(facts, START + timedelta(weeks=26), minutes=5, days=5)
    assert s.minutes_per_walk == RULE.target_minutes
    assert s.target_minutes_per_week == RULE.target_minutes * RULE.target_days
    assert s.next_step_on is None
    assert max(w.planned for w in s.weeks) <= 150


def test_a_change_holds_from_its_own_week() -> None:
    choice = ProgrammeChoice(START + timedelta(days=15), ("mon", "wed", "fri", "sat"), 20)
    facts = {n: WeekFacts(80) for n in range(1, 6)}
    s = pg.programme_state(START, choice, facts, START + timedelta(days=29), RULE)
    assert [w.week for w in s.weeks] == [3, 4]
    assert s.minutes_per_walk == 25 and s.days == ("mon", "wed", "fri", "sat")


def week(outcome: str, change: str, minutes: int, after: int, by: str | None = None) -> Any:
    return pg.WeekRecord(1, START, 30, 24, outcome, change, minutes, after, by)


REASONS = [
    # how the week ended -> the id of the rulebook's sentence saying why
    ("one good week: hold, one more to go", week("good", "hold", 10, 10), "good_week"),
    ("two good weeks: a step up", week("good", "up", 10, 15), "stepped_up"),
    ("good at the target", week("good", "hold", 30, 30), "at_target"),
    ("a short week holds", week("short", "hold", 10, 10), "short_week"),
    ("a stopped walk steps back", week("setback", "back", 15, 10, "walk"), "setback_walk"),
    ("a check said rest", week("setback", "back", 15, 10, "check"), "setback_check"),
    ("already the shortest", week("setback", "back", 5, 5, "walk"), "setback_shortest"),
]


@pytest.mark.parametrize(("name", "record", "want"), REASONS)
def test_change_reason(name: str, record: Any, want: str) -> None:
    assert pg.change_reason(record, RULE) == want


def test_every_reason_has_words_and_a_source() -> None:
    rb = default_rulebook()
    for change in rb.programme_changes:
        assert change.source in rb.sources
        assert change.change in ("up", "hold", "back")


def test_a_programme_remembers_how_each_week_ended() -> None:
    facts = {1: WeekFacts(30), 2: WeekFacts(30), 3: WeekFacts(45, True, pg.BY_WALK)}
    s = state(facts, START + timedelta(days=21))
    assert [(w.minutes, w.minutes_after) for w in s.weeks] == [(10, 10), (10, 15), (15, 10)]
    assert s.last_week is not None and s.last_week.setback_by == "walk"
    assert pg.change_reason(s.last_week, RULE) == "setback_walk"
    assert state({}, START).last_week is None  # week 1: nothing to explain yet


RESUMES = [
    # minutes a walk when a new episode paused the plan -> where it picks up
    ("one step back", 20, RULE, 15),
    ("never below the shortest walk", 5, RULE, 5),
    ("from the target", 30, RULE, 25),
    ("a rulebook that holds", 20, RULE._replace(resume_steps_back=0), 20),
    ("two steps back, floored", 10, RULE._replace(resume_steps_back=2), 5),
]


@pytest.mark.parametrize(("name", "minutes", "rule", "want"), RESUMES)
def test_resume_minutes(name: str, minutes: int, rule: Any, want: int) -> None:
    assert pg.resume_minutes(minutes, rule) == want
    assert pg.resume_minutes(minutes, rule) <= minutes  # never higher than before


def test_recurrence_check_every_30_days() -> None:
    assert pg.next_recurrence_check(T0, RULE) == at(30)
    assert not pg.recurrence_due(T0, at(29), RULE)
    assert pg.recurrence_due(T0, at(30), RULE)
    # due from the start of its day, not from the minute of the last answer (new-user trial)
    assert pg.recurrence_due(T0, at(30) - timedelta(hours=8), RULE)
    assert not pg.recurrence_due(None, at(300), RULE)


CHOICES = [
    ("too few days", "mon,wed", 10, None, "days: pick 3 to 5 days"),
    ("too many days", "mon,tue,wed,thu,fri,sat", 10, None, "days: pick 3 to 5 days"),
    ("not a day", "mon,wed,fry", 10, None, "days: 'fry' is not a weekday"),
    ("a day twice", ["mon", "mon", "wed"], 10, None, "days: name each day once"),
    ("too short", "mon,wed,fri", 2, None, "minutes_per_walk: must be between 5 and 20"),
    ("too long a start", "mon,wed,fri", 25, None, "minutes_per_walk: must be between 5 and 20"),
    ("not a number", "mon,wed,fri", "10", None, "minutes_per_walk: must be a whole number"),
    ("a jump too big", "mon,tue,wed,thu,fri", 15, 10, "more than 60 minutes a week"),
]


@pytest.mark.parametrize(("name", "days", "minutes", "current", "message"), CHOICES)
def test_bad_choices_are_refused(
    name: str, days: Any, minutes: Any, current: int | None, message: str
) -> None:
    now = state({}, START, minutes=current) if current else None
    with pytest.raises(InputError, match=message):
        pg.check_choice(days, minutes, now, RULE)


def test_good_choices_come_back_in_week_order() -> None:
    assert pg.check_choice(["fri", "mon", "wed"], 10, None, RULE) == (("mon", "wed", "fri"), 10)
    current = state({}, START, minutes=10)
    assert pg.check_choice("mon,wed,fri,sat", 15, current, RULE)[1] == 15


SUGGESTED = [([], 5), ([3.0], 5), ([12.0, 9.0, 14.0], 10), ([30.0, 30.0], 20), ([17.9], 15)]


@pytest.mark.parametrize(("walks", "want"), SUGGESTED)
def test_suggested_start(walks: list[float], want: int) -> None:
    assert pg.suggested_start(walks, RULE) == want


def test_education_card_each_week_comes_round_again() -> None:
    rb = default_rulebook()
    n = len(rb.education)
    assert 6 <= n <= 12
    assert rb.card_for_week(1).week == 1 and rb.card_for_week(n + 1).week == 1
    assert all(len(card.text) < 400 and card.source in rb.sources for card in rb.education)


def raw() -> dict[str, Any]:
    text = resources.files("backwalk.rulebook").joinpath("rulebook.toml").read_text("utf-8")
    return tomllib.loads(text)


BROKEN = [
    (["programme", "days_mx"], 5, "unknown key 'days_mx'"),
    (["programme", "days_min"], 0, "need 1 <= days_min"),
    (["programme", "start_minutes_max"], 45, "start_minutes_max <= target_minutes"),
    (["programme", "steps_source"], "walkback", "unknown source 'walkback'"),
    (["education", 0, "week"], 12, "the cards' weeks must be 1, 2"),
    (["education", 0, "colour"], "red", "unknown key 'colour'"),
    (["phases", 0, "id"], "poorly", "phases: expected exactly"),
    (["keepwell", "walk_logged"], "{minutez}", "unknown placeholder '{minutez}'"),
    (["programme_changes", 0, "id"], "went_ok", "programme_changes: expected exactly"),
    (["programme_changes", 0, "change"], "sideways", "unknown change 'sideways'"),
    (["programme_changes", 1, "text"], "{stepp}", "unknown placeholder '{stepp}'"),
    (["programme", "resume_steps_back"], -1, "resume_steps_back must be 0"),
]


@pytest.mark.parametrize(("path", "value", "message"), BROKEN, ids=[m for *_, m in BROKEN])
def test_programme_rulebook_mistakes_fail_clearly(
    path: list[Any], value: Any, message: str
) -> None:
    data = copy.deepcopy(raw())
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(RulebookError, match=message.replace("{", r"\{").replace("}", r"\}")):
        parse_rulebook(data)


week_facts = st.builds(
    WeekFacts,
    walked=st.integers(0, 300),
    setback=st.booleans(),
    setback_by=st.sampled_from([pg.BY_WALK, pg.BY_CHECK]),
)


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(RULE.start_minutes_min, RULE.start_minutes_max),
    days=st.integers(RULE.days_min, RULE.days_max),
    weeks=st.lists(week_facts, min_size=1, max_size=30),
)
def test_any_weeks_stay_inside_the_caps_and_explain_themselves(
    start: int, days: int, weeks: list[WeekFacts]
) -> None:
    """Whatever the weeks bring: walks between the shortest and the target, no week's plan more
    than the weekly increase above the last, a resumed plan never higher than before, and every
    week's explanation a sentence of the rulebook that fills in."""
    rb = default_rulebook()
    facts = dict(enumerate(weeks, start=1))
    s = state(facts, START + timedelta(weeks=len(weeks)), minutes=start, days=days)
    for w in s.weeks:
        assert RULE.start_minutes_min <= w.minutes_after <= RULE.target_minutes
        assert days * (w.minutes_after - w.minutes) <= RULE.max_weekly_increase_minutes
        words = rb.programme_change(pg.change_reason(w, RULE))
        text = words.text.format(
            walked=w.walked, planned=w.planned, minutes=w.minutes_after, step=1, days="Mon"
        )
        assert "{" not in text
    assert pg.resume_minutes(s.minutes_per_walk, RULE) <= s.minutes_per_walk
