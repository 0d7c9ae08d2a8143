"""One person's journey through hosted mode, for locust (run by `benchmarks.hosted`).

Each simulated person signs up, saves a check that says walk gently, starts a walk, checks in
three times, finishes it and opens their history: once. Then they wait, and when every person
has finished (or broken off), locust is told to quit, so a run lasts as long as the work and
`--run-time` is only the upper bound.

Requests are named by route template (`/api/walks/{id}/checkins`), so the stats group per route
rather than per walk. Any status other than the one the route promises is a failure, and it
ends that person's journey: the next steps would only fail in its wake.

Each journey is also reported as a request of type `journey`, so the stats CSV says how many
journeys finished (its requests), how many broke off (its failures) and how long one took;
`benchmarks.hosted` leaves that row out of the per-route and total figures.

BACKWALK_BENCH_RUN (a few letters or digits) makes the usernames unique to a run.
"""

from __future__ import annotations

import os
import time
from typing import Any

import gevent
from locust import HttpUser, constant, events, task
from locust.env import Environment
from locust.stats import CSV_STATS_INTERVAL_SEC

from backwalk.rules import default_rulebook

RUN_ID = os.environ.get("BACKWALK_BENCH_RUN", str(os.getpid()))
PASSWORD = "walk-gently-every-day"
JOURNEY_TYPE = "journey"
JOURNEY_NAME = "sign up to history"
CHECKINS = 3
PAIN = 4
PAIN_AFTER = 3
# Quit only after the CSV writer (every CSV_STATS_INTERVAL_SEC) has written the last requests.
QUIT_DELAY = CSV_STATS_INTERVAL_SEC + 0.5
# A person who has finished waits this long, i.e. until the run is over: one journey each.
AFTER_JOURNEY = 3600


def check_answers() -> dict[str, Any]:
    """No red flag, no sign to rest, pain 4: the rulebook's walk gently."""
    answers: dict[str, Any] = {flag.id: False for flag in default_rulebook().red_flags}
    answers.update(sharp_pain=False, unrelenting_pain=False, hard_to_stand=False)
    answers["pain_score"] = PAIN
    return answers


ANSWERS = check_answers()


class JourneyBroken(Exception):
    """A step answered something other than it promised; the journey stops there."""


class Journeys:
    """How many people have finished or broken off, and when to quit because all have."""

    done = 0
    number = 0  # hands out the usernames

    @classmethod
    def next_username(cls) -> str:
        cls.number += 1
        return f"bench{RUN_ID}x{cls.number}"

    @classmethod
    def finished(cls, environment: Environment) -> None:
        cls.done += 1
        expected = environment.parsed_options.num_users if environment.parsed_options else None
        runner = environment.runner
        if expected and cls.done >= expected and runner is not None:
            # Not from this user's own greenlet: quitting stops every user, this one too.
            gevent.spawn_later(QUIT_DELAY, runner.quit)


class Person(HttpUser):
    """Someone with a back spasm, on their first day with the hosted app."""

    wait_time = constant(AFTER_JOURNEY)

    @task
    def journey(self) -> None:
        started = time.perf_counter()
        broken: Exception | None = None
        try:
            self.walk_once()
        except Exception as err:  # any surprise ends this journey, never the count of them
            broken = err
        events.request.fire(
            request_type=JOURNEY_TYPE,
            name=JOURNEY_NAME,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=broken,
            context={},
        )
        Journeys.finished(self.environment)

    def walk_once(self) -> None:
        username = Journeys.next_username()
        self.call("POST", "/api/accounts", 201, {"username": username, "password": PASSWORD})
        check = self.call("POST", "/api/checks", 201, {"answers": ANSWERS})
        disposition = check["assessment"]["disposition"]
        if disposition != "walk_gently":
            raise JourneyBroken(f"the check said {disposition}, not walk_gently")
        walk = self.call("POST", "/api/walks", 201, {"pain_before": PAIN})
        walk_id, seconds = walk["id"], walk["planned_minutes"] * 60
        for n in range(1, CHECKINS + 1):
            body = {
                "current_pain": PAIN,
                "sharp_or_shooting": False,
                "elapsed_seconds": seconds * n // (CHECKINS + 1),
                "client_id": f"{username}-{n}",
            }
            path = f"/api/walks/{walk_id}/checkins"
            answer = self.call("POST", path, 201, body, name="/api/walks/{id}/checkins")
            if answer["result"]["action"] != "continue":
                raise JourneyBroken(f"check-in {n} said {answer['result']['action']}")
        finish = {"status": "completed", "elapsed_seconds": seconds, "pain_after": PAIN_AFTER}
        path = f"/api/walks/{walk_id}/finish"
        self.call("POST", path, 200, finish, name="/api/walks/{id}/finish")
        history = self.call("GET", "/api/walks", 200)
        if [w["status"] for w in history] != ["completed"]:
            raise JourneyBroken(f"history shows {[w['status'] for w in history]}, not 1 walk")

    def call(
        self,
        method: str,
        path: str,
        expect: int,
        body: dict[str, Any] | None = None,
        name: str | None = None,
    ) -> Any:
        """One request; anything but the `expect`ed status is a failure that ends the journey."""
        with self.client.request(
            method, path, json=body, name=name or path, catch_response=True
        ) as response:
            where = f"{method} {name or path}"
            if response.status_code != expect:
                why = f"{response.status_code}, not {expect}"
                if not response.status_code:  # no answer at all: the exception says why
                    why = f"no answer ({response.error!r})"
                response.failure(f"{why}: {(response.text or '')[:200]}")
                raise JourneyBroken(f"{where}: {why}")
            try:
                data = response.json()
            except ValueError:
                response.failure("not JSON")
                raise JourneyBroken(f"{where}: not JSON") from None
            response.success()
            return data
