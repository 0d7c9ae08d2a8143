"""The walking plan as an iCalendar file, for the person's own calendar (`icalendar` package).

One all-day event repeating on the planned weekdays: backwalk does not know what time suits
the person, and an all-day entry is a reminder, not an appointment. Its UID never changes, and
its SEQUENCE grows with every change to the plan (a new choice, a step up or back), so a
calendar subscribed to /plan.ics replaces the old walks instead of adding a second set.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Calendar, Event, vRecur

from backwalk.programme import BACK, UP, ProgrammeState, day_names, weekday_code
from backwalk.rules import Rulebook, default_rulebook

PRODID = "-//backwalk//walking plan//EN"
UID = "walking-plan@backwalk"
ICAL_DAYS = {
    "mon": "MO",
    "tue": "TU",
    "wed": "WE",
    "thu": "TH",
    "fri": "FR",
    "sat": "SA",
    "sun": "SU",
}


def plan_calendar(
    state: ProgrammeState | None,
    stamp: datetime,
    changes: int = 0,
    rb: Rulebook | None = None,
) -> bytes:
    """The calendar file: empty (but valid, so a subscription can be made now) until a plan
    exists. `changes` counts the person's own changes to the plan; `stamp` is now."""
    rb = rb or default_rulebook()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", rb.programme.title)
    if state is not None:
        cal.add_component(_walks(state, stamp, changes, rb))
    return cal.to_ical()


def _walks(state: ProgrammeState, stamp: datetime, changes: int, rb: Rulebook) -> Event:
    event = Event()
    event.add("uid", UID)
    event.add("dtstamp", stamp)
    event.add("sequence", changes + sum(w.change in (UP, BACK) for w in state.weeks))
    event.add("summary", f"Walk {state.minutes_per_walk} minutes")
    first = first_walk_day(state.week_starts, state.days)
    event.add("dtstart", first)
    event.add("dtend", first + timedelta(days=1))
    event.add("rrule", vRecur(freq="WEEKLY", byday=[ICAL_DAYS[d] for d in state.days]))
    card = rb.card_for_week(state.week)
    event.add(
        "description",
        f"Week {state.week}: {state.minutes_per_walk} minutes on {day_names(state.days)}, "
        f"{state.target_minutes_per_week} minutes this week.\n\n{card.title}: {card.text}",
    )
    event.add("transp", "TRANSPARENT")  # a reminder: it does not make the person look busy
    return event


def first_walk_day(week_starts: date, days: tuple[str, ...]) -> date:
    """The first planned walking day on or after the first day of this programme week."""
    day = week_starts
    while weekday_code(day) not in days:
        day += timedelta(days=1)
    return day
