"""WCAG 2.2 AA on the hosted pages, at phone and desktop size, in each language of LANGUAGES:
the checks axe does not make (tests/web/wcag22.py: target size, focus not obscured, no
dragging, the way to urgent help in the same place, reflow at 320 px) on sign-up, sign-in,
the account, sharing, the clinician's pages and report, and an error page; and 3.3.8
Accessible Authentication: signing in takes a password that can be pasted or filled in by a
password manager, and no test of memory or puzzle."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.hosted.browser_helpers import (  # noqa: F401
    CLINICIAN,
    CLINICIAN_PASSWORD,
    HostedServer,
    Open,
    create_clinician,
    device,
    hosted_server,
    share_code_of_new_person,
    sign_in,
    sign_up,
)
from tests.web.conftest import SIZES
from tests.web.wcag22 import (
    LANGUAGES,
    dragging_only,
    expected_help,
    obscured_focus,
    sideways_scroll,
    small_targets,
    urgent_help,
)

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

# A password as a manager makes one: long, with characters nobody would type.
MANAGED_PASSWORD = "vT9#qL!x2$Rk@8mZ^w4&"


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _wcag22_problems(page: Any, server: HostedServer, lang: str) -> list[str]:
    state = server.app.state.web
    expect(page.locator("html")).to_have_attribute("lang", lang)
    problems = [f"2.5.8 target under 24 x 24 px: {t}" for t in small_targets(page)["small"]]
    found = urgent_help(page)
    text = state.rb.notes.urgent_help.format(number=state.emergency_number)
    if found != expected_help(state.emergency_number, text):
        problems.append(f"3.2.6 the way to urgent help is not where every page has it: {found}")
    problems += [f"2.5.7 worked by dragging: {d}" for d in dragging_only(page)]
    wide = sideways_scroll(page)
    if wide:
        problems.append(f"1.4.10 at 320 px the page is {wide}")
    hidden, focused = obscured_focus(page)
    problems += [f"2.4.11 {p}" for p in hidden]
    if not focused:
        problems.append("Tab reached nothing")
    return problems


@pytest.mark.parametrize("size", list(SIZES))
def test_wcag22_on_every_hosted_page(
    device: Open,  # noqa: F811
    hosted_server: HostedServer,  # noqa: F811
    lang: str,
    size: str,
) -> None:
    problems: dict[str, list[str]] = {}

    def look(page: Any, name: str) -> None:
        expect(page.locator("main")).to_be_visible()
        problems[name] = _wcag22_problems(page, hosted_server, lang)

    me = device(size, lang)
    me.goto("/signup")
    look(me, "signup")
    me.goto("/login")
    look(me, "login")
    sign_in(me, "nobody", "not a password")
    expect(me.get_by_role("alert")).to_be_visible()
    look(me, "login-error")
    sign_up(me, "sam")
    look(me, "account")
    me.goto("/sharing")
    me.get_by_role("button", name="Make a share code").click()
    code = me.locator(".share-code").inner_text()
    look(me, "sharing")

    create_clinician(hosted_server.app_url, CLINICIAN, CLINICIAN_PASSWORD)
    doc = device(size, lang)
    sign_in(doc, CLINICIAN, CLINICIAN_PASSWORD)
    expect(doc.get_by_role("heading", level=1)).to_have_text("Your people")
    for given in (code, share_code_of_new_person(hosted_server, "alex")):
        doc.get_by_label("Their share code").fill(given)
        doc.get_by_role("button", name="Add").click()
        expect(doc.get_by_role("status")).to_contain_text("Added")
    look(doc, "clinician")
    doc.get_by_label("Their share code").fill("ABCD-EFGH-JKMN")
    doc.get_by_role("button", name="Add").click()
    expect(doc.get_by_role("alert")).to_be_visible()
    look(doc, "clinician-code-error")
    doc.get_by_role("link", name="alex").click()
    look(doc, "clinician-person")
    person = doc.url.removeprefix(hosted_server.url)
    doc.goto(person + "/report?days=14")
    look(doc, "clinician-report")
    doc.goto("/clinician/people/999999")
    look(doc, "not-shared")

    found = {name: p for name, p in problems.items() if p}
    assert not found, "\n".join(
        f"{n} [{size}, {lang}]: " + "\n  ".join(p) for n, p in found.items()
    )


# ------------------------------------------------------------------------------------------
# 3.3.8 Accessible Authentication (Minimum)
# ------------------------------------------------------------------------------------------

FIELDS_JS = """(form) => [...form.elements]
    .filter((el) => el.type !== 'hidden' && el.tagName !== 'BUTTON')
    .map((el) => [el.name, el.type, el.autocomplete])"""
# A paste as a browser delivers it: cancelable, so a page could refuse it; none may.
PASTE_REFUSED_JS = """(el) => {
  const data = new DataTransfer();
  data.setData('text/plain', 'x');
  const paste = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
  return !el.dispatchEvent(paste);
}"""


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        (
            "/login",
            [["username", "text", "username"], ["password", "password", "current-password"]],
        ),
        (
            "/signup",
            [
                ["username", "text", "username"],
                ["password", "password", "new-password"],
                ["password_again", "password", "new-password"],
            ],
        ),
    ],
)
def test_sign_in_forms_tell_password_managers_what_each_field_is(
    device: Open,  # noqa: F811
    path: str,
    fields: list[list[str]],
) -> None:
    """Only a username and a password (no puzzle, no question to remember, no code to copy),
    each named for password managers, and none refuses a paste."""
    page = device()
    page.goto(path)
    form = page.locator("main form")
    expect(form).to_have_count(1)
    assert form.evaluate(FIELDS_JS) == fields
    for name, _, _ in fields:
        assert not page.locator(f"[name={name}]").evaluate(PASTE_REFUSED_JS), name
    main = page.locator("main")
    expect(main.locator("img, canvas, iframe, audio, video, [class*=captcha]")).to_have_count(0)


def test_the_password_to_delete_an_account_is_the_current_one(device: Open) -> None:  # noqa: F811
    page = device()
    sign_up(page, "pat")
    field = page.get_by_label("Your password, to confirm")
    expect(field).to_have_attribute("autocomplete", "current-password")
    expect(field).to_have_attribute("type", "password")
    assert not field.evaluate(PASTE_REFUSED_JS)


def test_a_pasted_password_signs_in(
    device: Open,  # noqa: F811
    hosted_server: HostedServer,  # noqa: F811
) -> None:
    """The password goes on the clipboard (as a password manager copies it) and is pasted
    with the keyboard into sign-up and sign-in."""
    page = device(permissions=["clipboard-read", "clipboard-write"])
    page.goto("/signup")
    page.evaluate("(text) => navigator.clipboard.writeText(text)", MANAGED_PASSWORD)
    page.get_by_label("Username").fill("kim")
    for label in ("Password", "The same password again"):
        page.get_by_label(label, exact=True).focus()
        page.keyboard.press("ControlOrMeta+V")
        expect(page.get_by_label(label, exact=True)).to_have_value(MANAGED_PASSWORD)
    page.get_by_role("button", name="Make my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")

    other = device(permissions=["clipboard-read", "clipboard-write"])
    other.goto("/login")
    other.evaluate("(text) => navigator.clipboard.writeText(text)", MANAGED_PASSWORD)
    other.get_by_label("Username").fill("kim")
    other.get_by_label("Password").focus()
    other.keyboard.press("ControlOrMeta+V")
    other.get_by_role("button", name="Sign in").click()
    other.goto("/account")
    expect(other.get_by_role("heading", level=1)).to_have_text("Your account")


def test_a_filled_in_password_signs_in_with_no_typing(
    device: Open,  # noqa: F811
    hosted_server: HostedServer,  # noqa: F811
) -> None:
    """As a password manager fills the form: both fields set at once, then the button."""
    with httpx.Client(base_url=hosted_server.url, timeout=10) as api:
        made = api.post("/api/accounts", json={"username": "lee", "password": MANAGED_PASSWORD})
        assert made.status_code == 201, made.text
    page = device()
    page.goto("/login")
    page.evaluate(
        """([user, password]) => {
          for (const [id, value] of [['username', user], ['password', password]]) {
            const field = document.getElementById(id);
            field.value = value;
            field.dispatchEvent(new Event('input', {bubbles: true}));
            field.dispatchEvent(new Event('change', {bubbles: true}));
          }
        }""",
        ["lee", MANAGED_PASSWORD],
    )
    page.get_by_role("button", name="Sign in").click()
    page.goto("/account")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
