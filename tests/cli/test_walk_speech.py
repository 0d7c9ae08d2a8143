"""`backwalk walk --speak`, the check-in asking only what it needs, and keys typed ahead."""

from __future__ import annotations

import shlex
import sys
import time
from pathlib import Path

import pytest

from backwalk.cli.keys import split_at_checkin_key
from backwalk.cli.speech import NO_ENGINE, SPEECH_ENV, Speaker
from backwalk.rules import default_rulebook
from tests.cli.conftest import checkin_answers, lines

RB = default_rulebook()


@pytest.fixture
def spoken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real program as the speech engine: it writes each line it is given to a file."""
    out = tmp_path / "spoken.txt"
    script = f"import sys; open({str(out)!r}, 'a').write(sys.argv[1] + '\\n')"
    monkeypatch.setenv(SPEECH_ENV, f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}")
    return out


def wait_for_lines(path: Path, count: int) -> list[str]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = path.read_text().splitlines() if path.exists() else []
        if len(found) >= count:
            return found
        time.sleep(0.05)
    return path.read_text().splitlines() if path.exists() else []


@pytest.mark.usefixtures("walk_ready")
def test_speak_says_the_cues_and_check_ins_that_are_printed(run_cli, spoken: Path):
    result = run_cli("walk", "--speak", stdin=lines(*checkin_answers(3), *checkin_answers(3), "3"))
    assert result.code == 0, result.stderr
    said = wait_for_lines(spoken, 4)
    pain_prompt = RB.question_by_id["pain_score"].prompt
    assert f"Check-in. {pain_prompt}" in said
    assert RB.checkin_action("continue").headline in said
    cues = [c.text for c in RB.walk_cues]
    assert any(line in cues for line in said)
    for line in said:  # every spoken line is on the screen too
        assert line.split(". ", 1)[-1].split()[0] in result.stdout


@pytest.mark.usefixtures("walk_ready")
def test_without_a_speech_engine_the_walk_goes_on_silently(run_cli, monkeypatch):
    monkeypatch.delenv(SPEECH_ENV, raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    result = run_cli("walk", "--speak", stdin=lines(*checkin_answers(3), *checkin_answers(3), "3"))
    assert result.code == 0
    assert result.stderr == f"backwalk: {NO_ENGINE}\n"


def test_a_failing_engine_is_not_used_again() -> None:
    speaker = Speaker(["/nonexistent/speech-engine"])
    speaker.say("hello")
    assert speaker.working is False
    speaker.say("again")  # no error


@pytest.mark.usefixtures("walk_ready")
def test_after_the_pain_rose_the_sharp_question_is_not_asked(run_cli, diary):
    # pain 5 after 3 at the start: the walk stops whatever the answer to "sharp?" would be
    result = run_cli("walk", stdin=lines("5", "n"))
    assert result.code == 3, result.stderr
    assert RB.question_by_id["sharp_pain"].prompt not in result.stdout
    [checkin] = diary.walks()[-1].checkins
    assert checkin.current_pain == 5 and checkin.sharp_or_shooting is False


@pytest.mark.parametrize(
    ("typed", "requested", "rest"),
    [
        (b"c", True, b""),
        (b"c3\n", True, b"3\n"),
        (b"x\n4", True, b"4"),
        (b"xyz", False, b""),
        (b"Cn", True, b"n"),
    ],
)
def test_keys_typed_after_the_check_in_key_are_kept(typed, requested, rest) -> None:
    assert split_at_checkin_key(typed) == (requested, rest)


def test_type_ahead_answers_the_first_question(run_cli) -> None:
    import io

    from backwalk.cli.env import Environment
    from backwalk.cli.prompts import Prompter
    from backwalk.cli.render import Printer

    env = Environment(stdin=io.StringIO("n\n"), stdout=io.StringIO(), no_color=True)
    prompter = Prompter(env, Printer(env))
    prompter.push("4\n")
    assert prompter.score("current_pain", "Pain now?") == 4  # from the keys typed ahead
    assert prompter.yes_no_unsure("sharp", "Sharp?").value == "no"  # then from the input
    prompter.push("1")
    env.stdin = io.StringIO("0\n")
    assert prompter.score("current_pain", "Pain now?") == 10  # "1" typed ahead, "0" after


@pytest.mark.parametrize(
    ("engine", "command"),
    [
        ("espeak-ng", ["-v", "es"]),
        ("espeak", ["-v", "es"]),
        ("spd-say", ["-l", "es"]),
        ("say", []),  # macOS: a voice is chosen by name, so the system's own is used
    ],
)
def test_an_installed_engine_speaks_the_walk_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, command: list[str]
) -> None:
    """A walk in Spanish is read with a Spanish voice, not Spanish words in an English one."""
    program = tmp_path / engine
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    speaker = Speaker.find({}, lang="es")
    assert speaker is not None and speaker.command == [str(program), *command]
    english = Speaker.find({}, lang="en")
    assert english is not None and english.command[1:] == [c.replace("es", "en") for c in command]
