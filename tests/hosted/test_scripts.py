"""The script behind `make run-hosted` makes a database hosted mode accepts."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from backwalk.hosted.database import open_hosted_diary

pytestmark = pytest.mark.postgres
REPO = Path(__file__).resolve().parents[2]


def test_hosted_db_script_makes_a_database_the_app_role_may_serve(
    pg_admin_engine: Engine,
) -> None:
    name = f"bw_script_{uuid.uuid4().hex[:8]}"
    try:
        for _ in range(2):  # safe to run again
            done = subprocess.run(
                ["bash", "scripts/hosted-db.sh", name],
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr
            url = done.stdout.strip().splitlines()[-1]
            assert url == f"postgresql+psycopg://backwalk_app@127.0.0.1:5432/{name}"
        open_hosted_diary(url).close()  # refuses an owner, a superuser or a stale schema
    finally:
        with pg_admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
