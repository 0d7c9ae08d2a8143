"""The terminal in Spanish: --lang and BACKWALK_LANG, the emergency path of `check`, and the
`lang` of every assessment printed as JSON."""

from __future__ import annotations

import json

import pytest

from backwalk.exitcodes import ExitCode
from tests.cli.conftest import lines
from tests.cli.test_golden import assert_golden

EMERGENCY = lines("y", "n", "n", "?")  # a sign on the first list; 'not sure' about both legs


def test_the_emergency_check_in_spanish(run_cli) -> None:
    result = run_cli("--lang", "es", "check", "--no-text", stdin=EMERGENCY)
    assert result.code == ExitCode.SEEK_CARE
    assert_golden("check_seek_care_es.txt", result.stdout)


def test_the_language_setting_and_the_option_after_the_command(run_cli, monkeypatch) -> None:
    monkeypatch.setenv("BACKWALK_LANG", "es")
    from_setting = run_cli("check", "--no-text", stdin=EMERGENCY)
    assert "Señales de emergencia" in from_setting.stdout
    overridden = run_cli("assess", "--lang", "en", stdin='{"chest_pain": true}')
    assert overridden.json()["headline"] == "Call 999 now"


def test_spanish_yes_answers_are_understood(run_cli) -> None:
    result = run_cli("--lang", "es", "check", "--no-text", stdin=lines("s", "sí"))
    assert result.code == ExitCode.SEEK_CARE
    assert "Llame al 999 ahora" in result.stdout


def test_the_emergency_number_stays_the_setting(run_cli, monkeypatch) -> None:
    monkeypatch.setenv("BACKWALK_EMERGENCY_NUMBER", "112")
    result = run_cli("--lang", "es", "check", "--no-text", stdin=EMERGENCY)
    assert "Llame al 112 ahora" in result.stdout and "999 ahora" not in result.stdout


@pytest.mark.parametrize(("option", "where"), [("fr", "--lang"), ("", "BACKWALK_LANG")])
def test_a_language_backwalk_does_not_speak_is_a_clear_error(
    run_cli, monkeypatch, option: str, where: str
) -> None:
    monkeypatch.setenv("BACKWALK_LANG", "klingon")
    args = ["--lang", option] if option else []
    result = run_cli(*args, "assess", stdin='{"pain_score": 3}')
    assert result.code == ExitCode.BAD_INPUT
    given = option or "klingon"
    assert result.stderr == (
        f"backwalk: {where}: '{given}' is not a language backwalk speaks (en, es)\n"
    )


def test_assess_json_says_its_language(run_cli) -> None:
    english = run_cli("assess", "--json", stdin='{"chest_pain": true}').json()
    spanish = run_cli("assess", "--json", "--lang", "es", stdin='{"chest_pain": true}').json()
    assert english["lang"] == "en" and spanish["lang"] == "es"
    assert spanish["headline"] == "Llame al 999 ahora"
    assert spanish["red_flags"] == english["red_flags"] == ["chest_pain"]


def test_jsonl_says_the_language_on_every_line(run_cli) -> None:
    stdin = '{"pain_score": 3}\n{"pain_score": 8}\n'
    result = run_cli("--lang", "es", "assess", "--jsonl", stdin=stdin)
    assert [json.loads(line)["lang"] for line in result.stdout.splitlines()] == ["es", "es"]
