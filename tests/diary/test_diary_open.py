"""Finding and opening the diary: URL precedence, the default file, and clear failures."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
import pytest
from sqlalchemy import text

from backwalk import settings
from backwalk.diary import DiaryError, open_diary
from backwalk.diary.engine import ENV_VAR, mask_url, resolve_url


def test_explicit_url_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "sqlite:///from-env.db")
    assert resolve_url("sqlite:///explicit.db") == "sqlite:///explicit.db"


def test_environment_wins_over_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "sqlite:///from-env.db")
    settings.reload()  # a library call reads the settings of the process, read once
    assert resolve_url(None) == "sqlite:///from-env.db"


def test_default_is_diary_db_in_the_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    settings.reload()
    data_dir = tmp_path / "not-yet" / "backwalk"
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda appname: str(data_dir))
    assert resolve_url() == f"sqlite:///{data_dir / 'diary.db'}"
    assert data_dir.is_dir()


def test_blank_environment_variable_counts_as_unset(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_VAR, "  ")
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda appname: str(tmp_path))
    assert resolve_url() == f"sqlite:///{tmp_path / 'diary.db'}"


def test_open_diary_uses_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_VAR, f"sqlite:///{tmp_path / 'env.db'}")
    settings.reload()  # the settings are read once per process
    with open_diary() as diary:
        assert diary.url == f"sqlite:///{tmp_path / 'env.db'}"
    assert (tmp_path / "env.db").is_file()


def test_a_fresh_process_creates_the_default_diary(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != ENV_VAR}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    script = "from backwalk.diary import open_diary\nwith open_diary() as d:\n    print(d.url)"
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    expected = tmp_path / "xdg" / "backwalk" / "diary.db"
    assert result.stdout.strip() == f"sqlite:///{expected}"
    assert expected.is_file()


def test_in_memory_sqlite_works() -> None:
    with open_diary("sqlite://") as diary:
        walk = diary.start_walk(
            at=datetime.now(UTC), planned_minutes=5, pain_before=2, check_id=None
        )
        assert diary.get_walk(walk.id) == walk
        assert diary.url == "sqlite://"


def test_sqlite_file_uses_wal_foreign_keys_and_full_sync(tmp_path: Path) -> None:
    with open_diary(f"sqlite:///{tmp_path / 'd.db'}") as diary, diary._engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("not a url", "not a database URL"),
        ("nosuchdb://user@host/db", "Can't load plugin: sqlalchemy.dialects:nosuchdb"),
    ],
)
def test_bad_urls_are_refused_with_a_clear_message(url: str, reason: str) -> None:
    with pytest.raises(DiaryError) as caught:
        open_diary(url)
    assert str(caught.value).startswith(f"cannot open the diary at {url}: ")
    assert reason in str(caught.value)


def test_unopenable_sqlite_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DiaryError, match="cannot open the diary at sqlite:///.*: unable to open"):
        open_diary(f"sqlite:///{tmp_path / 'missing-dir' / 'diary.db'}")


def test_unreachable_postgres_is_refused_and_the_password_masked() -> None:
    url = "postgresql+psycopg://walker:s3cret@127.0.0.1:1/diary"
    with pytest.raises(DiaryError) as caught:
        open_diary(url)
    message = str(caught.value)
    assert message.startswith(
        "cannot open the diary at postgresql+psycopg://walker:***@127.0.0.1:1/diary: "
    )
    assert "s3cret" not in message
    assert "\n" not in message


@pytest.mark.postgres
def test_the_diary_url_masks_the_password(pg_schema_url: str) -> None:
    with_password = pg_schema_url.replace("postgres@", "postgres:hunter2@", 1)
    with open_diary(with_password) as diary:
        assert "hunter2" not in diary.url
        assert "postgres:***@" in diary.url


def test_mask_url_copes_with_unparseable_urls() -> None:
    assert mask_url("weird//bob:pw@host") == "weird//bob:***@host"
