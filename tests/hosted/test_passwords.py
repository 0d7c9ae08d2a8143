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


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("password1", "most common passwords"),
        ("iloveyou", "most common passwords"),
        ("Qwertyuiop", "most common passwords"),
        ("aaaaaaaaaaaa", "too easy to guess"),
        ("abcdefghijk", "too easy to guess"),
        ("quinn-the-walker", "must not contain your username"),
        ("QUINN", "8 to 256 characters"),
    ],
)
@pytest.mark.postgres
def test_sign_up_refuses_a_guessable_password_and_says_why(
    make_client, password: str, why: str
) -> None:
    client = make_client()
    answer = client.post("/api/accounts", json={"username": "quinn", "password": password})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == "password"
    assert why in answer.json()["error"]["message"]
    assert client.get("/api/account").status_code == 401


@pytest.mark.postgres
def test_the_sign_up_page_says_why_a_password_was_refused(make_client) -> None:
    from tests.hosted.conftest import csrf_token

    client = make_client()
    page = client.get("/signup")
    answer = client.post(
        "/signup",
        data={
            "username": "rosa",
            "password": "rosa-rosa-rosa",
            "password_again": "rosa-rosa-rosa",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert answer.status_code == 422
    assert "Password: must not contain your username." in answer.text


def test_the_common_passwords_ship_with_the_package(monkeypatch) -> None:
    """No network at run time: the lists are read from the installed package."""
    import socket

    from backwalk.hosted import passwords

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the password check tried to use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    passwords._common_passwords.cache_clear()
    assert passwords.weakness("dragon123", "sam") is not None
    assert passwords.weakness(PASSWORD, "sam") is None
    assert len(passwords._common_passwords()) > 10_000
