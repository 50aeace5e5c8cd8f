"""What both front ends ask of the store, assembled by the core's rules.

The CLI and the Textual app call these functions; none of them holds a rule of its
own: they fetch the records a rule needs and hand them to ``companion.core``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pendulum import DateTime

from companion.core import clock
from companion.core.alerts import Alert, judge_checkin
from companion.core.checkins import CheckIn
from companion.core.protocol import Protocol
from companion.core.sessions import Session, latest_before
from companion.core.status import Status, build_status
from companion.store import Store

if TYPE_CHECKING:
    from companion.core.activities import RatingDue
    from companion.core.complaint import Complaint
    from companion.core.course import Course
    from companion.core.history import HistoryRow

# How far back the alert rules look for earlier check-ins of the same session.
ALERT_LOOKBACK_DAYS = 45
# A record's day is its calendar day where it was made; the same moment can be up to
# two calendar days apart in two zones (UTC-12 and UTC+14). Day ranges derived from a
# moment in the reader's zone are widened by this much, then the rules filter by moment.
ZONE_SLACK = dt.timedelta(days=2)


def checkins_for_alerts(
    store: Store, latest: CheckIn | None, sessions: list[Session] | None = None
) -> list[CheckIn]:
    """The latest check-in and the earlier ones its alerts are judged against (``sessions``:
    at least those from the one in effect when it was made, else read from the store)."""
    if latest is None:
        return []
    if sessions is None:
        sessions = store.sessions_from(latest.moment)
    session = latest_before(sessions, latest.moment)
    start = latest.date - dt.timedelta(days=ALERT_LOOKBACK_DAYS)
    if session is not None:
        start = max(start, clock.to_local(session.started_at).date() - ZONE_SLACK)
    # Earlier by moment may still mean a later date: one made before a move west.
    pool = store.days_between(start, max(latest.date, clock.latest_day_anywhere(latest.moment))).checkins
    if len(pool) <= 1:
        # A long gap: the rules still need the one check-in just before this one.
        previous = store.latest_checkin(before=latest.date)
        if previous is not None and previous.id != latest.id:
            pool.append(previous)
    if all(c.id != latest.id for c in pool):
        pool.append(latest)
    return pool


def alerts_for_checkin(store: Store, protocol: Protocol, checkin: CheckIn) -> list[Alert]:
    """The alerts a saved check-in raises, judged against its session and the check-ins before it."""
    sessions = store.sessions_from(checkin.moment)
    session = latest_before(sessions, checkin.moment)
    return judge_checkin(protocol, checkin, checkins_for_alerts(store, checkin, sessions), session)


def load_status(
    store: Store, protocol: Protocol, zone: clock.ZoneInfo, now: DateTime | None = None
) -> Status:
    moment = now if now is not None else clock.now()
    today = moment.date()
    # Not "before tomorrow here": a check-in made in a zone ahead of this one (before the
    # patient flew west) may carry tomorrow's date, and must still count.
    latest = store.latest_checkin(before=clock.latest_day_anywhere(moment) + dt.timedelta(days=1))
    # The sessions in effect now and when the latest check-in was made, and those between:
    # all the status's rules look at (not the hundreds of a patient of years).
    since = moment if latest is None or latest.moment > moment else latest.moment
    sessions = store.sessions_from(since)
    return build_status(
        protocol,
        now=moment,
        zone=zone,
        sessions=sessions,
        hydration_today=store.hydration_day(today),
        recent_checkins=checkins_for_alerts(store, latest, sessions),
        appointments=store.appointments(),
        glass=store.settings().glass_size,
    )


def load_history(
    store: Store,
    protocol: Protocol,
    *,
    days: int | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    include_empty: bool = True,
) -> list[HistoryRow]:
    """History rows, newest first: the last ``days`` days, or ``first``..``last``.

    With neither, everything from the first recorded day. Without ``last``, up to today
    or the latest recorded day if that is later (see :func:`history_end`).
    """
    from companion.core.history import build_history  # not needed to start the app

    end = last if last is not None else history_end(store)
    if first is not None:
        start = first
    elif days is not None:
        start = end - dt.timedelta(days=max(days, 1) - 1)
    else:
        start = store.first_day() or end
    records = store.days_between(start, end)
    earlier: list[CheckIn] = []
    if records.checkins:
        lookback = start - dt.timedelta(days=ALERT_LOOKBACK_DAYS)
        earlier = store.days_between(lookback, start - dt.timedelta(days=1)).checkins
    return build_history(
        protocol,
        first=start,
        last=end,
        sessions=store.sessions(),
        checkins=records.checkins,
        hydration=records.hydration,
        checklist=records.checklist,
        default_goal=store.settings().default_goal,
        earlier_checkins=earlier,
        include_empty=include_empty,
    )


def history_end(store: Store, now: DateTime | None = None) -> dt.date:
    """The last day a view of the history shows: today, or a later recorded day.

    A record's day is the calendar day where it was made. After the patient moves west
    (Berlin to New York), a check-in made at 00:30 in Berlin carries a date that has not
    begun in New York yet: ending the view at today here would hide it.
    """
    moment = now if now is not None else clock.now()
    today = moment.date()
    latest = store.last_day(upto=clock.latest_day_anywhere(moment))
    return max(today, latest) if latest is not None else today


# --------------------------------------------------------------------------- the course of treatment


def load_course(store: Store, protocol: Protocol, now: DateTime | None = None) -> Course:
    """The course of treatment: one row per session and the outcomes, from everything stored."""
    from companion.core.complaint import current
    from companion.core.course import build_course

    sessions = store.sessions()
    days = store.all_days()
    return build_course(
        protocol,
        now=now if now is not None else clock.now(),
        sessions=sessions,
        checkins=days.checkins,
        hydration=days.hydration,
        checklist=days.checklist,
        intake=store.all_intake(),
        exercises=store.exercises(),
        complaint=current(store.complaints()),
        activities=store.activities(),
        ratings=store.all_ratings(),
    )


def load_ratings_due(store: Store, today: dt.date | None = None) -> list[RatingDue]:
    """The activities whose weekly rating is due (for a gentle prompt; never blocking)."""
    from companion.core.activities import RATE_EVERY_DAYS, ratings_due

    day = today if today is not None else clock.today()
    activities = store.activities()
    if not any(a.active for a in activities):
        return []
    # Only the latest rating of each activity matters: look back one rating period first.
    recent = store.ratings_between(day - dt.timedelta(days=RATE_EVERY_DAYS), day)
    due = ratings_due(activities, recent, day)
    if not due:
        return []
    return ratings_due(activities, store.all_ratings(), day)


def name_complaint(store: Store, text: str) -> Complaint:
    """A new wording of the complaint ('' clears it), stored unless it is the current one
    already (the CLI's ``companion complaint`` and the app's dialog alike)."""
    from companion.core.complaint import current, new_complaint

    entry = new_complaint(text)
    before = current(store.complaints())
    if (before.text if before else "") != entry.text:
        store.add_complaint(entry)
    return entry


def complaint_named(store: Store) -> bool:
    """Whether the patient has named the problem they see the physiotherapist for."""
    from companion.core.complaint import current

    return current(store.complaints()) is not None
