"""A clinician's pages tell their own story (issue 17): their menu leads to their people, their
home is their people, and a share that was revoked gets a page that says so, with the way back."""

from __future__ import annotations

from tests.hosted.conftest import log_in, make_clinician, save_check, sign_up


def clinician_with_alice(make_client, app_url, clock):
    alice = make_client()
    sign_up(alice, "alice")
    save_check(alice, {"pain_score": 3})
    make_clinician(app_url, clock)
    lee = make_client()
    log_in(lee, "drlee")
    code = alice.post("/api/shares", json={}).json()["code"]
    assert lee.post("/api/clinician/shares", json={"code": code}).status_code == 200
    person = lee.get("/api/clinician/people").json()[0]["person_id"]
    return alice, lee, person


def test_a_clinicians_menu_and_home_lead_to_their_people(make_client, app_url, clock) -> None:
    alice, lee, person = clinician_with_alice(make_client, app_url, clock)
    page = lee.get(f"/clinician/people/{person}").text
    menu = page.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    assert 'href="/clinician"' in menu and "Your people" in menu
    assert 'href="/walk"' not in menu and 'href="/check"' not in menu
    home = lee.get("/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/clinician"
    person_menu = alice.get("/history").text.split('<nav aria-label="Main">', 1)[1]
    assert 'href="/walk"' in person_menu.split("</nav>", 1)[0]  # a person keeps their own menu


def test_a_clinicians_account_page_speaks_to_a_clinician(make_client, app_url, clock) -> None:
    _, lee, _ = clinician_with_alice(make_client, app_url, clock)
    page = lee.get("/account").text
    assert "Your diary" not in page and "every check, walk and share" not in page
    assert "Delete my clinician account" in page


def test_a_revoked_share_says_so_and_leads_back(make_client, app_url, clock) -> None:
    alice, lee, person = clinician_with_alice(make_client, app_url, clock)
    share = next(s["id"] for s in alice.get("/api/shares").json() if s["state"] == "active")
    assert alice.delete(f"/api/shares/{share}").status_code == 200
    for path in (f"/clinician/people/{person}", f"/clinician/people/{person}/report"):
        page = lee.get(path)
        assert page.status_code == 404, path
        assert "This diary is not shared with you" in page.text
        assert 'href="/clinician"' in page.text and "Back to your people" in page.text
    never = lee.get("/clinician/people/999999")  # the same answer: ids cannot be probed
    assert never.status_code == 404 and "This diary is not shared with you" in never.text


def test_signing_out_clears_what_the_phone_kept(make_client) -> None:
    """Issue 18: on a shared phone the next person must not send or see the last one's offline
    copies. Sign-out and account deletion lead to a page that clears them (static/js/pwa.js
    acts on `data-forgotten`); a link from elsewhere to the same page does not."""
    from tests.hosted.conftest import csrf_token

    alice = make_client()
    sign_up(alice, "alice")
    token = csrf_token(alice.get("/account").text)
    out = alice.post("/logout", data={"csrf_token": token})
    assert out.url.path == "/login" and "data-forgotten" in out.text
    again = alice.get("/login?out=1")  # read once: a reload or a link clears nothing
    assert "You are signed out" in again.text and "data-forgotten" not in again.text
    stranger = make_client()
    assert "data-forgotten" not in stranger.get("/login?out=1").text


def test_deleting_the_account_clears_what_the_phone_kept(make_client) -> None:
    from tests.hosted.conftest import PASSWORD, csrf_token

    bob = make_client()
    sign_up(bob, "bob")
    token = csrf_token(bob.get("/account").text)
    gone = bob.post("/account/delete", data={"csrf_token": token, "password": PASSWORD})
    assert gone.url.path == "/login" and "data-forgotten" in gone.text
