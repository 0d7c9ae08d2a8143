"""The walking plan as an iCalendar file, for the person's own calendar (`icalendar` package).

One all-day event repeating on the planned weekdays: backwalk does not know what time suits
the person, and an all-day entry is a reminder, not an appointment. Its UID never changes, and
its SEQUENCE grows with every change to the plan (a new choice, a step up or back, a pause), so
a calendar subscribed to /plan.ics replaces the old walks instead of adding a second set.

While a new episode has paused the plan, the same event stays on the walking days, marked
paused and saying when it picks up: a calendar that silently emptied would look like a fault.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Calendar, Event, vRecur

from backwalk.i18n import gettext as _
from backwalk.keepwell import KeepWell, paused_text, plan_change
from backwalk.programme import ProgrammeState, day_names, local_day, weekday_code
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


def plan_calendar(well: KeepWell, stamp: datetime, rb: Rulebook | None = None) -> bytes:
    """The calendar file: the plan's walking days; the same days marked paused while a new
    episode lasts; empty (but valid, so a subscription can be made now) before any plan.
    `stamp` is now."""
    rb = rb or default_rulebook()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", rb.programme.title)
    if well.programme is not None:
        cal.add_component(_walks(well, well.programme, stamp, rb))
    elif well.paused is not None and well.recurrences:
        cal.add_component(_paused(well, well.paused, stamp, rb))
    return cal.to_ical()


def _walks(well: KeepWell, state: ProgrammeState, stamp: datetime, rb: Rulebook) -> Event:
    event = _event(state.days, first_walk_day(state.week_starts, state.days), stamp, well)
    event.add("summary", _("Walk {minutes} minutes").format(minutes=state.minutes_per_walk))
    change = plan_change(state, rb)
    why = f"{change.reason}\n\n" if change else ""
    card = rb.card_for_week(state.week)
    week = _("Week {week}: {minutes} minutes on {days}, {target} minutes this week.").format(
        week=state.week,
        minutes=state.minutes_per_walk,
        days=day_names(state.days),
        target=state.target_minutes_per_week,
    )
    event.add("description", f"{week}\n\n{why}{card.title}: {card.text}")
    return event


def _paused(well: KeepWell, paused: ProgrammeState, stamp: datetime, rb: Rulebook) -> Event:
    since = local_day(well.recurrences[-1])  # the day the new episode began
    event = _event(paused.days, first_walk_day(since, paused.days), stamp, well)
    event.add("summary", rb.keepwell.paused_calendar)
    event.add("description", paused_text(well, rb) or "")
    return event


def _event(days: tuple[str, ...], first: date, stamp: datetime, well: KeepWell) -> Event:
    event = Event()
    event.add("uid", UID)
    event.add("dtstamp", stamp)
    event.add("sequence", well.calendar_sequence)
    event.add("dtstart", first)
    event.add("dtend", first + timedelta(days=1))
    event.add("rrule", vRecur(freq="WEEKLY", byday=[ICAL_DAYS[d] for d in days]))
    event.add("transp", "TRANSPARENT")  # a reminder: it does not make the person look busy
    return event


def first_walk_day(since: date, days: tuple[str, ...]) -> date:
    """The first planned walking day on or after `since` (the first day of this programme
    week, or the day a pause began)."""
    day = since
    while weekday_code(day) not in days:
        day += timedelta(days=1)
    return day
