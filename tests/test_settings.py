"""One settings module reads the environment (STYLE: one settings object): a test that no
other module of backwalk reads os.environ or os.getenv for its settings."""

from __future__ import annotations

import re
from pathlib import Path

from backwalk import settings

PACKAGE = Path(settings.__file__).parent
# a read: os.environ.get(...), os.environ[...] not followed by "=", `in os.environ`, os.getenv
READS = re.compile(r"os\.getenv|os\.environ(?!\s*\[[^\]]*\]\s*=[^=])")


def test_only_the_settings_module_reads_the_environment() -> None:
    readers = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "settings.py" and READS.search(path.read_text("utf-8"))
    ]
    assert readers == []


def test_the_settings_come_from_one_environment_mapping() -> None:
    read = settings.from_environ(
        {"BACKWALK_DB": " sqlite:///x.db ", "BACKWALK_NLP_CACHE": "0", "NO_COLOR": "1", "HOME": "/"}
    )
    assert read.db_url == "sqlite:///x.db" and not read.nlp_cache and read.no_color
    assert read.nlp_light_import and read.emergency_number is None
    assert dict(read.variables) == {"BACKWALK_DB": " sqlite:///x.db ", "BACKWALK_NLP_CACHE": "0"}
