"""Messages that screens post up to the app (events flow up, state flows down)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual.message import Message


@dataclass
class DataChanged(Message):
    """A screen saved something: the app reloads the status everyone shows."""


@dataclass
class OpenCheckin(Message):
    """Open the check-in form for a day (today when None)."""

    day: dt.date | None = None


@dataclass
class AddWater(Message):
    """The patient clicked the water row: tick one glass."""
