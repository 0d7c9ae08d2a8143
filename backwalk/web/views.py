"""View models: the rulebook entries a page needs, looked up from a stored assessment or walk.

Stored records may come from an older rulebook, so every lookup skips ids it no longer knows
instead of failing the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backwalk import coach
from backwalk.checkflow import walk_signs
from backwalk.diary import CheckRecord, WalkRecord
from backwalk.engine import NOT_ENGLISH, words_behind_flags
from backwalk.remembered import own_check_view
from backwalk.rules import RedFlag, Rulebook, Urgency
from backwalk.telling import what_to_tell
from backwalk.web.state import WebState


@dataclass(frozen=True)
class FlagView:
    flag: RedFlag
    label: str
    urgency: Urgency
    unsure: bool = False


def canonical_ids(rb: Rulebook, ids: Any) -> list[str]:
    """Stored ids with older names (aliases) mapped to today's, each once, in order."""
    if not isinstance(ids, list):
        return []
    return list(dict.fromkeys(rb.aliases.get(i, i) for i in ids if isinstance(i, str)))


def flag_views(rb: Rulebook, ids: Any, unsure: Any = ()) -> list[FlagView]:
    known = {f.id: f for f in rb.red_flags}
    doubtful = set(canonical_ids(rb, list(unsure)))
    return [
        FlagView(known[i], rb.question_by_id[i].label, rb.urgency(known[i].urgency), i in doubtful)
        for i in canonical_ids(rb, ids)
        if i in known
    ]


def tell_clinician(
    rb: Rulebook, flags: list[FlagView], words: list[str] | None = None
) -> list[str]:
    """What to tell the clinician (backwalk.telling, shared with the terminal)."""
    ids = [f.flag.id for f in flags]
    return what_to_tell(rb, ids, [f.flag.id for f in flags if f.unsure], words or [])


def urgency_of(rb: Rulebook, urgency_id: Any, flags: Any = ()) -> Urgency | None:
    """The tier's words (or those of the sign that names who to call), if the tier is known."""
    if urgency_id not in {u.id for u in rb.urgencies}:
        return None
    return rb.urgency_for(str(urgency_id), flags)


def is_emergency(rb: Rulebook, urgency: Urgency | None) -> bool:
    return urgency is not None and urgency.id == rb.urgencies[0].id


def headline(state: WebState, a: dict[str, Any], urgency: Urgency | None) -> str:
    """The result's headline from today's rulebook and settings (the emergency number is a
    setting, so the stored headline may name another); the stored one for unknown outcomes."""
    rb = state.rb
    disposition = a.get("disposition")
    if disposition == "seek_care_now" and urgency is not None:
        return urgency.headline.format(number=state.emergency_number)
    known = {d.id: d.headline for d in rb.dispositions}
    return known.get(str(disposition)) or str(a.get("headline") or "")


def measures(rb: Rulebook, ids: list[str]) -> list[Any]:
    known = {m.id: m for m in rb.supportive}
    return [known[i] for i in ids if i in known]


def tips(rb: Rulebook, ids: list[str]) -> list[Any]:
    known = {t.id: t for t in rb.tips}
    return [known[i] for i in ids if i in known]


def stop_rules(rb: Rulebook, ids: list[str]) -> list[Any]:
    known = {s.id: s for s in rb.stop_rules}
    return [known[i] for i in ids if i in known]


