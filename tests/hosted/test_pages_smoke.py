"""The hosted pages render and their forms work, end to end, without a browser."""

from __future__ import annotations

import re

from tests.hosted.conftest import PASSWORD, save_check


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_pages(make_client) -> None:
    anon = make_client()
    page = anon.get("/signup")
    assert page.status_code == 200
    assert "No email" in page.text
    done = anon.post(
        "/signup",
        data={
            "username": "pat",
            "password": PASSWORD,
            "password_again": PASSWORD,
            "csrf_token": csrf(page.text),
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    account = anon.get("/account")
    assert "pat" in account.text
    sharing = anon.post("/sharing", data={"csrf_token": csrf(account.text)})
    code = re.search(r'class="share-code">([A-Z0-9-]+)<', sharing.text).group(1)
    save_check(anon)
    assert anon.get("/clinician").status_code == 403
    print(sharing.text[:100])
    assert code
