"""Seeding a store: where the tests and the benchmarks get their history from.

- :func:`daily_history`: day after day as a patient keeps it: a check-in, water and a
  checklist every day, a session every two weeks; with ``course``, the course of
  treatment too (the usual pain on five days of seven, the complaint reworded once a
  year, three activities at a time, a new set every two years, rated every Monday, one
  home exercise ticked most days, a coffee every Thursday, some inside the pause).
  Deterministic but for the record ids.
- :func:`seed_history` (a test's store) and :func:`seed_data_dir` (a benchmark's folder):
  written with ``Store.apply_import``, one write per month file.
- :func:`two_months_of_course`: a course of treatment told day by day, with fixed ids and
  times (Mon 19 Oct to Sun 20 Dec 2026, frozen at :data:`COURSE_FROZEN`), for the course's
  views, reports and exports.

Run ``python -m tests.seeding DATA_DIR [--days 3650] [--no-course]`` from the checkout to
seed a folder by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import pendulum
from pendulum import DateTime

from companion.core.activities import Activity, Rating
from companion.core.backup import Backup
from companion.core.checkins import CheckIn
from companion.core.checklist import ChecklistDay
from companion.core.complaint import Complaint
from companion.core.exercises import Exercise
from companion.core.hydration import HydrationDay
from companion.core.ids import new_id
from companion.core.intake import Intake
from companion.core.protocol import default_protocol
from companion.core.sessions import Session
from companion.store import ImportCounts, Store

TEN_YEARS = 3650
SESSION_EVERY_DAYS = 14
CHECKLIST = ("rest", "hydrate", "gentle-movement", "stretch", "soothe", "monitor", "nourish")
AREAS = (("upper trapezius",), ("lower back", "gluteus medius"), ("calf",), ())
NOTES = ("", "", "a bit stiff in the morning", "slept well", "long day at work, shoulder tight")
ACTIVITY_NAMES = (
    "turning my head to reverse the car",
    "lifting the kettle",
    "sleeping on my right side",
    "carrying the shopping",
    "reaching the top shelf",
    "typing for an hour",
)

Zone = str | pendulum.Timezone | pendulum.FixedTimezone


def _at(day: dt.date, hour: int, minute: int, zone: Zone) -> DateTime:
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=zone)


# --------------------------------------------------------------------------- a daily history


def daily_history(
    first: dt.date,
    days: int,
    *,
    zone: Zone = "Europe/Berlin",
    course: bool = False,
    latest_session: DateTime | None = None,
    now: DateTime | None = None,
) -> Backup:
    """``days`` days from ``first``.

    Sessions at 16:30 every two weeks from the first day (every fourth week intense), or,
    with ``latest_session``, every two weeks back from that moment (a session running
    now). Check-ins are recorded at 20:15 of their day; one that ``now`` has not reached
    yet (today's) ten minutes before ``now``.
    """
    last = first + dt.timedelta(days=days - 1)
    sessions: list[Session] = []
    if latest_session is not None:
        moment, n = latest_session, 0
        while moment.date() >= first:
            sessions.append(Session(new_id(), moment, "standard", AREAS[0]))
            n += 1
            moment = latest_session.subtract(days=SESSION_EVERY_DAYS * n)
        sessions.reverse()
    checkins: list[CheckIn] = []
    hydration: list[HydrationDay] = []
    checklist: list[ChecklistDay] = []
    for i in range(days):
        day = first + dt.timedelta(days=i)
        since = i % SESSION_EVERY_DAYS  # days since this fortnight's session
        if since == 0 and latest_session is None:
            sessions.append(
                Session(
                    id=new_id(),
                    started_at=_at(day, 16, 30, zone),
                    intensity="intense" if i % (2 * SESSION_EVERY_DAYS) == 0 else "standard",
                    areas=AREAS[(i // SESSION_EVERY_DAYS) % len(AREAS)],
                    note="follow-up in two weeks" if i % 56 == 0 else "",
                )
            )
        recorded = _at(day, 20, 15, zone)
        if now is not None and recorded.timestamp() > now.timestamp():
            recorded = now.subtract(minutes=10)
        checkins.append(
            CheckIn(
                id=new_id(),
                date=day,
                recorded_at=recorded,
                soreness=max(0, 6 - 2 * since + (i % 3 == 0)),
                fatigue=max(0, 4 - since),
                stiffness=max(0, 5 - since),
                bruising=("mild", "none", "none")[min(since, 2)],
                note=NOTES[i % len(NOTES)],
                usual_pain=(None if i % 7 in (2, 5) else 2 + (i // 30) % 6) if course else None,
            )
        )
        hydration.append(HydrationDay(day, 5 + (i * 7) % 6, 8 if since > 2 else 10))
        rounds = ("exercise:hx:1", "exercise:hx:2")[: i % 3] if course else ()
        checklist.append(
            ChecklistDay(day, frozenset((*CHECKLIST[: 2 + (i * 5) % (len(CHECKLIST) - 1)], *rounds)))
        )
    backup = Backup(sessions, checkins, hydration, checklist)
    return _with_course(backup, first, last, zone) if course else backup


def _with_course(backup: Backup, first: dt.date, last: dt.date, zone: Zone) -> Backup:
    """The course of treatment over ``first``..``last``: complaint, activities, ratings,
    exercise, intake."""
    start_of_first_month = first.replace(day=1)
    complaints = [
        Complaint(
            new_id()[:12],
            f"stiff neck when driving (year {n + 1})",
            _at(start_of_first_month, 9, 0, zone).add(years=n),
        )
        for n in range((last.year - first.year) + 1)
        if _at(start_of_first_month, 9, 0, zone).add(years=n).date() <= last
    ]
    activities: list[Activity] = []
    ratings: list[Rating] = []
    two_years = 730
    for block_start in range(0, (last - first).days + 1, two_years):
        start = first + dt.timedelta(days=block_start)
        end = min(last, start + dt.timedelta(days=two_years - 1))
        block = len(activities) // 3
        for n in range(3):
            name = ACTIVITY_NAMES[(block * 3 + n) % len(ACTIVITY_NAMES)]
            retired_on = end if end < last else None
            activity = Activity(new_id()[:8], f"{name} ({block + 1})", _at(start, 9, n, zone), retired_on)
            activities.append(activity)
            monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
            week = 0
            while monday <= end:
                score = min(10, 2 + n + week // 12)
                ratings.append(Rating(new_id()[:12], activity.id, monday, _at(monday, 9, 30, zone), score))
                monday += dt.timedelta(days=7)
                week += 1
    intake = []
    day = first + dt.timedelta(days=(3 - first.weekday()) % 7)  # Thursdays
    while day <= last:
        intake.append(Intake(new_id()[:12], "coffee", _at(day, 8, 0, zone), "1 cup", "caffeine"))
        day += dt.timedelta(days=7)
    return Backup(
        backup.sessions,
        backup.checkins,
        backup.hydration,
        backup.checklist,
        exercises=[Exercise("hx", "chin tucks", sets=3, reps=10, per_day=2, since=first)],
        intake=intake,
        complaints=complaints,
        activities=activities,
        activity_ratings=ratings,
    )


def seed_history(store: Store, first: dt.date, days: int) -> Backup:
    """A daily history (no course of treatment) imported into a test's store."""
    records = daily_history(first, days)
    store.apply_import(records)
    return records


def seed_data_dir(
    data_dir: Path,
    days: int = TEN_YEARS,
    *,
    course: bool = True,
    running_session: bool = False,
) -> ImportCounts:
    """``days`` days ending today in the local zone (with ``running_session``, a session
    five hours ago and today's check-in done: the dashboard with its countdowns), else
    ending yesterday."""
    zone = pendulum.local_timezone()
    now = pendulum.now()
    last = now.date() if running_session else now.date() - dt.timedelta(days=1)
    first = last - dt.timedelta(days=days - 1)
    latest = now.subtract(hours=5) if running_session else None
    records = daily_history(first, days, zone=zone, course=course, latest_session=latest, now=now)
    return Store(data_dir).apply_import(records)


# --------------------------------------------------------------------------- two months of a course

COURSE_ZONE = "Europe/Berlin"
COURSE_FROZEN = pendulum.datetime(2026, 12, 21, 10, 0, tz=COURSE_ZONE)
"""Mon 21 Dec 2026 10:00, Berlin: the moment the course's tests freeze at."""
COURSE_FIRST_DAY = dt.date(2026, 10, 19)
COURSE_LAST_DAY = dt.date(2026, 12, 20)
COURSE_SESSION_DAYS = (
    dt.date(2026, 10, 19),
    dt.date(2026, 10, 26),
    dt.date(2026, 11, 2),
    dt.date(2026, 11, 16),
    dt.date(2026, 11, 30),
    dt.date(2026, 12, 14),
)
COURSE_MISSED_DAYS = frozenset({dt.date(2026, 10, 29), dt.date(2026, 11, 4), dt.date(2026, 11, 24)})
SORENESS_AFTER = (4, 3, 1, 0)  # day 0, 1, 2... after a standard session
SORENESS_AFTER_INTENSE = (6, 5, 4, 3, 2, 1, 0)  # still 2 on day 4: past 72 h
COURSE_ACTIVITIES = (
    # name, score at the first session, score gained each week (in tenths)
    ("turning my head to reverse the car", 3, 6),
    ("lifting the kettle", 5, 4),
    ("sleeping on my right side", 4, 1),
)


def _under(what: str) -> tuple[str | None, tuple[str, ...]]:
    """The pause(s) a logged name falls under, as Intake records them."""
    under = default_protocol().substances.classify(what).restrictions
    return (under[0] if under else None), under


def two_months_of_course() -> Backup:
    """Six sessions (weekly, then fortnightly; the first intense), daily check-ins with a few
    days missed and one made the next morning, the usual pain of the complaint on most days
    (7 falling to 3), three PSFS activities rated at the first session and then on Mondays
    (one Monday missed), water, two rounds a day of one home exercise, and three things
    taken (one during a pause). The clocks go back on 25 Oct, inside it."""

    def at(day: dt.date, hour: int, minute: int = 0) -> DateTime:
        return _at(day, hour, minute, COURSE_ZONE)

    sessions = [
        Session(
            id=f"s-{day.isoformat()}",
            started_at=at(day, 16, 30),
            intensity="intense" if i == 0 else "standard",
            areas=("upper trapezius", "levator scapulae") if i % 2 == 0 else ("upper trapezius",),
            note="",
        )
        for i, day in enumerate(COURSE_SESSION_DAYS)
    ]
    checkins: list[CheckIn] = []
    hydration: list[HydrationDay] = []
    checklist: list[ChecklistDay] = []
    exercise = Exercise("chintuck", "chin tucks", sets=3, reps=10, per_day=2, since=COURSE_FIRST_DAY)
    day = COURSE_FIRST_DAY
    index = 0
    while day <= COURSE_LAST_DAY:
        latest = max(i for i, d in enumerate(COURSE_SESSION_DAYS) if d <= day)
        since = (day - COURSE_SESSION_DAYS[latest]).days
        soreness_course = SORENESS_AFTER_INTENSE if latest == 0 else SORENESS_AFTER
        soreness = soreness_course[since] if since < len(soreness_course) else 0
        if day not in COURSE_MISSED_DAYS:
            recorded = at(day, 20, 15)
            if day == dt.date(2026, 11, 18):
                recorded = at(day + dt.timedelta(days=1), 8, 0)  # made the next morning
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
        Activity(f"act{n}", name, at(COURSE_FIRST_DAY, 9, n))
        for n, (name, _, _) in enumerate(COURSE_ACTIVITIES, start=1)
    ]
    ratings: list[Rating] = []
    mondays = [COURSE_FIRST_DAY + dt.timedelta(weeks=w) for w in range(10) if w != 5]  # one Monday missed
    for activity, (_, start, gain) in zip(activities, COURSE_ACTIVITIES, strict=True):
        for week, monday in enumerate(mondays):
            if monday > COURSE_LAST_DAY:
                break
            score = min(10, start + (week * gain) // 10)
            ratings.append(
                Rating(f"r-{activity.id}-{monday.isoformat()}", activity.id, monday, at(monday, 9, 30), score)
            )
    first_session = COURSE_SESSION_DAYS[0]
    intake = [
        Intake("i-ibuprofen", "ibuprofen", at(first_session, 21, 0), "400 mg", *_under("ibuprofen")),
        Intake("i-coffee", "coffee", at(dt.date(2026, 11, 3), 8, 0), "1 cup", *_under("coffee")),
        Intake("i-paracetamol", "paracetamol", at(dt.date(2026, 11, 17), 12, 0), "", None),
    ]
    complaints = [
        Complaint("k-1", "stiff neck", at(COURSE_FIRST_DAY, 9, 0)),
        Complaint("k-2", "stiff neck when driving", at(dt.date(2026, 10, 26), 9, 0)),
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


# --------------------------------------------------------------------------- by hand


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Seed a data folder with a daily history.")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--days", type=int, default=TEN_YEARS)
    parser.add_argument("--no-course", action="store_true", help="no course of treatment")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = seed_data_dir(args.data_dir, args.days, course=not args.no_course)
    took = time.perf_counter() - started
    months = len(list((args.data_dir / "days").glob("*.json")))
    print(
        f"seeded {args.data_dir}: {counts.sessions} sessions, {counts.checkins} check-ins, "
        f"{counts.hydration} hydration days, {counts.checklist} checklist days, "
        f"{counts.other} other records in {months} month files ({took:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
