"""Docs that tests keep honest: every command, option, API route and rule id is documented."""

from __future__ import annotations

import argparse
import re

from backwalk.cli.main import build_parser
from backwalk.rules import default_rulebook
from tests.conftest import REPO


def documentation() -> str:
    docs = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    return "\n".join(p.read_text("utf-8") for p in docs)


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_is_documented() -> None:
    text = documentation()
    missing = [name for name in subcommands() if f"backwalk {name}" not in text]
    assert not missing, f"undocumented commands: {missing}"


def test_every_option_is_documented() -> None:
    text = documentation()
    missing = []
    for name, parser in subcommands().items():
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help" and option not in text:
                    missing.append(f"{name} {option}")
    assert not missing, f"undocumented options: {missing}"


def test_readme_shows_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert "make run" in readme and "make test" in readme
    assert "make bench" in readme and "make lint" in readme


def test_configuration_is_documented() -> None:
    text = documentation()
    for setting in ("BACKWALK_DB", "--db", "NO_COLOR"):
        assert setting in text


def test_every_api_route_is_documented() -> None:
    from backwalk.web.app import create_app

    text = documentation()
    app = create_app(db_url="sqlite://")
    routes = {r.path for r in app.routes if getattr(r, "path", "").startswith("/api/")}
    missing = [path for path in sorted(routes) if path not in text]
    assert not missing, f"undocumented API routes: {missing}"


def test_every_red_flag_and_measure_id_is_in_the_generated_docs() -> None:
    rulebook_md = (REPO / "docs" / "rulebook.md").read_text("utf-8")
    rb = default_rulebook()
    ids = [f.id for f in rb.red_flags] + [m.id for m in rb.supportive] + [t.id for t in rb.tips]
    assert [i for i in ids if f"`{i}`" not in rulebook_md] == []


def test_readme_exit_codes_match_the_enum() -> None:
    from backwalk.exitcodes import ExitCode

    readme = (REPO / "README.md").read_text("utf-8")
    for code in ExitCode:
        assert re.search(rf"\|\s*{int(code)}\s*\|\s*`{code.name}`", readme), code.name


def test_every_doc_gives_the_stale_walk_delay_the_code_uses() -> None:
    """The delay after which a silent walk is closed is said the same way everywhere."""
    import re

    from backwalk.coach import STALE_WALK_SECONDS

    minutes = STALE_WALK_SECONDS // 60
    for doc in (REPO / "docs").glob("*.md"):
        text = doc.read_text("utf-8")
        for said in re.findall(r"not heard from for ([\w ]+?) (?:minutes|hours|are)", text):
            assert said.strip() == str(minutes), (doc.name, said)
    assert f"for {minutes} minutes" in (REPO / "docs" / "web.md").read_text("utf-8")
