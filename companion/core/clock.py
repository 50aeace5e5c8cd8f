"""Time: the one place that reads the clock and parses what the patient types.

Every "now" is ``pendulum.now()`` (the local time zone), so tests can move time with
``pendulum.travel_to``. Times typed without an offset are local; a local time that
does not exist (spring-forward gap) or happens twice (fall-back) is refused with a
hint to add the offset.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import warnings
from dataclasses import dataclass

import pendulum
from pendulum import DateTime
from pendulum.tz.exceptions import InvalidTimezone
from pendulum.tz.local_timezone import get_local_timezone
from pendulum.tz.timezone import FixedTimezone, Timezone

from companion.core.errors import InputError
from companion.core.text import shown

# Sessions may not be recorded this far in the future (clock skew allowance).
FUTURE_TOLERANCE_SECONDS = 5 * 60
# Dates and times the app accepts at all: well before any record and well after.
EARLIEST = dt.date(1970, 1, 1)
LATEST = dt.date(2100, 12, 31)


def check_range(day: dt.date, field: str) -> dt.date:
    """Refuse dates outside 1970-2100 (typos like 0001 or 9999 would break the arithmetic)."""
    if not EARLIEST <= day <= LATEST:
        raise InputError(field, f"{day.isoformat()} is out of range; use a date from 1970 to 2100")
    return day


@dataclass(frozen=True)
class ZoneInfo:
    """Which time zone the app uses and whether the system could say."""

    name: str
    source: str  # "system", "setting" or "fallback"
    reason: str = ""
    """Why a fallback was needed, when there is more to say than 'not found'."""

    @property
    def is_fallback(self) -> bool:
        return self.source == "fallback"

    @property
    def problem(self) -> str:
        """What went wrong, for the fallback warning ('' when nothing did)."""
        if not self.is_fallback:
            return ""
        return self.reason or "Your time zone could not be found"


# IANA names: 'Europe/Berlin', 'America/Argentina/ComodRivadavia', 'Etc/GMT+5'.
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*")
MAX_ZONE_NAME = 64


def _zone(name: str) -> Timezone:
    """pendulum's zone for an IANA name; ValueError for anything else (never a file path)."""
    if len(name) > MAX_ZONE_NAME or not _ZONE_NAME.fullmatch(name):
        raise ValueError(name)
    try:
        return pendulum.timezone(name)
    except (InvalidTimezone, OSError) as exc:
        raise ValueError(name) from exc


def detect_system_zone() -> ZoneInfo:
    """The system's zone, noticing pendulum's silent fall-backs.

    pendulum skips a TZ it cannot read (a POSIX rule such as ``UTC+5``) without a word
    and takes the zone of /etc/localtime; companion says so and uses UTC, like any
    zone it cannot find, until the patient sets theirs.
    """
    import importlib
    import os

    local_timezone = importlib.import_module("pendulum.tz.local_timezone")
    tz_env = os.environ.get("TZ")
    if tz_env:
        try:
            local_timezone._tz_from_env(tz_env)
        except (InvalidTimezone, ValueError, OSError):
            return ZoneInfo(
                "UTC",
                "fallback",
                f"TZ={shown(tz_env)} is not a time zone companion can read (use a name such as "
                "Europe/Berlin; a POSIX rule like UTC+5 is not one)",
            )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            tz = local_timezone._get_system_timezone()
        except (InvalidTimezone, ValueError, OSError):
            return ZoneInfo("UTC", "fallback")
    if any("defaulting to UTC" in str(w.message) for w in caught):
        return ZoneInfo("UTC", "fallback")
    return ZoneInfo(tz.name, "system")


def validate_zone(name: str, field: str = "timezone") -> str:
    try:
        return _zone(name.strip()).name
    except ValueError:
        raise InputError(
            field,
            f"unknown time zone {shown(name)}; use an IANA name such as Europe/Berlin "
            "(a POSIX rule such as UTC+5 is not one)",
        ) from None


