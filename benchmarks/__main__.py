"""`python -m benchmarks` (or `make bench`): run every part, print the table, save the JSON.

`python -m benchmarks core cli` runs only the parts named.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks import accuracy, bigdb, cli, core, hosted, nlp, pages, web
from benchmarks.cli import use_this_checkout
from benchmarks.report import (
    Figure,
    machine,
    print_machine,
    print_table,
    skipped,
    summary,
    write_json,
)

PARTS: dict[str, tuple[str, Callable[[], list[Figure]]]] = {
    "core": ("Python API", core.run),
    "cli": ("command line", cli.run),
    "nlp": ("free text", nlp.run),
    "accuracy": (
        "free-text decisions, by case file and style (writes docs/accuracy.md)",
        accuracy.run,
    ),
    "web": ("web app", web.run),
    "pages": ("pages on a long diary", pages.run),
    "hosted": ("hosted mode under load", hosted.run),
    "bigdb": ("one person's pages among 100,000 people (PostgreSQL)", bigdb.run),
}
OUTPUT = Path(__file__).resolve().parents[1] / "test-artifacts" / "bench.json"


def run_part(name: str) -> list[Figure]:
    """One part; if it breaks, say so and go on with the others."""
    title, run = PARTS[name]
    print(f"\n{name}: {title}", flush=True)
    try:
        return run()
    except Exception as err:  # a broken part must not hide the figures of the rest
        traceback.print_exc(limit=3)
        return [skipped(name, title, f"failed: {type(err).__name__}: {err}")]


def main(argv: Sequence[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or list(PARTS)
    unknown = [n for n in names if n not in PARTS]
    if unknown:
        print(f"unknown part(s): {', '.join(unknown)}; choose from {', '.join(PARTS)}")
        return 2
    use_this_checkout()
    info = machine()
    print_machine(info)
    figures = [figure for name in names for figure in run_part(name)]
    print_table(figures)
    write_json(OUTPUT, info, figures)
    print(f"\n{summary(figures)}. JSON: {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
