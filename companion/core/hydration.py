"""Hydration: glasses of water per day against a goal."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Final

from pendulum import DateTime

from companion.core import clock
from companion.core.errors import InputError
from companion.core.numbers import parse_whole
from companion.core.protocol import Protocol
from companion.core.records import require_day
from companion.core.sessions import Session
from companion.core.text import shown

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


GLASS_UNITS: Final = ("ml", "oz")
"""The units a glass size is given in: millilitres or US fluid ounces."""
GLASS_LIMITS: Final = {"ml": (50, 1000), "oz": (2, 34)}
"""The sizes companion accepts, per unit (its own bounds: from an espresso cup to a litre
bottle), so a slip ('2500 ml', '0 oz') is refused instead of shown as a day's water."""
ML_PER_OZ: Final = 29.5735
GLASS_SIZE_FIELD: Final = "glass_size"
_GLASS_SIZE: Final = re.compile(r"\s*(?P<amount>[^A-Za-z\s]+)\s*(?P<unit>[A-Za-z]+)\s*")


@dataclass(frozen=True)
class GlassSize:
    """The patient's glass, chosen once: 250 ml, or 8 oz."""

    amount: int
    unit: str
    """'ml' or 'oz'; the day's water and the goal are said in it."""

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"

    def volume(self, glasses: int) -> str:
        """`glasses` of this size in the patient's unit: '1.0 l', '0.75 l', '34 oz'."""
        return f"{self.quantity(glasses)} {'l' if self.unit == 'ml' else 'oz'}"

    def quantity(self, glasses: int) -> str:
        """The number alone: litres with one or two decimals, ounces whole."""
        if self.unit == "oz":
            return str(glasses * self.amount)
        litres = f"{glasses * self.amount / 1000:.2f}"
        return litres[:-1] if litres.endswith("0") else litres

    def day_amount(self, glasses: int, goal: int) -> str:
        """What the day's glasses came to, against the goal in the same unit: '1.0 of 2.0 l'."""
        unit = "l" if self.unit == "ml" else "oz"
        return f"{self.quantity(glasses)} of {self.quantity(goal)} {unit}"

    def to_record(self) -> dict[str, Any]:
        return {"amount": self.amount, "unit": self.unit}


def parse_glass_size(value: object, field: str = GLASS_SIZE_FIELD) -> GlassSize:
    """'250 ml', '250ml', '8 oz': a whole number (digits 0-9) and a unit, within companion's
    bounds for that unit; anything else is refused naming `field`."""
    units = " or ".join(GLASS_UNITS)
    example = "e.g. 250 ml or 8 oz"
    if not isinstance(value, str) or len(value) > 40:
        raise InputError(field, f"must be a size with its unit ({units}), {example}")
    match = _GLASS_SIZE.fullmatch(value)
    if match is None:
        raise InputError(
            field, f"must be a whole number and a unit ({units}), {example}; got {shown(value.strip())}"
        )
    unit = match["unit"].lower()
    if unit not in GLASS_UNITS:
        raise InputError(field, f"the unit must be {units}, {example}; got {shown(match['unit'])}")
    low, high = GLASS_LIMITS[unit]
    amount = parse_whole(match["amount"], field, minimum=low, maximum=high, hint=unit)
    return GlassSize(amount, unit)


def glass_size_from_record(data: object) -> GlassSize | None:
    """A stored glass size; None for anything a hand-edited file may hold that is not one."""
    if not isinstance(data, dict):
        return None
    amount, unit = data.get("amount"), data.get("unit")
    if isinstance(amount, bool) or not isinstance(amount, int) or unit not in GLASS_UNITS:
        return None
    try:
        return parse_glass_size(f"{amount} {unit}")
    except InputError:
        return None


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
