"""Hydration: glasses of water per day against a goal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pendulum import DateTime

from companion.core import clock
from companion.core.errors import InputError
from companion.core.numbers import parse_whole
from companion.core.protocol import Protocol
from companion.core.records import require_day
from companion.core.sessions import Session

MAX_GOAL = 40
MAX_GLASSES_PER_DAY = 200
MAX_TICK = 40


@dataclass(frozen=True)
class HydrationDay:
    date: dt.date
    glasses: int
    goal: int

    @property
    def met(self) -> bool:
        return self.glasses >= self.goal

    def add(self, count: int) -> HydrationDay:
        total = self.glasses + count
        if total > MAX_GLASSES_PER_DAY:
            raise InputError(
                "glasses", f"that would make {total} glasses today; at most {MAX_GLASSES_PER_DAY}"
            )
        return HydrationDay(self.date, total, self.goal)

    def undo(self) -> HydrationDay:
        if self.glasses == 0:
            raise InputError("glasses", "no glasses are ticked today, nothing to undo")
        return HydrationDay(self.date, self.glasses - 1, self.goal)

    def with_goal(self, goal: int) -> HydrationDay:
        return HydrationDay(self.date, self.glasses, goal)

    def to_record(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "glasses": self.glasses, "goal": self.goal}


def empty_day(day: dt.date, goal: int) -> HydrationDay:
    return HydrationDay(day, 0, goal)


def validate_count(value: str | int, field: str = "glasses") -> int:
    return parse_whole(value, field, minimum=1, maximum=MAX_TICK, hint="glasses")


def validate_goal(value: str | int, field: str = "goal") -> int:
    return parse_whole(value, field, minimum=1, maximum=MAX_GOAL, hint="glasses")


def extra_water_applies(protocol: Protocol, session: Session | None, moment: DateTime) -> bool:
    """Whether the 'drink more than usual' window after the session is still open."""
    if session is None:
        return False
    elapsed = clock.elapsed_seconds(session.started_at, moment)
    return 0 <= elapsed < protocol.for_session(session).hydration.extra_water_hours * 3600


def hydration_from_record(data: dict[str, Any], where: str = "hydration") -> HydrationDay:
    if not isinstance(data, dict):
        raise InputError(where, "must be an object")
    day = require_day(data, "date", where)
    glasses = data.get("glasses")
    goal = data.get("goal")
    if isinstance(glasses, bool) or not isinstance(glasses, int) or not 0 <= glasses <= MAX_GLASSES_PER_DAY:
        raise InputError(f"{where}.glasses", f"must be a whole number from 0 to {MAX_GLASSES_PER_DAY}")
    if isinstance(goal, bool) or not isinstance(goal, int) or not 1 <= goal <= MAX_GOAL:
        raise InputError(f"{where}.goal", f"must be a whole number from 1 to {MAX_GOAL}")
    return HydrationDay(day, glasses, goal)
