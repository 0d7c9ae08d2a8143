"""The rulebook: questions, red flags and advice as data with provenance, loaded strictly.

The loader is deliberately unforgiving: an unknown key, an unknown question or source id, or a bad
enumeration stops start-up with a message that says where and suggests the likely intended name.
A misspelt red-flag key silently ignored would be the worst kind of bug this product can have.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from typing import Any, NamedTuple, get_type_hints

from backwalk import i18n
from backwalk.errors import RulebookError
from backwalk.status import WalkStatus

QUESTION_TYPES = ("bool", "int", "number")
QUESTION_GROUPS = ("red_flag", "pain", "context")
SOURCE_KINDS = ("article", "guideline", "policy", "study")
DISPOSITIONS = ("seek_care_now", "rest_first", "walk_gently")  # most cautious first
CHECKIN_ACTIONS = ("stop_seek_care", "stop", "continue")
WALK_STATUSES = tuple(WalkStatus)
STANDINGS = (
    "no_check",
    "seek_care",
    "seen",
    "rest_first",
    "walk_stopped",
    "check_expired",
    "walk_ready",
    "walking",
)
SCREEN_KINDS = ("emergency_signs", "other_signs", "pain_and_you")
PREGNANCY_FITS = ("any", "not_pregnant", "pregnant_only")
OUTCOME_THRESHOLDS = ("pain", "activities", "global_change")
PROGRESS_MESSAGES = {  # each message id and the placeholders its text may use
    "pain_better": ("first", "latest"),
    "pain_same": ("first", "latest"),
    "pain_worse": ("first", "latest"),
    "pain_too_few": (),
    "activities_better": ("first", "latest"),
    "activities_same": ("first", "latest"),
    "activities_worse": ("first", "latest"),
    "activities_first": ("latest",),
    "activities_none": (),
    "global_better": ("label",),
    "global_same": ("label",),
    "global_worse": ("label",),
    "global_none": (),
}


class Source(NamedTuple):
    id: str
    title: str
    kind: str
    short: str | None = None  # a short citation (e.g. "Ostelo et al. 2008"), where one helps

    @property
    def cite(self) -> str:
        return self.short or self.title


class Urgency(NamedTuple):
    id: str
    label: str
    headline: str  # may hold {number}: the emergency number, a setting of each face
    action: str
    source: str
    note: str | None = None  # backwalk's own advice beside the tier's ("Do not drive yourself")
    note_source: str | None = None


class Question(NamedTuple):
    id: str
    label: str
    type: str
    group: str
    prompt: str
    help: str
    source: str
    min: float | None = None
    max: float | None = None
    aliases: tuple[str, ...] = ()  # older answer keys still accepted for this question
    during_walk: bool = False  # a sign that can appear mid-walk, so a check-in asks about it


class CheckScreen(NamedTuple):
    """One screen (or block of terminal questions) of the check; `ask` picks its questions."""

    id: str
    ask: str
    title: str
    intro: str
    none_label: str
    source: str


class RedFlag(NamedTuple):
    id: str
    urgency: str
    why: str
    tell_clinician: str
    source: str
    # Who to call when this sign sets the urgency (a pregnancy warning: the maternity unit)
    urgency_label: str | None = None
    headline: str | None = None
    action: str | None = None


class Combination(NamedTuple):
    """Red flags that together call for a more urgent tier than each one alone."""

    id: str
    all_of: tuple[str, ...]
    urgency: str
    why: str
    tell_clinician: str
    source: str


class Condition(NamedTuple):
    """One test on an answer: exactly one of is_true, at_least or below."""

    question: str
    is_true: bool | None = None
    at_least: float | None = None
    below: float | None = None

    def holds(self, answers: dict[str, Any]) -> bool:
        value = answers.get(self.question)
        if self.is_true is not None:
            return value is self.is_true
        if value is None or isinstance(value, bool):
            return False
        if self.at_least is not None:
            return bool(value >= self.at_least)
        return self.below is not None and bool(value < self.below)


class GpSoonRule(NamedTuple):
    """A reason to book a GP appointment within days, whatever the disposition."""

    id: str
    when: tuple[Condition, ...]
    text: str
    source: str


class SafetyNet(NamedTuple):
    text: str
    while_waiting: str  # for same-day and GP-soon results: until the person is seen
    source: str
    while_waiting_source: str


class Disposition(NamedTuple):
    id: str
    short: str  # where the whole headline is too long: a table cell, a chart label
    headline: str
    source: str


class WalkStatusWords(NamedTuple):
    id: str
    label: str


class RestRule(NamedTuple):
    id: str
    question: str
    text: str
    source: str
    is_true: bool | None = None
    at_least: float | None = None


class WalkRule(NamedTuple):
    id: str
    text: str
    source: str


class Notes(NamedTuple):
    red_flag: str
    red_flag_unsure: str
    tell_clinician_unsure: str
    tell_clinician_words: str
    combination: str
    rest_unsure: str
    unanswered: str
    text_finding: str
    unsure: str
    red_flag_text: str
    red_flag_text_unsure: str
    red_flag_confirmed: str
    red_flag_words_unsure: str
    rest_text: str
    rest_text_unsure: str
    words_title: str  # the questions that settle what the person's own words raised (v3)
    words_intro: str
    words_quote: str
    words_no: str
    seen_button: str  # "I have been seen": a standing warning ends (remembered.py)
    seen_done: str
    seen_confirm_title: str  # a tap cannot lift a warning by mistake: the button asks first
    seen_confirm_text: str
    seen_confirm_yes: str
    seen_confirm_no: str
    still_title: str  # a new check asks first whether a standing warning is still so
    still_intro: str
    still_question: str
    remembered_check: str  # a calm check while a warning stands: the warning leads
    remembered_title: str
    held_back: str  # a history row's note for a calm check made while a warning stood
    warning_no_walks: str  # on a warning's own result: what it means for walking
    text_not_english: str  # free text in another language is not read (backwalk.nlp.language)
    # The way to urgent help, in the same place on every page (WCAG 2.2, 3.2.6 Consistent
    # Help); {number} is the emergency number in force (a setting).
    urgent_help: str


class Tip(NamedTuple):
    id: str
    title: str
    text: str
    source: str
    illustration: str | None = None


class StopRule(NamedTuple):
    id: str
    text: str
    source: str


class WalkCue(NamedTuple):
    id: str
    text: str
    source: str


class CheckinAction(NamedTuple):
    id: str
    headline: str
    text: str
    source: str


class CheckinReasons(NamedTuple):
    pain_rose: str
    sharp: str


class Progression(NamedTuple):
    start_minutes: int
    step_minutes: int
    max_minutes: int
    reset_after_days: int
    checkin_every_minutes: int
    check_valid_hours: float
    warning_remembered_hours: float  # a warning keeps its advice this long, unless seen
    text: str
    source: str


class StandingText(NamedTuple):
    """How one 'where you stand' situation is put into words on every screen."""

    id: str
    headline: str
    text: str
    source: str


class Supportive(NamedTuple):
    id: str
    title: str
    for_dispositions: tuple[str, ...]
    summary: str
    steps: tuple[str, ...]
    caution: str
    source: str
    onset_hours_at_most: float | None = None
    illustration: str | None = None
    caution_source: str | None = None  # when the caution comes from elsewhere than the measure
    steps_source: str | None = None  # where the timings in the steps come from
    pregnancy: str = "any"  # "not_pregnant" (done lying on the back) or "pregnant_only"

    def suits(self, pregnant: bool) -> bool:
        """Whether the measure is for this person: nothing lying on the back in pregnancy."""
        if self.pregnancy == "any":
            return True
        return pregnant == (self.pregnancy == "pregnant_only")

    @property
    def caution_cites(self) -> str:
        return self.caution_source or self.source


class LearnSection(NamedTuple):
    id: str
    title: str
    text: str
    source: str
    on_results: bool = False  # linked from every rest-first and walk-gently result


class OutcomeActivities(NamedTuple):
    """The Patient-Specific Functional Scale method, in backwalk's own words."""

    title: str
    explain: str
    name_prompt: str  # {number}, {most}
    name_done_hint: str  # how to stop naming activities at a terminal
    rate_prompt: str  # {activity}
    rate_help: str
    same_again: str
    same_again_hint: str  # how to name new activities instead, at a terminal
    max_activities: int
    source: str


