"""Two months of a course of treatment, for tests and (later) the course view's snapshots.

Deterministic: fixed ids and times, frozen at ``FROZEN`` (Mon 21 Dec 2026 10:00, Berlin).
From Mon 19 Oct 2026 (before the clocks go back on the 25th) to Sun 20 Dec: six
sessions (weekly, then fortnightly; the first intense), daily check-ins with a few
days missed and one made the next morning, the usual pain of the complaint on most
days (7 falling to 3), three PSFS activities rated at the first session and
then on Mondays (one Monday missed), water, two rounds a day of one home exercise,
and three things taken (one during a pause).
"""

from __future__ import annotations

import datetime as dt

import pendulum

from companion.core.activities import Activity, Rating
from companion.core.backup import Backup
from companion.core.checkins import CheckIn
from companion.core.checklist import ChecklistDay
from companion.core.complaint import Complaint
from companion.core.exercises import Exercise
from companion.core.hydration import HydrationDay
from companion.core.intake import Intake
from companion.core.protocol import default_protocol
from companion.core.sessions import Session
from companion.store import ImportCounts, Store

ZONE = "Europe/Berlin"
FROZEN = pendulum.datetime(2026, 12, 21, 10, 0, tz=ZONE)
FIRST_DAY = dt.date(2026, 10, 19)
LAST_DAY = dt.date(2026, 12, 20)
SESSION_DAYS = (
    dt.date(2026, 10, 19),
    dt.date(2026, 10, 26),
    dt.date(2026, 11, 2),
    dt.date(2026, 11, 16),
    dt.date(2026, 11, 30),
    dt.date(2026, 12, 14),
)
MISSED_DAYS = frozenset({dt.date(2026, 10, 29), dt.date(2026, 11, 4), dt.date(2026, 11, 24)})
SORENESS_AFTER = (4, 3, 1, 0)  # day 0, 1, 2... after a standard session
SORENESS_AFTER_INTENSE = (6, 5, 4, 3, 2, 1, 0)  # still 2 on day 4: past 72 h
ACTIVITIES = (
    # name, score at the first session, score gained each week (in tenths)
    ("turning my head to reverse the car", 3, 6),
    ("lifting the kettle", 5, 4),
    ("sleeping on my right side", 4, 1),
)


def _under(what: str) -> tuple[str | None, tuple[str, ...]]:
    """The pause(s) a logged name falls under, as Intake records them."""
    under = default_protocol().substances.classify(what).restrictions
    return (under[0] if under else None), under


def _at(day: dt.date, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=ZONE)


def two_months_of_course() -> Backup:
    sessions = [
        Session(
            id=f"s-{day.isoformat()}",
            started_at=_at(day, 16, 30),
            intensity="intense" if i == 0 else "standard",
            areas=("upper trapezius", "levator scapulae") if i % 2 == 0 else ("upper trapezius",),
            note="",
        )
        for i, day in enumerate(SESSION_DAYS)
    ]
    checkins: list[CheckIn] = []
    hydration: list[HydrationDay] = []
    checklist: list[ChecklistDay] = []
    exercise = Exercise("chintuck", "chin tucks", sets=3, reps=10, per_day=2, since=FIRST_DAY)
    day = FIRST_DAY
    index = 0
    while day <= LAST_DAY:
        latest = max(i for i, d in enumerate(SESSION_DAYS) if d <= day)
        since = (day - SESSION_DAYS[latest]).days
        course = SORENESS_AFTER_INTENSE if latest == 0 else SORENESS_AFTER
        soreness = course[since] if since < len(course) else 0
        if day not in MISSED_DAYS:
            recorded = _at(day, 20, 15)
            if day == dt.date(2026, 11, 18):
                recorded = _at(day + dt.timedelta(days=1), 8, 0)  # made the next morning
            usual = None if index % 4 == 3 else 7 - (index * 4) // 62 - (index % 7 == 5)
            checkins.append(
                CheckIn(
                    id=f"c-{day.isoformat()}",
                    date=day,
                    recorded_at=recorded,
                    soreness=soreness,
                    fatigue=max(0, soreness - 2),
                    stiffness=max(0, soreness - 1),
                    bruising="mild" if since == 0 else "none",
                    usual_pain=usual,
                    note="neck stiff after driving" if index % 9 == 4 else "",
                )
            )
        hydration.append(HydrationDay(day, 5 + (index * 3) % 6, 10 if since == 0 else 8))
        rounds = ("exercise:chintuck:1", "exercise:chintuck:2")[: 2 - (index % 5 == 2) - (index % 11 == 7)]
        checklist.append(ChecklistDay(day, frozenset({"rest", "hydrate", *rounds})))
        day += dt.timedelta(days=1)
        index += 1

    activities = [
        Activity(f"act{n}", name, _at(FIRST_DAY, 9, n)) for n, (name, _, _) in enumerate(ACTIVITIES, start=1)
    ]
    ratings: list[Rating] = []
    mondays = [FIRST_DAY + dt.timedelta(weeks=w) for w in range(10) if w != 5]  # one Monday missed
    for activity, (_, start, gain) in zip(activities, ACTIVITIES, strict=True):
        for week, monday in enumerate(mondays):
            if monday > LAST_DAY:
                break
            score = min(10, start + (week * gain) // 10)
            ratings.append(
                Rating(
                    f"r-{activity.id}-{monday.isoformat()}", activity.id, monday, _at(monday, 9, 30), score
                )
            )
    intake = [
        Intake("i-ibuprofen", "ibuprofen", _at(SESSION_DAYS[0], 21, 0), "400 mg", *_under("ibuprofen")),
        Intake("i-coffee", "coffee", _at(dt.date(2026, 11, 3), 8, 0), "1 cup", *_under("coffee")),
        Intake("i-paracetamol", "paracetamol", _at(dt.date(2026, 11, 17), 12, 0), "", None),
    ]
    complaints = [
        Complaint("k-1", "stiff neck", _at(FIRST_DAY, 9, 0)),
        Complaint("k-2", "stiff neck when driving", _at(dt.date(2026, 10, 26), 9, 0)),
    ]
    return Backup(
        sessions,
        checkins,
        hydration,
        checklist,
        exercises=[exercise],
        intake=intake,
        complaints=complaints,
        activities=activities,
        activity_ratings=ratings,
    )


def seed_two_months(store: Store) -> ImportCounts:
    return store.apply_import(two_months_of_course())
