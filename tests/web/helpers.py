"""Helpers for driving the web app without a browser: CSRF tokens and the check's forms."""

from __future__ import annotations

import re
from typing import Any

from backwalk.rules import default_rulebook

RB = default_rulebook()
RED_FLAGS = [q.id for q in RB.questions if q.group == "red_flag" and q.follow_up_of is None]
PAIN_BOOLS = [q.id for q in RB.questions if q.group == "pain" and q.type == "bool"]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    if match is None:
        raise AssertionError("no CSRF token in the page")
    return match.group(1)


def signs_form(
    yes: tuple[str, ...] = (), unsure: tuple[str, ...] = (), **extra: str
) -> dict[str, str]:
    """Screen 1: every warning sign answered; `yes` and `unsure` name the exceptions."""
    form = {q: ("yes" if q in yes else "unsure" if q in unsure else "no") for q in RED_FLAGS}
    form.update(extra)
    return form


def pain_form(score: int | None, yes: tuple[str, ...] = ()) -> dict[str, str]:
    form = {q: ("yes" if q in yes else "no") for q in PAIN_BOOLS}
    if score is not None:
        form["pain_score"] = str(score)
    return form


def do_check(
    client: Any,
    signs: dict[str, str] | None = None,
    pain: dict[str, str] | None = None,
    more: dict[str, str] | None = None,
) -> Any:
    """Post the check's screens in order, following redirects; returns the last response."""
    token = csrf_token(client.get("/check?new=1").text)
    response = client.post("/check", data={"csrf_token": token, **(signs or signs_form())})
    if response.url.path != "/check/pain":
        return response
    response = client.post("/check/pain", data={"csrf_token": token, **(pain or pain_form(4))})
    if response.url.path != "/check/more":
        return response
    return client.post("/check/more", data={"csrf_token": token, **(more or {})})


def main_section(html: str) -> str:
    """The page's <main> element, as text."""
    start = html.index("<main")
    end = html.index("</main>") + len("</main>")
    return html[start:end]
