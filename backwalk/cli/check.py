"""`backwalk check`: the interactive check, from the keyboard or from piped answers.

Order matters for safety. The person's own words come first and are read at once: each warning
sign they raise is asked about, quoting them, emergency signs first (contract v3: ask, don't
guess). Then the warning-sign lists, and the first emergency sign answered yes (or 'not sure')
ends the questions at once, because what to do next no longer depends on the pain. Nothing is
saved until every needed answer is in; then `coach.run_check` assesses once and saves.
"""

from __future__ import annotations

import argparse
import importlib.util
from dataclasses import dataclass, field
from typing import Any

from backwalk import checkflow, coach, settings
from backwalk.checkflow import Screen
from backwalk.cli.diaryaccess import opened_diary, recover_stale_walks
from backwalk.cli.env import Environment
from backwalk.cli.prompts import Answer, AnswerError, Prompter
from backwalk.cli.render import Printer, Section
from backwalk.cli.views import (
    DISPOSITION_TONES,
    SEEN_HINT,
    decision_sections,
    standing_sections,
)
from backwalk.diary.measures import MAX_ACTIVITY_CHARS
from backwalk.errors import TextUnreadable
from backwalk.exitcodes import ExitCode
from backwalk.i18n import N_, numbers
from backwalk.i18n import gettext as _
from backwalk.outcomes import activities_to_rate, progress, weekly_measures_due
from backwalk.remembered import Remembered
from backwalk.rules import Question, Rulebook, default_rulebook

INTRO = N_(
    "A few questions: warning signs first, then the pain. Answer y (yes), n (no) or ? (not sure)."
)
NONE_KEY = "n"
ANY_OF_THESE = N_("Do any of these apply? ({none} = none of these)")
RED_FLAG_STOP = N_("That is a warning sign, so the questions stop here.")
WORDS_STOP = N_(
    "Your answer about what you wrote is an emergency warning sign, so the questions stop here."
)
TEXT_QUESTION = N_("In your own words, what is going on with your back? (press Enter to skip)")
SAVED_NO_WALK = N_(
    "Saved to your diary. No walk for now: your earlier warning sign, above, comes first."
)
WEEKLY_SAVED = N_("Saved your weekly answers to your diary.")
WEEKLY_SKIPPED = N_("the weekly questions were skipped; the check itself is saved")
NEXT_STEPS = {
    "walk_gently": N_(
        "Saved to your diary. When you are ready, start the guided walk: backwalk walk"
    ),
    "rest_first": N_("Saved to your diary. Check again once the pain eases: backwalk check"),
    "seek_care_now": N_("Saved to your diary. {headline}."),
}


@dataclass
class Form:
    """The answers gathered so far, which of them were 'not sure', and any free text."""

    answers: dict[str, Any] = field(default_factory=dict)
    unsure: list[str] = field(default_factory=list)
    text: str | None = None
    stopped_at_red_flag: bool = False
    confirmed: dict[str, bool] = field(default_factory=dict)


def run(args: argparse.Namespace, env: Environment) -> int:
    """Ask the check's questions, save the decision in the diary and show it."""
    rb = default_rulebook()
    printer = Printer(env)
    prompter = Prompter(env, printer)
    ask_text = _plan_text_question(args)
    settings.emergency_number(rb)  # a bad setting is said before any question, not after
    with opened_diary(env) as diary:
        recover_stale_walks(diary, env)
        warning, keys = coach.still_to_ask(diary, env.clock.now())
        form = Form()
        if warning is not None and ask_still(prompter, printer, rb, (warning, keys), form):
            _stopped(printer, form)
        else:
            form = ask_form(prompter, printer, rb, ask_text, args.text, form)
        printer.line()
        now = env.clock.now()
        assessment, record = coach.run_check(
            diary, form.answers, now, text=form.text, unsure=form.unsure, confirmed=form.confirmed
        )
        where = coach.standing(diary, now, rb)
        weekly = (
            assessment["disposition"] != "seek_care_now"
            and where.warning is None
            and weekly_measures_due(diary, now, current_check_id=record.id, rb=rb)
        )
        known = activities_to_rate(diary) if weekly else ()
        offer = coach.weekly_offer(diary, rb) if weekly else ""
    remembered = where.warning is not None and where.warning.check_id != record.id
    if remembered:  # an earlier warning still stands: it leads, and this check follows it
        for section in standing_sections(rb, where):
            printer.section(section)
    # this check is the warning: say what it means for walking (an emergency says only "call")
    no_walks = (
        where.warning is not None
        and where.warning.check_id == record.id
        and assessment.get("urgency") != "emergency"
    )
    show_decision(printer, rb, assessment, walk=not remembered, no_walks=no_walks)
    if weekly:  # only after the decision, and never after a warning sign
        _weekly_measures(env, prompter, printer, rb, (known, offer), record.id)
    if assessment["disposition"] == "seek_care_now":
        return ExitCode.SEEK_CARE
    return ExitCode.OK


