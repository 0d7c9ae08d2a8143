"""View models: the rulebook entries a page needs, looked up from a stored assessment or walk.

Stored records may come from an older rulebook, so every lookup skips ids it no longer knows
instead of failing the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backwalk.coach import plan_next_walk, walk_gate
from backwalk.diary import CheckRecord, WalkRecord
from backwalk.rules import RedFlag, Rulebook, Urgency
from backwalk.web.state import WebState


@dataclass(frozen=True)
class FlagView:
    flag: RedFlag
    label: str
    urgency: Urgency


def flag_views(rb: Rulebook, ids: list[str]) -> list[FlagView]:
    known = {f.id: f for f in rb.red_flags}
    return [
        FlagView(known[i], rb.question_by_id[i].label, rb.urgency(known[i].urgency))
        for i in ids
        if i in known
    ]


def urgency_of(rb: Rulebook, urgency_id: str | None) -> Urgency | None:
    return next((u for u in rb.urgencies if u.id == urgency_id), None)


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
    reasons = list(a.get("reasons", []))
    gate = walk_gate(state.diary, state.now())
    can_walk = (
        a.get("disposition") == "walk_gently"
        and gate.allowed
        and gate.check is not None
        and gate.check.id == check.id
        and state.diary.active_walk() is None
    )
    return {
        "check": check,
        "a": a,
        "disposition": a.get("disposition"),
        "urgency": urgency_of(rb, a.get("urgency")),
        "flags": flag_views(rb, list(a.get("red_flags", []))),
        "why_reasons": [r for r in reasons if not str(r.get("rule", "")).startswith("text_")],
        "text_reasons": [r for r in reasons if str(r.get("rule", "")).startswith("text_")],
        "measures": measures(rb, list(a.get("supportive", []))),
        "plan": plan,
        "tips": tips(rb, list(plan.get("tips", []))),
        "stop_rules": stop_rules(rb, list(plan.get("stop_if", []))),
        "text": check.text,
        "findings": a.get("text_findings", []),
        "understood": findings_view(rb, a.get("text_findings", [])),
        "can_walk": can_walk,
        "gate": gate,
        "pain_before": check.pain_score,
    }


def walk_outcome(rb: Rulebook, walk: WalkRecord) -> dict[str, Any]:
    """How a finished walk ended and what to do next, for the summary page."""
    status = str(walk.status)
    action_id = {"stopped": "stop", "stopped_seek_care": "stop_seek_care"}.get(status)
    action = rb.checkin_action(action_id) if action_id else None
    last_flags = next((c.red_flags for c in reversed(walk.checkins) if c.red_flags), [])
    flags = flag_views(rb, list(last_flags))
    urgency = None
    if flags:
        ranks = {u.id: i for i, u in enumerate(rb.urgencies)}
        urgency = min((f.urgency for f in flags), key=lambda u: ranks[u.id])
    return {
        "walk": walk,
        "action": action,
        "flags": flags,
        "urgency": urgency,
        "rest": [m for m in rb.supportive if m.for_dispositions == ("rest_first",)],
    }


def walk_page_view(state: WebState, walk: WalkRecord | None) -> dict[str, Any]:
    now = state.now()
    gate = walk_gate(state.diary, now)
    plan = plan_next_walk(state.diary, now, state.rb)
    return {
        "walk": walk,
        "gate": gate,
        "plan": plan,
        "pain_before": gate.check.pain_score if gate.check else None,
        "tips": list(state.rb.tips),
        "stop_rules": list(state.rb.stop_rules),
        "flags": flag_views(state.rb, [f.id for f in state.rb.red_flags]),
    }
