"""Lighthouse scores 100 for accessibility and for best practices on every hosted page (the
person's sign-up, sign-in, account and sharing pages; the clinician's people, a person's diary
and report; a share that does not exist), on a phone and a desktop. Slow."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
from tests.web.lighthouse import (
    FORM_FACTORS,
    Lighthouse,
    cookie_header,
    running_lighthouse,
    short_of_100,
)

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def lighthouse() -> Iterator[Lighthouse]:
    yield from running_lighthouse()


@pytest.mark.parametrize("form_factor", FORM_FACTORS)
def test_lighthouse_scores_100_on_every_hosted_page(
    device: Open,  # noqa: F811
    hosted_server: HostedServer,  # noqa: F811
    lighthouse: Lighthouse,
    form_factor: str,
) -> None:
    size = "phone" if form_factor == "mobile" else "desktop"
    problems: dict[str, list[str]] = {}

    def audit(page: Any, name: str, path: str, error_status: bool = False) -> None:
        url = hosted_server.url + path
        answer = lighthouse.audit(url, cookie_header(page), form_factor)
        problems[name] = short_of_100(answer, error_status=error_status)

    visitor = device(size)
    visitor.goto("/signup")
    audit(visitor, "signup", "/signup")
    audit(visitor, "login", "/login")

    me = device(size)
    sign_up(me, "sam")
    me.goto("/sharing")
    me.get_by_role("button", name="Make a share code").click()
    code = me.locator(".share-code").inner_text()
    audit(me, "account", "/account")
    audit(me, "sharing", "/sharing")

    create_clinician(hosted_server.app_url, CLINICIAN, CLINICIAN_PASSWORD)
    doc = device(size)
    sign_in(doc, CLINICIAN, CLINICIAN_PASSWORD)
    for given in (code, share_code_of_new_person(hosted_server, "alex")):
        doc.get_by_label("Their share code").fill(given)
        doc.get_by_role("button", name="Add").click()
        expect(doc.get_by_role("status")).to_contain_text("Added")
    audit(doc, "clinician", "/clinician")
    doc.get_by_role("link", name="alex").click()
    person = doc.url.removeprefix(hosted_server.url)
    audit(doc, "clinician-person", person)
    audit(doc, "clinician-report", person + "/report?days=14")
    audit(doc, "not-shared", "/clinician/people/999999", error_status=True)

    found = {name: p for name, p in problems.items() if p}
    assert not found, "\n".join(f"{n} [{form_factor}]:\n" + "\n".join(p) for n, p in found.items())
