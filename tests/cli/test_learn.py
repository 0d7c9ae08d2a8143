"""`backwalk learn`: every word from the rulebook, every topic reachable."""

from __future__ import annotations

import pytest

from backwalk.cli.learn import topics
from backwalk.rules import default_rulebook
from tests.cli.conftest import run_env

RB = default_rulebook()


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_learn_shows_everything_with_sources(run_cli):
    result = run_cli("learn")
    assert result.code == 0
    out = one_line(result.stdout)
    for entry in RB.learn:
        assert entry.title in out and one_line(entry.text) in out
    for measure in RB.supportive:
        assert measure.title in out and one_line(measure.summary) in out
        assert all(one_line(step) in out for step in measure.steps)
        assert one_line(measure.caution) in out
    for tip in RB.tips:
        assert one_line(tip.text) in out
    for flag in RB.red_flags:
        assert one_line(flag.why) in out and flag.tell_clinician in out
    for urgency in ("emergency", "same_day"):
        assert one_line(RB.urgency(urgency).action) in out
    assert one_line(RB.progression.text) in out
    assert one_line(RB.disclaimer) in out
    for source_id in ("article_movement", "article_supportive", "nice_ng234", "nice_ng156"):
        assert RB.source_title(source_id) in out


def test_topics_are_learn_sections_measures_walking_and_red_flags():
    expected = {e.id for e in RB.learn} | {m.id for m in RB.supportive} | {"walking", "red_flags"}
    assert set(topics(RB)) == expected


@pytest.mark.parametrize("topic", topics(default_rulebook()))
def test_each_topic_alone(run_cli, topic):
    result = run_cli("learn", topic)
    assert result.code == 0
    assert "Source" in result.stdout
    assert one_line(RB.disclaimer) in one_line(result.stdout)
    assert len(result.stdout) < len(run_cli("learn").stdout)


def test_a_measure_topic_shows_only_that_measure(run_cli):
    out = one_line(run_cli("learn", "knee_to_chest").stdout)
    assert RB.supportive_measure("knee_to_chest").title in out
    assert RB.supportive_measure("pelvic_tilt").title not in out


def test_red_flags_are_grouped_by_how_urgent_they_are(run_cli):
    out = run_cli("learn", "red_flags").stdout
    emergency = out.index(RB.urgency("emergency").label)
    same_day = out.index(RB.urgency("same_day").label)
    assert emergency < out.index("Loss of bladder or bowel control") < same_day
    assert same_day < out.index("Unexplained fever or chills:")
    assert emergency < out.index("Pain, numbness or weakness in both legs") < same_day
    assert emergency < out.index("Unexplained fever or chills with") < same_day
    assert out.index(RB.urgency("gp_soon").label) > same_day


def test_an_unknown_topic_lists_the_topics(run_cli):
    result = run_cli("learn", "knee_to_chst")
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    assert "unknown topic 'knee_to_chst' (did you mean 'knee_to_chest'?)" in result.stderr
    assert all(topic in result.stderr for topic in topics(RB))
    assert result.stdout == ""


def test_learn_on_a_colour_terminal(run_cli):
    result = run_env(["learn", "pelvic_tilt"], db_url=run_cli.db_url, color=True)
    assert result.code == 0
    assert "\x1b[" in result.stdout
    assert RB.supportive_measure("pelvic_tilt").title in result.stdout
