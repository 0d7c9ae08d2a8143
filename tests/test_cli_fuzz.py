"""Bad bytes into the contract commands: a clear error naming the field, never a traceback.

Found by fuzzing: lone surrogates and invalid UTF-8, integers too big for a float or too long to
read, empty keys, keys with line breaks, repeated keys. The real process is run for the cases
that depend on how standard input is decoded; hypothesis drives the in-process command.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backwalk.cli.env import Environment
from backwalk.cli.main import main
from backwalk.clock import ManualClock

COMMANDS = (
    ["assess", "--json"],
    ["assess", "--jsonl"],
    ["checkin", "--json"],
    ["checkin", "--jsonl"],
)


def run_bytes(args: list[str], data: bytes) -> tuple[int, str, str]:
    env = Environment(
        stdin=io.StringIO(data.decode("utf-8", "surrogateescape")),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        clock=ManualClock(),
        no_color=True,
    )
    code = main(args, env)
    return code, env.stdout.getvalue(), env.stderr.getvalue()  # type: ignore[attr-defined]


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(COMMANDS), st.binary(max_size=200))
def test_raw_bytes_never_give_a_traceback(args: list[str], data: bytes) -> None:
    code, out, err = run_bytes(args, data)
    assert code in (0, 2)
    assert "Traceback" not in err
    out.encode("utf-8")  # whatever came in, what goes out is valid text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(COMMANDS), json_like)
def test_any_json_value_gets_an_answer_or_one_clear_error(args: list[str], value: object) -> None:
    data = json.dumps(value).encode()
    code, out, err = run_bytes(args, data)
    assert code in (0, 2)
    if code == 2 and "--jsonl" not in args:
        assert err.startswith("backwalk: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"fever_or_chills": true, "fever_or_chills": false}', "fever_or_chills: appears more"),
        (b'{"": true}', 'backwalk: "": unknown field'),
        (b'{"a\\nb": true}', "backwalk: a\\nb: unknown field"),
        (b'{"pain_score": 3, "text": "\\ud800"}', "text: is not valid text"),
        (b'{"pain_score": 3, "onset_hours": 1' + b"0" * 400 + b"}", "a number far too large"),
        (b'{"pain_score": 1' + b"0" * 5000 + b"}", "a number is far too long"),
        (b'\xff{"pain_score": 3}', "not UTF-8 text"),
    ],
)
def test_each_fuzzed_input_names_its_problem_in_one_line(data: bytes, message: str) -> None:
    code, _, err = run_bytes(["assess", "--json"], data)
    assert code == 2
    assert message in err and err.count("\n") == 1


def test_a_repeated_red_flag_is_never_silently_dropped() -> None:
    data = b'{"pain_score": 3, "saddle_numbness": true, "saddle_numbness": false}'
    code, out, _ = run_bytes(["assess", "--json"], data)
    assert code == 2 and out == ""


def test_one_bad_line_in_jsonl_loses_no_other_line() -> None:
    data = b'{"pain_score": 3}\n\xff\xfe\n{"pain_score": 9}\n{"a": 1, "a": 2}\n{"pain_score": 1}\n'
    code, out, _ = run_bytes(["assess", "--jsonl"], data)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 2
    assert [("error" in line) for line in lines] == [False, True, False, True, False]


@pytest.mark.parametrize(
    ("args", "data"),
    [
        (["assess", "--json"], b"\xff\xfe\x00{"),
        (["assess", "--jsonl"], b'{"pain_score": 3}\n\xc3\x28\n'),
        (["assess", "--json", "--text", "\udced\udca0\udc80"], b'{"pain_score": 3}'),
        (["check", "--no-text", "--db", "sqlite://"], b"n\n\xff\n"),
    ],
)
def test_the_real_process_turns_bad_bytes_into_one_line(args: list[str], data: bytes) -> None:
    argv = [sys.executable, "-m", "backwalk", *args]
    done = subprocess.run(
        [a.encode("utf-8", "surrogateescape") for a in argv],
        input=data,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr
    assert done.stderr.count(b"\n") == 1