def _weekly_measures(
    env: Environment,
    prompter: Prompter,
    printer: Printer,
    rb: Rulebook,
    known_and_offer: tuple[tuple[str, ...], str],
    check_id: int,
) -> None:
    """Ask the weekly outcome measures and save them; a bad piped answer skips them (the check
    is already saved, and its exit status must stay the decision's)."""
    known, offer = known_and_offer
    try:
        answers = ask_weekly(prompter, printer, rb, known, offer)
    except AnswerError as err:
        env.stderr.write(f"backwalk: {_(WEEKLY_SKIPPED)} ({err})\n")
        return
    if answers is None:
        return
    activities, change = answers
    with opened_diary(env) as diary:
        coach.record_weekly(diary, env.clock.now(), activities, change, check_id)
        lines = progress(diary.checks(), diary.outcomes(), rb)
    printer.line(_(WEEKLY_SAVED), tone="good")
    for line in lines[1:]:  # the activities and the overall change
        printer.line(f"{line.text} ({line.source})", indent="  ")


def ask_weekly(
    prompter: Prompter,
    printer: Printer,
    rb: Rulebook,
    known: tuple[str, ...],
    offer: str | None = None,
) -> tuple[list[tuple[str, int]], int | None] | None:
    """The weekly questions, each skippable with Enter: None when declined or all skipped."""
    outcomes, acts, change = rb.outcomes, rb.outcomes.activities, rb.outcomes.global_change
    printer.line()
    printer.line(outcomes.title, tone="info")
    if not prompter.confirm("weekly", offer or outcomes.offer, default=False):
        return None
    printer.line(outcomes.intro)
    printer.line(acts.title, tone="info")
    names = list(known)
    if names:
        for name in names:
            printer.line(f"- {name}", indent="  ")
        same = f"{acts.same_again} {acts.same_again_hint}"
        if not prompter.confirm("same_activities", same, default=True):
            names = []
    if not names:
        names = _name_activities(prompter, printer, rb)
    printer.line(f"({acts.rate_help})", tone="muted", indent="  ")
    scores = []
    for number, name in enumerate(names, 1):
        score = prompter.optional_score(
            f"activity_{number}_score", acts.rate_prompt.format(activity=name)
        )
        if score is not None:
            scores.append((name, score))
    labels = [o.label for o in change.options]
    printer.line(change.title, tone="info")
    for number, label in enumerate(labels, 1):
        printer.line(f"{number}. {label}", indent="  ")
    picked = prompter.optional_whole(
        "global_change", change.prompt, change.help, lo=1, hi=len(labels)
    )
    value = change.options[picked - 1].value if picked is not None else None
    if not scores and value is None:
        return None
    return scores, value


