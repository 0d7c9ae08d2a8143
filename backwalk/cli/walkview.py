"""How a walk in progress looks: a live progress bar on a colour terminal, plain lines elsewhere."""

from __future__ import annotations

from typing import Any, Protocol

from backwalk.cli.render import Printer
from backwalk.cli.walkloop import clock_text
from backwalk.i18n import gettext as _

CUE_MARK = "> "


class WalkView(Protocol):
    def start(self, planned_seconds: float) -> None: ...
    def tick(self, elapsed: float, left: float) -> None: ...  # every pass of the walk loop
    def progress(self, elapsed: float, left: float) -> None: ...  # about once a minute
    def cue(self, text: str) -> None: ...
    def pause(self) -> None: ...  # before a question or a block of text
    def resume(self) -> None: ...
    def stop(self) -> None: ...


def walked_text(elapsed: float, left: float) -> str:
    return _("{walked} walked, {left} left").format(
        walked=clock_text(elapsed), left=clock_text(left)
    )


class PlainWalkView:
    """A line a minute and a line per cue: readable in a log, no control codes."""

    def __init__(self, printer: Printer) -> None:
        self.printer = printer

    def start(self, planned_seconds: float) -> None:
        pass

    def tick(self, elapsed: float, left: float) -> None:
        pass

    def progress(self, elapsed: float, left: float) -> None:
        self.printer.line(walked_text(elapsed, left))

    def cue(self, text: str) -> None:
        self.printer.line(CUE_MARK + text, indent="  ")

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def stop(self) -> None:
        pass


class RichWalkView:
    """A rich progress bar with time walked and time left; cues print above it."""

    def __init__(self, printer: Printer) -> None:
        from rich.progress import BarColumn, Progress, TextColumn

        self.printer = printer
        self._progress: Any = Progress(
            TextColumn("[bold green]" + _("Walking")),
            BarColumn(),
            TextColumn(_("{walked} walked").format(walked="{task.fields[walked]}")),
            TextColumn(_("{left} left").format(left="{task.fields[left]}")),
            console=printer.console,
            transient=True,
        )
        self._task: Any = None
        self._running = False

    def start(self, planned_seconds: float) -> None:
        self._task = self._progress.add_task(
            "walk", total=planned_seconds, walked=clock_text(0), left=clock_text(planned_seconds)
        )
        self.resume()

    def tick(self, elapsed: float, left: float) -> None:
        self._progress.update(
            self._task, completed=elapsed, walked=clock_text(elapsed), left=clock_text(left)
        )

    def progress(self, elapsed: float, left: float) -> None:
        pass  # the bar already shows it

    def cue(self, text: str) -> None:
        from rich.text import Text

        self._progress.console.print(Text(CUE_MARK + text, style="cyan"))

    def pause(self) -> None:
        if self._running:
            self._progress.stop()
            self._running = False

    def resume(self) -> None:
        if not self._running:
            self._progress.start()
            self._running = True

    def stop(self) -> None:
        self.pause()


def walk_view(printer: Printer) -> WalkView:
    return RichWalkView(printer) if printer.rich else PlainWalkView(printer)
