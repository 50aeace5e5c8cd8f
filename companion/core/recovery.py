"""Soreness and fatigue after each session, against the usual course of soreness.

What the report's chart shows: for each session, the check-ins of its window (see
``core/course.py``) placed at the elapsed hours from the session's start to their
moment (when recorded; a back-dated one at the end of its day, as the alert rules
count it), next to the guidance's usual course of soreness (the ``soreness``
reaction: usually ``usual_hours``, at most ``longest_hours``; 000, 002).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from companion.core import clock
from companion.core.checkins import CheckIn
from companion.core.course import session_windows
from companion.core.protocol import Protocol
from companion.core.sessions import Session

DEFAULT_USUAL_HOURS = 48.0
DEFAULT_LONGEST_HOURS = 72.0
"""The guidance's usual course of soreness (000: 24-48 h; 002: up to 72 h), when a
protocol's ``soreness`` reaction gives no hours."""


@dataclass(frozen=True)
class UsualCourse:
    """The usual course of soreness after a session, from the protocol in effect."""

    usual_hours: float
    longest_hours: float
    text: str  # the reaction's own words ('Usually 24 to 48 hours (000); up to 72 hours (002).')
    sources: tuple[str, ...]


def usual_course(protocol: Protocol) -> UsualCourse:
    reaction = protocol.reaction("soreness")
    if reaction is None:
        return UsualCourse(DEFAULT_USUAL_HOURS, DEFAULT_LONGEST_HOURS, "", ())
    usual = reaction.usual_hours or DEFAULT_USUAL_HOURS
    longest = max(usual, reaction.longest_hours or DEFAULT_LONGEST_HOURS)
    return UsualCourse(usual, longest, reaction.course, reaction.sources)


@dataclass(frozen=True)
class Reading:
    """One check-in, placed at the hours since its session."""

    hours: float
    soreness: int
    fatigue: int


@dataclass(frozen=True)
class AfterSession:
    session: Session
    readings: tuple[Reading, ...]  # oldest first

    @property
    def label(self) -> str:
        """'Sat 21 Nov' in the patient's zone (the chart's own words; no patient text)."""
        return clock.to_local(self.session.started_at).format("ddd D MMM")


def after_sessions(
    sessions: Iterable[Session], checkins: Iterable[CheckIn], *, within_hours: float | None = None
) -> list[AfterSession]:
    """Each session (oldest first) with the soreness and fatigue of its window's check-ins,
    those at most ``within_hours`` after it when given."""
    out = []
    for session, _, window in session_windows(list(sessions), list(checkins)):
        readings = []
        for checkin in window:
            hours = clock.elapsed_seconds(session.started_at, checkin.moment) / 3600
            if within_hours is None or hours <= within_hours:
                readings.append(Reading(round(hours, 2), checkin.soreness, checkin.fatigue))
        out.append(AfterSession(session, tuple(readings)))
    return out


def median_by_day(series: Sequence[AfterSession], field: str, days: int) -> list[float | None]:
    """The median of ``field`` ('soreness' or 'fatigue') over ``series`` for each day
    since the session (0..days-1, a day being 24 elapsed hours): the typical course."""
    buckets: list[list[int]] = [[] for _ in range(days)]
    for after in series:
        for reading in after.readings:
            day = int(reading.hours // 24)
            if 0 <= day < days:
                buckets[day].append(getattr(reading, field))
    return [_median(values) for values in buckets]


def _median(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2
