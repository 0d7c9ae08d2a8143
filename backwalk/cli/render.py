"""Rendering for the interactive commands: one small document model, two ways to print it.

The commands build `Section`s and `TableView`s from the rulebook and the diary; a `Printer` turns
them into rich panels on a colour terminal, or into plain, fixed-width text (80 columns) when
NO_COLOR is set or the output is not a terminal. Plain output is what scripts and golden files see,
so it must stay deterministic: no colour codes, no animation, no dependence on the terminal size.
rich is imported only when colour is on, so plain runs never pay for it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from backwalk.i18n import ngettext

if TYPE_CHECKING:
    from backwalk.cli.env import Environment

PLAIN_WIDTH = 80
INDENT = "  "

Tone = Literal["danger", "warning", "good", "info", "muted"]
ItemKind = Literal["text", "strong", "bullet", "step", "note", "source", "bullet_source"]

_TONE_STYLES: dict[str, str] = {
    "danger": "bold red",
    "warning": "yellow",
    "good": "green",
    "info": "cyan",
    "muted": "dim",
}


@dataclass(frozen=True)
class Item:
    """One line-ish piece of a section; `lead` is an optional bold lead-in ('Stand tall: ...')."""

    kind: ItemKind
    text: str
    lead: str | None = None
    number: int | None = None


@dataclass
class Section:
    """A titled block of text: a decision, a measure with its steps, a list of reasons."""

    title: str
    tone: Tone = "info"
    items: list[Item] = field(default_factory=list)

    def text(self, text: str) -> Section:
        self.items.append(Item("text", text))
        return self

    def strong(self, text: str) -> Section:
        self.items.append(Item("strong", text))
        return self

    def bullet(self, text: str, lead: str | None = None) -> Section:
        self.items.append(Item("bullet", text, lead))
        return self

    def steps(self, steps: tuple[str, ...] | list[str]) -> Section:
        for number, step in enumerate(steps, 1):
            self.items.append(Item("step", step, number=number))
        return self

    def note(self, text: str) -> Section:
        self.items.append(Item("note", text))
        return self

    def source(self, *titles: str, nested: bool = False) -> Section:
        """Where this advice comes from; repeated titles are shown once.

        `nested` sources belong to the bullet just before them and are indented under it.
        """
        unique = list(dict.fromkeys(titles))
        label = ngettext("Source", "Sources", len(unique))
        kind: ItemKind = "bullet_source" if nested else "source"
        self.items.append(Item(kind, "; ".join(unique), f"{label}:"))
        return self


@dataclass(frozen=True)
class TableView:
    """A simple table: a header row and rows of strings."""

    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]


# ------------------------------------------------------------------------------------------------
# Plain text
# ------------------------------------------------------------------------------------------------


def plain_section(section: Section, width: int = PLAIN_WIDTH) -> str:
    """A section as plain text: the title underlined, then each item wrapped to `width`."""
    lines = [section.title, "-" * min(len(section.title), width)]
    for item in section.items:
        lines.extend(_plain_item(item, width))
    return "\n".join(lines) + "\n"


def _plain_item(item: Item, width: int) -> list[str]:
    text = f"{item.lead} {item.text}" if item.lead else item.text
    if item.kind == "bullet":
        return _wrap(text, width, INDENT + "- ", INDENT + "  ")
    if item.kind == "step":
        marker = f"{INDENT}{item.number}. "
        return _wrap(text, width, marker, " " * len(marker))
    if item.kind == "note":
        return _wrap(text, width, "! ", "  ")
    if item.kind == "source":
        return _wrap(text, width, INDENT + "(", INDENT + " ", suffix=")")
    if item.kind == "bullet_source":
        return _wrap(text, width, INDENT * 2 + "(", INDENT * 2 + " ", suffix=")")
    return _wrap(text, width, "", "")


def _wrap(text: str, width: int, first: str, rest: str, suffix: str = "") -> list[str]:
    wrapped = textwrap.wrap(
        text + suffix,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapped or [first.rstrip()]


def plain_table(table: TableView) -> str:
    """A table as aligned plain-text columns with a rule under the header."""
    widths = [len(h) for h in table.headers]
    for row in table.rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    rule = tuple("-" * w for w in widths)
    lines = [_plain_row(r, widths) for r in (table.headers, rule, *table.rows)]
    return "\n".join(lines) + "\n"


def _plain_row(cells: tuple[str, ...], widths: list[int]) -> str:
    return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()


# ------------------------------------------------------------------------------------------------
# Rich
# ------------------------------------------------------------------------------------------------


def rich_section(section: Section) -> Any:
    """A section as a rich Panel. Text is never parsed as markup: it comes from data files."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    style = _TONE_STYLES[section.tone]
    body = Group(*(_rich_item(item) for item in section.items))
    return Panel(
        body,
        title=Text(section.title, style="bold"),
        title_align="left",
        border_style=style,
        expand=True,
    )


def _rich_item(item: Item) -> Any:
    from rich.text import Text

    text = Text()
    if item.kind == "bullet_source":
        text.append("  ")
    elif item.kind == "bullet":
        text.append("• ")
    elif item.kind == "step":
        text.append(f"{item.number}. ", style="bold")
    elif item.kind == "note":
        text.append("! ", style="bold yellow")
    is_source = item.kind in ("source", "bullet_source")
    if item.lead:
        text.append(item.lead + " ", style="dim" if is_source else "bold")
    styles = {
        "strong": "bold",
        "source": "dim italic",
        "bullet_source": "dim italic",
        "note": "yellow",
    }
    text.append(item.text, style=styles.get(item.kind, ""))
    return text


def rich_table(table: TableView) -> Any:
    from rich.table import Table

    view = Table(*table.headers, header_style="bold", show_lines=False)
    for row in table.rows:
        view.add_row(*row)
    return view


# ------------------------------------------------------------------------------------------------
# Printer
# ------------------------------------------------------------------------------------------------


class Printer:
    """Writes sections, tables, lines and prompts to the environment's stdout, plain or rich."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.console: Any = None
        if env.color:
            from rich.console import Console

            self.console = Console(
                file=env.stdout, highlight=False, markup=False, emoji=False, force_terminal=True
            )

    @property
    def rich(self) -> bool:
        return self.console is not None

    def section(self, section: Section) -> None:
        if self.console is not None:
            self.console.print(rich_section(section))
        else:
            self._write(plain_section(section) + "\n")

    def table(self, table: TableView) -> None:
        if self.console is not None:
            self.console.print(rich_table(table))
        else:
            self._write(plain_table(table))

    def line(self, text: str = "", tone: Tone | None = None, indent: str = "") -> None:
        """One line of text, wrapped in plain mode so output stays within the fixed width."""
        if self.console is not None:
            from rich.padding import Padding
            from rich.text import Text

            styled = Text(text, style=_TONE_STYLES[tone] if tone else "")
            self.console.print(Padding(styled, (0, 0, 0, len(indent))) if indent else styled)
        else:
            self._write("\n".join(_wrap(text, PLAIN_WIDTH, indent, indent)) + "\n")

    def prompt(self, text: str) -> None:
        """A question, left on the same line as the answer that follows."""
        if self.console is not None:
            from rich.text import Text

            self.console.print(Text(text, style="bold"), end="")
        else:
            self._write(text)
        self.env.stdout.flush()

    def raw(self, text: str) -> None:
        """Text exactly as given (used to echo piped answers after their prompt)."""
        self._write(text)

    def _write(self, text: str) -> None:
        self.env.stdout.write(text)
        self.env.stdout.flush()
