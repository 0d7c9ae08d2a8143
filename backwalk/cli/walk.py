"""`backwalk walk`: a guided walk in the terminal, with a timer, cues and check-ins.

The timetable lives in walkloop.WalkSession; this module does the talking: the gate before the
walk, the questions at each check-in, and what to do when the walk ends. Every check-in goes
through coach.walk_checkin, which commits it to the diary before the next step, so a killed
process loses nothing. Ctrl-C or SIGTERM saves the walk as interrupted and exits 130.
"""

from __future__ import annotations

import argparse
import math
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import TYPE_CHECKING, Any

from backwalk import coach, walkwords
from backwalk.checkflow import walk_signs
from backwalk.cli.diaryaccess import ended_early, opened_diary, recover_stale_walks
from backwalk.cli.env import Environment
from backwalk.cli.failures import REFUSAL_CODES
from backwalk.cli.keys import KeyReader
from backwalk.cli.prompts import Answer, AnswerError, Prompter
from backwalk.cli.render import Printer, Section, Tone
from backwalk.cli.speech import NO_ENGINE, Speaker
from backwalk.cli.views import (
    SEEN_HINT,
    measure_section,
    reasons_section,
    rest_positions,
    tell_clinician_section,
    urgency_section,
)
from backwalk.cli.walkloop import Due, WalkSession, clock_text
from backwalk.cli.walkview import WalkView, walk_view
from backwalk.engine import sharp_can_change_checkin
from backwalk.errors import WalkInProgress
from backwalk.exitcodes import ExitCode
from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.i18n.numbers import number
from backwalk.rules import Rulebook, default_rulebook
from backwalk.validation import PAIN_MAX, PAIN_MIN

if TYPE_CHECKING:
    from backwalk.diary import Diary, WalkRecord


MAX_STEP_SECONDS = 1.0  # the loop wakes at least this often
KEY_STEP_SECONDS = 0.2  # ...and more often on a terminal, so a key press feels immediate
MIN_STEP_SECONDS = 0.01

START_HELP_KEYS = N_("Press Enter or c at any time to check in; Ctrl-C ends the walk.")
START_HELP_PIPE = N_("Check-in answers are read from standard input, one per line.")
RED_FLAG_QUESTION = N_("Any warning sign now?")
RED_FLAG_WHICH = N_("Which one? (the number, or several separated by commas)")
UNSURE_NOTE = N_("'Not sure' counts as yes, to be safe.")


def run(args: argparse.Namespace, env: Environment) -> int:
    """Check the gate, take the pain score, then guide the walk to its end."""
    problem = _option_problem(args)
    if problem:
        env.stderr.write(f"backwalk: {problem}\n")
        return ExitCode.BAD_INPUT
    rb = default_rulebook()
    printer = Printer(env)
    prompter = Prompter(env, printer)
    with opened_diary(env) as diary:
        recover_stale_walks(diary, env)
        where = coach.standing(diary, env.clock.now(), rb)
        if where.active_walk is not None:  # asked before the pain question, not after
            raise WalkInProgress(where.active_walk.id)
        gate = (
            where.gate if args.pain is None else coach.walk_gate(diary, env.clock.now(), args.pain)
        )
        if not gate.allowed:
            return refuse(printer, rb, gate, env.clock.now())
        pain = args.pain if args.pain is not None else choose_pain(env, printer, prompter, rb, gate)
        if args.pain is None and gate.check is not None and pain != gate.check.pain_score:
            gate = coach.walk_gate(diary, env.clock.now(), pain)  # a new score is re-assessed
            if not gate.allowed:
                return refuse(printer, rb, gate, env.clock.now())
        walk = coach.begin_walk(diary, env.clock.now(), pain, gate)
        every = args.checkin_every or rb.progression.checkin_every_minutes
        guide = GuidedWalk(env, diary, rb, printer, prompter, walk, every)
        guide.speaker = _speaker(env) if args.speak else None
        return guide.run()


def _speaker(env: Environment) -> Speaker | None:
    speaker = Speaker.find()
    if speaker is None:
        env.stderr.write(f"backwalk: {_(NO_ENGINE)}\n")
    return speaker


