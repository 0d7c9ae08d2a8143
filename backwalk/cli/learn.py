"""`backwalk learn [topic]`: the background, the measures and the warning signs, from the rulebook.

Every sentence shown here is rulebook text with its source; this module only picks and orders it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from backwalk.cli.env import Environment
from backwalk.cli.render import Printer, Section
from backwalk.cli.views import (
    URGENCY_TONES,
    disclaimer_section,
    label,
    measure_section,
    red_flag_item,
)
from backwalk.exitcodes import ExitCode
from backwalk.i18n import gettext as _
from backwalk.rules import Rulebook, default_rulebook, did_you_mean

WALKING = "walking"
RED_FLAGS = "red_flags"


def run(args: argparse.Namespace, env: Environment) -> int:
    """Show every topic, or just the one asked for; an unknown topic lists the known ones."""
    rb = default_rulebook()
    builders = topic_builders(rb)
    if args.topic is None:
        chosen = list(builders.values())
    elif args.topic in builders:
        chosen = [builders[args.topic]]
    else:
        hint = did_you_mean(args.topic, builders)
        said = _("unknown topic '{topic}'{hint}; topics: {topics}").format(
            topic=args.topic, hint=hint, topics=", ".join(builders)
        )
        env.stderr.write(f"backwalk: {said}\n")
        return ExitCode.BAD_INPUT
    printer = Printer(env)
    for build in chosen:
        for section in build():
            printer.section(section)
    printer.section(disclaimer_section(rb))
    return ExitCode.OK


def topics(rb: Rulebook) -> list[str]:
    """Every topic `learn` accepts, in the order the full page shows them."""
    return list(topic_builders(rb))


def topic_builders(rb: Rulebook) -> dict[str, Callable[[], list[Section]]]:
    """Topic id -> its sections: background first, then walking, measures, warning signs."""
    builders: dict[str, Callable[[], list[Section]]] = {}
    for entry in rb.learn:
        builders[entry.id] = lambda entry=entry: [  # type: ignore[misc]
            Section(entry.title, "info").text(entry.text).source(rb.source_title(entry.source))
        ]
    builders[WALKING] = lambda: walking_sections(rb)
    for measure in rb.supportive:
        builders[measure.id] = lambda measure=measure: [measure_section(rb, measure)]  # type: ignore[misc]
    builders[RED_FLAGS] = lambda: red_flag_sections(rb)
    return builders


def walking_sections(rb: Rulebook) -> list[Section]:
    """How to walk (tips and cues), when to stop, and how walks get longer."""
    tips = Section(_("Walking with a back spasm"), "good")
    for tip in rb.tips:
        tips.bullet(tip.text, lead=f"{tip.title}:")
    tips.strong(_("When to stop"))
    for stop in rb.stop_rules:
        tips.bullet(stop.text)
    sources = [t.source for t in rb.tips] + [s.source for s in rb.stop_rules]
    tips.source(*(rb.source_title(s) for s in sources))
    progression = Section(_("How walks grow"), "info").text(rb.progression.text)
    progression.source(rb.source_title(rb.progression.source))
    return [tips, progression]


def red_flag_sections(rb: Rulebook) -> list[Section]:
    """One section per urgency tier: what to do, then the warning signs that call for it."""
    sections = []
    for urgency in rb.urgencies:
        flags = [f for f in rb.red_flags if f.urgency == urgency.id]
        combos = [k for k in rb.combinations if k.urgency == urgency.id]
        rules = list(rb.gp_soon_rules) if urgency.id == "gp_soon" else []
        if not flags and not combos and not rules:
            continue
        tone = URGENCY_TONES.get(urgency.id, "danger")
        section = Section(_("Warning signs - {urgency}").format(urgency=urgency.label), tone)
        section.text(urgency.action).source(rb.source_title(urgency.source))
        for flag in flags:
            red_flag_item(rb, section, flag)
        for combo in combos:
            lead = _(" with ").join(label(rb, q) for q in combo.all_of).capitalize()
            section.bullet(combo.why, lead=f"{lead}:")
            section.source(rb.source_title(combo.source), nested=True)
        for rule in rules:
            section.bullet(rule.text)
            section.source(rb.source_title(rule.source), nested=True)
        sections.append(section)
    return sections
