"""A plain `pip install backwalk` is light: the local app never imports the packages of the
`pdf` and `hosted` extras (make installs them, so this checks the imports, in a fresh process),
and hosted mode says in one line how to get its extra."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from backwalk import hosted
from backwalk.errors import HostedConfigError

EXTRAS = ("weasyprint", "argon2", "zxcvbn", "limits", "redis", "gunicorn")
LOCAL = (
    "import backwalk.cli.main, backwalk.web.app, backwalk.report.build, backwalk.engine\n"
    "from backwalk.web.app import create_app\n"
    "create_app(db_url='sqlite://')\n"
)


def test_the_local_app_imports_no_extra() -> None:
    code = (
        LOCAL + f"import sys, json; print(json.dumps([m for m in {EXTRAS!r} if m in sys.modules]))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


def test_hosted_mode_without_its_extra_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hosted, "find_spec", lambda name: None if name == "zxcvbn" else object())
    with pytest.raises(HostedConfigError, match=r"backwalk\[hosted\].*zxcvbn"):
        hosted.require_extra()
