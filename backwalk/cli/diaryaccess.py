"""Opening the diary for a command, and turning its failures into one line and an exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from backwalk import coach
from backwalk.cli.env import Environment
from backwalk.i18n import gettext as _
from backwalk.rules import default_rulebook


def ended_early() -> str:
    """How an interrupted walk reads everywhere (history, report, the walk itself), in the
    active language."""
    return default_rulebook().walk_status_label("interrupted")


if TYPE_CHECKING:
    from backwalk.diary import Diary


@contextmanager
def opened_diary(env: Environment) -> Iterator[Diary]:
    """The diary named by --db / BACKWALK_DB / the default, closed again afterwards."""
    from backwalk.diary import open_diary

    diary = open_diary(env.db_url)
    try:
        yield diary
    finally:
        diary.close()


def recover_stale_walks(diary: Diary, env: Environment) -> None:
    """Walks left in progress by a killed process become 'interrupted'; say so on stderr."""
    now = env.clock.now()
    for walk in coach.recover_stale_walks(diary, now):
        when = walk.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        said = _("the walk started {when} did not finish; it is saved as '{status}'.")
        env.stderr.write(f"backwalk: {said.format(when=when, status=ended_early())}\n")
