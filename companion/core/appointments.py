"""Follow-up appointments with the physiotherapist (skipping them is named as a thing to avoid)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pendulum import DateTime

from companion.core import clock
from companion.core.errors import InputError
from companion.core.ids import new_id
from companion.core.sessions import validate_text


@dataclass(frozen=True)
class Appointment:
    id: str
    at: DateTime
    note: str = ""

    def to_record(self) -> dict[str, Any]:
        return {"id": self.id, "at": clock.iso(self.at), "note": self.note}


def new_appointment(at: DateTime, note: str = "") -> Appointment:
    return Appointment(id=new_id(), at=at, note=validate_text(note, "--note", 500))


def appointment_from_record(data: Any, where: str = "appointment") -> Appointment:
    if not isinstance(data, dict):
        raise InputError(where, "must be an object")
    aid, at, note = data.get("id"), data.get("at"), data.get("note", "")
    if not isinstance(aid, str) or not aid:
        raise InputError(f"{where}.id", "must be a non-empty text id")
    if not isinstance(at, str):
        raise InputError(f"{where}.at", "must be an ISO 8601 timestamp with offset")
    try:
        moment = clock.parse_stored(at)
    except (ValueError, TypeError):
        raise InputError(f"{where}.at", f"{at!r} is not a timestamp") from None
    if not isinstance(note, str):
        raise InputError(f"{where}.note", "must be text")
    return Appointment(aid, moment, note)


def upcoming(appointments: list[Appointment], now: DateTime) -> list[Appointment]:
    """Appointments not yet past, soonest first."""
    stamp = now.timestamp()
    return sorted((a for a in appointments if a.at.timestamp() >= stamp), key=lambda a: a.at.timestamp())


def next_appointment(appointments: list[Appointment], now: DateTime) -> Appointment | None:
    coming = upcoming(appointments, now)
    return coming[0] if coming else None
