"""Has the diary changed since I last looked? Cheaply, so a page can reuse what it read.

SQLite answers exactly: `PRAGMA data_version` on a connection of its own changes whenever any
other connection, in this process or another (the CLI writing while the web app serves), has
committed. It costs microseconds and no disk read. Other databases give no such number, so
there the answer is None and callers must not cache.
"""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import Engine

from backwalk.diary.engine import is_memory_sqlite


class ChangeCounter:
    def __init__(self, engine: Engine) -> None:
        url = engine.url
        self._path = (
            url.database
            if url.get_backend_name() == "sqlite" and not is_memory_sqlite(url)
            else None
        )
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def mark(self) -> int | None:
        if self._path is None:
            return None
        with self._lock:
            try:
                if self._connection is None:
                    self._connection = sqlite3.connect(
                        f"file:{self._path}?mode=ro", uri=True, check_same_thread=False
                    )
                row = self._connection.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                self._drop()
                return None  # unknown: the caller reads afresh
        return int(row[0])

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
