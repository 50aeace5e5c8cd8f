"""Histories for the HTML report's tests: a typical fortnight, and a year from tests/seeding.py.

The fortnight ends at TEST_NOW (Sun 22 Nov 2026 10:00, Berlin), where the CLI tests'
clocks start: two sessions (Mon 9 Nov, intense; Mon 16 Nov), a check-in every evening
but one, soreness past 72 h after the intense one (a long-soreness alert), the usual
pain of the complaint 7 falling to 5, three activities rated at each session, water,
a home exercise twice a day, ibuprofen and a coffee during their pauses and a
paracetamol outside them, two open questions and one already asked, a few notes.

``hostile=True`` puts HTML and script fragments, and a control character, in every
text the patient can type: notes, areas, the complaint, the activities, the
questions, what was taken.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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
from companion.core.questions import Question
from companion.core.sessions import Session
from companion.store import ImportCounts, Store
from tests.launch import TEST_NOW
from tests.seeding import daily_history

ZONE = "Europe/Berlin"
FIRST_DAY = dt.date(2026, 11, 9)
LAST_DAY = dt.date(2026, 11, 21)  # the last evening check-in before TEST_NOW
SESSION_DAYS = (dt.date(2026, 11, 9), dt.date(2026, 11, 16))
SORENESS = {0: (6, 5, 4, 3, 2, 1, 0), 1: (4, 3, 1, 0, 0, 0)}
MISSED = dt.date(2026, 11, 19)

SCRIPT = "<script>window.hacked = 1</script>"
IMG = '<img src=x onerror="alert(1)">'
LONG_WORD = "https://example.invalid/" + "a" * 300
"""A word no line can hold: it must break, not run off the page."""
HOSTILE_NOTE = f"stiff {SCRIPT} then {IMG} & <b>bold</b>\nsecond line {LONG_WORD}"
"""A note with a script element, an onerror attribute, markup and an entity (a control character
is cleaned by the store as it reads: the renderer's own test gives one straight)."""
HOSTILE_SHORT = f"neck {IMG}"
"""For the one-line fields (areas, names, questions): no newline, but markup all the same."""


def _at(day: dt.date, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=ZONE)


def _under(what: str) -> tuple[str | None, tuple[str, ...]]:
    under = default_protocol().substances.classify(what).restrictions
    return (under[0] if under else None), under


def a_fortnight(*, hostile: bool = False) -> Backup:
    area = HOSTILE_SHORT if hostile else "levator scapulae"
    sessions = [
        Session(
            id=f"s-{day.isoformat()}",
            started_at=_at(day, 16, 30),
            intensity="intense" if n == 0 else "standard",
            areas=("upper trapezius", area) if n == 0 else ("upper trapezius",),
            note=HOSTILE_NOTE if hostile and n == 1 else ("many trigger points" if n == 0 else ""),
        )
        for n, day in enumerate(SESSION_DAYS)
    ]
    checkins, hydration, checklist = [], [], []
    exercise = Exercise("chin", "chin tucks", sets=3, reps=10, per_day=2, since=FIRST_DAY)
    day = FIRST_DAY
    index = 0
    while day <= LAST_DAY:
        latest = max(n for n, d in enumerate(SESSION_DAYS) if d <= day)
        since = (day - SESSION_DAYS[latest]).days
        course = SORENESS[latest]
        soreness = course[since] if since < len(course) else 0
        if day != MISSED:
            note = ""
            if index in (2, 9):
                note = "neck stiff after driving" if not hostile else HOSTILE_NOTE
            checkins.append(
                CheckIn(
                    id=f"c-{day.isoformat()}",
                    date=day,
                    recorded_at=_at(day, 20, 15),
                    soreness=soreness,
                    fatigue=max(0, soreness - 2),
                    stiffness=max(0, soreness - 1),
                    bruising="mild" if since == 0 else "none",
                    usual_pain=7 - index // 6,
                    note=note,
                )
            )
        hydration.append(HydrationDay(day, 5 + (index * 3) % 5, 10 if since == 0 else 8))
        rounds = ("exercise:chin:1", "exercise:chin:2")[: 2 - (index % 4 == 3)]
        checklist.append(ChecklistDay(day, frozenset({"rest", "hydrate", *rounds})))
        day += dt.timedelta(days=1)
        index += 1
    names = (
        "turning my head to reverse the car",
        HOSTILE_SHORT if hostile else "lifting the kettle",
        "sleeping on my right side",
    )
    activities = [Activity(f"act{n}", name, _at(FIRST_DAY, 9, n)) for n, name in enumerate(names, start=1)]
    ratings = [
        Rating(f"r-{a.id}-{d.isoformat()}", a.id, d, _at(d, 9, 30), score)
        for a, scores in zip(activities, ((3, 5), (5, 6), (4, 4)), strict=True)
        for d, score in zip(SESSION_DAYS, scores, strict=True)
    ]
    questions = [
        Question(
            "q1", HOSTILE_SHORT if hostile else "Can I go back to swimming this week?", _at(FIRST_DAY, 12)
        ),
        Question("q2", "Is the soreness after the first session normal?", _at(dt.date(2026, 11, 13), 21)),
        Question("q3", "Should I ice or heat it?", _at(FIRST_DAY, 12, 5), _at(dt.date(2026, 11, 16), 16)),
    ]
    what = HOSTILE_SHORT if hostile else "paracetamol"
    intake = [
        Intake("i-ibu", "ibuprofen", _at(FIRST_DAY, 21, 0), "400 mg", *_under("ibuprofen")),
        Intake("i-coffee", "coffee", _at(dt.date(2026, 11, 11), 8, 0), "1 cup", *_under("coffee")),
        Intake("i-other", what, _at(dt.date(2026, 11, 17), 12, 0), "500 mg", *_under(what)),
    ]
    complaint = HOSTILE_NOTE.splitlines()[0] if hostile else "stiff neck when driving"
    return Backup(
        sessions,
        checkins,
        hydration,
        checklist,
        exercises=[exercise],
        questions=questions,
        intake=intake,
        complaints=[Complaint("k-1", complaint, _at(FIRST_DAY, 9))],
        activities=activities,
        activity_ratings=ratings,
    )


def seed_fortnight(store: Store, *, hostile: bool = False) -> ImportCounts:
    return store.apply_import(a_fortnight(hostile=hostile))


def seed_days(data_dir: Path, days: int) -> ImportCounts:
    """``days`` days of the benchmark's history (a session every two weeks, a check-in every
    day, the course of treatment) ending the day before TEST_NOW, in Berlin."""
    last = TEST_NOW.date() - dt.timedelta(days=1)
    records = daily_history(
        last - dt.timedelta(days=days - 1), days, zone=pendulum.timezone(ZONE), course=True
    )
    return Store(data_dir).apply_import(records)