class ChangeOption(NamedTuple):
    value: int
    label: str


class GlobalChange(NamedTuple):
    """A global rating of change: one answer from a balanced scale, best first."""

    title: str
    prompt: str
    help: str
    options: tuple[ChangeOption, ...]
    source: str

    def label(self, value: int) -> str:
        return next(o.label for o in self.options if o.value == value)


class Threshold(NamedTuple):
    """A published threshold for a change that matters: points, a percentage or a minimum."""

    id: str
    text: str
    source: str
    points: float | None = None
    percent: float | None = None
    at_least: float | None = None


class ProgressMessage(NamedTuple):
    id: str
    text: str
    source: str


class Outcomes(NamedTuple):
    """The weekly outcome measures and the words for progress on them."""

    every_days: int
    pain_compare_after_hours: int  # pain is compared only between checks this far apart
    title: str
    offer: str  # when a week has passed since the last answers
    offer_first: str  # the first time, when no answers have been given yet
    intro: str
    source: str
    activities: OutcomeActivities
    global_change: GlobalChange
    thresholds: tuple[Threshold, ...]
    messages: tuple[ProgressMessage, ...]

    def offer_for(self, answered_before: bool) -> str:
        return self.offer if answered_before else self.offer_first

    def threshold(self, threshold_id: str) -> Threshold:
        return next(t for t in self.thresholds if t.id == threshold_id)

    def message(self, message_id: str) -> ProgressMessage:
        return next(m for m in self.messages if m.id == message_id)


