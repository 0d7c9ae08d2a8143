"""The diary: checks, guided walks and their check-ins, in SQLite or PostgreSQL.

Start with :func:`open_diary`; everything it returns is plain, frozen data.
"""

from __future__ import annotations

from backwalk.diary.errors import DiaryError
from backwalk.diary.records import CheckinRecord, CheckRecord, WalkRecord, WalkStatus
from backwalk.diary.store import Diary, open_diary

__all__ = [
    "CheckRecord",
    "CheckinRecord",
    "Diary",
    "DiaryError",
    "WalkRecord",
    "WalkStatus",
    "open_diary",
]
