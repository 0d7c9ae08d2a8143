"""Sections built from the rulebook and from assessments: every word of advice comes from data.

`check`, `walk` and `learn` all show the same measures, tips and red flags, so they are built
here once. The few words in this module are headings and glue, never advice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from backwalk import settings
from backwalk.cli.render import Section, Tone
from backwalk.coach import Standing
from backwalk.engine import NOT_ENGLISH, words_behind_flags
from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.remembered import own_check_view
from backwalk.rules import RedFlag, Rulebook, Supportive
from backwalk.telling import what_to_tell

DISPOSITION_TONES: dict[str, Tone] = {
    "seek_care_now": "danger",
    "rest_first": "warning",
    "walk_gently": "good",
}
URGENCY_TONES: dict[str, Tone] = {"emergency": "danger", "same_day": "danger", "gp_soon": "warning"}


SEEN_HINT = N_("When a clinician has seen you, tell backwalk: backwalk seen")
WHAT_TO_DO_NOW = N_("What to do now")
PHASE_LEAD = N_("Now:")  # "Now: Keeping well", beside the standing, as the pages say it
ALSO = N_("Also")
STANDING_TONES: dict[str, Tone] = {
    "seek_care": "danger",
    "seen": "warning",
    "rest_first": "warning",
    "walk_stopped": "warning",
    "check_expired": "warning",
    "walk_ready": "good",
}


def standing_sections(rb: Rulebook, standing: Standing) -> list[Section]:
    """Where the person stands: what `plan` and `history` lead with, as the web pages do."""
    section = Section(standing.headline, STANDING_TONES.get(standing.kind, "info"))
    section.strong(f"{_(PHASE_LEAD)} {standing.phase_label}")
    section.text(standing.text).source(standing.source)
    if standing.next_walk is not None:
        section.text(standing.next_walk.why)
    sections = [section]
    if standing.kind == "seek_care" and standing.urgency:
        flags = standing.warning.flags if standing.warning else ()
        sections.append(urgency_section(rb, standing.urgency, _(WHAT_TO_DO_NOW), flags))
    if standing.warning is not None:
        sections[0].text(_(SEEN_HINT))
    if standing.also:
        sections.append(urgency_section(rb, "gp_soon", _(ALSO)))
    return sections


def label(rb: Rulebook, question_id: str) -> str:
    return rb.question_by_id[question_id].label


def urgency_section(
    rb: Rulebook, urgency_id: str, title: str | None = None, flags: Any = ()
) -> Section:
    """What to do and how urgently: the tier's label and action."""
    urgency = rb.urgency_for(urgency_id, flags)
    number = settings.emergency_number(rb)
    section = Section(title or urgency.label, URGENCY_TONES.get(urgency_id, "danger"))
    if title:
        # a GP appointment beside a rest or walk answer leads with its headline, as the pages do
        lead = rb.urgency_headline(urgency_id, number) if urgency_id == "gp_soon" else urgency.label
        section.strong(lead)
    action = urgency.action.format(number=number)
    section.text(action).source(rb.source_title(urgency.source))
    if urgency.note and urgency.note_source:
        section.text(urgency.note).source(rb.source_title(urgency.note_source))
    return section


def tell_clinician_section(
    rb: Rulebook, flag_ids: Iterable[str], unsure: Iterable[str] = (), words: Iterable[str] = ()
) -> Section:
    """The sentences to say to the clinician, one per red flag ('not sure' stays 'not sure'),
    then the person's own words behind them."""
    flag_ids = list(flag_ids)
    section = Section(_("What to tell the clinician"), "danger")
    for line in what_to_tell(rb, flag_ids, unsure, words):
        section.bullet(f'"{line}"')
    return section.source(*(rb.source_title(rb.red_flag(f).source) for f in flag_ids))


def reasons_section(reasons: list[dict[str, Any]], title: str | None = None) -> Section:
    """Each reason in plain words with where it comes from."""
    section = Section(title or _("Why"), "info")
    for reason in reasons:
        section.bullet(reason["text"])
        section.source(reason["source"], nested=True)
    return section


def walk_plan_section(rb: Rulebook, plan: dict[str, Any]) -> Section:
    """The walk's length, its tips and when to stop."""
    tips = [next(t for t in rb.tips if t.id == tip_id) for tip_id in plan["tips"]]
    stops = [next(s for s in rb.stop_rules if s.id == stop_id) for stop_id in plan["stop_if"]]
    section = Section(_("Your walk: {minutes} minutes").format(minutes=plan["minutes"]), "good")
    for tip in tips:
        section.bullet(tip.text, lead=f"{tip.title}:")
    section.strong(_("When to stop"))
    for stop in stops:
        section.bullet(stop.text)
    sources = [t.source for t in tips] + [s.source for s in stops]
    return section.source(*(rb.source_title(s) for s in sources))


