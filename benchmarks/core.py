"""`assess` and `checkin` through the Python API: decisions per second on one core.

The answer sets are generated up front (a fixed seed, so every run times the same work) and mix
the three outcomes, with and without `onset_hours`, so no single branch of the engine is timed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from time import perf_counter
from typing import Any

from backwalk.rules import default_rulebook
from benchmarks.report import Figure

PART = "core"
ASSESS_TARGET = 100_000  # answer sets per second
MIN_SECONDS = 1.0
RUNS = 3

RED_FLAGS = tuple(f.id for f in default_rulebook().red_flags)  # contract v2: eighteen
REST_SIGNS = ("sharp_pain", "unrelenting_pain", "hard_to_stand")
KINDS = ("seek_care_now", "rest_first", "walk_gently")


def answer_sets(count: int = 3000, seed: int = 20260105) -> list[dict[str, Any]]:
    """`count` valid answer sets, a third of each disposition, in a shuffled but fixed order."""
    rng = random.Random(seed)
    sets = [_answers(rng, KINDS[i % 3]) for i in range(count)]
    rng.shuffle(sets)
    return sets


def _answers(rng: random.Random, kind: str) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for key in (*RED_FLAGS, *REST_SIGNS):
        if rng.random() < 0.6:  # the rest are left unanswered, as people do
            answers[key] = False
    if kind == "seek_care_now":
        answers[rng.choice(RED_FLAGS)] = True
        if rng.random() < 0.5:
            answers["pain_score"] = rng.randint(0, 10)
    elif kind == "rest_first":
        _rest_reason(rng, answers)
    else:
        answers["pain_score"] = rng.randint(0, 6)
    if rng.random() < 0.5:
        answers["onset_hours"] = round(rng.uniform(0, 120), 1)
    if rng.random() < 0.3:  # the optional questions about the person (see-a-GP rules)
        answers["age"] = rng.randint(18, 90)
        answers["first_episode"] = rng.random() < 0.3
    return answers


def _rest_reason(rng: random.Random, answers: dict[str, Any]) -> None:
    if rng.random() < 0.5:
        answers["pain_score"] = rng.randint(7, 10)
    else:
        answers[rng.choice(REST_SIGNS)] = True
        if rng.random() < 0.7:
            answers["pain_score"] = rng.randint(0, 10)


def checkin_sets(count: int = 3000, seed: int = 20260106) -> list[dict[str, Any]]:
    """Check-ins: mostly 'continue', some 'stop', a few red flags."""
    rng = random.Random(seed)
    sets = []
    for _ in range(count):
        data: dict[str, Any] = {
            "baseline_pain": rng.randint(0, 6),
            "current_pain": rng.randint(0, 8),
        }
        if rng.random() < 0.3:
            data["sharp_or_shooting"] = rng.random() < 0.3
        if rng.random() < 0.05:
            data[rng.choice(RED_FLAGS)] = True
        sets.append(data)
    return sets


def check_mix(sets: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Assess every set once (so a bad set fails here, not mid-timing) and count dispositions."""
    from backwalk import assess

    counts = dict.fromkeys(KINDS, 0)
    for answers in sets:
        counts[assess(answers)["disposition"]] += 1
    return counts


def rate(fn: Callable[[Any], Any], items: Sequence[Any], min_seconds: float = MIN_SECONDS) -> float:
    """Calls per second of `fn` over `items`, looping for at least `min_seconds`."""
    calls = 0
    start = perf_counter()
    while True:
        for item in items:
            fn(item)
        calls += len(items)
        elapsed = perf_counter() - start
        if elapsed >= min_seconds:
            return calls / elapsed


def best_rate(fn: Callable[[Any], Any], items: Sequence[Any], runs: int = RUNS) -> float:
    return max(rate(fn, items) for _ in range(runs))


def run() -> list[Figure]:
    from backwalk import assess, checkin

    sets = answer_sets()
    mix = check_mix(sets)
    with_onset = sum(1 for s in sets if "onset_hours" in s)
    print(f"  {len(sets)} answer sets: {mix}, {with_onset} with onset_hours", flush=True)
    assess_rate = best_rate(assess, sets)
    print(f"  assess: {assess_rate:,.0f} answer sets/s (best of {RUNS})", flush=True)
    checkin_rate = best_rate(checkin, checkin_sets())
    print(f"  checkin: {checkin_rate:,.0f} check-ins/s (best of {RUNS})", flush=True)
    return [
        Figure(
            PART,
            "assess() answer sets per second, one core",
            assess_rate,
            "/s",
            target=ASSESS_TARGET,
            note=f"best of {RUNS} runs of >= {MIN_SECONDS:g} s",
        ),
        Figure(
            PART,
            "checkin() check-ins per second, one core",
            checkin_rate,
            "/s",
            note="for reference",
        ),
    ]
