"""`backwalk assess`, `checkin` and `rules`: the machine-readable CLI of CONTRACT section 4."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from backwalk.exitcodes import ExitCode
from tests.conftest import load_cases

ASSESS = [c for c in load_cases("structured_dev.jsonl") if c["kind"] == "assess"]
CHECKIN = [c for c in load_cases("structured_dev.jsonl") if c["kind"] == "checkin"]


@pytest.mark.parametrize("case", ASSESS, ids=[c["id"] for c in ASSESS])
def test_assess_json(run_cli, case) -> None:
    result = run_cli("assess", "--json", stdin=json.dumps(case["answers"]))
    if "error" in case["expect"]:
        assert result.code == ExitCode.BAD_INPUT
        assert result.stdout == ""
        assert result.stderr.startswith(f"backwalk: {case['expect']['error']}:")
        assert result.stderr.count("\n") == 1
    else:
        assert result.code == ExitCode.OK
        assert result.json()["disposition"] == case["expect"]["disposition"]


def test_assess_jsonl_keeps_order_and_goes_on_after_a_bad_line(run_cli) -> None:
    lines = [json.dumps(c["answers"]) for c in ASSESS] + ["{not json", '{"fevr": true}', ""]
    result = run_cli("assess", "--jsonl", stdin="\n".join(lines) + "\n")
    assert result.code == ExitCode.BAD_INPUT
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(ASSESS) + 2
    for case, got in zip(ASSESS, out, strict=False):
        key = "error" if "error" in case["expect"] else "disposition"
        assert key in got
    assert out[-2]["error"]["field"] == "input"
    assert out[-1]["error"] == {
        "field": "fevr",
        "message": "unknown field (did you mean 'fever_or_chills'?)",
        "line": len(ASSESS) + 2,
    }


def test_assess_jsonl_all_good_exits_zero(run_cli) -> None:
    result = run_cli("assess", "--jsonl", stdin='{"pain_score": 3}\n{"hard_to_stand": true}\n')
    assert result.code == ExitCode.OK
    assert [json.loads(x)["disposition"] for x in result.stdout.splitlines()] == [
        "walk_gently",
        "rest_first",
    ]


@pytest.mark.parametrize("case", CHECKIN, ids=[c["id"] for c in CHECKIN])
def test_checkin_json(run_cli, case) -> None:
    result = run_cli("checkin", "--json", stdin=json.dumps(case["input"]))
    assert result.code == ExitCode.OK
    assert result.json()["action"] == case["expect"]["action"]


@pytest.mark.parametrize(
    ("stdin", "field"),
    [
        ("", "input"),
        ("[1, 2]", "input"),
        ('{"baseline_pain": 3}', "current_pain"),
        ('{"baseline_pain": 3, "current_pain": "high"}', "current_pain"),
        ('{"baseline_pain": 3, "current_pain": 4, "sharp": true}', "sharp"),
        ('{"baseline_pain": NaN, "current_pain": 4}', "input"),
    ],
)
def test_checkin_errors_name_the_field(run_cli, stdin: str, field: str) -> None:
    result = run_cli("checkin", stdin=stdin)
    assert result.code == ExitCode.BAD_INPUT
    assert result.stderr.startswith(f"backwalk: {field}:")


def test_checkin_jsonl(run_cli) -> None:
    stdin = (
        "\n".join(json.dumps(c["input"]) for c in CHECKIN)
        + '\n{"baseline_pain": 11, "current_pain": 1}\n'
    )
    result = run_cli("checkin", "--jsonl", stdin=stdin)
    assert result.code == ExitCode.BAD_INPUT
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert [o.get("action") for o in out[:-1]] == [c["expect"]["action"] for c in CHECKIN]
    assert out[-1]["error"]["field"] == "baseline_pain"


def test_rules_json_exports_the_vocabulary(run_cli) -> None:
    data = run_cli("rules", "--json").json()
    assert data["contract"]["red_flags"][0] == "leg_pain_below_knee"
    assert {q["id"] for q in data["questions"]} >= {"pain_score", "onset_hours"}
    assert all(q["source"] in data["sources"] for q in data["questions"])


def test_docs_rulebook_is_generated_from_the_rulebook(run_cli) -> None:
    from tests.conftest import REPO

    expected = run_cli("rules", "--markdown").stdout
    assert (REPO / "docs" / "rulebook.md").read_text("utf-8") == expected, "run `make docs`"


def test_real_process_bad_input_has_no_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "backwalk", "assess", "--json"],
        input='{"pain_score": "7"}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == ExitCode.BAD_INPUT
    assert proc.stderr == 'backwalk: pain_score: must be a whole number from 0 to 10, got "7"\n'
    assert "Traceback" not in proc.stderr


def test_version_and_help(run_cli, capsys) -> None:
    from backwalk import __version__

    assert run_cli("--version").code == 0
    assert capsys.readouterr().out.strip() == f"backwalk {__version__}"


def test_unknown_command_is_a_usage_error(run_cli, capsys) -> None:
    assert run_cli("flyaway").code == ExitCode.BAD_INPUT
    assert "invalid choice" in capsys.readouterr().err


def test_assess_does_not_import_heavy_modules() -> None:
    code = (
        "import sys, io, json; sys.stdin = io.StringIO('{\"pain_score\": 3}');"
        "from backwalk.cli.main import main; main(['assess']);"
        "heavy = [m for m in ('sqlalchemy', 'rich', 'fastapi', 'spacy', 'backwalk.nlp',"
        " 'backwalk.diary', 'dataclasses') if m in sys.modules];"
        "print(json.dumps(heavy), file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == []


@pytest.mark.parametrize(
    ("no_color", "tty", "color"), [("1", True, False), ("", True, True), ("", False, False)]
)
def test_colour_only_on_a_terminal_and_never_with_no_color(
    monkeypatch, no_color, tty, color
) -> None:
    from backwalk.cli.env import Environment

    monkeypatch.setenv("NO_COLOR", no_color)
    monkeypatch.setenv("BACKWALK_DB", "sqlite:///somewhere.db")
    env = Environment.from_system()
    env.stdout_isatty = tty
    assert env.color is color
    assert env.db_url == "sqlite:///somewhere.db"


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_option_before_or_after_the_command(run_cli, tmp_path, where) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    args = ["--db", url, "plan", "--json"] if where == "before" else ["plan", "--json", "--db", url]
    assert run_cli(*args).code == 0
    assert (tmp_path / "other.db").exists()
