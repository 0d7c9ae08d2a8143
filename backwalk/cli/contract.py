"""The machine-readable commands of CONTRACT section 4: `assess`, `checkin` and `rules`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from backwalk.cli.env import Environment
from backwalk.errors import InputError
from backwalk.exitcodes import ExitCode
from backwalk.validation import parse_json


def assess_command(args: argparse.Namespace, env: Environment) -> int:
    from backwalk.engine import assess

    if args.text is not None and args.mode == "jsonl":
        env.stderr.write('backwalk: text: with --jsonl, give a "text" field on each line\n')
        return ExitCode.BAD_INPUT
    return _run(lambda data: assess(data, text=args.text), args.mode, env)


def checkin_command(args: argparse.Namespace, env: Environment) -> int:
    from backwalk.engine import checkin

    return _run(checkin, args.mode, env)


def _run(decide: Callable[[Any], dict[str, Any]], mode: str, env: Environment) -> int:
    if mode == "jsonl":
        return _run_lines(decide, env)
    try:
        result = decide(_parse(env.stdin.read()))
    except InputError as err:
        env.stderr.write(f"backwalk: {err}\n")
        return ExitCode.BAD_INPUT
    indent = 2 if env.stdout_isatty else None
    env.stdout.write(json.dumps(result, indent=indent, ensure_ascii=False) + "\n")
    return ExitCode.OK


def _run_lines(decide: Callable[[Any], dict[str, Any]], env: Environment) -> int:
    """One result per input line, in order; a bad line gives an error object and the rest go on."""
    status = ExitCode.OK
    out: list[str] = []
    for number, line in enumerate(env.stdin, 1):
        if not line.strip():
            continue
        try:
            result = decide(_parse(line))
        except InputError as err:
            result = {"error": {**err.to_dict(), "line": number}}
            env.stderr.write(f"backwalk: line {number}: {err}\n")
            status = ExitCode.BAD_INPUT
        out.append(json.dumps(result, ensure_ascii=False))
        if len(out) >= 1000:  # stream in chunks: big batches neither wait nor hold everything
            env.stdout.write("\n".join(out) + "\n")
            out.clear()
    if out:
        env.stdout.write("\n".join(out) + "\n")
    return status


def _parse(text: str) -> Any:
    return parse_json(text, "input", "no input: expected a JSON object on standard input")


def rules_command(args: argparse.Namespace, env: Environment) -> int:
    from backwalk.rules import default_rulebook
    from backwalk.vocabulary import export_vocabulary, render_markdown

    rb = default_rulebook()
    if args.json:
        env.stdout.write(json.dumps(export_vocabulary(rb), indent=2, ensure_ascii=False) + "\n")
    else:
        env.stdout.write(render_markdown(rb))
    return ExitCode.OK
