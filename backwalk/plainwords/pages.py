"""The web pages and the report, rendered in typical states, as texts to measure.

Each page is fetched from the real app (an in-memory test client over a throwaway SQLite diary
and a fixed clock), so the measured words are the ones a person gets, with the rulebook's
wording filled in. Two kinds are rendered from their templates instead: the words screen (the
app would first load the language module to read a text) and the hosted pages (they need
PostgreSQL), each with a typical context. In another language the browser asks for it
(Accept-Language), and the templates rendered directly are rendered with it active.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

from backwalk.plainwords.maintext import main_text
from backwalk.plainwords.texts import Text

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning
DAY = 86400.0


class Site:
    """One browser on a fresh local app: get pages, send the check's forms, use the API."""

    def __init__(self, client: Any, clock: Any, app: Any, lang: str = "en") -> None:
        self.client, self.clock, self.app, self.lang = client, clock, app, lang
        match = CSRF.search(self.get("/check?new=1"))  # this browser's token, for every form
        if match is None:
            raise RuntimeError("no CSRF token on /check")
        self.token = match.group(1)

    def get(self, path: str) -> str:
        return str(self.client.get(path).text)

    def post(self, path: str, form: dict[str, str]) -> str:
        return str(self.client.post(path, data={"csrf_token": self.token, **form}).text)

    def check(self, signs: dict[str, str] | None = None, last: dict[str, str] | None = None) -> str:
        """The check's three screens, as a person sends them; the last page reached."""
        token = self.token
        self.get("/check?new=1")
        response = self.client.post("/check", data={"csrf_token": token, **(signs or {})})
        if response.url.path != "/check/warning":
            return str(response.text)
        response = self.client.post("/check/warning", data={"csrf_token": token, **(signs or {})})
        if response.url.path != "/check/pain":
            return str(response.text)
        form = {"csrf_token": token, **(last or {"pain_score": "4"})}
        return str(self.client.post("/check/pain", data=form).text)

    def api(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(path, json=body).json()

    def render(self, name: str, **context: Any) -> str:
        """A template rendered as the app would, with a typical context (in the language
        active: `page_texts` makes the browser's active)."""
        return str(self.app.state.web.pages.page("/", name, **context))


@cache
def _empty_diary() -> str:
    """An empty diary, migrated once: each page starts from a copy (migrating takes a second)."""
    from backwalk.diary import open_diary

    folder = tempfile.mkdtemp(prefix="backwalk-plainwords-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = os.path.join(folder, "empty.db")
    open_diary(f"sqlite:///{path}").close()
    return path


def fresh_diary(folder: str) -> str:
    """A new, empty diary in `folder`, as a database URL."""
    path = os.path.join(folder, "diary.db")
    shutil.copyfile(_empty_diary(), path)
    return f"sqlite:///{path}"


@contextmanager
def site(lang: str = "en") -> Iterator[Site]:
    """A browser that reads `lang` (its Accept-Language) on a fresh local app."""
    from fastapi.testclient import TestClient

    from backwalk.clock import ManualClock
    from backwalk.web.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        clock = ManualClock(START)
        app = create_app(db_url=fresh_diary(folder), clock=clock, secret="p" * 40)
        try:
            with TestClient(app, headers={"Accept-Language": lang}) as client:
                yield Site(client, clock, app, lang)
        finally:
            app.state.web.diary.close()


WALK = {"pain_score": "4", "onset_hours": "30"}
# The API reference speaks to programmers (HTTP status codes, JSON): measured and shown, but
# not held to the reading age of a person in pain.
FOR_DEVELOPERS = {"API reference"}
PAGES: dict[str, Callable[[Site], str]] = {}


def page(name: str) -> Callable[[Callable[[Site], str]], Callable[[Site], str]]:
    def register(render: Callable[[Site], str]) -> Callable[[Site], str]:
        PAGES[name] = render
        return render

    return register


@page("home, before any check")
def _home(s: Site) -> str:
    return s.get("/")


@page("check: emergency signs")
def _check_one(s: Site) -> str:
    return s.get("/check?new=1")


@page("check: other warning signs")
def _check_two(s: Site) -> str:
    s.post("/check", {})
    return s.get("/check/warning")


@page("check: your pain")
def _check_three(s: Site) -> str:
    s.post("/check", {})
    s.post("/check/warning", {})
    return s.get("/check/pain")


@page("result: walk gently")
def _walk_gently(s: Site) -> str:
    return s.check(last=WALK)


@page("result: rest first")
def _rest_first(s: Site) -> str:
    return s.check(last={"pain_score": "8", "sharp_pain": "yes", "age": "40"})


@page("result: emergency")
def _emergency(s: Site) -> str:
    return s.check({"saddle_numbness": "yes"})


@page("result: be seen today")
def _same_day(s: Site) -> str:
    return s.check({"leg_pain_below_knee": "yes", "night_pain": "unsure"})


@page("result: GP soon, walk gently")
def _gp_soon(s: Site) -> str:
    return s.check(last={"pain_score": "4", "age": "55", "first_episode": "yes"})


@page("result: pregnancy warning")
def _pregnancy_warning(s: Site) -> str:
    return s.check({"pregnancy_warning": "yes"})


@page("home, a warning sign stands")
def _home_warning(s: Site) -> str:
    s.check({"night_pain": "yes"})
    return s.get("/")


@page("check: is it still so?")
def _still(s: Site) -> str:
    s.check({"night_pain": "yes"})
    s.clock.advance(3600)
    return s.get("/check?new=1")


@page("seen by a clinician?")
def _seen(s: Site) -> str:
    s.check({"night_pain": "yes"})
    return s.get("/seen")


@page("check: about what you wrote")
def _words(s: Site) -> str:
    from backwalk.rules import default_rulebook
    from backwalk.web.pages_words import WORDS_PATH, words_questions

    rb = default_rulebook()
    # Free text is read in English only, so in every language the words quoted are English.
    asked = [("both_legs", "my legs both feel weak"), ("night_pain", "it wakes me at night")]
    return s.render(
        "words.html",
        notes=rb.notes,
        questions=words_questions(rb, asked),
        text="My legs both feel weak and it wakes me at night.",
        values={},
        errors={},
        words_path=WORDS_PATH,
    )


@page("home, ready to walk")
def _home_ready(s: Site) -> str:
    s.check(last=WALK)
    return s.get("/")


@page("walk: ready to start")
def _walk_ready(s: Site) -> str:
    s.check(last=WALK)
    return s.get("/walk")


@page("walk: no check yet")
def _walk_refused(s: Site) -> str:
    return s.get("/walk")


@page("walk: in progress")
def _walk_going(s: Site) -> str:
    s.check(last=WALK)
    s.post("/walk/start", {"pain_before": "4"})
    s.clock.advance(120)
    return s.get("/walk")


@page("walk: summary")
def _walk_summary(s: Site) -> str:
    s.check(last=WALK)
    walk = s.api("/api/walks", {"pain_before": 4})
    s.clock.advance(300)
    body = {"status": "completed", "elapsed_seconds": 300, "pain_after": 3}
    s.api(f"/api/walks/{walk['id']}/finish", body)
    return s.get(f"/walks/{walk['id']}")


def _a_week_of_walks(s: Site) -> None:
    for day in range(7):
        s.api("/api/checks", {"answers": {"pain_score": 5 - day // 2, "sharp_pain": False}})
        walk = s.api("/api/walks", {"pain_before": 5 - day // 2})
        s.clock.advance(300)
        body = {"status": "completed", "elapsed_seconds": 300, "pain_after": 4 - day // 2}
        s.api(f"/api/walks/{walk['id']}/finish", body)
        s.clock.advance(DAY - 300)


@page("history, a week of walks")
def _history(s: Site) -> str:
    _a_week_of_walks(s)
    return s.get("/history")


@page("report, a week of walks")
def _report(s: Site) -> str:
    _a_week_of_walks(s)
    s.check({"night_pain": "yes"})
    return s.get("/report")


@page("delete everything?")
def _forget(s: Site) -> str:
    _a_week_of_walks(s)
    return s.get("/history/forget")


@page("weekly questions")
def _weekly(s: Site) -> str:
    return s.get("/weekly")


@page("keeping well: getting over a spasm")
def _keepwell_acute(s: Site) -> str:
    return s.get("/keepwell")


@page("keeping well: back to normal")
def _keepwell_recovered(s: Site) -> str:
    s.api("/api/recovered", {})
    return s.get("/keepwell")


@page("keeping well: a walking plan")
def _keepwell_plan(s: Site) -> str:
    s.api("/api/recovered", {})
    s.api("/api/programme", {"days": ["mon", "wed", "fri"], "minutes_per_walk": 10})
    s.api("/api/activity", {"minutes": 10})
    return s.get("/keepwell")


@page("learn")
def _learn(s: Site) -> str:
    return s.get("/learn")


@page("API reference")
def _api_docs(s: Site) -> str:
    return s.get("/docs")


@page("page not found")
def _not_found(s: Site) -> str:
    return s.get("/nowhere")


# Hosted mode's own pages (accounts, sharing, clinicians), from their templates.
PERSON = SimpleNamespace(username="sam", is_clinician=False)


@page("hosted: sign in")
def _login(s: Site) -> str:
    return s.render(
        "login.html",
        signed_out=True,
        clear_device=True,
        deleted=False,
        error="",
        next_page="/",
        username="",
    )


@page("hosted: make an account")
def _signup(s: Site) -> str:
    return s.render("signup.html", keeps_device=True, error="", username="")


@page("hosted: your account")
def _account(s: Site) -> str:
    return s.render("account.html", person=PERSON, welcome=True, error="", section="account")


@page("hosted: share with a clinician")
def _sharing(s: Site) -> str:
    return s.render("sharing.html", shares=[], now=START, new_code="ABCD-EFGH-JKMN")


@page("hosted: a clinician's people")
def _clinician(s: Site) -> str:
    return s.render("clinician.html", people=[], error="", added=False, section="clinician")


@page("hosted: a shared diary")
def _clinician_person(s: Site) -> str:
    return s.render(
        "clinician_person.html",
        person=PERSON,
        person_id=1,
        checks=[],
        walks=[],
        pain_chart="",
        minutes_chart="",
        section="clinician",
    )


def page_texts(lang: str = "en") -> list[Text]:
    """Every page's main text in `lang`, each page on a fresh diary."""
    from backwalk import i18n

    found = []
    for name, render in PAGES.items():
        with site(lang) as s, i18n.using(lang):
            text = main_text(render(s))
        kind = "report" if name.startswith("report") else "page"
        level = "developers" if name in FOR_DEVELOPERS else "everyday"
        found.append(Text(f"page: {name}", kind, level, text, lang))
    return found
