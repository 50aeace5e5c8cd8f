"""Build a ten-year store: the history a patient would have after ~3,650 days of use.

Every day has a check-in, a hydration record and a checklist day; a session every two
weeks. The course of treatment too: the usual pain of the complaint on five days of
seven, the complaint reworded once a year, three activities followed at a time (a new
set every two years, the old ones retired) rated every Monday, one home exercise ticked
most days, and a coffee logged every week (some inside the caffeine pause). Written
with ``Store.apply_import`` from core objects: one write per month file.

Run: python benchmarks/seed.py DATA_DIR [--days 3650]
Import: ``from seed import seed_store`` (benchmarks/ on sys.path).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import pendulum

from companion.core.activities import Activity, Rating
from companion.core.backup import Backup
from companion.core.checkins import CheckIn
from companion.core.checklist import ChecklistDay
from companion.core.complaint import Complaint
from companion.core.exercises import Exercise
from companion.core.hydration import HydrationDay
from companion.core.ids import new_id
from companion.core.intake import Intake
from companion.core.sessions import Session
from companion.store import ImportCounts, Store

TEN_YEARS = 3650
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


def build_history(days: int = TEN_YEARS, last: dt.date | None = None) -> dict[str, list]:
    """Core objects for ``days`` days ending ``last`` (default: yesterday)."""
    zone = pendulum.local_timezone()
    last = last or pendulum.now().date() - dt.timedelta(days=1)
    first = last - dt.timedelta(days=days - 1)
    sessions: list[Session] = []
    checkins: list[CheckIn] = []
    hydration: list[HydrationDay] = []
    checklist: list[ChecklistDay] = []
    for i in range(days):
        day = first + dt.timedelta(days=i)
        evening = pendulum.datetime(day.year, day.month, day.day, 20, 15, tz=zone)
        since = i % 14  # days since this fortnight's session
        if since == 0:
            sessions.append(
                Session(
                    id=new_id(),
                    started_at=pendulum.datetime(day.year, day.month, day.day, 16, 30, tz=zone),
                    intensity="intense" if i % 28 == 0 else "standard",
                    areas=AREAS[(i // 14) % len(AREAS)],
                    note="follow-up in two weeks" if i % 56 == 0 else "",
                )
            )
        soreness = max(0, 6 - 2 * since + (i % 3 == 0))
        checkins.append(
            CheckIn(
                id=new_id(),
                date=day,
                recorded_at=evening,
                soreness=soreness,
                fatigue=max(0, 4 - since),
                stiffness=max(0, 5 - since),
                bruising=("mild", "none", "none")[min(since, 2)],
                note=NOTES[i % len(NOTES)],
                usual_pain=None if i % 7 in (2, 5) else 2 + (i // 30) % 6,
            )
        )
        hydration.append(HydrationDay(day, 5 + (i * 7) % 6, 8 if since > 2 else 10))
        rounds = ("exercise:hx:1", "exercise:hx:2")[: (i * 3) % 3]
        checklist.append(
            ChecklistDay(day, frozenset((*CHECKLIST[: 2 + (i * 5) % (len(CHECKLIST) - 1)], *rounds)))
        )
    return {
        "sessions": sessions,
        "checkins": checkins,
        "hydration": hydration,
        "checklist": checklist,
        **course_records(first, last, zone),
    }


def course_records(first: dt.date, last: dt.date, zone: pendulum.Timezone) -> dict[str, list]:
    """The course of treatment over ``first``..``last``: complaint, activities, ratings, exercise, intake."""

    def at(day: dt.date, hour: int, minute: int = 0) -> pendulum.DateTime:
        return pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=zone)

    complaints = [
        Complaint(
            new_id()[:12], f"stiff neck when driving (year {n + 1})", at(first.replace(day=1), 9).add(years=n)
        )
        for n in range((last.year - first.year) + 1)
        if at(first.replace(day=1), 9).add(years=n).date() <= last
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
            activity = Activity(new_id()[:8], f"{name} ({block + 1})", at(start, 9, n), retired_on)
            activities.append(activity)
            monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
            week = 0
            while monday <= end:
                score = min(10, 2 + n + week // 12)
                ratings.append(Rating(new_id()[:12], activity.id, monday, at(monday, 9, 30), score))
                monday += dt.timedelta(days=7)
                week += 1
    exercise = Exercise("hx", "chin tucks", sets=3, reps=10, per_day=2, since=first)
    intake = []
    day = first + dt.timedelta(days=(3 - first.weekday()) % 7)  # Thursdays
    while day <= last:
        intake.append(Intake(new_id()[:12], "coffee", at(day, 8), "1 cup", "caffeine"))
        day += dt.timedelta(days=7)
    return {
        "complaints": complaints,
        "activities": activities,
        "activity_ratings": ratings,
        "exercises": [exercise],
        "intake": intake,
    }


def seed_store(data_dir: Path, days: int = TEN_YEARS, last: dt.date | None = None) -> ImportCounts:
    store = Store(data_dir)
    return store.apply_import(Backup(**build_history(days, last)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--days", type=int, default=TEN_YEARS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = seed_store(args.data_dir, args.days)
    took = time.perf_counter() - started
    months = len(list((args.data_dir / "days").glob("*.json")))
    print(
        f"seeded {args.data_dir}: {counts.sessions} sessions, {counts.checkins} check-ins, "
        f"{counts.hydration} hydration days, {counts.checklist} checklist days, "
        f"{counts.other} other records (complaint wordings, activities, ratings, exercise, intake) "
        f"in {months} month files ({took:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