def measure_section(rb: Rulebook, measure: Supportive, tone: Tone = "info") -> Section:
    """A supportive measure: what it does, how to do it step by step, and its caution."""
    section = Section(measure.title, tone).text(measure.summary).steps(measure.steps)
    section.source(rb.source_title(measure.source))
    if measure.steps_source:
        section.source(rb.source_title(measure.steps_source))
    section.note(measure.caution)
    if measure.caution_cites != measure.source:
        section.source(rb.source_title(measure.caution_cites))
    return section


def measure_sections(rb: Rulebook, measure_ids: Iterable[str]) -> list[Section]:
    return [measure_section(rb, rb.supportive_measure(m)) for m in measure_ids]


def rest_positions(rb: Rulebook) -> list[Supportive]:
    """The positions to rest in after a walk stops (rest-first measures not tied to onset)."""
    return [
        m
        for m in rb.supportive
        if "rest_first" in m.for_dispositions and m.onset_hours_at_most is None
    ]


def disclaimer_section(rb: Rulebook) -> Section:
    return Section(_("Please note"), "muted").text(rb.disclaimer)


def red_flag_item(rb: Rulebook, section: Section, flag: RedFlag) -> None:
    """One red flag for `learn`: what it is, why it matters and what to say, with its source."""
    text = _('{why} Tell the clinician: "{words}"').format(why=flag.why, words=flag.tell_clinician)
    section.bullet(text, lead=f"{label(rb, flag.id).capitalize()}:")
    section.source(rb.source_title(flag.source), nested=True)


def decision_sections(rb: Rulebook, assessment: dict[str, Any], walk: bool = True) -> list[Section]:
    """The whole answer to a check: decision, urgency, why, plan, measures, disclaimer; with
    `walk` False (an earlier warning stands) no walk plan and no measures for walking."""
    disposition = assessment["disposition"]
    if not walk and disposition != "seek_care_now":
        return _under_a_standing_warning(rb, assessment)
    said = settings.headline(rb, assessment, settings.emergency_number(rb))
    decision = Section(_("Decision"), DISPOSITION_TONES[disposition]).strong(said)
    sections = [decision]
    urgency = assessment.get("urgency")
    if urgency:
        title = _(WHAT_TO_DO_NOW) if disposition == "seek_care_now" else _("Also")
        sections.append(urgency_section(rb, urgency, title, assessment["red_flags"]))
    unread = [r for r in assessment["reasons"] if r["rule"] == NOT_ENGLISH]
    if unread:  # the person may have written a warning sign there: say so before the reasons
        sections.append(Section(_("Your words"), "warning").text(unread[0]["text"]))
    unsure = [r for r in assessment["reasons"] if r["rule"] == "unsure"]
    if unsure:
        title = _("'Not sure' counted as yes")
        sections.append(Section(title, "warning").text(unsure[0]["text"]))
    shown = {"unsure", NOT_ENGLISH}
    sections.append(reasons_section([r for r in assessment["reasons"] if r["rule"] not in shown]))
    if assessment["red_flags"]:
        flags, not_sure = assessment["red_flags"], assessment.get("unsure", ())
        words = words_behind_flags(assessment)
        sections.append(tell_clinician_section(rb, flags, not_sure, words))
    if assessment.get("walk_plan") and walk:
        sections.append(walk_plan_section(rb, assessment["walk_plan"]))
    if walk:
        sections.extend(measure_sections(rb, assessment["supportive"]))
    if disposition != "seek_care_now":
        sections.append(more_help_section(rb))
    sections.append(disclaimer_section(rb))
    return sections


def _under_a_standing_warning(rb: Rulebook, assessment: dict[str, Any]) -> list[Section]:
    """A calm check while an earlier warning stands: the warning (shown before this) leads;
    the check's own findings follow as background, with no walk offered."""
    line, reasons = own_check_view(rb, assessment)
    own = Section(rb.notes.remembered_title, "info").text(line)
    for reason in reasons:
        own.bullet(reason["text"])
        own.source(reason["source"], nested=True)
    return [own, disclaimer_section(rb)]


def more_help_section(rb: Rulebook) -> Section:
    """The learn topics every rest-first and walk-gently result points to."""
    section = Section(_("More help"), "info")
    for entry in rb.learn:
        if entry.on_results:
            section.bullet(f"backwalk learn {entry.id}", lead=f"{entry.title}:")
    return section
