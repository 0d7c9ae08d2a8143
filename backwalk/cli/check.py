"""`backwalk check`: the interactive check, from the keyboard or from piped answers.

Order matters for safety: the warning signs come first, and the first one answered yes (or
'not sure') ends the questions at once, because what to do next no longer depends on the pain.
Nothing is saved until every needed answer is in; then `coach.run_check` assesses once and saves.
"""

from __future__ import annotations

import argparse
import importlib.util
from dataclasses import dataclass, field
from typing import Any

from backwalk import coach
from backwalk.cli.diaryaccess import opened_diary, recover_stale_walks, reports_errors
from backwalk.cli.env import Environment
from backwalk.cli.prompts import Answer, Prompter
from backwalk.cli.render import Printer
from backwalk.cli.views import decision_sections
from backwalk.errors import BackwalkError
from backwalk.exitcodes import ExitCode
from backwalk.rules import Question, Rulebook, default_rulebook

INTRO = ("A few questions: warning signs first, then the pain. "
         "Answer y (yes), n (no) or ? (not sure).")
RED_FLAG_STOP = "That is a warning sign, so the questions stop here."
TEXT_QUESTION = "Anything else you want to tell me? (press Enter to skip)"
CONFIRM_QUESTION = "Is that right?"
KEEP_FINDINGS = ("backwalk keeps it to be safe; if you are sure it is wrong, "
                 "run the check again without that sentence.")
NEXT_STEPS = {
    "walk_gently": "Saved to your diary. When you are ready, start the guided walk: backwalk walk",
    "rest_first": "Saved to your diary. Check again once the pain eases: backwalk check",
    "seek_care_now": "Saved to your diary.",
}


class TextUnavailable(BackwalkError):
    """Free text was given but the language module that reads it is not installed."""

    @staticmethod
    def because(err: ImportError) -> str:
        return (f"your text could not be read, so nothing was saved ({err}); "
                "run the check again with --no-text")


@dataclass
class Form:
    """The answers gathered so far, which of them were 'not sure', and any free text."""

    answers: dict[str, Any] = field(default_factory=dict)
    unsure: list[str] = field(default_factory=list)
    text: str | None = None
    stopped_at_red_flag: bool = False


@reports_errors
def run(args: argparse.Namespace, env: Environment) -> int:
    """Ask the check's questions, save the decision in the diary and show it."""
    rb = default_rulebook()
    printer = Printer(env)
    prompter = Prompter(env, printer)
    try:
        ask_text = _plan_text_question(args)
    except TextUnavailable as err:
        env.stderr.write(f"backwalk: {err}\n")
        return ExitCode.ERROR
    with opened_diary(env) as diary:
        recover_stale_walks(diary, env)
        form = ask_form(prompter, printer, rb, ask_text=ask_text)
        text = _joined_text(args.text, form.text)
        try:
            if text and not form.stopped_at_red_flag:
                confirm_text_findings(prompter, printer, form.answers, text)
            printer.line()
            assessment, _ = coach.run_check(
                diary, form.answers, env.clock.now(), text=text, unsure=form.unsure
            )
        except ImportError as err:  # the language module is missing or broken: save nothing
            env.stderr.write(f"backwalk: {TextUnavailable.because(err)}\n")
            return ExitCode.ERROR
    show_decision(printer, rb, assessment)
    if assessment["disposition"] == "seek_care_now":
        return ExitCode.SEEK_CARE
    return ExitCode.OK


def _plan_text_question(args: argparse.Namespace) -> bool:
    """Whether to ask the closing free-text question; --text needs the language module."""
    available = language_module_installed()
    if args.text and not available:
        raise TextUnavailable("--text needs backwalk's language module (backwalk.nlp), "
                              "which is not installed; run the check without --text")
    return available and not args.no_text and not args.text


