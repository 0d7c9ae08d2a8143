"""Attacks on hosted mode: session fixation, CSRF on every form, cookie flags, guessing, and
what signing out and deleting an account really end."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie
from typing import Any

import pytest
from sqlalchemy import text

from backwalk.hosted.people import SESSION_COOKIE
from tests.hosted.conftest import (
    PASSWORD,
    csrf_token,
    delete_account,
    log_in,
    make_clinician,
    save_check,
    sign_up,
    walk_once,
)
from tests.web.helpers import app_routes

pytestmark = pytest.mark.postgres


def set_cookies(answer: Any) -> dict[str, Any]:
    """The Set-Cookie headers of an answer, parsed, by cookie name."""
    found: dict[str, Any] = {}
    for header in answer.headers.get_list("set-cookie"):
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            found[name] = (morsel, header.lower())
    return found


def test_a_planted_session_never_becomes_the_signed_in_one(make_client) -> None:
    attacker = make_client()
    save_check(attacker)  # an anonymous device session the attacker knows
    planted = attacker.cookies[SESSION_COOKIE]
    victim = make_client()
    sign_up(victim, "victim")
    victim.cookies.clear()
    victim.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")
    log_in(victim, "victim")
    assert victim.cookies[SESSION_COOKIE] != planted
    save_check(victim, {"pain_score": 5, "sharp_pain": False})
    # Signing in ended the session the browser brought: it reaches nobody's diary any more.
    assert attacker.get("/api/account").status_code == 401
    assert attacker.get("/api/checks").json() == []


def test_signing_up_on_a_planted_device_session_ends_that_session(make_client) -> None:
    attacker = make_client()
    save_check(attacker)
    planted = attacker.cookies[SESSION_COOKIE]
    victim = make_client()
    victim.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")
    sign_up(victim, "victim")
    assert victim.cookies[SESSION_COOKIE] != planted
    save_check(victim, {"pain_score": 5, "sharp_pain": False})
    assert attacker.get("/api/checks").json() == []
    assert attacker.get("/api/account").status_code == 401


def test_an_anonymous_check_is_kept_when_signing_up_on_that_device(make_client) -> None:
    phone = make_client()
    save_check(phone)
    assert SESSION_COOKIE in phone.cookies
    sign_up(phone, "sam")
    assert [c["pain_score"] for c in phone.get("/api/checks").json()] == [4]


def test_reading_without_a_session_makes_no_person_and_no_cookie(make_client) -> None:
    visitor = make_client()
    for path in ("/", "/check", "/history", "/api/checks", "/walk"):
        answer = visitor.get(path)
        assert answer.status_code == 200, path
        assert SESSION_COOKIE not in set_cookies(answer), path


def form_routes(client: Any) -> list[str]:
    return sorted(
        r.path
        for r in app_routes(client.app)
        if "POST" in (getattr(r, "methods", None) or ()) and not r.path.startswith("/api")
    )


def test_every_form_refuses_a_post_without_its_csrf_token(make_client, app_url, clock) -> None:
    make_clinician(app_url, clock)
    person = make_client()
    sign_up(person, "pat")
    save_check(person)
    walk = person.post("/api/walks", json={"pain_before": 4}).json()
    share = person.post("/api/shares", json={}).json()
    lee = make_client()
    log_in(lee, "drlee")
    ids = {"walk_id": walk["id"], "share_id": share["id"], "slug": "pain"}
    paths = form_routes(person)
    assert {
        "/login",
        "/signup",
        "/logout",
        "/account/delete",
        "/sharing",
        "/clinician/code",
    } <= set(paths)
    foreign = "x" * 43
    for path in paths:
        url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
        for who in (person, lee):
            for token in (None, foreign):
                form = {"username": "pat", "password": PASSWORD, "code": share["code"]}
                if token:
                    form["csrf_token"] = token
                answer = who.post(url, data=form, follow_redirects=False)
                assert answer.status_code == 403, (url, answer.status_code)
    assert person.get("/api/account").status_code == 200
    assert person.get(f"/api/walks/{walk['id']}").json()["status"] == "in_progress"
    assert lee.get("/api/clinician/people").json() == []


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_session_cookie_flags(make_client, scheme: str) -> None:
    client = make_client(base_url=f"{scheme}://testserver")
    answer = client.post("/api/accounts", json={"username": "cat", "password": PASSWORD})
    # Over HTTPS the names carry __Host-: only this host, over HTTPS, can set such a cookie.
    prefix = "__Host-" if scheme == "https" else ""
    morsel, raw = set_cookies(answer)[prefix + SESSION_COOKIE]
    assert "httponly" in raw and "samesite=lax" in raw and "path=/" in raw
    assert "domain" not in raw
    assert ("secure" in raw) is (scheme == "https")
    assert int(morsel["max-age"]) == 30 * 86400
    page = client.get("/login")
    _csrf, csrf_raw = set_cookies(page)[prefix + "bw_csrf"]
    assert "httponly" in csrf_raw and "samesite=strict" in csrf_raw and "path=/" in csrf_raw
    assert ("secure" in csrf_raw) is (scheme == "https")
    assert client.get("/api/account").status_code == 200  # the browser sends it back: signed in
    hsts = page.headers.get("strict-transport-security")
    assert (hsts == "max-age=31536000") is (scheme == "https")


def test_secure_cookies_can_be_forced_behind_a_proxy_that_says_nothing(make_client) -> None:
    client = make_client(always_secure_cookies=True)
    answer = client.post("/api/accounts", json={"username": "dee", "password": PASSWORD})
    assert "secure" in set_cookies(answer)["__Host-" + SESSION_COOKIE][1]
    assert answer.headers["strict-transport-security"] == "max-age=31536000"


def test_a_plain_cookie_is_not_read_over_https(make_client) -> None:
    """A cookie without the prefix may have come from a sibling subdomain or over plain HTTP:
    over HTTPS only the __Host- one counts."""
    plain = make_client()
    sign_up(plain, "dot")
    token = plain.cookies[SESSION_COOKIE]
    secure = make_client(base_url="https://testserver")
    secure.cookies.set(SESSION_COOKIE, token, domain="testserver.local")
    assert secure.get("/api/account").status_code == 401


def test_only_the_allowed_hosts_are_served(make_client) -> None:
    client = make_client()
    assert client.get("/api/health").status_code == 200
    for path in ("/api/health", "/login", "/static/css/app.css"):
        refused = client.get(path, headers={"host": "evil.example"})
        assert refused.status_code == 400, path
    api = client.get("/api/account", headers={"host": "evil.example"})
    assert api.json()["error"]["field"] == "host"
    anywhere = make_client(allowed_hosts=("*",))
    assert anywhere.get("/api/health", headers={"host": "evil.example"}).status_code == 200


def test_a_csrf_token_works_only_with_the_session_it_was_made_for(make_client) -> None:
    """Even with its cookie, a token taken from one session is refused in another (an attacker
    who can plant cookies cannot use their own token against a victim's session)."""
    attacker, victim = make_client(), make_client()
    sign_up(attacker, "mal")
    sign_up(victim, "vera")
    page = attacker.get("/sharing")
    token, cookie = csrf_token(page.text), attacker.cookies["bw_csrf"]
    victim.cookies.set("bw_csrf", cookie, domain="testserver.local")
    answer = victim.post("/sharing", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 403
    assert victim.get("/api/shares").json() == []
    own = csrf_token(victim.get("/sharing").text)
    assert victim.post("/sharing", data={"csrf_token": own}).status_code == 200


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(make_client) -> None:
    client = make_client()
    sign_up(client, "eve")
    wrong = client.post("/api/login", json={"username": "eve", "password": "not it at all"})
    unknown = client.post("/api/login", json={"username": "nobody", "password": "not it at all"})
    bad_name = client.post("/api/login", json={"username": "x", "password": "not it at all"})
    assert wrong.status_code == unknown.status_code == bad_name.status_code == 401
    assert wrong.json() == unknown.json() == bad_name.json()
    page = client.get("/login")
    forms = [
        client.post(
            "/login",
            data={
                "username": name,
                "password": "not it at all",
                "csrf_token": csrf_token(page.text),
            },
        )
        for name in ("eve", "nobody")
    ]
    assert [f.status_code for f in forms] == [401, 401]
    assert _without_token(forms[0].text).replace("eve", "") == _without_token(
        forms[1].text
    ).replace("nobody", "")


def _without_token(html: str) -> str:
    return re.sub(r'value="[^"]{40,}"', "", html)


def test_login_attempts_on_one_account_are_limited(make_client) -> None:
    client = make_client(limit_login_account="3 per 15 minutes")
    sign_up(client, "fay")
    statuses = [
        client.post(
            "/api/login", json={"username": "fay", "password": "wrong password"}
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [401, 401, 401, 429, 429]
    refused = client.post("/api/login", json={"username": "FAY", "password": PASSWORD})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0


def test_sign_ups_from_one_address_are_limited(make_client) -> None:
    client = make_client(limit_signup="2 per hour")
    sign_up(client, "gil")
    sign_up(make_client(limit_signup="2 per hour"), "hal")
    third = make_client(limit_signup="2 per hour").post(
        "/api/accounts", json={"username": "ivy", "password": PASSWORD}
    )
    assert third.status_code == 429
    assert "wait" in third.json()["error"]["message"]


def test_signing_out_ends_the_session_on_the_server(make_client) -> None:
    client = make_client()
    sign_up(client, "joe")
    token = client.cookies[SESSION_COOKIE]
    assert client.post("/api/logout", json={}).status_code == 200
    stolen = make_client()
    stolen.cookies.set(SESSION_COOKIE, token, domain="testserver.local")
    assert stolen.get("/api/account").status_code == 401


def test_signing_out_everywhere_ends_every_session(make_client) -> None:
    phone, laptop = make_client(), make_client()
    sign_up(phone, "kim")
    log_in(laptop, "kim")
    answer = phone.post("/api/logout", json={"everywhere": True})
    assert answer.json() == {"signed_out": True, "everywhere": True}
    assert laptop.get("/api/account").status_code == 401
    assert phone.get("/api/account").status_code == 401


def test_deleting_an_account_deletes_every_row_of_that_person(
    make_client, app_url, clock, pg_admin_engine, hosted_schema
) -> None:
    make_clinician(app_url, clock)
    person = make_client()
    sign_up(person, "lou")
    save_check(person)
    walk_once(person)
    code = person.post("/api/shares", json={}).json()["code"]
    lee = make_client()
    log_in(lee, "drlee")
    lee.post("/api/clinician/shares", json={"code": code})
    pid = person.get("/api/account").json()["id"]
    assert delete_account(person).status_code == 200
    with pg_admin_engine.connect() as connection:
        connection.execute(text(f'SET search_path TO "{hosted_schema}"'))
        for table, column in (
            ("checks", "owner_id"),
            ("walks", "owner_id"),
            ("checkins", "owner_id"),
            ("outcome_measures", "owner_id"),
            ("sessions", "person_id"),
            ("shares", "person_id"),
            ("people", "id"),
        ):
            count = connection.execute(
                text(f"SELECT count(*) FROM {table} WHERE {column} = :p"), {"p": pid}
            ).scalar()
            assert count == 0, table
    assert (
        person.post("/api/login", json={"username": "lou", "password": PASSWORD}).status_code == 401
    )
    assert lee.get("/api/clinician/people").json() == []


NOT_JSON = [
    ("text/plain", b'{"code": "x"}'),
    ("application/x-www-form-urlencoded", b"code=x&password=x"),
    ("multipart/form-data; boundary=x", b"--x--\r\n"),
]


@pytest.mark.parametrize(("content_type", "body"), NOT_JSON)
def test_every_api_route_that_changes_something_refuses_a_body_that_is_not_json(
    make_client, app_url, clock, content_type: str, body: bytes
) -> None:
    """What a cross-site form can send (text/plain, a form body) never reaches a JSON route."""
    make_clinician(app_url, clock)
    person = make_client()
    sign_up(person, "ray")
    lee = make_client()
    log_in(lee, "drlee")
    changing = [
        (method, route.path)
        for route in app_routes(person.app)
        if route.path.startswith("/api/")
        for method in sorted(route.methods or ())
        if method in ("POST", "PUT", "PATCH", "DELETE")
    ]
    assert ("POST", "/api/shares") in changing and ("DELETE", "/api/account") in changing
    for method, path in changing:
        url = re.sub(r"\{\w+\}", "1", path)
        for who in (person, lee):
            answer = who.request(method, url, content=body, headers={"content-type": content_type})
            assert answer.status_code == 415, (method, path, answer.status_code, answer.text)
            assert answer.json()["error"]["field"] == "content-type"
    assert person.get("/api/shares").json() == []
    assert person.get("/api/account").status_code == 200


def test_deleting_an_account_through_the_api_asks_for_the_password(make_client) -> None:
    client = make_client()
    sign_up(client, "sue")
    save_check(client)
    for body in ({}, {"password": "not the password"}):
        answer = client.request("DELETE", "/api/account", json=body)
        assert answer.status_code in (401, 422), answer.text
    assert client.get("/api/account").status_code == 200
    assert len(client.get("/api/checks").json()) == 1
    assert delete_account(client).status_code == 200
    assert client.get("/api/account").status_code == 401


def test_both_ways_of_deleting_an_account_count_against_the_login_limits(make_client) -> None:
    """A stolen session must not become a way round the limits to guess the password."""
    client = make_client(limit_login_account="3 per 15 minutes")
    sign_up(client, "tom")
    token = csrf_token(client.get("/account").text)
    statuses = [
        client.request("DELETE", "/api/account", json={"password": "wrong password"}).status_code,
        client.post(
            "/account/delete", data={"password": "wrong password", "csrf_token": token}
        ).status_code,
        client.post("/api/login", json={"username": "tom", "password": "wrong"}).status_code,
        delete_account(client).status_code,
        client.post(
            "/account/delete", data={"password": PASSWORD, "csrf_token": token}
        ).status_code,
    ]
    assert statuses == [401, 401, 401, 429, 429]
    assert client.get("/api/account").status_code == 200


def test_share_codes_tried_from_one_address_are_limited(make_client, app_url, clock) -> None:
    make_clinician(app_url, clock)
    lee = make_client(limit_share_code="2 per hour")
    log_in(lee, "drlee")
    statuses = [
        lee.post("/api/clinician/shares", json={"code": f"ABCD-EFGH-JKM{n}"}).status_code
        for n in (2, 3, 4)
    ]
    assert statuses == [422, 422, 429]
    person = make_client(limit_share_code="2 per hour")
    sign_up(person, "una")
    code = person.post("/api/shares", json={}).json()["code"]
    refused = lee.post("/api/clinician/shares", json={"code": code})
    assert refused.status_code == 429 and "wait" in refused.json()["error"]["message"]
    page = lee.get("/clinician")
    form = lee.post("/clinician/code", data={"code": code, "csrf_token": csrf_token(page.text)})
    assert form.status_code == 429 and "Too many attempts" in form.text


def test_writes_without_an_account_are_limited_per_address(make_client) -> None:
    """Each first write without an account makes a person: one address cannot make many."""
    browsers = [make_client(limit_anonymous_writes="2 per hour") for _ in range(3)]
    answers = [b.post("/api/checks", json={"answers": {"pain_score": 3}}) for b in browsers]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[2].json()["error"]["message"].startswith("too many changes from this address")
    assert SESSION_COOKIE not in set_cookies(answers[2])  # no person was made for it
    assert int(answers[2].headers["retry-after"]) > 0


def test_writes_by_one_person_are_limited_per_day(make_client) -> None:
    client = make_client(limit_person_writes="2 per day")
    sign_up(client, "vic")
    answers = [client.post("/api/checks", json={"answers": {"pain_score": 3}}) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    message = answers[2].json()["error"]["message"]
    assert message.startswith("too many changes to your diary; please wait about")
    assert "hour(s)" in message
    # Another person is not held back by this one.
    other = make_client(limit_person_writes="2 per day")
    sign_up(other, "wes")
    assert other.post("/api/checks", json={"answers": {"pain_score": 3}}).status_code == 201


def test_guessing_at_a_username_does_not_lock_out_a_browser_that_signed_in_before(
    make_client,
) -> None:
    """The per-account limit holds back every unknown browser, the guesser's included; the
    person's own phone, known by its signed device cookie, keeps a limit of its own."""
    phone = make_client(limit_login_account="3 per 15 minutes")
    sign_up(phone, "ada")
    phone.post("/api/logout", json={})
    assert "bw_device" in phone.cookies
    guesser = make_client(limit_login_account="3 per 15 minutes")
    guesses = [
        guesser.post("/api/login", json={"username": "ada", "password": f"guess {n}"}).status_code
        for n in range(5)
    ]
    assert guesses == [401, 401, 401, 429, 429]
    assert log_in(phone, "ada")["username"] == "ada"  # not locked out
    stranger = make_client(limit_login_account="3 per 15 minutes")
    refused = stranger.post("/api/login", json={"username": "ada", "password": PASSWORD})
    assert refused.status_code == 429  # an unknown browser still is, even with the password
    # The device cookie of one account gives nothing for another.
    guesser.cookies.set("bw_device", phone.cookies["bw_device"], domain="testserver.local")
    sign_up(make_client(), "bea")
    for _ in range(3):
        guesser.post("/api/login", json={"username": "bea", "password": "wrong guess"})
    assert (
        guesser.post("/api/login", json={"username": "bea", "password": "wrong"}).status_code == 429
    )


def test_a_forged_device_cookie_counts_as_an_unknown_browser(make_client) -> None:
    sign_up(make_client(), "cyd")
    guesser = make_client(limit_login_account="2 per 15 minutes")
    guesser.cookies.set("bw_device", "forged.cookie", domain="testserver.local")
    statuses = [
        guesser.post("/api/login", json={"username": "cyd", "password": "wrong one"}).status_code
        for _ in range(3)
    ]
    assert statuses == [401, 401, 429]
