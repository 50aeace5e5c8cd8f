"""Human wording for times and durations ("5 h 12 min left, until Sun 16:30")."""

from __future__ import annotations

from pendulum import DateTime

from companion.core import clock


def duration(seconds: int | float) -> str:
    """A short elapsed-time phrase: '2 d 3 h', '5 h 12 min', '12 min', 'under a minute'."""
    total = max(0, int(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min"
    return "under a minute"


def countdown(seconds: int | None) -> str:
    """h:mm:ss for a live countdown (hours may exceed 24)."""
    if seconds is None:
        return "--:--:--"
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def clock_time(moment: DateTime, reference: DateTime | None = None) -> str:
    """'Sun 16:30' within a week of the reference, else 'Sun 23 Nov 16:30'."""
    local = clock.to_local(moment)
    ref = clock.to_local(reference) if reference is not None else clock.now()
    if abs(clock.elapsed_seconds(ref, local)) < 6 * 86400:
        return local.format("ddd HH:mm")
    if local.year == ref.year:
        return local.format("ddd D MMM HH:mm")
    return local.format(DATED)


DATED = "ddd D MMM YYYY HH:mm"


def dated(moment: DateTime) -> str:
    """'Sat 28 Nov 2026 10:00' in local time: for lists and messages, where the day must be plain."""
    return clock.to_local(moment).format(DATED)


def left_until(remaining: int, ends_at: DateTime, reference: DateTime | None = None) -> str:
    return f"{duration(remaining)} left, until {clock_time(ends_at, reference)}"


def ago(seconds: int | float) -> str:
    return f"{duration(seconds)} ago"


def day_number(day_index: int) -> str:
    """'day 3': the day after the session a history row is (day 0 is the session's)."""
    return f"day {day_index}"
