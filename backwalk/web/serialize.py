"""Diary records as the JSON the API sends (and its error bodies quote)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from backwalk.diary import CheckRecord, WalkRecord


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def check_json(check: CheckRecord) -> dict[str, Any]:
    data = asdict(check)
    data["at"] = _iso(check.at)
    return data


def walk_json(walk: WalkRecord) -> dict[str, Any]:
    data = asdict(walk)
    for key in ("started_at", "ended_at", "last_seen_at"):
        data[key] = _iso(data[key])
    data["status"] = str(walk.status)
    data["pain_rose"] = walk.pain_rose
    data["checkins"] = [{**asdict(c), "at": _iso(c.at)} for c in walk.checkins]
    return data
