"""Outcome measures and progress: is the back getting better in ways that matter to the person?

Three measures, each judged against a published threshold kept in the rulebook with its source:

- pain (0 to 10, from the checks): better after a fall of 2 points or of 30%;
- the activities the back makes hard, each rated 0 to 10 once a week (the Patient-Specific
  Functional Scale method): better after a rise of 2 points in their average;
- a global rating of change (-3 to +3) once a week: 'much better' (+2) or more is an important
  improvement.

Pure functions over diary records, so the CLI, the web app and the report say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from backwalk.i18n.numbers import one_decimal
from backwalk.rules import Rulebook, Threshold, default_rulebook

if TYPE_CHECKING:
    from backwalk.diary import CheckRecord, Diary
    from backwalk.diary.measures import ActivityScore, OutcomeRecord
    from backwalk.diary.records import CheckSummary

BETTER, SAME, WORSE = "better", "same", "worse"


# ------------------------------------------------------------------------------------------------
# when to ask
# ------------------------------------------------------------------------------------------------


def measures_due(
    *, earlier_checks: int, last_measure_at: datetime | None, now: datetime, every_days: int
) -> bool:
    """Whether the weekly questions are due: never at the very first check (there must be an
    earlier one), then whenever `every_days` have passed since the last answers."""
    if earlier_checks < 1:
        return False
    return last_measure_at is None or now - last_measure_at >= timedelta(days=every_days)


def weekly_measures_due(
    diary: Diary, now: datetime, current_check_id: int | None = None, rb: Rulebook | None = None
) -> bool:
    """`measures_due` for the diary, not counting the check just saved (`current_check_id`)."""
    rb = rb or default_rulebook()
    earlier = [c for c in diary.checks(limit=2) if c.id != current_check_id and c.at <= now]
    last = diary.latest_outcome()
    return measures_due(
        earlier_checks=len(earlier),
        last_measure_at=last.at if last else None,
        now=now,
        every_days=rb.outcomes.every_days,
    )


def activities_to_rate(diary: Diary) -> tuple[str, ...]:
    """The activities named last time, to be rated again (empty: name them afresh)."""
    last = next((m for m in reversed(diary.outcomes(limit=10)) if m.activities), None)
    return tuple(a.activity for a in last.activities) if last else ()


# ------------------------------------------------------------------------------------------------
# the thresholds (table-tested)
# ------------------------------------------------------------------------------------------------


def pain_change(first: int, latest: int, threshold: Threshold) -> str:
    """BETTER after a fall of `points` or of `percent` per cent; WORSE after a rise of `points`."""
    points = threshold.points or 0.0
    percent = threshold.percent or 0.0
    fall = first - latest
    if fall > 0 and (fall >= points or fall * 100 >= percent * first):
        return BETTER
    if -fall >= points:
        return WORSE
    return SAME


def activities_change(first: float, latest: float, threshold: Threshold) -> str:
    """BETTER after the average rises by `points` or more; WORSE after it falls by as much."""
    points = threshold.points or 0.0
    rise = round(latest - first, 6)  # averages of thirds: no float noise at the threshold
    if rise >= points:
        return BETTER
    if -rise >= points:
        return WORSE
    return SAME


def global_change(value: int, threshold: Threshold) -> str:
    """BETTER at `at_least` or more (an important improvement), WORSE below zero."""
    if value >= (threshold.at_least or 0):
        return BETTER
    return WORSE if value < 0 else SAME


# ------------------------------------------------------------------------------------------------
# progress in words
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressLine:
    """One measure's progress: a sentence with its source, and the threshold it was judged by."""

    measure: str  # "pain", "activities" or "global_change"
    title: str
    message_id: str
    text: str
    source: str
    threshold: str
    threshold_source: str
    first: float | None = None
    latest: float | None = None


def progress(
    checks: Sequence[CheckRecord | CheckSummary],
    measures: Sequence[OutcomeRecord],
    rb: Rulebook | None = None,
) -> list[ProgressLine]:
    """Progress on pain, activities and overall change, from checks and measures (oldest first)."""
    rb = rb or default_rulebook()
    return [
        _pain_line(checks, rb),
        _activities_line(measures, rb),
        _global_line(measures, rb),
    ]


def _pain_line(checks: Sequence[CheckRecord | CheckSummary], rb: Rulebook) -> ProgressLine:
    scored = [c for c in checks if c.pain_score is not None]
    threshold = rb.outcomes.threshold("pain")
    title = rb.question_by_id["pain_score"].label.capitalize()
    apart = timedelta(hours=rb.outcomes.pain_compare_after_hours)
    if len(scored) < 2 or scored[-1].at - scored[0].at < apart:
        return _line(rb, "pain", title, "pain_too_few", threshold)
    first, latest = scored[0].pain_score, scored[-1].pain_score
    assert first is not None and latest is not None
    verdict = pain_change(first, latest, threshold)
    return _line(rb, "pain", title, f"pain_{verdict}", threshold, first, latest)


def _activities_line(measures: Sequence[OutcomeRecord], rb: Rulebook) -> ProgressLine:
    rated = [m for m in measures if m.activities]
    threshold = rb.outcomes.threshold("activities")
    title = rb.outcomes.activities.title
    if not rated:
        return _line(rb, "activities", title, "activities_none", threshold)
    latest = rated[-1]
    same_set = [m for m in rated if _names(m.activities) == _names(latest.activities)]
    first = same_set[0]  # a new set of activities starts a new baseline
    latest_avg, first_avg = _average(latest), _average(first)
    if first is latest:
        return _line(rb, "activities", title, "activities_first", threshold, None, latest_avg)
    verdict = activities_change(first_avg, latest_avg, threshold)
    return _line(rb, "activities", title, f"activities_{verdict}", threshold, first_avg, latest_avg)


def _global_line(measures: Sequence[OutcomeRecord], rb: Rulebook) -> ProgressLine:
    rated = [m for m in measures if m.global_change is not None]
    threshold = rb.outcomes.threshold("global_change")
    title = rb.outcomes.global_change.title
    if not rated:
        return _line(rb, "global_change", title, "global_none", threshold)
    value = rated[-1].global_change
    assert value is not None
    verdict = global_change(value, threshold)
    label = rb.outcomes.global_change.label(value)
    line = _line(rb, "global_change", title, f"global_{verdict}", threshold, None, value)
    return _with_text(line, rb.outcomes.message(line.message_id).text.format(label=label))


def _line(
    rb: Rulebook,
    measure: str,
    title: str,
    message_id: str,
    threshold: Threshold,
    first: float | None = None,
    latest: float | None = None,
) -> ProgressLine:
    message = rb.outcomes.message(message_id)
    fill = {"first": _fmt(first), "latest": _fmt(latest), "label": ""}
    return ProgressLine(
        measure=measure,
        title=title,
        message_id=message_id,
        text=message.text.format(**fill),
        source=rb.sources[message.source].cite,
        threshold=threshold.text,
        threshold_source=rb.sources[threshold.source].cite,
        first=first,
        latest=latest,
    )


def _with_text(line: ProgressLine, text: str) -> ProgressLine:
    from dataclasses import replace

    return replace(line, text=text)


def _names(activities: Sequence[ActivityScore]) -> frozenset[str]:
    return frozenset(a.activity.casefold() for a in activities)


def _average(measure: OutcomeRecord) -> float:
    average = measure.activities_average
    assert average is not None
    return round(average, 1)


def _fmt(value: float | None) -> str:
    """4.5, or 4 rather than 4.0; a decimal comma in Spanish (backwalk.i18n.numbers)."""
    if value is None:
        return ""
    return one_decimal(value)