def findings_view(rb: Rulebook, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each text finding with the question label it was understood as."""
    out = []
    for f in findings:
        q = rb.question_by_id.get(f.get("field", ""))
        if q is None:
            continue
        meaning = q.label if q.type == "bool" else f"{q.label}: {f.get('value')}"
        out.append({"phrase": f.get("phrase", ""), "meaning": meaning, "field": q.id})
    return out


def result_view(state: WebState, check: CheckRecord) -> dict[str, Any]:
    """Everything the result page shows for one stored check."""
    rb = state.rb
    a = check.assessment
    plan = a.get("walk_plan") or {}
    urgency = urgency_of(rb, a.get("urgency"), a.get("red_flags", []))
    if urgency is not None:  # a sign's action may name the emergency number, a setting
        urgency = urgency._replace(action=urgency.action.format(number=state.emergency_number))
    flags = flag_views(rb, a.get("red_flags", []), a.get("unsure", []))
    where = state.standing()
    is_latest = where.latest is not None and where.latest.id == check.id
    gate = where.gate
    can_walk = is_latest and where.kind == "walk_ready"
    # An earlier warning that still stands leads this result too (remembered.py).
    remembered = where.warning is not None and where.warning.check_id != check.id
    weekly = (
        is_latest
        and a.get("disposition") != "seek_care_now"
        and where.warning is None
        and coach.weekly_due(state.diary, state.now(), check.id)
    )
    return {
        "remembered": remembered,
        "weekly_due": weekly,
        "weekly_offer": coach.weekly_offer(state.diary, rb) if weekly else "",
        "standing": where,
        "is_latest": is_latest,
        "check": check,
        "a": a,
        "disposition": a.get("disposition"),
        "headline": headline(state, a, urgency),
        "urgency": urgency if a.get("disposition") == "seek_care_now" else None,
        "emergency": is_emergency(rb, urgency),
        "flags": flags,
        "tells": tell_clinician(rb, flags, words_behind_flags(a)),
        **_reason_groups(state, a),
        **_under_warning(rb, a, remembered and is_latest),
        "measures": measures(rb, list(a.get("supportive", []))),
        "plan": plan,
        "tips": tips(rb, list(plan.get("tips", []))),
        "stop_rules": stop_rules(rb, list(plan.get("stop_if", []))),
        "text": check.text,
        "findings": [f for f in a.get("text_findings", []) if f.get("reading") != "denied"],
        "understood": findings_view(rb, a.get("text_findings", [])),
        "can_walk": can_walk,
        "gate": gate,
        "pain_before": check.pain_score,
    }


def _under_warning(rb: Rulebook, a: dict[str, Any], remembered: bool) -> dict[str, Any]:
    """Beneath a standing warning, a calm check's own line and reasons (remembered.py)."""
    if not remembered:
        return {"own_check_line": None}
    line, reasons = own_check_view(rb, a)
    own = [r for r in reasons if not str(r.get("rule", "")).startswith("text_")]
    return {
        "own_check_line": line,
        "why_reasons": [r for r in own if r.get("rule") != "safety_net"],
    }


def _reason_groups(state: WebState, a: dict[str, Any]) -> dict[str, Any]:
    """The stored reasons sorted by where the page shows them.

    Reasons to book a GP appointment sit in their own notice beside a rest or walk answer (a
    seek-care answer is already more urgent, so there they are just reasons); the safety net
    gets its own panel; what the free text said goes with the text.
    """
    rb = state.rb
    reasons = [r for r in a.get("reasons", []) if isinstance(r, dict)]
    seek_care = a.get("disposition") == "seek_care_now"
    gp_ids = {r.id for r in rb.gp_soon_rules} & set(canonical_ids(rb, a.get("see_gp_soon", [])))
    gp_ids = set() if seek_care else gp_ids

    def rule(r: dict[str, Any]) -> str:
        return str(r.get("rule", ""))

    return {
        "gp_soon": rb.urgency_headline("gp_soon", state.emergency_number) if gp_ids else None,
        "gp_action": rb.urgency("gp_soon").action,
        "gp_reasons": [r for r in reasons if rule(r) in gp_ids],
        "safety_net": [r for r in reasons if rule(r) == "safety_net"],
        "why_reasons": [
            r
            for r in reasons
            if not rule(r).startswith("text_") and rule(r) not in gp_ids | {"safety_net"}
        ],
        "text_reasons": [
            r
            for r in reasons
            if (rule(r).startswith("text_") or r.get("quotes")) and rule(r) != NOT_ENGLISH
        ],
        # Words backwalk could not read lead the page: the person may have written a sign there
        "words_unread": next((r["text"] for r in reasons if rule(r) == NOT_ENGLISH), None),
    }


def walk_outcome(state: WebState, walk: WalkRecord) -> dict[str, Any]:
    """How a finished walk ended, what to do next, and where the person stands now."""
    rb = state.rb
    status = str(walk.status)
    action_id = {"stopped": "stop", "stopped_seek_care": "stop_seek_care"}.get(status)
    action = rb.checkin_action(action_id) if action_id else None
    last_flags = next((c.red_flags for c in reversed(walk.checkins) if c.red_flags), [])
    flags = flag_views(rb, list(last_flags))
    combos = [k for k in rb.combinations if set(k.all_of) <= {f.flag.id for f in flags}]
    urgency = None
    if flags:
        ranks = {u.id: i for i, u in enumerate(rb.urgencies)}
        tiers = [f.urgency for f in flags] + [rb.urgency(k.urgency) for k in combos]
        urgency = min(tiers, key=lambda u: ranks[u.id])
    return {
        "walk": walk,
        "action": action,
        "flags": flags,
        "tells": tell_clinician(rb, flags),
        "urgency": urgency,
        "rest": [m for m in rb.supportive if m.for_dispositions == ("rest_first",)],
        "standing": state.standing(),
        "next_walk": coach.plan_next_walk(state.diary, state.now(), rb),
    }


def walk_page_view(state: WebState) -> dict[str, Any]:
    """The walk page: the walk in progress, or where the person stands and (only when a walk
    is the way forward) the form to start one."""
    where = state.standing()
    gate = where.gate
    return {
        "standing": where,
        "walk": where.active_walk,
        "gate": gate,
        "plan": where.next_walk,
        "pain_before": gate.check.pain_score if gate.check else None,
        "tips": list(state.rb.tips),
        "stop_rules": list(state.rb.stop_rules),
        "signs": walk_signs(state.rb),
    }
