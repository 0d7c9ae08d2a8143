"""The terminal in Spanish: --lang and BACKWALK_LANG, the emergency path of `check`, and the
`lang` of every assessment printed as JSON."""

from __future__ import annotations

import json
import re

import pytest

from backwalk.exitcodes import ExitCode
from tests.cli.conftest import check_answers, checkin_answers, lines
from tests.cli.test_golden import assert_golden
from tests.i18n.english import english_in, english_on_page
from tests.i18n.spanish_diary import fill as fill_spanish_diary

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


def english_lines(text: str) -> list[str]:
    """The sentences (lines joined again where the terminal wrapped them) that read English:
    words only an English sentence has, English dates, decimal points (tests/i18n/english.py).
    A table's rows are kept whole, as they are lines of their own."""
    lines = text.splitlines()
    table = [line for line in lines if re.match(r"\d{4}-\d\d-\d\d|-{4,}  ", line)]
    prose = " ".join(line for line in lines if line not in table)
    return english_in(" ".join(prose.split())) + english_in("\n".join(table))


def test_a_whole_day_at_the_terminal_in_spanish(run_cli) -> None:
    """A calm check, the guided walk with its check-ins, then plan, history and learn: every
    line in Spanish, the commands to type as they are."""
    checked = run_cli("--lang", "es", "check", "--no-text", stdin=check_answers(pain=3))
    assert checked.code == ExitCode.OK, checked.stderr
    assert "empiece la caminata guiada: backwalk walk" in " ".join(checked.stdout.split())
    walked = run_cli(
        "--lang", "es", "walk", stdin=lines(*checkin_answers(3), *checkin_answers(2), "2")
    )
    assert walked.code == ExitCode.OK, walked.stderr
    assert "Caminata terminada" in walked.stdout and "Próxima caminata" in walked.stdout
    outputs = {
        "check": checked.stdout,
        "walk": walked.stdout,
        "plan": run_cli("--lang", "es", "plan").stdout,
        "history": run_cli("--lang", "es", "history").stdout,
        "learn": run_cli("--lang", "es", "learn").stdout,
    }
    assert "Cómo crecen las caminatas" in outputs["plan"]
    assert "revisión" in outputs["history"] and "caminata" in outputs["history"]
    for name, text in outputs.items():
        assert english_lines(text) == [], name


def test_spanish_words_for_when_the_spasm_began(run_cli) -> None:
    from backwalk.cli.prompts import parse_hours

    assert [parse_hours(w) for w in ("ayer", "2 días", "3 dias", "1 semana")] == [24, 48, 72, 168]


def test_forgetting_asks_for_si_in_spanish(run_cli) -> None:
    run_cli("--lang", "es", "check", "--no-text", stdin=check_answers(pain=3))
    refused = run_cli("--lang", "es", "forget", stdin=lines("yes please"))
    assert "Escriba 'sí' para confirmar" in refused.stdout
    assert refused.stderr.startswith("backwalk: no se borró nada")
    done = run_cli("--lang", "es", "forget", stdin=lines("sí"))
    assert "Se borraron 1 revisiones y caminatas." in done.stdout


def test_words_not_read_are_said_before_the_reasons(run_cli) -> None:
    """Words in another language may hold a warning sign backwalk cannot read: the terminal
    says so in its own box right after the decision, not among the reasons further down."""
    text = "tengo las piernas dormidas"
    result = run_cli("--lang", "es", "check", stdin=lines(text) + check_answers(pain=3))
    assert result.code == 0, result.stderr
    out = " ".join(result.stdout.split())
    notice = out.index("Lo que escribió no parece estar en inglés")
    assert out.index("Decisión") < notice < out.index("Por qué")
    assert out.count("Lo que escribió no parece estar en inglés") == 1


def test_two_weeks_of_walks_at_the_terminal_in_spanish(run_cli, diary, tmp_path) -> None:
    """History, the plan and keeping well, the calendar and the report, over two weeks of walks
    kept in Spanish: every line Spanish, dates and numbers written the Spanish way."""
    fill_spanish_diary(diary)
    outputs = {
        name: run_cli("--lang", "es", *args)
        for name, args in {
            "history": ["history"],
            "plan": ["plan"],
            "programme": ["programme"],
            "calendar": ["plan", "--ics"],
            "report": ["report", "--output", str(tmp_path / "informe.html")],
        }.items()
    }
    assert all(r.code == ExitCode.OK for r in outputs.values()), outputs
    history = outputs["history"].stdout
    assert "Ahora: Mantenerse bien" in history
    assert re.search(r"Minutos +Resultado", history)
    assert re.search(r"caminata +5 +6 +3,5 de 5 +Parada", history)  # not 3.5, nor 5.0 de 5
    assert re.search(r"caminata +6 +5 +5 de 5 +Terminada", history)
    calendar = outputs["calendar"].stdout.replace("\r\n ", "").replace("\\,", ",")
    assert "SUMMARY:Caminar 10 minutos" in calendar
    assert english_in(calendar.split("DESCRIPTION:", 1)[1]) == []
    for name in ("history", "plan", "programme"):
        assert english_lines(outputs[name].stdout) == [], name
    report = (tmp_path / "informe.html").read_text("utf-8")
    assert english_on_page(report) == []
    assert "(6 terminadas, 1 parada por dolor o por una señal de alarma)" in report


def test_the_weekly_questions_at_the_terminal_in_spanish(run_cli, diary, clock) -> None:
    """A check a week after the last weekly answers asks them again, all in Spanish."""
    fill_spanish_diary(diary)
    clock.advance(4 * 24 * 3600)
    weekly = lines("s", "s", 7, 8, 2)  # answer now, the same activities, their scores, change
    result = run_cli("--lang", "es", "check", "--no-text", stdin=check_answers(pain=2) + weekly)
    assert result.code == ExitCode.OK, result.stderr
    assert "ponerme los calcetines" in result.stdout
    assert "  [0-10, Enter para saltar] 7\n" in result.stdout  # the answer clear of the prompt
    assert "subió de 3,5 a 7,5 sobre" in result.stdout
    assert english_lines(result.stdout) == []


@pytest.mark.parametrize("args", [("--lang", "es", "--help"), ("check", "--lang=es", "--help")])
def test_help_speaks_spanish(capsys, args) -> None:
    """--help is made in the language asked for, argparse's own words included."""
    from backwalk.cli.main import main

    assert main(list(args)) == 0
    out = capsys.readouterr().out
    assert out.startswith("uso: ") and "muestra esta ayuda y termina" in out
    assert "the language to answer in" not in out and "el idioma de las respuestas" in out


def test_a_parsing_error_speaks_spanish(capsys) -> None:
    from backwalk.cli.main import main

    assert main(["--lang", "es", "bogus"]) == ExitCode.BAD_INPUT
    assert "opción no válida: 'bogus'" in capsys.readouterr().err


def test_help_stays_english_by_default(capsys, monkeypatch) -> None:
    from backwalk.cli.main import main

    monkeypatch.delenv("BACKWALK_LANG", raising=False)
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: ") and "show this help message and exit" in out
