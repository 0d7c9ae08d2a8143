"""The diary commands: `plan`, `history`, `export` and `forget`."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backwalk import coach, keepwell
from backwalk.cli.diaryaccess import opened_diary, recover_stale_walks
from backwalk.cli.env import Environment
from backwalk.cli.keepwellcmds import keepwell_sections
from backwalk.cli.prompts import Prompter
from backwalk.cli.render import Printer, Section, TableView
from backwalk.cli.views import standing_sections
from backwalk.exitcodes import ExitCode
from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.i18n.numbers import one_decimal
from backwalk.remembered import seek_care_times, under_warning
from backwalk.rules import default_rulebook
from backwalk.validation import PAIN_MAX

if TYPE_CHECKING:
    from backwalk.diary import CheckRecord, Diary, WalkRecord

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
EMPTY_DIARY = N_("The diary is empty. Start with: backwalk check")
# The urgency after a check's outcome in the history table, in a few words.
URGENCY_WORDS = {"emergency": N_("emergency"), "same_day": N_("same day"), "gp_soon": N_("gp soon")}
KIND_WORDS = {"check": N_("check"), "walk": N_("walk")}
# The history table's column headings (marked here, so `make i18n` finds them).
HISTORY_HEADS = (
    N_("When"),
    N_("What"),
    N_("Pain before"),
    N_("Pain after"),
    N_("Minutes"),
    N_("Outcome"),
)

# ------------------------------------------------------------------------------------------------
# plan
# ------------------------------------------------------------------------------------------------


def plan(args: argparse.Namespace, env: Environment) -> int:
    """The next walk's length and why, the progression rule, and whether a check comes first."""
    rb = default_rulebook()
    with opened_diary(env) as diary:
        recover_stale_walks(diary, env)
        now = env.clock.now()
        where = coach.standing(diary, now, rb)
        upcoming = coach.plan_next_walk(diary, now, rb)
        well = keepwell.keep_well(diary, now, rb)
    if args.ics:
        from backwalk.planics import plan_calendar  # loads icalendar: only when asked

        ics = plan_calendar(well, now, rb)
        env.stdout.write(ics.decode("utf-8"))
        return ExitCode.OK
    if args.json:
        doc = {
            "standing": where.as_dict(),
            "minutes": upcoming.minutes,
            "why": upcoming.why,
            "rule": rb.progression.text,
            "check_needed": not where.gate.allowed,
            **keepwell.plan_fields(well, rb),
        }
        env.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        return ExitCode.OK
    printer = Printer(env)
    for section in standing_sections(rb, where):
        printer.section(section)
    for section in keepwell_sections(rb, well):
        printer.section(section)
    if well.phase == "keeping_well":
        return ExitCode.OK
    rule = Section(_("How walks grow"), "info").text(rb.progression.text)
    printer.section(rule.source(rb.source_title(rb.progression.source)))
    return ExitCode.OK