def apply_zone(setting: str | None) -> ZoneInfo:
    """Make pendulum's local zone the patient's setting, else the system's."""
    if setting:
        try:
            pendulum.set_local_timezone(_zone(setting))
            return ZoneInfo(setting, "setting")
        except ValueError:
            pass  # a setting that no longer names a zone: fall back to the system's
    pendulum.set_local_timezone()
    info = detect_system_zone()
    if info.is_fallback:
        pendulum.set_local_timezone(pendulum.timezone("UTC"))
    else:
        # The zone just detected, not the one pendulum found at its first use in this process
        # (the same unless TZ changed since: a process that opens several data folders).
        with contextlib.suppress(ValueError):
            pendulum.set_local_timezone(_zone(info.name))
    return info


def now() -> DateTime:
    return pendulum.now()


def local_zone() -> Timezone | FixedTimezone:
    return get_local_timezone()


def to_local(moment: DateTime) -> DateTime:
    return moment.in_timezone(local_zone())


def today() -> dt.date:
    return now().date()


def iso(moment: DateTime) -> str:
    """ISO 8601 with offset, seconds precision."""
    return stored(moment).isoformat()


def stored(moment: DateTime) -> DateTime:
    """A moment as a record keeps it (whole seconds): a new record is judged as it will be
    read back, so a check-in at exactly 72 h is the same check-in before and after saving."""
    return moment.replace(microsecond=0)


_STORED = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(?P<offset>[+-][0-9]{2}:?[0-9]{2}|Z)?"
)


_FIXED_ZONES: dict[int, FixedTimezone] = {}


class NoOffsetError(ValueError):
    """A stored or imported timestamp without its UTC offset (it would be read as UTC)."""


def read_stored(text: str) -> dt.datetime:
    """What :func:`parse_stored` reads, as the standard library's datetime (with its fixed
    offset), refused as it refuses: enough to check a stored timestamp and know its moment
    without building pendulum's DateTime (a store of years checks hundreds to use a few)."""
    match = _STORED.fullmatch(text)
    if match is None:
        raise ValueError(f"not a timestamp: {text[:40]!r}")
    if match.group("offset") is None:
        raise NoOffsetError(f"no UTC offset in {text!r}")
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_stored(text: str) -> DateTime:
    """Read back a stored or imported timestamp: ISO 8601 with its UTC offset.

    The moment keeps the offset it was written with, so ``.date()`` is the calendar
    day where it was recorded. Without an offset it is refused (:class:`NoOffsetError`):
    guessing UTC would move it by hours.
    """
    return as_pendulum(read_stored(text))


def as_pendulum(parsed: dt.datetime) -> DateTime:
    """A moment :func:`read_stored` read, as pendulum's DateTime at the same fixed offset."""
    # Built directly (7x faster than pendulum.parse: a store holds thousands of these).
    offset = parsed.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    zone = _FIXED_ZONES.get(seconds)
    if zone is None:
        zone = _FIXED_ZONES.setdefault(seconds, FixedTimezone(seconds))
    return DateTime(*parsed.timetuple()[:6], parsed.microsecond, tzinfo=zone)


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME_ONLY = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")


def _local_wall_time(naive: dt.datetime, field: str) -> DateTime:
    """A wall-clock time in the local zone, refusing gaps and ambiguous times."""
    tz = local_zone()
    early = pendulum.instance(naive.replace(fold=0), tz=tz)
    late = pendulum.instance(naive.replace(fold=1), tz=tz)
    stamp = naive.strftime("%Y-%m-%dT%H:%M")
    if early.utcoffset() != late.utcoffset():
        # Either a gap (the wall time never happened) or a fold (it happened twice).
        round_trip = early.in_timezone("UTC").in_timezone(tz)
        if (round_trip.hour, round_trip.minute) != (naive.hour, naive.minute):
            raise InputError(
                field,
                f"{stamp} does not exist in {tz.name} (the clocks skipped it); "
                "add the UTC offset, e.g. 2026-03-29T02:30+01:00",
            )
        raise InputError(
            field,
            f"{stamp} happened twice in {tz.name} (the clocks went back); "
            f"add the UTC offset to say which, e.g. {stamp}{_offset(early)} or "
            f"{stamp}{_offset(late)}",
        )
    if (early.hour, early.minute) != (naive.hour, naive.minute):
        raise InputError(
            field,
            f"{stamp} does not exist in {tz.name} (the clocks skipped it); add the UTC offset",
        )
    return early