def _name_activities(prompter: Prompter, printer: Printer, rb: Rulebook) -> list[str]:
    acts = rb.outcomes.activities
    printer.line(acts.explain)
    names: list[str] = []
    for number in range(1, acts.max_activities + 1):
        prompt = acts.name_prompt.format(number=number, most=acts.max_activities)
        prompt = f"{prompt} ({acts.name_done_hint})"
        name = prompter.free_text(f"activity_{number}", prompt)
        if not name:
            break
        name = " ".join(name.split())[:MAX_ACTIVITY_CHARS]
        if name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def _plan_text_question(args: argparse.Namespace) -> bool:
    """Whether to ask the closing free-text question; --text needs the language module."""
    available = language_module_installed()
    if args.text and not available:
        raise TextUnreadable(
            _(
                "--text needs backwalk's language module (backwalk.nlp), "
                "which is not installed; run the check without --text"
            )
        )
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


def ask_still(
    prompter: Prompter,
    printer: Printer,
    rb: Rulebook,
    standing: tuple[Remembered, list[str]],
    form: Form,
) -> bool:
    """A warning from the last day still stands: first ask whether each of its signs is still
    so; True at the first yes or 'not sure' (that decides, as on the checklists). The advice
    stands whatever the answers, until `backwalk seen`."""
    warning, keys = standing
    when = coach.when_text(warning.at)
    printer.line(rb.notes.still_title, tone="danger")
    printer.line(rb.notes.still_intro.format(when=when))
    for key in keys:
        question = rb.question_by_id[key]
        said = rb.notes.still_question.format(when=when, label=question.label)
        answer = prompter.yes_no_unsure(f"still_{key}", said, question.help)
        form.answers[key] = answer.cautious
        if answer is Answer.UNSURE:
            form.unsure.append(key)
        if answer.cautious:
            return True
    printer.line()
    return False


def ask_form(
    prompter: Prompter,
    printer: Printer,
    rb: Rulebook,
    ask_text: bool,
    given_text: str | None = None,
    form: Form | None = None,
) -> Form:
    """The person's words, then the check's screens in order (checkflow), stopping as soon as
    an emergency sign decides. A sign already answered in `form` (is a standing warning still
    so?) is not asked again."""
    form = form or Form()
    printer.line(_(INTRO))
    typed = prompter.free_text("text", _(TEXT_QUESTION)) if ask_text else None
    form.text = _joined_text(given_text, typed)
    if form.text and ask_about_words(prompter, printer, rb, form):
        return _stopped(printer, form)
    for screen in checkflow.screens(rb):
        questions = tuple(
            q for q in screen.questions if q.id not in form.confirmed and q.id not in form.answers
        )
        if not questions:
            continue
        if not screen.is_checklist and _any_red_flag(rb, form.confirmed):
            return _stopped(printer, form, WORDS_STOP)  # a sign from the words already decides
        printer.line()
        printer.line(screen.spec.title, tone="info")
        if not screen.is_checklist:
            ask_pain_and_you(prompter, screen._replace(questions=questions), form)
        elif ask_checklist(prompter, printer, rb, screen._replace(questions=questions), form):
            return _stopped(printer, form)
    return form


def _any_red_flag(rb: Rulebook, confirmed: dict[str, bool]) -> bool:
    return any(confirmed.get(f.id) for f in rb.red_flags)


def _stopped(printer: Printer, form: Form, why: str = RED_FLAG_STOP) -> Form:
    form.stopped_at_red_flag = True
    printer.line(_(why), tone="danger")
    return form


def ask_about_words(prompter: Prompter, printer: Printer, rb: Rulebook, form: Form) -> bool:
    """Ask about every warning sign the words raised, quoting them (contract v3 `confirm`),
    emergency signs first; True when an emergency sign is answered yes or 'not sure'."""
    questions = coach.words_to_confirm(form.text or "")
    if not questions:
        return False
    printer.line()
    printer.line(rb.notes.words_title, tone="info")
    printer.line(rb.notes.words_intro)
    for key, words in questions:
        question = rb.question_by_id[key]
        said = f"{rb.notes.words_quote.format(phrase=words)} {question.prompt}"
        answer = prompter.yes_no_unsure(f"confirm_{key}", said, question.help)
        form.confirmed[key] = answer.cautious
        if answer is Answer.UNSURE:
            form.unsure.append(key)
        if answer.cautious and rb.is_emergency_sign(key):
            return True
    return False