PHASES = ("acute", "recovered", "keeping_well")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
KEEPWELL_PLACEHOLDERS = (
    "date",
    "days",
    "minutes",
    "target",
    "walked",
    "week",
    "name",
    "dose",
    "when",
    "planned",
    "step",
)
# How a programme week can end, each with its explanation (`[[programme_changes]]`).
PROGRAMME_CHANGES = (
    "good_week",
    "stepped_up",
    "at_target",
    "short_week",
    "setback_walk",
    "setback_check",
    "setback_shortest",
    "resumed",
)
PROGRAMME_CHANGE_KINDS = ("up", "hold", "back")


class Programme(NamedTuple):
    """The keeping-well walking programme: its rules as numbers, and its words."""

    days_min: int
    days_max: int
    target_minutes: int  # per walk: also the most a programme walk may be
    target_days: int
    target_weeks: int  # reach the target within this many weeks
    start_minutes_min: int
    start_minutes_max: int
    step_minutes: int
    weeks_between_steps: int  # good weeks in a row before a step up
    max_weekly_increase_minutes: int  # one step may add no more than this to a week's plan
    good_week_share: float  # a week went well when this share of its planned minutes was walked
    recurrence_every_days: int
    recovered_pain_at_most: int
    recovered_days: int
    resume_steps_back: int  # a plan paused by a new episode picks up this many steps lower
    title: str
    text: str
    source: str
    steps_source: str
    recurrence_question: str
    recurrence_source: str


class PhaseWords(NamedTuple):
    id: str
    label: str
    text: str
    source: str


class KeepwellWords(NamedTuple):
    """What every face says about keeping well: one source for the pages and the terminal."""

    recovery_offer: str
    recovery_button: str
    recovery_done: str
    not_now: str
    programme_done: str
    programme_days: str
    programme_minutes: str
    programme_minutes_change: str  # {minutes}: the plan's walks now
    next_step: str
    change_title: str  # the heading over why this week's plan is what it is
    paused_title: str
    paused: str  # a plan paused by a new episode: what it picks up at, and when
    paused_calendar: str  # the calendar's walking days while the plan is paused
    resumed_done: str  # "back to normal" again, when a paused plan picks up
    logged_walk_label: str
    medicine_label: str
    logged_title: str
    at_target: str
    walk_logged: str
    log_walk_prompt: str
    recurrence_title: str
    recurrence_yes_done: str
    recurrence_no_done: str
    medicine_logged: str
    medicine_title: str
    medicine_help: str
    weekly_minutes_title: str
    weekly_minutes_caption: str
    weekly_minutes_numbers: str
    next_walk_plan: str  # the standing's next walk in keeping well: the plan, not "first walk"
    days_since_recovery: str  # {date}, {days}: two or more days
    recovered_today: str
    recovered_yesterday: str
    source: str


class ProgrammeChange(NamedTuple):
    """Why a programme week's plan is what it is: how the week before ended, in words."""

    id: str
    change: str  # up, hold or back
    text: str
    source: str


class EducationCard(NamedTuple):
    """A short lesson for one week of the programme."""

    id: str
    week: int
    title: str
    text: str
    source: str