def language_module_installed() -> bool:
    """Cheaply, without loading the NLP stack: is backwalk.nlp a real, installed package?"""
    try:
        spec = importlib.util.find_spec("backwalk.nlp")
    except (ImportError, ValueError):
        return False
    return spec is not None and spec.origin is not None  # a bare folder has no origin


def _joined_text(from_option: str | None, from_prompt: str | None) -> str | None:
    parts = [t for t in (from_option, from_prompt) if t and t.strip()]
    return "\n".join(parts) or None


def ask_form(prompter: Prompter, printer: Printer, rb: Rulebook, ask_text: bool) -> Form:
    """All the questions, in the rulebook's order, stopping early at a warning sign."""
    form = Form()
    printer.line(INTRO)
    printer.line()
    if ask_red_flags(prompter, rb, form):
        form.stopped_at_red_flag = True
        printer.line(RED_FLAG_STOP, tone="danger")
        return form
    ask_pain(prompter, rb, form)
    ask_onset(prompter, rb, form)
    if ask_text:
        form.text = prompter.free_text("text", TEXT_QUESTION)
    return form


def questions_in(rb: Rulebook, group: str) -> list[Question]:
    return [q for q in rb.questions if q.group == group]


def follow_ups(rb: Rulebook, question_id: str) -> list[Question]:
    return [q for q in rb.questions if q.follow_up_of == question_id]


def ask_red_flags(prompter: Prompter, rb: Rulebook, form: Form) -> bool:
    """The red-flag questions; True as soon as one is yes (after its follow-ups, e.g. both legs)."""
    for question in questions_in(rb, "red_flag"):
        if question.follow_up_of is not None:
            continue  # asked right after the question it follows, and only after a yes
        if ask_yes_no(prompter, question, form):
            for follow_up in follow_ups(rb, question.id):
                ask_yes_no(prompter, follow_up, form)
            return True
    return False


def ask_yes_no(prompter: Prompter, question: Question, form: Form) -> bool:
    """Ask one yes/no question; 'not sure' is recorded as yes, the cautious answer."""
    answer = prompter.yes_no_unsure(question.id, question.prompt, question.help)
    form.answers[question.id] = answer.cautious
    if answer is Answer.UNSURE:
        form.unsure.append(question.id)
    return answer.cautious


def ask_pain(prompter: Prompter, rb: Rulebook, form: Form) -> None:
    """The pain score, then the pain's character (each yes/no/not sure)."""
    for question in questions_in(rb, "pain"):
        if question.type == "bool":
            ask_yes_no(prompter, question, form)
        else:
            lo, hi = int(question.min or 0), int(question.max or 10)
            form.answers[question.id] = prompter.score(
                question.id, question.prompt, question.help, lo=lo, hi=hi)


def ask_onset(prompter: Prompter, rb: Rulebook, form: Form) -> None:
    """Optional context (when the spasm began); a blank answer leaves it out."""
    for question in questions_in(rb, "context"):
        hours = prompter.hours(question.id, question.prompt, question.help)
        if hours is not None:
            form.answers[question.id] = hours


def confirm_text_findings(prompter: Prompter, printer: Printer, answers: dict[str, Any],
                          text: str) -> None:
    """Show what the free text was read as and ask if it is right; findings are always kept.

    Text can add a warning sign but never remove one (CONTRACT section 3), so a 'no' here only
    explains how to correct it: run the check again without the sentence.
    """
    from backwalk.engine import assess

    preview = assess(answers, text=text)
    findings = [r for r in preview["reasons"] if r["rule"].startswith("text_")]
    if not findings:
        return
    for finding in findings:
        printer.line(finding["text"], indent="  ")
    if not prompter.confirm("confirm", CONFIRM_QUESTION, default=True):
        printer.line(KEEP_FINDINGS, tone="warning")


def show_decision(printer: Printer, rb: Rulebook, assessment: dict[str, Any]) -> None:
    """The decision and everything that goes with it, then where it was saved."""
    for section in decision_sections(rb, assessment):
        printer.section(section)
    printer.line(NEXT_STEPS[assessment["disposition"]])
