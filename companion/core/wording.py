"""Words that agree with their numbers, and example dates computed from today.

A patient reads "1 items" as a bug and "e.g. 2026-11-28T09:00" on 3 December as an
instruction to book a follow-up in the past: every count and every example date in a
text goes through here.
"""

from __future__ import annotations

import datetime as dt

from companion.core import clock


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The noun that agrees with `n`: 'day' for 1, 'days' otherwise ('glass', 'glasses')."""
    return singular if n == 1 else (plural or singular + "s")


def count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 day', '0 days', '2 glasses'."""
    return f"{n} {noun(n, singular, plural)}"


def example_moment(days: int = 0, at: str = "16:30", today: dt.date | None = None) -> str:
    """An ISO 8601 local moment `days` after today (before it when negative), for a hint:
    example_moment(7, "09:00") on 3 Dec 2026 is '2026-12-10T09:00'."""
    day = (today or clock.today()) + dt.timedelta(days=days)
    return f"{day.isoformat()}T{at}"


def example_day(days: int = 0, today: dt.date | None = None) -> str:
    """An ISO 8601 date `days` after today, for a hint."""
    return ((today or clock.today()) + dt.timedelta(days=days)).isoformat()