def _option_problem(args: argparse.Namespace) -> str | None:
    if args.pain is not None and not PAIN_MIN <= args.pain <= PAIN_MAX:
        message = _("--pain: must be a whole number from {lo} to {hi}, got {value}")
        return message.format(lo=PAIN_MIN, hi=PAIN_MAX, value=args.pain)
    every = args.checkin_every
    if every is not None and not (math.isfinite(every) and every > 0):
        message = _("--checkin-every: must be a number of minutes above 0, got {value}")
        return message.format(value=number(every))
    return None


def refuse(printer: Printer, rb: Rulebook, gate: coach.WalkGate, now: datetime) -> int:
    """Say why the walk cannot start now and what to do instead."""
    code = REFUSAL_CODES[gate.refusal or "rest_first"]
    tone: Tone = "danger" if code == ExitCode.SEEK_CARE else "warning"
    printer.section(Section(_("No walk now"), tone).text(gate.why))
    if code == ExitCode.SEEK_CARE and gate.check is not None and gate.check.urgency:
        printer.section(urgency_section(rb, gate.check.urgency, _("What to do now")))
        printer.line(_(SEEN_HINT))  # how the refusal ends
    elif code == ExitCode.CHECK_NEEDED:
        printer.line(_("Start with: backwalk check"))
    else:
        printer.line(_("Check again once the pain eases: backwalk check"))
    return code


def choose_pain(
    env: Environment, printer: Printer, prompter: Prompter, rb: Rulebook, gate: coach.WalkGate
) -> int:
    """The pain before the walk: asked on a terminal (Enter keeps the check's score)."""
    question = rb.question_by_id["pain_score"]
    from_check = gate.check.pain_score if gate.check else None
    if env.interactive or from_check is None:
        return prompter.score("pain", question.prompt, question.help, default=from_check)
    printer.line(_("Pain before the walk: {pain}/10, from your check.").format(pain=from_check))
    return from_check


