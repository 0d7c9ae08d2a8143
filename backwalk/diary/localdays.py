"""Sums per day in the database: the person's days, and a row a day sent as one row.

backwalk counts a walk on the person's day, in the machine's time zone (the app runs on the
person's own, `programme.local_day`). PostgreSQL does not know that zone's name, and a list of
each day's local midnight is slow to send and slow to search walk by walk. The offset changes
only at the clock changes, a few a year: from these PostgreSQL adds the right offset to each
walk's time and takes the date. A sum per day comes back as one row of arrays (`as_arrays`):
psycopg reads arrays in C, and rows one at a time.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date, datetime
from datetime import time as clock_time
from itertools import pairwise
from typing import Any

from sqlalchemy import Select, func, select

# Clock changes of one zone are months apart (the closest, Morocco's around Ramadan, a month):
# the offset is looked at every week and a change found to the second between two looks.
LOOK_EVERY_SECONDS = 7 * 24 * 3600


def local_midnight(day: date) -> datetime:
    """The moment `day` starts in the machine's time zone."""
    return datetime.combine(day, clock_time()).astimezone()


Grouped = Select[*tuple[Any, ...]]  # a SELECT of any columns


def as_arrays(grouped: Grouped) -> Grouped:
    """`grouped` (a row a day) as one row with an array for each of its columns."""
    days = grouped.subquery()
    return select(*(func.array_agg(column) for column in days.c))


def transposed(arrays: Sequence[list[Any] | None]) -> list[tuple[Any, ...]]:
    """`as_arrays`' one row back into a row a day (an array is NULL when there are no days)."""
    return list(zip(*(column or [] for column in arrays), strict=True))


def offset_at(moment: float) -> int:
    """The machine's UTC offset in seconds at `moment` (seconds since 1970)."""
    return time.localtime(moment).tm_gmtoff


def offsets(low: datetime, high: datetime) -> tuple[list[float], list[int]]:
    """From `low` to `high`: when each offset starts (the first is `low`) and the offsets,
    both oldest first and as long as each other."""
    start, end = low.timestamp(), high.timestamp()
    looks = [*range(int(start), int(end), LOOK_EVERY_SECONDS), end]
    starts, found = [start], [offset_at(start)]
    for before, after in pairwise(looks):
        if offset_at(after) != found[-1]:
            starts.append(_change_between(before, after, found[-1]))
            found.append(offset_at(after))
    return starts, found


def _change_between(before: float, after: float, old: int) -> float:
    """The first whole second after `before` whose offset is not `old` (one is by `after`)."""
    low, high = int(before), int(after)
    while high - low > 1:
        middle = (low + high) // 2
        if offset_at(middle) == old:
            low = middle
        else:
            high = middle
    return float(high)
