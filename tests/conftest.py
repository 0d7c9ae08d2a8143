"""Shared fixtures: the contract's case files and a CLI runner over an in-memory Environment."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from backwalk.cli.env import Environment
from backwalk.cli.main import main
from backwalk.clock import ManualClock

REPO = Path(__file__).resolve().parents[1]
SHARED_CASES = REPO.parent / "shared" / "cases"
VENDORED_CASES = REPO / "tests" / "cases"


def case_file(name: str) -> Path:
    """The shared case file when the shared folder sits beside the repo, else the vendored copy."""
    shared = SHARED_CASES / name
    return shared if shared.exists() else VENDORED_CASES / name


def load_cases(name: str) -> list[dict[str, Any]]:
    lines = case_file(name).read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


STRUCTURED_FILES = ("structured_dev.jsonl", "structured_v2.jsonl", "structured_v3.jsonl")
# Cases of an earlier contract that a later version changed on purpose: the new expectation.
SUPERSEDED: dict[str, dict[str, Any]] = {
    # v3: nothing lying on the back in pregnancy (the on-all-fours arch instead)
    "v2a025": {"supportive": ["ice_after_onset", "heat_before_walk", "all_fours_back_arch"]},
}


def structured_cases() -> list[dict[str, Any]]:
    """Every structured case of every contract version, expectations brought up to date."""
    cases = [case for name in STRUCTURED_FILES for case in load_cases(name)]
    return [{**c, "expect": {**c["expect"], **SUPERSEDED.get(c["id"], {})}} for c in cases]


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def run_cli(clock: ManualClock, tmp_path: Path):
    """Run `backwalk ARGS` in-process with the given stdin; a fresh SQLite diary per test."""
    db_url = f"sqlite:///{tmp_path / 'diary.db'}"

    def run(*args: str, stdin: str = "", tty: bool = False) -> Result:
        env = Environment(
            stdin=io.StringIO(stdin),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
            clock=clock,
            stdin_isatty=tty,
            stdout_isatty=tty,
            no_color=True,
            db_url=db_url,
        )
        code = main(list(args), env)
        return Result(code, env.stdout.getvalue(), env.stderr.getvalue())  # type: ignore[attr-defined]

    run.db_url = db_url  # type: ignore[attr-defined]
    return run


@pytest.fixture(scope="session")
def browser() -> Any:
    """One Chromium for the whole run (web and hosted tests alike): Playwright's sync API
    allows one instance per process."""
    from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run `bash scripts/ensure-chromium.sh`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _settings_read_afresh() -> Iterator[None]:
    """Each test starts, and leaves, with the settings of the environment as it is then (the
    settings are read once per process; a test's monkeypatched environment is undone after)."""
    from backwalk import settings

    settings.reload()
    yield
    settings.reload()
