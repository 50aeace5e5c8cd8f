"""What is due now: the nudges shown in the app and printed by `companion remind`.

Only what the guidance asks for: drink more than usual while that window is open, the
daily check-in, restrictions ending, and follow-up appointments.
"""

from __future__ import annotations

from dataclasses import dataclass

from pendulum import DateTime

from companion.core import clock, timefmt
from companion.core.appointments import Appointment, next_appointment
from companion.core.status import Status

WAKING_START_HOUR = 8
WAKING_END_HOUR = 22
EVENING_HOUR = 18
RESTRICTION_NOTICE_SECONDS = 3600
APPOINTMENT_NOTICE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Reminder:
    kind: str  # "water", "checkin", "restriction-ending", "restriction-ended", "appointment"
    text: str


def waking(now: DateTime) -> bool:
    return WAKING_START_HOUR <= clock.to_local(now).hour < WAKING_END_HOUR


def water_behind(status: Status) -> bool:
    """Fewer glasses than an even pace through the waking day would have by now."""
    local = clock.to_local(status.now)
    waking_hours = WAKING_END_HOUR - WAKING_START_HOUR
    elapsed = min(max(local.hour + local.minute / 60 - WAKING_START_HOUR, 0), waking_hours)
    pace = status.hydration.goal * elapsed / waking_hours
    return status.hydration.glasses < int(pace) + 1 and not status.hydration.met


def due_reminders(status: Status, appointments: list[Appointment]) -> list[Reminder]:
    now = status.now
    due: list[Reminder] = []
    for state in status.restrictions:
        if state.ends_at is None:
            continue
        until = clock.elapsed_seconds(now, state.ends_at)
        when = timefmt.clock_time(state.ends_at, now)
        if state.active and until <= RESTRICTION_NOTICE_SECONDS:
            due.append(Reminder("restriction-ending", f"{state.restriction.title}: pause ends at {when}."))
        elif not state.active and -RESTRICTION_NOTICE_SECONDS <= until <= 0:
            due.append(Reminder("restriction-ended", f"{state.restriction.title}: fine again since {when}."))
    if status.extra_water and waking(now) and water_behind(status):
        h = status.hydration
        due.append(Reminder("water", f"Time for a glass of water ({h.glasses} of {h.goal} today)."))
    local = clock.to_local(now)
    if status.session is not None and not status.checkin_done and EVENING_HOUR <= local.hour < 24:
        due.append(Reminder("checkin", "Today's check-in is still missing: companion checkin."))
    coming = next_appointment(appointments, now)
    if coming is not None and clock.elapsed_seconds(now, coming.at) <= APPOINTMENT_NOTICE_SECONDS:
        left = timefmt.duration(clock.elapsed_seconds(now, coming.at))
        note = f" ({coming.note})" if coming.note else ""
        due.append(
            Reminder(
                "appointment", f"Follow-up appointment {timefmt.clock_time(coming.at, now)}, in {left}{note}."
            )
        )
    return due


def one_line(reminders: list[Reminder]) -> str:
    return " ".join(r.text for r in reminders) if reminders else "Nothing due right now."
