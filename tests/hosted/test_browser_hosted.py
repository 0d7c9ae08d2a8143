"""Hosted mode in a real browser, at phone size: a person signs up on a phone, checks, walks
and shares with a clinician, who then sees their diary; the person stops the share and the
clinician sees nothing more. Signing out (here and everywhere) and deleting the account too.

Every hosted page is saved as test-artifacts/screens/hosted-<page>.png for a person to look
at, and held to axe-core (light and dark) and to no sideways scrolling at 200% zoom.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.hosted.browser_helpers import (  # noqa: F401
    HostedServer,
    create_clinician,
    hosted_server,
    look,
    phone,
)
from tests.hosted.conftest import PASSWORD
from tests.web.browser_steps import (
    answer_emergency,
    answer_pain,
    answer_warning,
    check_in,
    outcome_title,
    start_walk,
    sync_status,
)
from tests.web.helpers import RB

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

Phone = Callable[..., Any]
SAVED = "All saved in your diary."
CLINICIAN, CLINICIAN_PASSWORD = "drlee", "a long clinic password"
WALK_GENTLY = RB.disposition("walk_gently")


def h1(page: Any) -> Any:
    return page.get_by_role("heading", level=1)


def sign_up_in_browser(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("The same password again").fill(password)
    page.get_by_role("button", name="Make my account").click()
    expect(h1(page)).to_have_text("Your account")


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def person_with_a_warning_sign(server: HostedServer, username: str) -> str:
    """Somebody else, through the JSON API: signs up, reports a warning sign, makes a code."""
    with httpx.Client(base_url=server.url, timeout=10) as api:
        made = api.post("/api/accounts", json={"username": username, "password": PASSWORD})
        assert made.status_code == 201, made.text
        check = api.post("/api/checks", json={"answers": {"saddle_numbness": True}})
        assert check.status_code == 201, check.text
        share = api.post("/api/shares", json={})
        assert share.status_code == 201, share.text
        return str(share.json()["code"])


def add_person(doc: Any, code: str) -> None:
    doc.get_by_label("Their share code").fill(code)
    doc.get_by_role("button", name="Add").click()
    expect(doc.get_by_role("status")).to_contain_text("Added")


def signed_out(page: Any) -> None:
    """/account sends somebody who is not signed in to the sign-in page."""
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login\?next=/account$"))
    expect(h1(page)).to_have_text("Sign in")


# ------------------------------------------------------------------------------------------
# The whole story
# ------------------------------------------------------------------------------------------


def test_a_person_checks_walks_and_shares_with_a_clinician_on_a_phone(
    phone: Phone,  # noqa: F811
    hosted_server: HostedServer,  # noqa: F811
) -> None:
    me = phone()
    me.clock.install()  # the walk runs on the phone's clock: five minutes take no time

    # A check, before there is any account.
    me.goto("/")
    me.get_by_role("link", name="Start a check").click()
    answer_emergency(me)
    answer_warning(me)
    answer_pain(me, 4)
    expect(h1(me)).to_have_text(WALK_GENTLY.headline)

    # Signing up keeps the check done on this phone.
    me.goto("/signup")
    expect(me.locator(".notice")).to_contain_text("checks and walks you already did")
    look(me, "signup")
    sign_up_in_browser(me, "sam")
    expect(me.get_by_role("status")).to_contain_text("Your account is ready")
    look(me, "account")
    me.get_by_role("link", name=re.compile("^Your diary")).click()
    checks = me.get_by_role("region", name="Checks").get_by_role("row")
    expect(checks).to_have_count(2)  # the header and the check from before signing up
    expect(checks.nth(1)).to_contain_text(WALK_GENTLY.short)

    # The walk, from the result page: a check-in, then five minutes, then finished.
    me.get_by_role("region", name="Checks").get_by_role("link").first.click()
    expect(h1(me)).to_have_text(WALK_GENTLY.headline)
    start_walk(me)
    expect(sync_status(me)).to_have_text(SAVED)
    me.clock.run_for("02:01")
    check_in(me, pain=4)
    expect(outcome_title(me)).to_have_text(RB.checkin_action("continue").headline)
    me.clock.run_for("03:00")
    finish = me.locator("[data-finish-panel]")
    expect(finish).to_be_visible()
    finish.get_by_role("group", name="Your pain now, after the walk").get_by_role(
        "radio", name="3", exact=True
    ).check()
    me.get_by_role("button", name="I finished the walk").click()
    expect(outcome_title(me)).to_have_text("Walk complete. Well done.")
    expect(sync_status(me)).to_have_text(SAVED)

    # A share code, shown once.
    me.goto("/account")
    me.get_by_role("link", name="Share your diary with a clinician").click()
    expect(h1(me)).to_have_text("Share with a clinician")
    me.get_by_role("button", name="Make a share code").click()
    code = me.locator(".share-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code), code
    expect(me.get_by_text(f"Code ending {code[-4:]}: not used yet")).to_be_visible()
    look(me, "sharing-code")

    # The clinician, on their own phone: wrong password first, then in, then the code.
    create_clinician(hosted_server.app_url, CLINICIAN, CLINICIAN_PASSWORD)
    doc = phone()
    sign_in(doc, CLINICIAN, "not the password")
    expect(doc.get_by_role("alert")).to_be_visible()
    expect(doc.get_by_label("Username")).to_have_value(CLINICIAN)
    look(doc, "login-error")
    doc.get_by_label("Password").fill(CLINICIAN_PASSWORD)
    doc.get_by_role("button", name="Sign in").click()
    expect(h1(doc)).to_have_text("Your people")
    expect(doc.get_by_text("No diaries are shared with you at the moment")).to_be_visible()
    doc.get_by_label("Their share code").fill("ABCD-EFGH-JKMN")  # nobody's
    doc.get_by_role("button", name="Add").click()
    expect(doc.get_by_role("alert")).to_contain_text("That code does not work")
    expect(doc.get_by_label("Their share code")).to_be_focused()  # to type it again
    expect(doc.get_by_role("alert")).to_be_in_viewport()
    add_person(doc, code.lower().replace("-", " "))  # typed any old way
    add_person(doc, person_with_a_warning_sign(hosted_server, "alex"))
    people = doc.locator(".share-list > li")
    expect(people).to_have_count(2)
    expect(people.first).to_contain_text("alex")  # warning signs first
    expect(people.first).to_contain_text(RB.question_by_id["saddle_numbness"].label)
    expect(people.nth(1)).to_contain_text(f"{WALK_GENTLY.short}, pain 4/10")
    look(doc, "clinician")
    person = doc.get_by_role("link", name="sam")

    # The person's diary, read-only: the check and the walk, then the report.
    person.click()
    expect(h1(doc)).to_have_text("sam")
    person_path = doc.url.removeprefix(hosted_server.url)
    assert re.fullmatch(r"/clinician/people/\d+", person_path), person_path
    check_rows = doc.get_by_role("table").first.get_by_role("row")
    expect(check_rows).to_have_count(2)
    expect(check_rows.nth(1)).to_contain_text(WALK_GENTLY.short)
    walk_rows = doc.get_by_role("table").nth(1).get_by_role("row")
    expect(walk_rows).to_have_count(2)
    expect(walk_rows.nth(1)).to_contain_text("Completed")
    expect(walk_rows.nth(1)).to_contain_text("4 / 3")
    look(doc, "clinician-person")
    report = doc.get_by_role("link", name="Report")
    expect(report).to_have_attribute("href", person_path + "/report")
    # The bare link fails today (see test_the_report_link_opens_the_report): a period, then.
    doc.goto(person_path + "/report?days=14")
    expect(h1(doc)).to_have_text(re.compile(r"^Back spasm self-care diary: \w+$"))
    expect(doc.locator("body")).to_contain_text("1 guided walk, 5 minutes in all (1 completed")
    expect(doc.locator("body")).to_contain_text(WALK_GENTLY.short)
    # The report is the report module's own page (shared with local mode): at 200% zoom its
    # table rows stack as cards, so nothing scrolls sideways.
    look(doc, "clinician-report")

    # The person sees who reads their diary, and stops it.
    me.goto("/sharing")
    expect(me.locator(".share-code")).to_have_count(0)  # the code was shown once only
    active = me.get_by_role("listitem").filter(has_text=f"{CLINICIAN} can read your diary")
    expect(active).to_be_visible()
    look(me, "sharing-shares")
    active.get_by_role("button", name="Stop this share").click()
    expect(h1(me)).to_have_text("Share with a clinician")
    expect(me.get_by_text(f"Stopped ({CLINICIAN})")).to_be_visible()
    expect(me.get_by_role("button", name="Stop this share")).to_have_count(0)

    # The clinician's next load finds nothing, and the list no longer has them.
    answer = doc.goto(person_path)
    assert answer is not None and answer.status == 404
    assert doc.goto(person_path + "/report?days=14").status == 404
    doc.goto("/clinician")
    expect(doc.get_by_role("link", name="sam")).to_have_count(0)
    expect(doc.get_by_role("link", name="alex")).to_be_visible()


# ------------------------------------------------------------------------------------------
# The account: signing out, here and everywhere, and deleting it
# ------------------------------------------------------------------------------------------


def test_sign_out_here_and_on_every_device(
    phone: Phone,  # noqa: F811
) -> None:
    mine, other = phone(), phone()
    sign_up_in_browser(mine, "pat")
    sign_in(other, "pat", PASSWORD)
    expect(h1(other)).not_to_have_text("Sign in")

    mine.goto("/account")
    mine.get_by_role("button", name="Sign out", exact=True).click()
    expect(mine.get_by_role("status")).to_contain_text("You are signed out.")
    signed_out(mine)
    other.goto("/account")
    expect(h1(other)).to_have_text("Your account")  # only this phone was signed out

    sign_in(mine, "pat", PASSWORD)
    mine.goto("/account")
    mine.get_by_role("button", name="Sign out on every device").click()
    expect(mine.get_by_role("status")).to_contain_text("You are signed out.")
    signed_out(mine)
    signed_out(other)  # the other phone too


def test_deleting_the_account_asks_for_the_password(
    phone: Phone,  # noqa: F811
) -> None:
    me = phone()
    sign_up_in_browser(me, "kim")
    me.get_by_label("Your password, to confirm").fill("not my password")
    me.get_by_role("button", name="Delete my account and diary").click()
    expect(me.get_by_role("alert")).to_have_text(
        "That password is not right, so nothing was deleted."
    )
    expect(me.get_by_label("Your password, to confirm")).to_be_focused()
    expect(me.get_by_role("alert")).to_be_in_viewport()  # not below the fold
    look(me, "account-delete-error")
    me.get_by_label("Your password, to confirm").fill(PASSWORD)
    me.get_by_role("button", name="Delete my account and diary").click()
    expect(me).to_have_url(re.compile(r"/login\?deleted=1$"))
    expect(h1(me)).to_be_visible()
    look(me, "home-after-delete", axe=False)
    signed_out(me)
    sign_in(me, "kim", PASSWORD)
    expect(me.get_by_role("alert")).to_be_visible()
    expect(h1(me)).to_have_text("Sign in")


# ------------------------------------------------------------------------------------------
# Known bugs in backwalk/hosted/pages.py (clinician_report): strict, so a fix shows up here
# ------------------------------------------------------------------------------------------


def _clinician_on_a_report(open_phone: Phone, server: HostedServer) -> Any:
    code = person_with_a_warning_sign(server, "robin")
    create_clinician(server.app_url, CLINICIAN, CLINICIAN_PASSWORD)
    doc = open_phone()
    sign_in(doc, CLINICIAN, CLINICIAN_PASSWORD)
    add_person(doc, code)
    doc.get_by_role("link", name="robin").click()
    expect(h1(doc)).to_have_text("robin")
    return doc


def test_the_report_link_opens_the_report(
    phone: Phone,  # noqa: F811
    hosted_server: HostedServer,  # noqa: F811
) -> None:
    doc = _clinician_on_a_report(phone, hosted_server)
    doc.get_by_role("link", name="Report").click()
    expect(h1(doc)).to_have_text(re.compile(r"^Back spasm self-care diary: \w+$"), timeout=3000)


def test_the_report_leads_back_to_the_person(
    phone: Phone,  # noqa: F811
    hosted_server: HostedServer,  # noqa: F811
) -> None:
    doc = _clinician_on_a_report(phone, hosted_server)
    person_path = doc.url.removeprefix(hosted_server.url)
    doc.goto(person_path + "/report?days=14")
    expect(h1(doc)).to_have_text(re.compile(r"^Back spasm self-care diary: \w+$"))
    expect(doc.get_by_role("link", name="Back", exact=True)).to_have_attribute(
        "href", person_path, timeout=3000
    )


def test_a_shared_phone_never_sends_the_last_persons_offline_check(
    phone: Phone,  # noqa: F811
) -> None:
    """Issue 18: person A's check, decided offline and still waiting to be sent, is deleted
    with everything else the phone kept when A signs out; person B, signing in on the same
    phone, never gets it in their diary."""
    page = phone()
    sign_up_in_browser(page, "ann")
    page.goto("/check")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    page.goto("/check?new=1")
    page.get_by_role("button", name="None of these").click()
    page.get_by_role("button", name="None of these").click()
    page.locator("#q-pain_score").get_by_role("radio", name="4", exact=True).check()
    page.get_by_role("button", name="See my result").click()
    expect(page.locator("[data-phone-status]")).to_contain_text("Decided on this phone")
    page.context.route("**/api/checks", lambda route: route.abort())  # it cannot be sent yet
    page.context.set_offline(False)
    outbox = "async () => (await indexedDB.databases()).some((d) => d.name === 'backwalk')"
    assert page.evaluate(outbox)  # waiting to be sent
    page.goto("/account")
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("deleted too")
    for _ in range(50):  # deleting a database may wait for its last connection to close
        if not page.evaluate(outbox):
            break
        page.wait_for_timeout(100)
    assert not page.evaluate(outbox), "the outbox outlived the sign-out"
    page.context.unroute("**/api/checks")
    sign_up_in_browser(page, "ben")
    page.goto("/check?new=1")
    page.wait_for_load_state("networkidle")
    checks = page.evaluate("async () => (await fetch('/api/checks')).json()")
    assert checks == []


def test_an_update_queued_for_another_person_is_never_sent(phone: Phone) -> None:  # noqa: F811
    """Issue 18, the second line of defence behind clearing the phone at sign-out: each queued
    update names whose diary it is, and a page of another person deletes it unsent."""
    page = phone()
    sign_up_in_browser(page, "cara")
    page.goto("/check")
    owner = page.locator('meta[name="backwalk-owner"]').get_attribute("content")
    assert owner and owner not in ("none", "local")
    sent = page.evaluate(
        """async () => {
          const q = await import('/static/js/queue.js');
          await q.pending();  // opens (and creates) the outbox
          const db = await new Promise((ok) => {
            const r = indexedDB.open('backwalk', 1);
            r.onsuccess = () => ok(r.result);
          });
          const foreign = {
            id: 'foreign-1', kind: 'check', url: '/api/checks',
            body: {answers: {pain_score: 3}, client_id: 'foreign-1'},
            owner: 'somebody-else', queuedAt: 0, seq: 0,
          };
          await new Promise((ok) => {
            const tx = db.transaction('outbox', 'readwrite');
            tx.objectStore('outbox').put(foreign);
            tx.oncomplete = ok;
          });
          db.close();
          await q.flush();
          const left = await q.pending();
          const checks = await (await fetch('/api/checks')).json();
          return {left: left.length, checks: checks.length};
        }"""
    )
    assert sent == {"left": 0, "checks": 0}


def test_the_hosted_menu_fits_on_one_line_of_a_phone(phone: Phone) -> None:  # noqa: F811
    page = phone()
    sign_up_in_browser(page, "dora")
    tops = page.eval_on_selector_all(
        "nav[aria-label='Main'] li", "items => items.map((li) => li.getBoundingClientRect().top)"
    )
    widths = page.eval_on_selector_all(
        "nav[aria-label='Main'] li, nav[aria-label='Main'], .site-header .bar",
        "items => items.map((e) => [e.tagName, Math.round(e.getBoundingClientRect().width)])",
    )
    assert len(tops) == 6 and len(set(tops)) == 1, (tops, widths)
