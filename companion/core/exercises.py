"""The home exercise programme: prescribed exercises ticked off each day.

Each exercise asks to be done ``per_day`` times; each time is one tick in that day's
checklist, under the id ``exercise:<id>:<n>``, so adherence is ticks over ticks due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from companion.core import clock
from companion.core.checklist import ChecklistDay
from companion.core.errors import InputError
from companion.core.ids import new_id
from companion.core.numbers import parse_decimal, parse_whole
from companion.core.records import require_day, require_id, require_object, require_text
from companion.core.text import check_note, check_text

TICK_PREFIX = "exercise:"
MAX_PER_DAY = 10
MAX_NAME = 100
MAX_NOTE = 500


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    sets: int | None = None
    reps: int | None = None
    minutes: float | None = None
    per_day: int = 1
    note: str = ""
    since: dt.date | None = None
    """The day it was added: no round is due before it (None in records from before)."""

    def due_on(self, day: dt.date) -> int:
        """Rounds due that day: none before the exercise was added."""
        return 0 if self.since is not None and day < self.since else self.per_day

    @property
    def dose(self) -> str:
        parts = []
        if self.sets and self.reps:
            parts.append(f"{self.sets} x {self.reps}")
        elif self.reps:
            parts.append(f"{self.reps} reps")
        if self.minutes:
            parts.append(f"{self.minutes:g} min")
        times = {1: "once a day", 2: "twice a day"}.get(self.per_day, f"{self.per_day} times a day")
        parts.append(times)
        return ", ".join(parts)

    def tick_ids(self) -> list[str]:
        return [f"{TICK_PREFIX}{self.id}:{n}" for n in range(1, self.per_day + 1)]

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "sets": self.sets,
            "reps": self.reps,
            "minutes": self.minutes,
            "per_day": self.per_day,
            "note": self.note,
            "since": self.since.isoformat() if self.since else None,
        }


def _positive(value: str | int | float | None, field: str, *, whole: bool, maximum: float) -> Any:
    if value is None or value == "":
        return None
    if whole:
        return parse_whole(value, field, minimum=1, maximum=int(maximum))
    return parse_decimal(value, field, above=0, maximum=maximum)


def new_exercise(
    *,
    name: str,
    sets: str | int | None = None,
    reps: str | int | None = None,
    minutes: str | float | None = None,
    per_day: str | int | None = 1,
    note: str = "",
) -> Exercise:
    cleaned = check_text(name, "name", limit=MAX_NAME)
    if not cleaned:
        raise InputError("name", "is missing: give the exercise a name, e.g. 'chin tucks'")
    ex = Exercise(
        id=new_id()[:8],
        name=cleaned,
        sets=_positive(sets, "sets", whole=True, maximum=50),
        reps=_positive(reps, "reps", whole=True, maximum=500),
        minutes=_positive(minutes, "minutes", whole=False, maximum=240),
        per_day=_positive(
            per_day if per_day not in (None, "") else 1, "per_day", whole=True, maximum=MAX_PER_DAY
        ),
        note=check_note(note, "note", limit=MAX_NOTE),
        since=clock.today(),
    )
    if ex.sets and not ex.reps:
        raise InputError("reps", "give the repetitions too when you give sets")
    return ex


def exercise_from_record(data: Any, where: str = "exercise") -> Exercise:
    data = require_object(data, where)
    exercise_id = require_id(data, where)
    name = require_text(data, "name", where, default=None, limit=MAX_NAME)
    values: dict[str, Any] = {}
    for key, whole, maximum in (
        ("sets", True, 50),
        ("reps", True, 500),
        ("minutes", False, 240),
        ("per_day", True, MAX_PER_DAY),
    ):
        raw = data.get(key)
        if isinstance(raw, bool) or (raw is not None and not isinstance(raw, int | float)):
            raise InputError(f"{where}.{key}", "must be a positive number or null")
        values[key] = _positive(raw, f"{where}.{key}", whole=whole, maximum=maximum)
    note = require_text(data, "note", where, limit=MAX_NOTE, multiline=True)
    since = require_day(data, "since", where) if data.get("since") is not None else None
    return Exercise(
        id=exercise_id,
        name=name,
        sets=values["sets"],
        reps=values["reps"],
        minutes=values["minutes"],
        per_day=int(values["per_day"] or 1),
        note=note,
        since=since,
    )


@dataclass(frozen=True)
class Adherence:
    exercise: Exercise
    done: int
    due: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.due) if self.due else 0


def adherence(
    exercises: list[Exercise], days: Iterable[ChecklistDay], first: dt.date, last: dt.date
) -> list[Adherence]:
    """Ticks done against ticks due for each exercise over the days first..last
    (no round is due before the day an exercise was added)."""
    done_sets = [d.done for d in days if first <= d.date <= last]
    result = []
    for ex in exercises:
        ticks = set(ex.tick_ids())
        done = sum(len(ticks & done) for done in done_sets)
        start = max(first, ex.since) if ex.since is not None else first
        span = max((last - start).days + 1, 0)
        result.append(Adherence(ex, done, ex.per_day * span))
    return result