def _offset(moment: DateTime) -> str:
    offset = moment.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def parse_when(text: str, field: str = "at") -> DateTime:
    """Parse a moment typed by the patient.

    Accepts ``now``, ``HH:MM`` (today, local), and ISO 8601 with or without an offset
    (``2026-11-21T16:30``, ``2026-11-21 16:30``, ``2026-11-21T16:30+01:00``). Without
    an offset the time is local, never UTC.
    """
    raw = text.strip()
    if not raw:
        raise InputError(field, f"is empty; give a time such as {today().isoformat()}T16:30 or 16:30")
    if raw.lower() == "now":
        return now()
    match = _TIME_ONLY.match(raw)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise InputError(field, f"{shown(raw)} is not a time of day (00:00 to 23:59)")
        day = today()
        return _local_wall_time(dt.datetime(day.year, day.month, day.day, hour, minute), field)
    candidate = raw.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", raw, re.ASCII) else raw
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(candidate)
    except ValueError:
        raise InputError(
            field,
            f"{shown(raw)} is not a date and time; use ISO 8601 such as {today().isoformat()}T16:30 "
            f"(local time), {today().isoformat()}T16:30{now().format('Z')}, or 16:30 for today",
        ) from None
    if not re.search(r"T\d", candidate, re.ASCII):
        raise InputError(field, f"{shown(raw)} has no time of day; add one, e.g. {raw[:10]}T16:30")
    check_range(parsed.date(), field)
    if parsed.tzinfo is None:
        return _local_wall_time(parsed, field)
    return to_local(pendulum.instance(parsed))


def parse_day(text: str, field: str = "date") -> dt.date:
    """A calendar date YYYY-MM-DD that exists."""
    raw = text.strip()
    if not _DAY.fullmatch(raw):
        raise InputError(field, f"{shown(raw)} is not a date; use YYYY-MM-DD, e.g. {today().isoformat()}")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise InputError(field, f"{raw} is not a real calendar date") from None
    return check_range(day, field)


def end_of_day(day: dt.date) -> DateTime:
    """The last second of a local calendar day (a back-dated check-in's moment)."""
    start_next = pendulum.datetime(day.year, day.month, day.day, tz=local_zone()).add(days=1)
    return start_next.subtract(seconds=1)


def end_of_day_where(day: dt.date, recorded: DateTime) -> DateTime:
    """The last second of ``day`` at the UTC offset ``recorded`` was made with.

    Only the offset is stored with a record, not its zone's rules, so this is the one
    answer every reader gets, whatever zone it is in: a record keeps its moment. (When
    the clocks changed between ``day`` and the recording, it is an hour off the wall
    clock's end of that day; a fresh record and a stored one still agree.)
    """
    offset = recorded.utcoffset() or dt.timedelta()
    seconds = int(offset.total_seconds())
    zone = _FIXED_ZONES.get(seconds) or _FIXED_ZONES.setdefault(seconds, FixedTimezone(seconds))
    return DateTime(day.year, day.month, day.day, 23, 59, 59, tzinfo=zone)


def elapsed_seconds(start: DateTime, end: DateTime) -> float:
    """Signed elapsed seconds from start to end (negative when end is earlier)."""
    return end.timestamp() - start.timestamp()


# The zone furthest ahead of UTC (Line Islands, UTC+14): no calendar day anywhere is
# later than the day there.
_FURTHEST_AHEAD = pendulum.FixedTimezone(14 * 3600)


def latest_day_anywhere(moment: DateTime) -> dt.date:
    """The latest calendar date any time zone has reached at ``moment``.

    A record's day is the day where it was made: after the patient moves west it can be
    later than today here, but never later than this.
    """
    return moment.in_timezone(_FURTHEST_AHEAD).date()