# ------------------------------------------------------------------------------------------------
# history
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One row of the history: a check, a walk, a walk logged by hand or a medicine, in a
    shape both the table and JSON use."""

    at: datetime
    kind: str  # check, walk, walk_log, medicine
    id: int
    pain_before: int | None  # a medicine: the pain of the check before it
    pain_after: int | None
    minutes: str
    outcome: str  # in words, for people (a medicine: its name and dose)
    outcome_id: str  # the disposition or walk status, for scripts (logged, taken)
    pains: tuple[int, ...]  # every pain score this entry recorded, in time order
    what: str = ""  # the kind in words, when not the kind itself
    day_only: bool = False  # a walk logged by hand has a day, not a time

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "kind": self.kind,
            "id": self.id,
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "minutes": self.minutes,
            "outcome": self.outcome_id,
            "outcome_text": self.outcome,
        }


def check_entry(check: CheckRecord, held: bool = False) -> Entry:
    rb = default_rulebook()
    plan = check.assessment.get("walk_plan") or {}
    known = {d.id: d.short for d in rb.dispositions}
    outcome = known.get(check.disposition, check.disposition)
    if check.urgency:
        words = URGENCY_WORDS.get(check.urgency)
        outcome = f"{outcome} ({_(words) if words else check.urgency.replace('_', ' ')})"
    if held:  # a calm check while an earlier warning stood: no walk followed from it
        outcome = f"{outcome} ({rb.notes.held_back})"
    pains = () if check.pain_score is None else (check.pain_score,)
    minutes = _("plan {minutes}").format(minutes=plan["minutes"]) if plan.get("minutes") else ""
    return Entry(
        check.at,
        "check",
        check.id,
        check.pain_score,
        None,
        minutes,
        outcome,
        check.disposition,
        pains,
    )


def walk_entry(walk: WalkRecord) -> Entry:
    walked = walk.elapsed_seconds / 60
    pains = (walk.pain_before, *(c.current_pain for c in walk.checkins))
    if walk.pain_after is not None:
        pains = (*pains, walk.pain_after)
    return Entry(
        walk.started_at,
        "walk",
        walk.id,
        walk.pain_before,
        walk.pain_after,
        _("{walked} of {planned}").format(walked=one_decimal(walked), planned=walk.planned_minutes),
        default_rulebook().walk_status_label(walk.status),
        str(walk.status),
        pains,
    )


def logged_entry(logged: keepwell.LoggedEntry) -> Entry:
    """A walk logged by hand or a medicine: the shared view the history page lists too."""
    return Entry(
        at=logged.at,
        kind=logged.kind,
        id=logged.id,
        pain_before=logged.pain_before,
        pain_after=None,
        minutes="" if logged.minutes is None else str(logged.minutes),
        outcome="" if logged.kind == "walk_log" else logged.detail,  # its minutes have a column
        outcome_id="logged" if logged.kind == "walk_log" else "taken",
        pains=(),  # a medicine's pain is its check's, counted there
        what=logged.label.lower(),
        day_only=logged.day_only,
    )


ORDER = {"check": 0, "walk": 1, "walk_log": 2, "medicine": 3}


def timeline(diary: Diary, limit: int | None) -> list[Entry]:
    """Checks, walks, walks logged by hand and medicines merged, oldest first; with a limit,
    the most recent `limit` of them."""
    checks, walks = diary.checks(limit), diary.walks(limit)
    held = under_warning(checks, seek_care_times(walks), diary.visits())
    logged = keepwell.logged_entries(
        diary.walk_logs(limit=limit), diary.medicines(limit=limit), checks
    )
    entries = [check_entry(c, c.id in held) for c in checks]
    entries += [walk_entry(w) for w in walks]
    entries += [logged_entry(e) for e in logged]
    entries.sort(key=lambda e: (e.at, ORDER[e.kind], e.id))
    return entries[-limit:] if limit else entries


def sparkline(values: list[int], top: int = PAIN_MAX) -> str:
    """Pain scores (0..top) as block characters, one per score: 0 is ▁, top is █."""
    steps = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[round(max(0, min(v, top)) * steps / top)] for v in values)


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def history_table(entries: list[Entry]) -> TableView:
    rows = [
        (
            e.at.astimezone().strftime("%Y-%m-%d" if e.day_only else "%Y-%m-%d %H:%M"),
            e.what or (_(KIND_WORDS[e.kind]) if e.kind in KIND_WORDS else e.kind),
            _cell(e.pain_before),
            _cell(e.pain_after),
            e.minutes,
            e.outcome,
        )
        for e in entries
    ]
    return TableView(tuple(_(head) for head in HISTORY_HEADS), rows)


def history(args: argparse.Namespace, env: Environment) -> int:
    """Checks, walks, walks logged by hand and medicines in a table, with the pain trend as a
    sparkline."""
    if args.limit is not None and args.limit < 1:
        said = _("--limit: must be a whole number above 0, got {value}").format(value=args.limit)
        env.stderr.write(f"backwalk: {said}\n")
        return ExitCode.BAD_INPUT
    rb = default_rulebook()
    with opened_diary(env) as diary:
        recover_stale_walks(diary, env)
        entries = timeline(diary, args.limit)
        where = coach.standing(diary, env.clock.now(), rb)
    pains = [p for e in entries for p in e.pains]
    if args.json:
        doc: dict[str, Any] = {
            "standing": where.as_dict(),
            "entries": [e.to_json() for e in entries],
            "pain_trend": pains,
        }
        env.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        return ExitCode.OK
    printer = Printer(env)
    if not entries:
        printer.line(_(EMPTY_DIARY))
        return ExitCode.OK
    for section in standing_sections(rb, where):
        printer.section(section)
    printer.table(history_table(entries))
    if pains:
        printer.line()
        trend = _("Pain trend (0-10, oldest to newest): {line}  latest {latest}/10")
        printer.line(trend.format(line=sparkline(pains), latest=pains[-1]))
    return ExitCode.OK


# ------------------------------------------------------------------------------------------------
# export
# ------------------------------------------------------------------------------------------------


def export(args: argparse.Namespace, env: Environment) -> int:
    """The whole diary as CSV, JSON or a FHIR R4 Bundle, to standard output or a file."""
    with opened_diary(env) as diary:
        if args.format == "fhir":
            from backwalk.fhir import export_bundle  # loads the FHIR models: only when asked

            text = export_bundle(diary, env.clock.now(), name=args.name)
        else:
            text = diary.export(args.format, now=env.clock.now())
    if not args.output:
        env.stdout.write(text if text.endswith("\n") else text + "\n")
        return ExitCode.OK
    try:
        Path(args.output).write_text(text, encoding="utf-8", newline="")
    except OSError as err:
        said = _("cannot write {path}: {why}").format(path=args.output, why=err.strerror or err)
        env.stderr.write(f"backwalk: {said}\n")
        return ExitCode.ERROR
    said = _("Saved the diary as {format} to {path}").format(format=args.format, path=args.output)
    env.stderr.write(f"{said}\n")
    return ExitCode.OK


# ------------------------------------------------------------------------------------------------
# forget
# ------------------------------------------------------------------------------------------------

CONFIRM_WORD = N_("yes")
NOT_DELETED = N_("nothing was deleted (type '{word}' to confirm, or use --yes)")


def seen(args: argparse.Namespace, env: Environment) -> int:
    """`backwalk seen`: a clinician has seen the person, so a standing warning ends here."""
    rb = default_rulebook()
    printer = Printer(env)
    with opened_diary(env) as diary:
        coach.record_seen(diary, env.clock.now())
    printer.line(rb.notes.seen_done, tone="good")
    return ExitCode.OK


def forget(args: argparse.Namespace, env: Environment) -> int:
    """Delete everything in the diary, after the person types 'yes' (or with --yes)."""
    printer = Printer(env)
    with opened_diary(env) as diary:
        count = len(diary.checks()) + len(diary.walks())
        if count == 0:
            printer.line(_("The diary is already empty."))
            return ExitCode.OK
        if not args.yes and not _confirmed(Prompter(env, printer), count):
            env.stderr.write(f"backwalk: {_(NOT_DELETED).format(word=_(CONFIRM_WORD))}\n")
            return ExitCode.ERROR
        coach.forget(diary)
    printer.line(_("Deleted {count} checks and walks.").format(count=count))
    return ExitCode.OK


def _confirmed(prompter: Prompter, count: int) -> bool:
    question = _(
        "Delete all {count} checks and walks? This cannot be undone. Type '{word}' to confirm: "
    ).format(count=count, word=_(CONFIRM_WORD))
    answer = prompter.text_line("confirm", question)
    # The English word always counts too, as every language's yes does at the other prompts.
    words = {CONFIRM_WORD, _(CONFIRM_WORD).lower()}
    return answer is not None and answer.strip().lower() in words