class Rulebook(NamedTuple):
    version: str
    contract_version: int
    emergency_number: str
    disclaimer: str
    sources: dict[str, Source]
    urgencies: tuple[Urgency, ...]
    questions: tuple[Question, ...]
    check_screens: tuple[CheckScreen, ...]
    red_flags: tuple[RedFlag, ...]
    combinations: tuple[Combination, ...]
    gp_soon_rules: tuple[GpSoonRule, ...]
    safety_net: SafetyNet
    dispositions: tuple[Disposition, ...]
    rest_rules: tuple[RestRule, ...]
    walk_rule: WalkRule
    notes: Notes
    tips: tuple[Tip, ...]
    stop_rules: tuple[StopRule, ...]
    walk_cues: tuple[WalkCue, ...]
    checkin_actions: tuple[CheckinAction, ...]
    checkin_reasons: CheckinReasons
    progression: Progression
    standings: tuple[StandingText, ...]
    walk_statuses: tuple[WalkStatusWords, ...]
    supportive: tuple[Supportive, ...]
    learn: tuple[LearnSection, ...]
    question_by_id: dict[str, Question]
    aliases: dict[str, str]  # an older answer key -> the question that replaced it
    outcomes: Outcomes
    programme: Programme
    phases: tuple[PhaseWords, ...]
    keepwell: KeepwellWords
    programme_changes: tuple[ProgrammeChange, ...]
    education: tuple[EducationCard, ...]
    lang: str = "en"  # the language of its texts: the file's English, or a translation (i18n)

    def phase(self, phase_id: str) -> PhaseWords:
        return next(p for p in self.phases if p.id == phase_id)

    def programme_change(self, change_id: str) -> ProgrammeChange:
        return next(c for c in self.programme_changes if c.id == change_id)

    def card_for_week(self, week: int) -> EducationCard:
        """The lesson of a programme week; after the last one they come round again."""
        cards = sorted(self.education, key=lambda c: c.week)
        return cards[(max(week, 1) - 1) % len(cards)]

    def source_title(self, source_id: str) -> str:
        return self.sources[source_id].title

    def urgency(self, urgency_id: str) -> Urgency:
        return next(u for u in self.urgencies if u.id == urgency_id)

    def disposition(self, disposition_id: str) -> Disposition:
        return next(d for d in self.dispositions if d.id == disposition_id)

    def checkin_action(self, action_id: str) -> CheckinAction:
        return next(a for a in self.checkin_actions if a.id == action_id)

    def red_flag(self, flag_id: str) -> RedFlag:
        return next(f for f in self.red_flags if f.id == flag_id)

    def is_emergency_sign(self, question_id: str) -> bool:
        """True for a red flag whose own tier is the most urgent: the check stops at its yes."""
        top = self.urgencies[0].id
        return any(f.id == question_id and f.urgency == top for f in self.red_flags)

    def urgency_headline(self, urgency_id: str, number: str | None = None) -> str:
        return self.urgency(urgency_id).headline.format(number=number or self.emergency_number)

    def urgency_for(self, urgency_id: str, flags: Any = ()) -> Urgency:
        """The tier's words, or those of a sign that names who to call when it sets the tier
        (bleeding in pregnancy: the midwife, not the GP), unless another sign is more urgent."""
        urgency = self.urgency(urgency_id)
        for flag in self.red_flags:
            if flag.id in flags and flag.headline and flag.urgency == urgency_id:
                return urgency._replace(
                    label=flag.urgency_label or urgency.label,
                    headline=flag.headline,
                    action=flag.action or urgency.action,
                    source=flag.source,
                )
        return urgency

    def seek_care_headline(
        self, urgency_id: str, flags: Any = (), number: str | None = None
    ) -> str:
        """The headline of a seek-care result: how fast, and who to call."""
        headline = self.urgency_for(urgency_id, flags).headline
        return headline.format(number=number or self.emergency_number)

    def walk_status_label(self, status: str) -> str:
        """How a walk ended, in words; an unknown (older) status is shown as it is."""
        return next((w.label for w in self.walk_statuses if w.id == status), str(status))

    def standing(self, standing_id: str) -> StandingText:
        return next(s for s in self.standings if s.id == standing_id)

    def supportive_measure(self, measure_id: str) -> Supportive:
        return next(s for s in self.supportive if s.id == measure_id)


def did_you_mean(name: str, choices: Any) -> str:
    """A ' (did you mean 'x'?)' hint for a misspelt name, or '' when nothing is close."""
    import difflib  # only needed on the error path

    options = [str(c) for c in choices]
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    if not close:  # short misspellings of long ids ('fevr' for 'fever_or_chills') score low
        close = [o for o in options if name[:3].lower() == o[:3]]
    return i18n.gettext(" (did you mean '{name}'?)").format(name=close[0]) if close else ""


def _build(cls: type, data: Any, where: str) -> Any:
    """Build a record from a TOML table, rejecting unknown or missing keys."""
    if not isinstance(data, dict):
        raise RulebookError(f"{where}: expected a table, got {type(data).__name__}")
    fields, defaults, hints = _schema(cls)
    for key in data:
        if key not in fields:
            raise RulebookError(f"{where}: unknown key '{key}'{did_you_mean(key, fields)}")
    values = {}
    for name in fields:
        if name not in data:
            if name not in defaults:
                raise RulebookError(f"{where}: missing required key '{name}'")
            continue
        values[name] = _convert(hints[name], data[name], f"{where}.{name}")
    return cls(**values)


