"""Keeping well at the terminal: `recovered`, `programme`, `log-walk`, `recurrence`,
`medicine`, and the sections `plan` adds. Every change goes through `backwalk.keepwell`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from backwalk import keepwell
from backwalk.cli.diaryaccess import opened_diary
from backwalk.cli.env import Environment
from backwalk.cli.render import Printer, Section
from backwalk.exitcodes import ExitCode
from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.programme import day_names, local_day
from backwalk.rules import Rulebook, default_rulebook

if TYPE_CHECKING:
    from backwalk.keepwell import KeepWell
    from backwalk.programme import ProgrammeState

RECOVERED_HINT = N_("If it is, tell backwalk: backwalk recovered")
PROGRAMME_HINT = N_(
    "Set up your walking plan: backwalk programme --days mon,wed,fri --minutes {minutes}"
)
RECURRENCE_HINT = N_("Answer with: backwalk recurrence --yes (or --no)")
LOG_HINT = N_("Log a walk you did without backwalk: backwalk log-walk MINUTES")


def keepwell_sections(rb: Rulebook, well: KeepWell) -> list[Section]:
    """What `plan` shows after the standing: the offer, the question, the programme week."""
    kw = rb.keepwell
    sections = []
    if well.recovery_offered:
        offer = kw.recovery_offer.format(days=rb.programme.recovered_days)
        sections.append(Section(kw.recovery_button, "good").text(offer).text(_(RECOVERED_HINT)))
    if well.question(rb):
        question = Section(kw.recurrence_title, "warning").text(str(well.question(rb)))
        sections.append(
            question.text(_(RECURRENCE_HINT)).source(
                rb.source_title(rb.programme.recurrence_source)
            )
        )
    paused = keepwell.paused_text(well, rb)
    if paused:
        sections.append(Section(kw.paused_title, "info").text(paused))
    if well.phase == "recovered":
        plan = Section(rb.programme.title, "info").text(well.text).text(rb.programme.text)
        sections.append(plan.text(_(PROGRAMME_HINT).format(minutes=well.suggested_minutes)))
    if well.phase == "keeping_well" and well.programme is not None:
        sections += _programme_sections(rb, well, well.programme)
    return sections


def _programme_sections(rb: Rulebook, well: KeepWell, state: ProgrammeState) -> list[Section]:
    """The programme week, why its walks are what they are, and the week's card."""
    kw = rb.keepwell
    week = Section(rb.programme.title, "good").text(well.text)
    since = keepwell.recovery_text(well, rb)
    if since:
        week.text(since)
    if state.next_step_on:
        week.text(kw.next_step.format(date=keepwell.day_text(state.next_step_on)))
    else:
        week.text(kw.at_target)
    sections = [week.text(_(LOG_HINT)).source(well.source)]
    change = keepwell.plan_change(state, rb)
    if change is not None:
        sections.append(Section(kw.change_title, "info").text(change.reason).source(change.source))
    if well.card is not None:
        card = Section(well.card.title, "info").text(well.card.text)
        sections.append(card.source(rb.source_title(well.card.source)))
    return sections


def recovered(args: argparse.Namespace, env: Environment) -> int:
    """`backwalk recovered`: the person's back is back to normal; keeping well starts."""
    rb = default_rulebook()
    with opened_diary(env) as diary:
        keepwell.confirm_recovery(diary, env.clock.now(), rb)
        well = keepwell.keep_well(diary, env.clock.now(), rb)
    printer = Printer(env)
    printer.line(keepwell.recovery_done_text(well, rb), tone="good")
    if well.programme is None:
        printer.line(_(PROGRAMME_HINT).format(minutes=well.suggested_minutes))
    return ExitCode.OK


def programme(args: argparse.Namespace, env: Environment) -> int:
    """`backwalk programme [--days D,D,D] [--minutes N]`: start or change the walking plan;
    with neither option, show it. An option left out keeps what the plan has now."""
    rb = default_rulebook()
    printer = Printer(env)
    with opened_diary(env) as diary:
        now = env.clock.now()
        well = keepwell.keep_well(diary, now, rb)
        if args.days is None and args.minutes is None:
            for section in keepwell_sections(rb, well) or [_not_yet(rb, well)]:
                printer.section(section)
            return ExitCode.OK
        state = well.programme
        days = args.days if args.days is not None else (list(state.days) if state else [])
        minutes = (
            args.minutes
            if args.minutes is not None
            else (state.minutes_per_walk if state else well.suggested_minutes)
        )
        saved = keepwell.set_programme(diary, now, days, minutes, rb)
    done = rb.keepwell.programme_done.format(
        minutes=saved.minutes_per_walk, days=day_names(saved.days)
    )
    printer.line(done, tone="good")
    return ExitCode.OK


def _not_yet(rb: Rulebook, well: KeepWell) -> Section:
    return Section(well.label, "info").text(well.text).text(rb.programme.text)


def log_walk(args: argparse.Namespace, env: Environment) -> int:
    """`backwalk log-walk MINUTES [--date YYYY-MM-DD]`: a walk done without backwalk."""
    rb = default_rulebook()
    day = keepwell.parse_day("--date", args.date) if args.date else None
    with opened_diary(env) as diary:
        log = keepwell.log_walk(diary, env.clock.now(), args.minutes, day)
    when = keepwell.day_text(log.walked_on)
    Printer(env).line(rb.keepwell.walk_logged.format(minutes=log.minutes, date=when), tone="good")
    return ExitCode.OK


def recurrence(args: argparse.Namespace, env: Environment) -> int:
    """`backwalk recurrence --yes|--no`: the monthly question, when it is due."""
    rb = default_rulebook()
    with opened_diary(env) as diary:
        answer = keepwell.answer_recurrence(diary, env.clock.now(), args.answer, rb)
    kw = rb.keepwell
    done = kw.recurrence_yes_done if answer.limited_activity else kw.recurrence_no_done
    Printer(env).line(done, tone="warning" if answer.limited_activity else "good")
    return ExitCode.OK


def medicine(args: argparse.Namespace, env: Environment) -> int:
    """`backwalk medicine NAME [--dose DOSE] [--at WHEN]`: a medicine taken for the pain."""
    rb = default_rulebook()
    taken = keepwell.parse_moment("--at", args.at, local=True) if args.at else None
    with opened_diary(env) as diary:
        med = keepwell.log_medicine(diary, env.clock.now(), args.name, args.dose, taken)
    when = f"{keepwell.day_text(local_day(med.taken_at))} {med.taken_at.astimezone():%H:%M}"
    text = rb.keepwell.medicine_logged.format(name=med.name, dose=med.dose, when=when)
    Printer(env).line(" ".join(text.split()), tone="good")
    return ExitCode.OK
