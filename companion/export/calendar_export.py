"""Restriction end times and follow-up appointments as an iCalendar file.

One event per timed restriction per session, at the moment it ends: the session's
start plus the restriction's *elapsed* hours (``core.restrictions``), so a DST
change between the two moves the wall-clock time, never the length. Times carry
the patient's IANA zone (TZID plus a VTIMEZONE), whatever zone a record was stored in;
a moment in a fixed-offset zone, which iCalendar cannot name, is written in UTC instead.
Every time in the events' text is in the patient's zone too.

UIDs are stable (``<session id>-<restriction id>@companion``), so importing a newer
export into a calendar updates the events rather than duplicating them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pendulum
from icalendar import Calendar, Event
from pendulum import DateTime
from pendulum.tz.timezone import Timezone

from companion.core import clock, timefmt
from companion.core.protocol import Protocol, Restriction
from companion.core.restrictions import restriction_states
from companion.core.sessions import Session
from companion.core.text import printable

PRODID = "-//companion//after-needling self-care companion//EN"
UID_DOMAIN = "companion"
# Restriction ends are moments, not activities: a short event marks them in a calendar.
NOTICE_MINUTES = 15
# Follow-ups are recorded without an end; they are shown as an hour long.
APPOINTMENT_MINUTES = 60


class FollowUpEvent(NamedTuple):
    """A follow-up as a calendar event (the core's Appointment, worded for the calendar)."""

    uid: str
    start: DateTime
    summary: str
    description: str


def to_calendar_datetime(moment: dt.datetime) -> dt.datetime:
    """A plain aware datetime iCalendar can write: a named zone, else UTC.

    Converting through UTC keeps the instant exact (and sets ``fold`` right for a
    wall time that happens twice when the clocks go back).
    """
    if moment.tzinfo is None:
        raise ValueError("calendar times must be time-zone aware")
    utc = dt.datetime.fromtimestamp(moment.timestamp(), tz=dt.UTC)
    zone = moment.tzinfo
    name = zone.name if isinstance(zone, Timezone) else getattr(zone, "key", None)
    if name and name != "UTC":
        try:
            return utc.astimezone(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return utc


def _patient_zone(moment: dt.datetime) -> DateTime:
    """The same instant on the patient's clock (a record may carry UTC or another offset)."""
    return clock.to_local(pendulum.instance(moment))


def _sources_line(restriction: Restriction) -> str:
    if not restriction.sources:
        return ""
    return f"Sources: after-care article(s) {', '.join(restriction.sources)}."


def _restriction_description(
    protocol: Protocol, session: Session, restriction: Restriction, hours: float
) -> str:
    lines = [
        restriction.ended,
        "",
        # In the patient's zone, like every time they read (a session may be stored in UTC).
        f"Kept for {hours:g} hours after the needling session of {timefmt.dated(session.started_at)} "
        f"({session.intensity} session).",
        f"What: {restriction.avoid}",
        f"Why: {restriction.why}",
    ]
    if restriction.source_durations:
        said = "; ".join(f"{view.source}: {view.says}" for view in restriction.source_durations)
        lines.append(f"How long the sources say: {said}.")
    if restriction.origin != "guidance":
        lines.append("Set by your clinician's protocol.")
    sources = _sources_line(restriction)
    if sources:
        lines.append(sources)
    lines += ["", protocol.disclaimer]
    return "\n".join(lines)


def _event(
    uid: str, start: dt.datetime, minutes: int, summary: str, description: str, stamp: dt.datetime
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=minutes))
    event.add("summary", printable(summary, one_line=True))  # RFC 5545: no control characters
    if description:
        event.add("description", printable(description))
    # A notice, not a busy slot.
    event.add("transp", "TRANSPARENT")
    return event


def render_ics(
    protocol: Protocol,
    sessions: Iterable[Session],
    now: DateTime,
    appointments: Iterable[FollowUpEvent | tuple[str, DateTime, str, str]] = (),
) -> bytes:
    """An iCalendar (RFC 5545) file: restriction ends for every session, oldest first.

    ``appointments`` are ``(uid, start, summary, description)`` tuples (follow-up
    appointments), written as hour-long events.
    """
    stamp = dt.datetime.fromtimestamp(now.timestamp(), tz=dt.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "companion: after-needling reminders")
    starts: list[dt.datetime] = []
    for session in sorted(sessions, key=lambda s: s.started_at.timestamp()):
        for state in restriction_states(protocol, session, now):
            hours = state.restriction.hours_for(session.intensity)
            if state.ends_at is None or hours is None:
                continue  # untimed: no end to put in a calendar
            start = to_calendar_datetime(_patient_zone(state.ends_at))
            starts.append(start)
            calendar.add_component(
                _event(
                    f"{session.id}-{state.restriction.id}@{UID_DOMAIN}",
                    start,
                    NOTICE_MINUTES,
                    f"{state.restriction.title}: the pause after needling ends",
                    _restriction_description(protocol, session, state.restriction, hours),
                    stamp,
                )
            )
    for uid, when, summary, description in appointments:
        start = to_calendar_datetime(_patient_zone(when))
        starts.append(start)
        calendar.add_component(_event(uid, start, APPOINTMENT_MINUTES, summary, description, stamp))
    if starts:
        first = min(s.date() for s in starts)
        last = max(s.date() for s in starts)
        calendar.add_missing_timezones(
            first_date=dt.date(first.year, 1, 1), last_date=dt.date(last.year + 1, 12, 31)
        )
    data: bytes = calendar.to_ical()
    return data
