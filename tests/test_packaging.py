"""`pip install .` gives a working backwalk: the wheel carries the rulebook, migrations,
templates, static files and lexicon, and runs from outside the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel and installed (without its dependencies) into a folder."""
    root = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", str(REPO), "--no-deps", "-w", str(root / "dist")], check=True)
    wheel = next((root / "dist").glob("backwalk-*.whl"))
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(root / "site"), str(wheel)], check=True
    )
    return root / "site"


def run_installed(site: Path, code: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "BACKWALK_DB": f"sqlite:///{site / 'd.db'}"}
    return subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=site.parent,
        check=False,
    )


def test_installed_package_is_the_wheel_not_the_source(installed: Path) -> None:
    proc = run_installed(installed, "import backwalk; print(backwalk.__file__)")
    assert proc.stdout.startswith(str(installed)), proc.stderr


def cli(*args: str) -> str:
    return f"import sys; from backwalk.cli.main import main; sys.exit(main({list(args)!r}))"


def test_installed_cli_decides_and_opens_the_diary(installed: Path) -> None:
    proc = run_installed(installed, cli("assess"), '{"pain_score": 3}')
    assert json.loads(proc.stdout)["disposition"] == "walk_gently", proc.stderr
    proc = run_installed(installed, cli("history"))
    assert proc.returncode == 0, proc.stderr


def test_installed_web_app_has_its_templates_and_static_files(installed: Path) -> None:
    code = (
        "from fastapi.testclient import TestClient; from backwalk.web.app import create_app;"
        "c = TestClient(create_app(db_url='sqlite://'));"
        "print(c.get('/check').status_code, c.get('/static/css/app.css').status_code,"
        " c.get('/learn').status_code)"
    )
    proc = run_installed(installed, code)
    assert proc.stdout.split() == ["200", "200", "200"], proc.stderr


def test_installed_package_speaks_spanish(installed: Path) -> None:
    """The catalogue ships inside the package, as the .po file the app reads."""
    code = (
        "import sys, io; sys.stdin = io.StringIO('{\"chest_pain\": true}');"
        "from backwalk.cli.main import main; main(['--lang', 'es', 'assess'])"
    )
    proc = run_installed(installed, code)
    assert '"headline": "Llame al 999 ahora"' in proc.stdout, proc.stderr


@pytest.mark.nlp
def test_installed_language_module_has_its_lexicon(installed: Path) -> None:
    code = "from backwalk.nlp import extract; print(sorted(extract('I wet myself').answers))"
    proc = run_installed(installed, code)
    assert "bladder_or_bowel_loss" in proc.stdout, proc.stderr
