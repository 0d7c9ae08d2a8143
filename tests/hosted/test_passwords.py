"""Passwords are kept only as argon2id hashes; older settings are upgraded at sign-in."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from backwalk.hosted.passwords import hash_password, needs_rehash, verify_password
from tests.hosted.conftest import PASSWORD, log_in, sign_up


def test_a_hash_is_argon2id_and_checks_only_its_password() -> None:
    stored = hash_password("a long password")
    assert stored.startswith("$argon2id$")
    assert "a long password" not in stored
    assert verify_password(stored, "a long password")
    assert not verify_password(stored, "a long passwor")
    assert not verify_password(None, "a long password")
    assert not verify_password("not a hash", "a long password")


@pytest.mark.postgres
def test_a_hash_made_with_other_settings_is_redone_at_sign_in(
    make_client, pg_admin_engine, hosted_schema
) -> None:
    client = make_client()
    sign_up(client, "old")
    older = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4).hash(PASSWORD)
    assert needs_rehash(older)
    with pg_admin_engine.begin() as connection:
        connection.execute(text(f'SET LOCAL search_path TO "{hosted_schema}"'))
        connection.execute(
            text("UPDATE people SET password_hash = :h WHERE username = 'old'"), {"h": older}
        )
    log_in(client, "old")
    with pg_admin_engine.connect() as connection:
        connection.execute(text(f'SET search_path TO "{hosted_schema}"'))
        now = connection.execute(
            text("SELECT password_hash FROM people WHERE username = 'old'")
        ).scalar()
    assert now != older and not needs_rehash(now)
