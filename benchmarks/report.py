"""Figures, the machine they were measured on, and how they are printed and saved."""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO


@dataclass(frozen=True)
class Figure:
    """One measured figure, with its target when it has one.

    ``higher_is_better`` says which side of the target passes; ``skipped`` (the reason) replaces
    the value when the part could not run.
    """

    part: str
    name: str
    value: float | None
    unit: str
    target: float | None = None
    higher_is_better: bool = True
    note: str = ""
    skipped: str = ""

    @property
    def status(self) -> str:
        if self.skipped:
            return "SKIP"
        if self.target is None or self.value is None:
            return ""
        passed = self.value >= self.target if self.higher_is_better else self.value <= self.target
        return "PASS" if passed else "MISS"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status}


def skipped(part: str, name: str, why: str) -> Figure:
    """A figure for a part that could not run; prints the reason straight away."""
    print(f"  skipped: {why}", flush=True)
    return Figure(part, name, None, "", skipped=why)


def machine() -> dict[str, Any]:
    """Where the figures were measured: they mean little without it."""
    return {
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "executable": sys.executable,
        "load_average": _load_average(),
    }


def _load_average() -> str:
    """Other work on the machine skews every figure: the 1, 5 and 15 minute load averages."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown"
    for line in lines:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def print_machine(info: dict[str, Any], out: TextIO = sys.stdout) -> None:
    out.write("backwalk benchmarks\n")
    for key in ("platform", "cpu", "cores", "usable_cores", "python", "load_average"):
        out.write(f"  {key.replace('_', ' '):<13} {info[key]}\n")
    out.flush()


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def format_target(figure: Figure) -> str:
    if figure.target is None:
        return ""
    sign = ">=" if figure.higher_is_better else "<="
    return f"{sign} {format_value(figure.target, figure.unit)}"


def print_table(figures: Sequence[Figure], out: TextIO = sys.stdout) -> None:
    """A plain-text table: figure, value, target, PASS/MISS, note."""
    rows = [("Figure", "Value", "Target", "Result", "Note")]
    for f in figures:
        value = "-" if f.skipped else format_value(f.value, f.unit)
        note = f"skipped: {f.skipped}" if f.skipped else f.note
        rows.append((f"{f.part}: {f.name}", value, format_target(f), f.status, note))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    out.write("\n")
    for number, row in enumerate(rows):
        cells = [
            row[0].ljust(widths[0]),
            row[1].rjust(widths[1]),
            row[2].ljust(widths[2]),
            row[3].ljust(widths[3]),
            row[4],
        ]
        out.write("  ".join(cells).rstrip() + "\n")
        if number == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")
    out.flush()


def summary(figures: Sequence[Figure]) -> str:
    counts = {s: sum(1 for f in figures if f.status == s) for s in ("PASS", "MISS", "SKIP")}
    return ", ".join(f"{n} {s}" for s, n in counts.items())


def write_json(path: Path, info: dict[str, Any], figures: Sequence[Figure]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"machine": info, "figures": [f.to_dict() for f in figures]}
    path.write_text(json.dumps(data, indent=2) + "\n", "utf-8")
