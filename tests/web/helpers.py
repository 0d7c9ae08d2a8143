"""Helpers for driving the web app without a browser: CSRF tokens and the check's forms."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from backwalk.checkflow import screens
from backwalk.rules import default_rulebook

RB = default_rulebook()
SCREENS = screens(RB)
EMERGENCY_SIGNS = [q.id for q in SCREENS[0].questions]
OTHER_SIGNS = [q.id for q in SCREENS[1].questions]
RED_FLAGS = [q.id for q in RB.questions if q.group == "red_flag"]
PAIN_BOOLS = [q.id for q in RB.questions if q.group == "pain" and q.type == "bool"]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
Form = dict[str, Any]


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    if match is None:
        raise AssertionError("no CSRF token in the page")
    return match.group(1)


def signs_form(yes: tuple[str, ...] = (), unsure: tuple[str, ...] = (), **extra: str) -> Form:
    """Ticked warning signs (either screen): `yes` ticked, `unsure` marked 'Not sure'."""
    return {**dict.fromkeys(yes, "yes"), **dict.fromkeys(unsure, "unsure"), **extra}


def pain_form(score: int | None, yes: tuple[str, ...] = ()) -> Form:
    form: Form = dict.fromkeys(yes, "yes")
    if score is not None:
        form["pain_score"] = str(score)
    return form


def _screen_part(form: Form, ids: list[str]) -> Form:
    """The part of a signs form for one screen: its own signs, and any non-sign fields."""
    return {k: v for k, v in form.items() if k in ids or k not in RED_FLAGS}


def do_check(
    client: Any,
    signs: Form | None = None,
    pain: Form | None = None,
    more: Form | None = None,
) -> Any:
    """Post the check's screens in order, following redirects; returns the last response.

    `signs` holds the ticked signs of both checklist screens; `pain` and `more` together make
    the last screen.
    """
    token = csrf_token(client.get("/check?new=1").text)
    signs = signs or {}
    response = client.post(
        "/check", data={"csrf_token": token, **_screen_part(signs, EMERGENCY_SIGNS)}
    )
    if response.url.path != "/check/warning":
        return response
    response = client.post(
        "/check/warning", data={"csrf_token": token, **_screen_part(signs, OTHER_SIGNS)}
    )
    if response.url.path != "/check/pain":
        return response
    last = {**(pain if pain is not None else pain_form(4)), **(more or {})}
    return client.post("/check/pain", data={"csrf_token": token, **last})


def answer_words(client: Any, page: Any, **answers: str) -> Any:
    """Answer the words screen (questions about the person's own text) and send it."""
    import html

    text = page.text.split('name="text" value="')[1].split('"')[0]
    data = {"csrf_token": csrf_token(page.text), "text": html.unescape(text), **answers}
    return client.post("/check/words", data=data)


def main_section(html: str) -> str:
    """The page's <main> element, as text."""
    start = html.index("<main")
    end = html.index("</main>") + len("</main>")
    return html[start:end]


def app_routes(app: Any) -> list[Any]:
    """Every APIRoute of the app, also inside included routers (newer FastAPI keeps those as
    wrappers in `app.routes`)."""
    from fastapi.routing import APIRoute

    found: list[Any] = []
    stack = list(app.routes)
    while stack:
        route = stack.pop(0)
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            stack.extend(route.original_router.routes)
    return found


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})"


def axe_violations_on(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on a page where axe is already loaded, one
    readable entry each (with up to five of the elements at fault)."""
    result = page.evaluate(AXE_RUN, AXE_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {n['target']} {n['failureSummary']}" for n in v["nodes"][:5])
        for v in result["violations"]
    ]


@contextmanager
def served(app: Any) -> Iterator[str]:
    """The app served by a real uvicorn in a thread on a free loopback port; yields its URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP_NODELAY
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True  # its lifespan closes the diary
        thread.join(timeout=10)
        sock.close()