def ask_checklist(
    prompter: Prompter, printer: Printer, rb: Rulebook, screen: Screen, form: Form
) -> bool:
    """'Do any of these apply?' with one answer for 'none'; True when a warning sign was given.

    Only a yes or 'not sure' leads to the questions one by one. On the emergency screen the
    first yes ends the check; on the others, after a yes, only the signs that could make it
    more urgent together with it are still asked.
    """
    printer.line(screen.spec.intro)
    for question in screen.questions:
        printer.line(f"- {question.label}", indent="  ")
    gate = prompter.yes_no_unsure(f"{screen.id}_any", _(ANY_OF_THESE).format(none=NONE_KEY))
    if gate is Answer.NO:
        form.answers.update({q.id: False for q in screen.questions})
        return False
    found = False
    for question in screen.questions:
        if found and not _could_raise_urgency(rb, question.id, form.answers):
            continue
        if ask_yes_no(prompter, question, form):
            found = True
            if rb.is_emergency_sign(question.id):
                return True
    return found


def _could_raise_urgency(rb: Rulebook, question_id: str, answers: dict[str, Any]) -> bool:
    """Whether a yes here would complete a combination with a sign already reported."""
    return any(
        question_id in combo.all_of
        and any(answers.get(q) is True for q in combo.all_of)
        and all(answers.get(q) is not False for q in combo.all_of)
        for combo in rb.combinations
    )


def ask_yes_no(prompter: Prompter, question: Question, form: Form) -> bool:
    """Ask one yes/no question; 'not sure' is recorded as yes, the cautious answer."""
    answer = prompter.yes_no_unsure(question.id, question.prompt, question.help)
    form.answers[question.id] = answer.cautious
    if answer is Answer.UNSURE:
        form.unsure.append(question.id)
    return answer.cautious


def ask_pain_and_you(prompter: Prompter, screen: Screen, form: Form) -> None:
    """The pain score and its character (yes/no/not sure), then optional questions about you."""
    for question in screen.questions:
        if question.group == "pain" and question.type == "bool":
            ask_yes_no(prompter, question, form)
        elif question.group == "pain":
            lo, hi = int(question.min or 0), int(question.max or 10)
            form.answers[question.id] = prompter.score(
                question.id, question.prompt, question.help, lo=lo, hi=hi
            )
        else:
            value = ask_optional(prompter, question)
            if value is not None:
                form.answers[question.id] = value


def ask_optional(prompter: Prompter, question: Question) -> Any:
    """A context question; a blank line skips it."""
    if question.type == "bool":
        return prompter.optional_yes_no(question.id, question.prompt, question.help)
    if question.type == "number":
        return prompter.hours(question.id, question.prompt, question.help)
    lo, hi = int(question.min or 0), int(question.max if question.max is not None else 10)
    return prompter.optional_whole(question.id, question.prompt, question.help, lo=lo, hi=hi)


def show_decision(
    printer: Printer,
    rb: Rulebook,
    assessment: dict[str, Any],
    walk: bool = True,
    no_walks: bool = False,
) -> None:
    """The decision and everything that goes with it, then where it was saved (no walk is
    suggested while an earlier warning stands: `walk` False; `no_walks` when this check is
    the warning, so walks wait for a clinician)."""
    for section in decision_sections(rb, assessment, walk):
        printer.section(section)
    if no_walks:
        hours = rb.progression.warning_remembered_hours
        printer.section(
            Section(_("Walking"), "warning")
            .text(rb.notes.warning_no_walks.format(hours=numbers.number(hours)))
            .text(_(SEEN_HINT))
        )
    said = settings.headline(rb, assessment, settings.emergency_number(rb))
    next_step = _(NEXT_STEPS[assessment["disposition"]]).format(headline=said)
    if assessment["disposition"] != "seek_care_now" and not walk:
        next_step = _(SAVED_NO_WALK)
    printer.line(next_step, tone=DISPOSITION_TONES[assessment["disposition"]])