INTERRUPTING_SIGNALS = ("SIGTERM", "SIGHUP")  # a polite kill; the terminal closing


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """Make SIGTERM and SIGHUP raise KeyboardInterrupt, so the walk is saved as interrupted."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous: dict[signal.Signals, Any] = {}
    try:
        for name in INTERRUPTING_SIGNALS:
            number = getattr(signal, name, None)  # SIGHUP does not exist on Windows
            if number is not None:
                previous[number] = signal.signal(number, interrupt)
    except ValueError:  # not the main thread: signals can only be handled there
        pass
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class GuidedWalk:
    """One walk in progress: runs the timetable, asks the check-ins, ends the walk."""

    def __init__(
        self,
        env: Environment,
        diary: Diary,
        rb: Rulebook,
        printer: Printer,
        prompter: Prompter,
        walk: WalkRecord,
        checkin_every_minutes: float,
    ) -> None:
        self.env, self.diary, self.rb = env, diary, rb
        self.printer, self.prompter = printer, prompter
        self.walk = walk
        self.session = WalkSession(
            planned_seconds=walk.planned_minutes * 60,
            checkin_every_seconds=checkin_every_minutes * 60,
        )
        self.view: WalkView = walk_view(printer)
        self.keys = KeyReader(env.stdin, enabled=env.interactive)
        self.started = env.clock.monotonic()
        self.finished = False
        self.speaker: Speaker | None = None  # --speak: every spoken line is printed too

    def say(self, text: str) -> None:
        if self.speaker is not None:
            self.speaker.say(text)

    def run(self) -> int:
        """Guide the walk; the exit status says how it ended."""
        self._show_start()
        try:
            with signals_interrupt(), self.keys:
                self.view.start(self.session.planned_seconds)
                return self._loop()
        except KeyboardInterrupt:
            self._stop_view()
            return self._interrupted()
        except AnswerError as err:
            self._stop_view()
            self._save_interrupted()
            said = _("{error}; the walk is saved as '{status}'").format(
                error=err, status=ended_early()
            )
            self.env.stderr.write(f"backwalk: {said}\n")
            return ExitCode.BAD_INPUT
        except OSError:
            # The terminal went away (window closed, connection dropped): nobody is left to
            # tell, but the diary must still say how the walk ended.
            self._save_interrupted()
            return ExitCode.INTERRUPTED
        finally:
            self._stop_view()

    def _stop_view(self) -> None:
        with suppress(OSError):  # stopping the bar writes to a terminal that may be gone
            self.view.stop()

    def elapsed(self) -> float:
        return self.env.clock.monotonic() - self.started

    def _loop(self) -> int:
        while True:
            elapsed = self.elapsed()
            for event in self.session.due(elapsed):
                outcome = self._handle(event, elapsed)
                if outcome is not None:
                    return outcome
            if self.keys.checkin_requested():
                outcome = self._checkin()
                if outcome is not None:
                    return outcome
            self.view.tick(elapsed, self.session.seconds_left(elapsed))
            self.env.clock.sleep(self._step(elapsed))

    def _step(self, elapsed: float) -> float:
        longest = KEY_STEP_SECONDS if self.keys.active else MAX_STEP_SECONDS
        return min(longest, max(MIN_STEP_SECONDS, self.session.seconds_to_next(elapsed)))

    def _handle(self, event: Due, elapsed: float) -> int | None:
        if event is Due.HEARTBEAT:
            coach.heartbeat(self.diary, self.walk.id, elapsed)
        elif event is Due.PROGRESS:
            self.view.progress(elapsed, self.session.seconds_left(elapsed))
        elif event is Due.CUE:
            cue = self.rb.walk_cues[self.session.next_cue(len(self.rb.walk_cues))].text
            self.view.cue(cue)
            self.say(cue)
        elif event is Due.CHECKIN:
            return self._checkin()
        elif event is Due.END:
            return self._complete(elapsed)
        return None

    def _show_start(self) -> None:
        minutes = self.walk.planned_minutes
        every = self.session.checkin_every_seconds / 60
        section = Section(_("Your walk: {minutes} minutes").format(minutes=minutes), "good")
        for stop in self.rb.stop_rules:
            section.bullet(stop.text)
        if every == 1:
            section.text(_("Check-ins every {every} minute.").format(every=number(every)))
        else:
            section.text(_("Check-ins every {every} minutes.").format(every=number(every)))
        section.text(_(START_HELP_KEYS) if self.keys.active else _(START_HELP_PIPE))
        self.printer.section(section)

    # -- check-ins ---------------------------------------------------------------------------

    def _checkin(self) -> int | None:
        """Ask, record (committed at once), and stop the walk if a stop rule fires."""
        self.view.pause()
        at = _("Check-in at {time}").format(time=clock_text(self.elapsed()))
        self.printer.line(at, tone="info")
        self.prompter.push(self.keys.take_type_ahead())
        pain_question = self.rb.question_by_id["pain_score"].prompt
        self.say(_("Check-in. {question}").format(question=pain_question))
        with self.keys.line_mode():
            report = ask_checkin(self.prompter, self.printer, self.rb, self.walk.pain_before)
        elapsed = self.elapsed()
        result = coach.walk_checkin(self.diary, self.walk, self.env.clock.now(), elapsed, report)
        self.session.checkin_done(elapsed)
        self.say(result["headline"])
        if result["action"] == "continue":
            self.printer.line(result["headline"], tone="good")
            self.printer.line()
            self.view.resume()
            return None
        self.finished = True
        return self._stopped(result)

    def _stopped(self, result: dict[str, Any]) -> int:
        self.view.stop()
        seek_care = result["action"] == "stop_seek_care"
        lead, *more = result["reasons"]
        stopped = Section(result["headline"], "danger" if seek_care else "warning")
        self.printer.section(stopped.text(lead["text"]).source(lead["source"]))
        if seek_care:
            self._show_seek_care(result, more)
            return ExitCode.SEEK_CARE
        for measure in rest_positions(self.rb):
            self.printer.section(measure_section(self.rb, measure))
        self.printer.line(_("The walk is saved in your diary as stopped."))
        return ExitCode.WALK_STOPPED

    def _show_seek_care(self, result: dict[str, Any], reasons: list[dict[str, Any]]) -> None:
        if result.get("urgency"):
            self.printer.section(urgency_section(self.rb, result["urgency"], _("What to do now")))
        if reasons:
            self.printer.section(reasons_section(reasons))
        self.printer.section(tell_clinician_section(self.rb, result["red_flags"]))
        self.printer.line(_("The walk is saved in your diary as stopped to get care."))

    # -- endings -----------------------------------------------------------------------------

    def _complete(self, elapsed: float) -> int:
        """The planned time is up: ask the pain now, record the walk, show the next one."""
        self.view.stop()
        self.printer.line(_(walkwords.TIME_UP), tone="good")
        question = self.rb.question_by_id["pain_score"]
        with self.keys.line_mode():
            pain_after = self.prompter.optional_score("pain_after", question.prompt)
        now = self.env.clock.now()
        coach.complete_walk(self.diary, self.walk, now, elapsed, pain_after)
        self.finished = True
        walked = _(walkwords.WALKED_TEXT).format(
            walked=clock_text(elapsed),
            planned=clock_text(self.walk.planned_minutes * 60),
            before=self.walk.pain_before,
        )
        if pain_after is not None:
            walked += _(walkwords.PAIN_AFTER).format(after=pain_after)
        section = Section(_("Walk complete"), "good").text(walked)
        if pain_after is not None and pain_after > self.walk.pain_before:
            section.note(
                self.rb.checkin_reasons.pain_rose.format(
                    current_pain=pain_after, baseline_pain=self.walk.pain_before
                )
            )
        upcoming = coach.plan_next_walk(self.diary, now)
        section.text(
            _("Next walk: {minutes} minutes. {why}").format(
                minutes=upcoming.minutes, why=upcoming.why
            )
        )
        self.printer.section(section)
        return ExitCode.OK

    def _save_interrupted(self) -> None:
        if not self.finished:
            coach.interrupt_walk(self.diary, self.walk, self.env.clock.now(), self.elapsed())
            self.finished = True

    def _interrupted(self) -> int:
        already_over = self.finished
        self._save_interrupted()
        if not already_over:
            saved = self.diary.get_walk(self.walk.id)
            with suppress(OSError):  # saved first: telling the person is best effort
                self.printer.line()
                self.printer.line(
                    _(
                        "Walk interrupted after {time}. It is saved in your diary as '{status}', "
                        "with {count} check-in(s)."
                    ).format(
                        time=clock_text(saved.elapsed_seconds),
                        status=ended_early(),
                        count=len(saved.checkins),
                    ),
                    tone="warning",
                )
        return ExitCode.INTERRUPTED


def red_flag_choices(rb: Rulebook) -> list[str]:
    """The warning signs a check-in asks about: those that can appear mid-walk, never history."""
    return [q.id for q in walk_signs(rb)]


def ask_checkin(
    prompter: Prompter, printer: Printer, rb: Rulebook, baseline: int | None = None
) -> dict[str, Any]:
    """Pain now first; then sharp or shooting, only when it could still change the answer (a
    pain that rose stops the walk anyway); then any warning sign (and which), always."""
    pain_q, sharp_q = rb.question_by_id["pain_score"], rb.question_by_id["sharp_pain"]
    pain = prompter.score(
        "current_pain", pain_q.prompt, lo=int(pain_q.min or 0), hi=int(pain_q.max or 10)
    )
    report: dict[str, Any] = {"current_pain": pain, "sharp_or_shooting": False}
    if baseline is None or sharp_can_change_checkin(baseline, pain):
        report["sharp_or_shooting"] = _cautious(
            prompter, printer, "sharp_or_shooting", sharp_q.prompt
        )
    flag_ids = red_flag_choices(rb)
    labels = [rb.question_by_id[f].label for f in flag_ids]
    help = _("Warning signs: {signs}.").format(signs="; ".join(labels))
    if _cautious(prompter, printer, "red_flag", _(RED_FLAG_QUESTION), help):
        for index in prompter.choices("red_flag_which", _(RED_FLAG_WHICH), labels):
            report[flag_ids[index]] = True
    return report


def _cautious(
    prompter: Prompter, printer: Printer, name: str, question: str, help: str | None = None
) -> bool:
    answer = prompter.yes_no_unsure(name, question, help)
    if answer is Answer.UNSURE:
        printer.line(_(UNSURE_NOTE), tone="warning", indent="  ")
    return answer.cautious