@cache
def _schema(cls: type) -> tuple[tuple[str, ...], dict[str, Any], dict[str, Any]]:
    """Field names, defaults and resolved type hints of a record type (resolving hints is slow)."""
    return cls._fields, cls._field_defaults, get_type_hints(cls)  # type: ignore[attr-defined]


def is_record(hint: Any) -> bool:
    """Rulebook records are NamedTuples: immutable, and far cheaper to define at start-up than
    dataclasses, which matters because `backwalk assess` must start fast."""
    return isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields")


def _convert(hint: Any, value: Any, where: str) -> Any:
    """Check a TOML value against a record field type; lists become tuples."""
    origin = getattr(hint, "__origin__", None)
    args: tuple[Any, ...] = getattr(hint, "__args__", ())
    if origin is tuple:
        if not isinstance(value, list):
            raise RulebookError(f"{where}: expected a list")
        return tuple(_convert(args[0], item, f"{where}[{i}]") for i, item in enumerate(value))
    if args and type(None) in args:  # Optional[X]
        return _convert(next(a for a in args if a is not type(None)), value, where)
    if is_record(hint):
        return _build(hint, value, where)
    return _check_scalar(hint, value, where)


def _check_scalar(hint: Any, value: Any, where: str) -> Any:
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, bool):
        raise RulebookError(f"{where}: expected int, got bool")
    if not isinstance(value, hint):
        raise RulebookError(f"{where}: expected {hint.__name__}, got {type(value).__name__}")
    return value


def _build_list(cls: type, data: dict[str, Any], key: str) -> tuple[Any, ...]:
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise RulebookError(f"{key}: expected a non-empty list of tables")
    built = tuple(_build(cls, item, f"{key}[{i}]") for i, item in enumerate(items))
    _reject_duplicate_ids(built, key)
    return built


