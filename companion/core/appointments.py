"""Follow-up appointments with the physiotherapist (skipping them is named as a thing to avoid)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pendulum import DateTime

from companion.core import clock, timefmt, wording
from companion.core.errors import InputError
from companion.core.ids import new_id
from companion.core.records import require_id, require_object, require_text, require_timestamp
from companion.core.text import check_note

MAX_NOTE = 500


@dataclass(frozen=True)
class Appointment:
    id: str
    at: DateTime
    note: str = ""

    def to_record(self) -> dict[str, Any]:
        return {"id": self.id, "at": clock.iso(self.at), "note": self.note}


def new_appointment(at: DateTime, note: str = "") -> Appointment:
    """A follow-up to come; a time already past is refused (it is not a plan any more)."""
    now = clock.now()
    if clock.elapsed_seconds(now, at) < 0:
        raise InputError(
            "at",
            f"{timefmt.dated(at)} has already passed; give the time of your next "
            f"follow-up, e.g. {wording.example_moment(7, '09:00')}",
        )
    return Appointment(id=new_id(), at=at, note=check_note(note, "note", limit=MAX_NOTE))


def appointment_from_record(data: Any, where: str = "appointment") -> Appointment:
    record = require_object(data, where)
    return Appointment(
        require_id(record, where),
        require_timestamp(record, "at", where),
        require_text(record, "note", where, limit=MAX_NOTE, multiline=True),
    )


def upcoming(appointments: list[Appointment], now: DateTime) -> list[Appointment]:
    """Appointments not yet past, soonest first."""
    stamp = now.timestamp()
    return sorted((a for a in appointments if a.at.timestamp() >= stamp), key=lambda a: a.at.timestamp())


def next_appointment(appointments: list[Appointment], now: DateTime) -> Appointment | None:
    coming = upcoming(appointments, now)
    return coming[0] if coming else None


def time_until(at: DateTime, now: DateTime) -> str:
    """'in 21 h 26 min' ('in under a minute' too), or 'already past'."""
    left = clock.elapsed_seconds(now, at)
    return "already past" if left < 0 else f"in {timefmt.duration(left)}"


def follow_up_phrase(appointment: Appointment, now: DateTime) -> str:
    """'Tue 09:00, in 21 h 26 min (Dr Lee)': when a coming follow-up is, and its note."""
    note = f" ({appointment.note})" if appointment.note else ""
    return f"{timefmt.clock_time(appointment.at, now)}, {time_until(appointment.at, now)}{note}"
