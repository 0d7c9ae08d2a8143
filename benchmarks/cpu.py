"""CPU seconds other processes used, from /proc: the server's workers and PostgreSQL's backends.

A sampler thread reads them every SAMPLE_SECONDS while the load runs; a phase's CPU is the
difference between the last sample before it began and the first after it ended. The load
pauses between phases, so nothing is counted twice or missed at the edges.
"""

from __future__ import annotations

import os
import threading
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_SECONDS = 0.1
REFRESH_SECONDS = 0.5  # how often the lists of processes are read again
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat_fields(pid: int) -> list[str] | None:
    """/proc/<pid>/stat after the command name (which may hold spaces), or None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds the process has used, or None if it is gone."""
    fields = _stat_fields(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15)


def group_members(group: int) -> list[int]:
    """Processes in the process group: a server started in a session of its own and its
    workers."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None and int(fields[2]) == group:  # pgrp (field 5)
                members.append(int(entry.name))
    return members


class Backends:
    """PostgreSQL's backend processes connected to a database, asked of pg_stat_activity on one
    connection of the superuser's (to another database, so it is not among them)."""

    def __init__(self, database: str) -> None:
        import psycopg

        from benchmarks.hostedsetup import superuser_url

        self.database = database
        self.conn = psycopg.connect(superuser_url(), autocommit=True)

    def pids(self) -> list[int]:
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.database,)
        ).fetchall()
        return [int(row[0]) for row in rows]

    def close(self) -> None:
        self.conn.close()


@dataclass
class Tracked:
    """Processes of one kind: the CPU each was last seen to have used, dead ones included."""

    last_seen: dict[int, float] = field(default_factory=dict)

    def read(self, pids: list[int]) -> float:
        for pid in pids:
            used = cpu_seconds(pid)
            if used is not None:
                self.last_seen[pid] = used
        return sum(self.last_seen.values())


class Sampler(threading.Thread):
    """CPU seconds of the server's process group and of the database's backends over time.

    A backend that connects and goes between two reads of the list is missed, and one that
    ends loses its last SAMPLE_SECONDS: the pools keep their connections, so that is little.
    """

    def __init__(self, group: int, database: str | None) -> None:
        super().__init__(daemon=True)
        self.group, self.database = group, database
        self.times: list[float] = []
        self.samples: list[tuple[float, float]] = []  # (workers, database) seconds
        self._stop_event = threading.Event()

    def run(self) -> None:
        workers, backends = Tracked(), Tracked()
        listing = Backends(self.database) if self.database else None
        worker_pids: list[int] = []
        backend_pids: list[int] = []
        refreshed = 0.0
        try:
            while not self._stop_event.is_set():
                if time.monotonic() - refreshed >= REFRESH_SECONDS:
                    worker_pids = group_members(self.group)
                    backend_pids = listing.pids() if listing else []
                    refreshed = time.monotonic()
                sample = (workers.read(worker_pids), backends.read(backend_pids))
                self.times.append(time.time())
                self.samples.append(sample)
                self._stop_event.wait(SAMPLE_SECONDS)
        finally:
            if listing:
                listing.close()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(10)

    def between(self, start: float, end: float) -> tuple[float, float]:
        """CPU seconds (workers, database) used from `start` to `end` (wall clock)."""
        if not self.times:
            return 0.0, 0.0
        first = max(0, bisect_right(self.times, start) - 1)
        last = min(len(self.times) - 1, bisect_left(self.times, end))
        before, after = self.samples[first], self.samples[last]
        return after[0] - before[0], after[1] - before[1]