def _reject_duplicate_ids(items: tuple[Any, ...], key: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise RulebookError(f"{key}: duplicate id '{item.id}'")
        seen.add(item.id)


_TOP_LEVEL = {
    "version",
    "contract_version",
    "emergency_number",
    "disclaimer",
    "sources",
    "urgencies",
    "questions",
    "check_screens",
    "red_flags",
    "combinations",
    "gp_soon_rules",
    "safety_net",
    "dispositions",
    "rest_rules",
    "walk_rule",
    "notes",
    "tips",
    "stop_rules",
    "walk_cues",
    "checkin_actions",
    "checkin_reasons",
    "progression",
    "standings",
    "walk_statuses",
    "supportive",
    "learn",
    "outcomes",
    "programme",
    "phases",
    "keepwell",
    "programme_changes",
    "education",
}


def parse_rulebook(data: dict[str, Any]) -> Rulebook:
    """Turn parsed TOML into a checked Rulebook, or raise RulebookError saying what is wrong."""
    for key in data:
        if key not in _TOP_LEVEL:
            raise RulebookError(f"unknown top-level key '{key}'{did_you_mean(key, _TOP_LEVEL)}")
    sources = {
        sid: _build(Source, {"id": sid, **table}, f"sources.{sid}")
        for sid, table in _require_table(data, "sources").items()
    }
    questions = _build_list(Question, data, "questions")
    rulebook = Rulebook(
        version=_check_scalar(str, data.get("version"), "version"),
        contract_version=_check_scalar(int, data.get("contract_version"), "contract_version"),
        emergency_number=_check_scalar(str, data.get("emergency_number"), "emergency_number"),
        disclaimer=_check_scalar(str, data.get("disclaimer"), "disclaimer"),
        sources=sources,
        urgencies=_build_list(Urgency, data, "urgencies"),
        questions=questions,
        check_screens=_build_list(CheckScreen, data, "check_screens"),
        red_flags=_build_list(RedFlag, data, "red_flags"),
        combinations=_build_list(Combination, data, "combinations"),
        gp_soon_rules=_build_list(GpSoonRule, data, "gp_soon_rules"),
        safety_net=_build(SafetyNet, data.get("safety_net"), "safety_net"),
        dispositions=_build_list(Disposition, data, "dispositions"),
        rest_rules=_build_list(RestRule, data, "rest_rules"),
        walk_rule=_build(WalkRule, data.get("walk_rule"), "walk_rule"),
        notes=_build(Notes, data.get("notes"), "notes"),
        tips=_build_list(Tip, data, "tips"),
        stop_rules=_build_list(StopRule, data, "stop_rules"),
        walk_cues=_build_list(WalkCue, data, "walk_cues"),
        checkin_actions=_build_list(CheckinAction, data, "checkin_actions"),
        checkin_reasons=_build(CheckinReasons, data.get("checkin_reasons"), "checkin_reasons"),
        progression=_build(Progression, data.get("progression"), "progression"),
        standings=_build_list(StandingText, data, "standings"),
        walk_statuses=_build_list(WalkStatusWords, data, "walk_statuses"),
        supportive=_build_list(Supportive, data, "supportive"),
        learn=_build_list(LearnSection, data, "learn"),
        question_by_id={q.id: q for q in questions},
        aliases={alias: q.id for q in questions for alias in q.aliases},
        outcomes=_build(Outcomes, data.get("outcomes"), "outcomes"),
        programme=_build(Programme, data.get("programme"), "programme"),
        phases=_build_list(PhaseWords, data, "phases"),
        keepwell=_build(KeepwellWords, data.get("keepwell"), "keepwell"),
        programme_changes=_build_list(ProgrammeChange, data, "programme_changes"),
        education=_build_list(EducationCard, data, "education"),
    )
    _check_references(rulebook)
    return rulebook


def _require_table(data: dict[str, Any], key: str) -> dict[str, Any]:
    table = data.get(key)
    if not isinstance(table, dict) or not table:
        raise RulebookError(f"{key}: expected a non-empty table")
    return table


def _check_references(rb: Rulebook) -> None:
    """Every id a rule names must exist; every enumeration must hold a known value."""
    questions = rb.question_by_id
    urgencies = [u.id for u in rb.urgencies]
    for where, item in _all_sourced(rb):
        _expect(item.source, rb.sources, f"{where}.source", "source")
    for source in rb.sources.values():
        _expect(source.kind, SOURCE_KINDS, f"sources.{source.id}.kind", "source kind")
    for q in rb.questions:
        _check_question(q, questions)
    for flag in rb.red_flags:
        _expect(flag.id, questions, f"red_flags.{flag.id}", "question")
        _expect(flag.urgency, urgencies, f"red_flags.{flag.id}.urgency", "urgency")
    _check_urgency_rules(rb, urgencies)
    _check_aliases(rb)
    _expect_exactly([s.ask for s in rb.check_screens], SCREEN_KINDS, "check_screens.ask")
    _expect_exactly([d.id for d in rb.dispositions], DISPOSITIONS, "dispositions")
    _expect_exactly([s.id for s in rb.standings], STANDINGS, "standings")
    _expect_exactly([w.id for w in rb.walk_statuses], WALK_STATUSES, "walk_statuses")
    _expect_exactly([a.id for a in rb.checkin_actions], CHECKIN_ACTIONS, "checkin_actions")
    for rule in rb.rest_rules:
        _check_rest_rule(rule, questions)
    for measure in rb.supportive:
        _expect(
            measure.caution_cites, rb.sources, f"supportive.{measure.id}.caution_source", "source"
        )
        _expect(measure.pregnancy, PREGNANCY_FITS, f"supportive.{measure.id}.pregnancy", "fit")
        for d in measure.for_dispositions:
            _expect(d, DISPOSITIONS, f"supportive.{measure.id}.for_dispositions", "disposition")
    _expect(rb.safety_net.while_waiting_source, rb.sources, "safety_net", "source")
    for urgency in rb.urgencies:
        if urgency.note_source is not None:
            _expect(urgency.note_source, rb.sources, f"urgencies.{urgency.id}.note", "source")
    for measure in rb.supportive:
        if measure.steps_source is not None:
            where = f"supportive.{measure.id}.steps_source"
            _expect(measure.steps_source, rb.sources, where, "source")
    _check_progression(rb.progression)
    _check_outcomes(rb.outcomes, rb.sources)
    _check_keepwell(rb)


def _check_keepwell(rb: Rulebook) -> None:
    """The programme's numbers make sense, the phases are exactly the known ones, the cards
    cover weeks 1..N once each, and every text uses only the known placeholders."""
    p = rb.programme
    for where, source in (("steps_source", p.steps_source), ("recurrence", p.recurrence_source)):
        _expect(source, rb.sources, f"programme.{where}", "source")
    _expect(rb.keepwell.source, rb.sources, "keepwell.source", "source")
    if not 1 <= p.days_min <= p.target_days <= p.days_max <= len(WEEKDAYS):
        raise RulebookError("programme: need 1 <= days_min <= target_days <= days_max <= 7")
    if not 0 < p.start_minutes_min <= p.start_minutes_max <= p.target_minutes:
        raise RulebookError(
            "programme: need 0 < start_minutes_min <= start_minutes_max <= target_minutes"
        )
    if p.step_minutes < 1 or p.weeks_between_steps < 1 or p.target_weeks < 1:
        raise RulebookError("programme: step_minutes, weeks_between_steps, target_weeks >= 1")
    if p.max_weekly_increase_minutes < p.step_minutes * p.days_min:
        raise RulebookError("programme: max_weekly_increase_minutes allows no step at all")
    if not 0 <= p.resume_steps_back <= p.target_minutes // p.step_minutes:
        raise RulebookError("programme: resume_steps_back must be 0 (hold) or a few steps")
    if not 0 < p.good_week_share <= 1 or p.recurrence_every_days < 1 or p.recovered_days < 1:
        raise RulebookError(
            "programme: need 0 < good_week_share <= 1, recurrence_every_days and "
            "recovered_days >= 1"
        )
    _expect_exactly([ph.id for ph in rb.phases], PHASES, "phases")
    _expect_exactly([c.id for c in rb.programme_changes], PROGRAMME_CHANGES, "programme_changes")
    for c in rb.programme_changes:
        _expect(c.change, PROGRAMME_CHANGE_KINDS, f"programme_changes.{c.id}.change", "change")
    weeks = sorted(card.week for card in rb.education)
    if weeks != list(range(1, len(weeks) + 1)):
        raise RulebookError("education: the cards' weeks must be 1, 2, ... with none missing")
    texts = [("programme.text", p.text), ("programme.recurrence_question", p.recurrence_question)]
    texts += [(f"phases.{ph.id}.text", ph.text) for ph in rb.phases]
    texts += [(f"keepwell.{name}", text) for name, text in rb.keepwell._asdict().items()]
    texts += [(f"programme_changes.{c.id}.text", c.text) for c in rb.programme_changes]
    for where, text in texts:
        _check_fill(text, KEEPWELL_PLACEHOLDERS, where)


def _check_fill(text: str, allowed: tuple[str, ...], where: str) -> None:
    import string  # only needed at load time

    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None and name not in allowed:
            raise RulebookError(f"{where}: unknown placeholder '{{{name}}}'")


def _check_question(q: Question, questions: dict[str, Question]) -> None:
    _expect(q.type, QUESTION_TYPES, f"questions.{q.id}.type", "question type")
    _expect(q.group, QUESTION_GROUPS, f"questions.{q.id}.group", "question group")


def _check_urgency_rules(rb: Rulebook, urgencies: list[str]) -> None:
    """Combinations name red flags and a tier; see-a-GP rules test known questions."""
    flag_ids = [f.id for f in rb.red_flags]
    for combo in rb.combinations:
        for member in combo.all_of:
            _expect(member, flag_ids, f"combinations.{combo.id}.all_of", "red flag")
        _expect(combo.urgency, urgencies, f"combinations.{combo.id}.urgency", "urgency")
    for gp_rule in rb.gp_soon_rules:
        for cond in gp_rule.when:
            _check_condition(cond, rb.question_by_id, f"gp_soon_rules.{gp_rule.id}.when")


def _check_condition(cond: Condition, questions: dict[str, Question], where: str) -> None:
    _expect(cond.question, questions, f"{where}.question", "question")
    tests = [cond.is_true, cond.at_least, cond.below]
    if sum(t is not None for t in tests) != 1:
        raise RulebookError(f"{where}: give exactly one of 'is_true', 'at_least' or 'below'")


def _check_aliases(rb: Rulebook) -> None:
    for alias, target in rb.aliases.items():
        if alias in rb.question_by_id:
            raise RulebookError(f"questions.{target}.aliases: '{alias}' is already a question id")


def _check_rest_rule(rule: RestRule, questions: dict[str, Question]) -> None:
    _expect(rule.question, questions, f"rest_rules.{rule.id}.question", "question")
    if (rule.is_true is None) == (rule.at_least is None):
        raise RulebookError(f"rest_rules.{rule.id}: give exactly one of 'is_true' or 'at_least'")


def _check_progression(p: Progression) -> None:
    if not 0 < p.start_minutes <= p.max_minutes or p.step_minutes < 0:
        raise RulebookError("progression: need 0 < start_minutes <= max_minutes, step_minutes >= 0")


def _check_outcomes(o: Outcomes, sources: dict[str, Source]) -> None:
    """Sources exist, thresholds and messages are exactly the known ones, scales make sense."""
    sourced: list[tuple[str, Any]] = [("outcomes", o), ("outcomes.activities", o.activities)]
    sourced += [("outcomes.global_change", o.global_change)]
    sourced += [(f"outcomes.thresholds.{t.id}", t) for t in o.thresholds]
    sourced += [(f"outcomes.messages.{m.id}", m) for m in o.messages]
    for where, item in sourced:
        _expect(item.source, sources, f"{where}.source", "source")
    _reject_duplicate_ids(o.thresholds, "outcomes.thresholds")
    _reject_duplicate_ids(o.messages, "outcomes.messages")
    _expect_exactly([t.id for t in o.thresholds], OUTCOME_THRESHOLDS, "outcomes.thresholds")
    _expect_exactly([m.id for m in o.messages], tuple(PROGRESS_MESSAGES), "outcomes.messages")
    for message in o.messages:
        _check_placeholders(message.text, PROGRESS_MESSAGES[message.id], message.id)
    if o.every_days < 1 or not 1 <= o.activities.max_activities <= 5:
        raise RulebookError("outcomes: need every_days >= 1 and 1 <= max_activities <= 5")
    values = [option.value for option in o.global_change.options]
    if values != sorted(set(values), reverse=True) or 0 not in values:
        raise RulebookError("outcomes.global_change.options: distinct values, best first, with 0")
    pain, activities = o.threshold("pain"), o.threshold("activities")
    if pain.points is None or pain.percent is None or activities.points is None:
        raise RulebookError("outcomes.thresholds: pain needs points and percent, activities points")
    if o.threshold("global_change").at_least is None:
        raise RulebookError("outcomes.thresholds.global_change: needs at_least")


def _check_placeholders(text: str, allowed: tuple[str, ...], message_id: str) -> None:
    import string  # only needed at load time

    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None and name not in allowed:
            raise RulebookError(f"outcomes.messages.{message_id}: unknown placeholder '{{{name}}}'")


def _all_sourced(rb: Rulebook) -> list[tuple[str, Any]]:
    groups: dict[str, tuple[Any, ...]] = {
        "urgencies": rb.urgencies,
        "questions": rb.questions,
        "check_screens": rb.check_screens,
        "red_flags": rb.red_flags,
        "combinations": rb.combinations,
        "gp_soon_rules": rb.gp_soon_rules,
        "dispositions": rb.dispositions,
        "rest_rules": rb.rest_rules,
        "tips": rb.tips,
        "stop_rules": rb.stop_rules,
        "walk_cues": rb.walk_cues,
        "checkin_actions": rb.checkin_actions,
        "standings": rb.standings,
        "supportive": rb.supportive,
        "learn": rb.learn,
        "phases": rb.phases,
        "programme_changes": rb.programme_changes,
        "education": rb.education,
    }
    pairs = [(f"{name}.{item.id}", item) for name, items in groups.items() for item in items]
    singles = [("walk_rule", rb.walk_rule), ("progression", rb.progression)]
    singles += [("programme", rb.programme)]
    return [*pairs, *singles, ("safety_net", rb.safety_net)]


def _expect(value: str, known: Any, where: str, what: str) -> None:
    if value not in known:
        raise RulebookError(f"{where}: unknown {what} '{value}'{did_you_mean(value, known)}")


def _expect_exactly(found: list[str], wanted: tuple[str, ...], where: str) -> None:
    if sorted(found) != sorted(wanted):
        raise RulebookError(
            f"{where}: expected exactly {', '.join(wanted)}; got {', '.join(found)}"
        )


def load_rulebook(path: str | os.PathLike[str] | None = None) -> Rulebook:
    """Load and check a rulebook file; the packaged one when no path is given."""
    if path is None:  # a plain path: importlib.resources and pathlib cost start-up time
        path = os.path.join(os.path.dirname(__file__), "rulebook", "rulebook.toml")
    with open(path, encoding="utf-8") as file:
        text = file.read()
    where = os.path.basename(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RulebookError(f"{where}: not valid TOML: {err}") from None
    try:
        return parse_rulebook(data)
    except RulebookError as err:
        raise RulebookError(f"{where}: {err}") from None


@cache
def packaged_rulebook() -> Rulebook:
    """The packaged rulebook as written (in English), loaded once per process."""
    return load_rulebook()


def default_rulebook() -> Rulebook:
    """The packaged rulebook in the active language (backwalk.i18n): the same rules and ids,
    its texts translated where the language's catalogue has them."""
    lang = i18n.active()
    if lang == i18n.DEFAULT:
        return packaged_rulebook()
    from backwalk.i18n.rulebook import in_language

    return in_language(packaged_rulebook(), lang)
