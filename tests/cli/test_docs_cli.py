"""docs/cli.md stays honest: every command, option and learn topic is documented there."""

from __future__ import annotations

import argparse

import pytest

from backwalk.cli.learn import topics
from backwalk.cli.main import build_parser
from backwalk.rules import default_rulebook
from tests.conftest import REPO

DOC = (REPO / "docs" / "cli.md").read_text("utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def options() -> list[tuple[str, str]]:
    return [
        (name, flag)
        for name, sub in subcommands().items()
        for action in sub._actions
        for flag in action.option_strings
        if flag not in ("-h", "--help")
    ]


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_command_is_documented(command):
    assert f"backwalk {command}" in DOC


@pytest.mark.parametrize(("command", "flag"), options())
def test_every_option_is_documented(command, flag):
    assert f"`{flag}" in DOC or f" {flag}" in DOC, f"{command} {flag} is not in docs/cli.md"


@pytest.mark.parametrize("topic", topics(default_rulebook()))
def test_every_learn_topic_is_documented(topic):
    assert f"`{topic}`" in DOC
