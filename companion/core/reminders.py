"""What is due now: the nudges shown in the app and printed by `companion remind`.

A current alert comes first (an urgent one every time, a contact-clinician one until
the patient checks in again: the status holds the alerts of the latest check-in of
the latest session). Then only what the guidance asks for: restrictions ending (those
ending together as one item), drink more than usual while that window is open, the
daily check-in, and follow-up appointments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pendulum import DateTime

from companion.core import clock, timefmt
from companion.core.appointments import follow_up_phrase, next_appointment
from companion.core.restrictions import RestrictionState
from companion.core.status import Status

WAKING_START_HOUR = 8
WAKING_END_HOUR = 22
EVENING_HOUR = 18
RESTRICTION_NOTICE_SECONDS = 3600
APPOINTMENT_NOTICE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Reminder:
    """Something due, in words that fit any front end (each adds its own way to act on it:
    the CLI names the command, the app the key)."""

    kind: str  # "alert", "water", "checkin", "restriction-ending", "restriction-ended", "appointment"
    text: str
    key: str
    """Stays the same while it is the same reminder (the minutes counting down aside): a
    front end that shows each reminder once compares keys."""
    id: str = ""
    """For an alert: the red flag's id."""
    level: str = ""
    """For an alert: "urgent" or "contact-clinician"."""
    subject: str = ""
    """For an alert: its title, so one line can name several before the one thing to do."""

    def to_json(self) -> dict[str, str]:
        data = {"kind": self.kind, "text": self.text}
        if self.kind == "alert":
            data.update(id=self.id, level=self.level)
        return data


def _joined(titles: Sequence[str]) -> str:
    """'Alcohol, caffeine and anti-inflammatory medicine' (the first title keeps its capital)."""
    words = [titles[0], *(t[:1].lower() + t[1:] for t in titles[1:])]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _from_checkin(status: Status) -> str:
    """' (from your check-in on Mon 23 Nov)' for an alert of an earlier day, else ''."""
    checkin = status.latest_checkin
    if checkin is None or checkin.date == clock.to_local(status.now).date():
        return ""
    return f" (from your check-in on {checkin.date.strftime('%a %-d %b')})"


def alert_reminders(status: Status) -> list[Reminder]:
    """The current alerts, urgent first, each saying what to do now."""
    found = []
    when = _from_checkin(status)
    for alert in status.alerts:
        contact = f" ({alert.contact})" if alert.contact else ""
        mark = "URGENT: " if alert.urgent else ""
        text = f"{mark}{alert.title}{when}: {alert.action}{contact}."
        key = f"alert:{alert.id}:{status.latest_checkin.id if status.latest_checkin else ''}"
        found.append(Reminder("alert", text, key, alert.id, alert.level, alert.title))
    return found


def _ending_together(states: list[RestrictionState], now: DateTime) -> list[Reminder]:
    """Restrictions ending (or just ended) at the same moment, as one item each."""
    groups: dict[tuple[str, float], list[RestrictionState]] = {}
    for state in states:
        if state.ends_at is None:
            continue
        until = clock.elapsed_seconds(now, state.ends_at)
        if state.active and until <= RESTRICTION_NOTICE_SECONDS:
            kind = "restriction-ending"
        elif not state.active and -RESTRICTION_NOTICE_SECONDS <= until <= 0:
            kind = "restriction-ended"
        else:
            continue
        groups.setdefault((kind, state.ends_at.timestamp()), []).append(state)
    found = []
    for (kind, ends), group in groups.items():
        titles = _joined([s.restriction.title for s in group])
        assert group[0].ends_at is not None
        when = timefmt.clock_time(group[0].ends_at, now)
        key = f"{kind}:{ends:.0f}:{','.join(s.id for s in group)}"
        if kind == "restriction-ending":
            pause = "pause ends" if len(group) == 1 else "pauses end"
            found.append(Reminder(kind, f"{titles}: {pause} at {when}.", key))
        else:
            found.append(Reminder(kind, f"{titles}: fine again since {when}.", key))
    return found


def waking(now: DateTime) -> bool:
    return WAKING_START_HOUR <= clock.to_local(now).hour < WAKING_END_HOUR


def water_behind(status: Status) -> bool:
    """Fewer glasses than an even pace through the waking day would have by now."""
    local = clock.to_local(status.now)
    waking_hours = WAKING_END_HOUR - WAKING_START_HOUR
    elapsed = min(max(local.hour + local.minute / 60 - WAKING_START_HOUR, 0), waking_hours)
    pace = status.hydration.goal * elapsed / waking_hours
    return status.hydration.glasses < int(pace) + 1 and not status.hydration.met


def due_reminders(status: Status) -> list[Reminder]:
    now = status.now
    today = clock.to_local(now).date().isoformat()
    due: list[Reminder] = [*alert_reminders(status), *_ending_together(status.restrictions, now)]
    if status.extra_water and waking(now) and water_behind(status):
        h = status.hydration
        due.append(
            Reminder("water", f"Time for a glass of water ({h.glasses} of {h.goal} today).", f"water:{today}")
        )
    local = clock.to_local(now)
    if status.session is not None and not status.checkin_done and EVENING_HOUR <= local.hour < 24:
        due.append(Reminder("checkin", "Today's check-in is still missing.", f"checkin:{today}"))
    coming = next_appointment(status.appointments, now)
    if coming is not None and clock.elapsed_seconds(now, coming.at) <= APPOINTMENT_NOTICE_SECONDS:
        text = f"Follow-up appointment {follow_up_phrase(coming, now)}."
        due.append(Reminder("appointment", text, f"appointment:{coming.id}"))
    return due


def reminder_line(reminders: list[Reminder]) -> str:
    """The reminders as one line; several contact-clinician alerts share their 'what to do'
    (their texts differ only in the title they start with)."""
    if not reminders:
        return "Nothing due right now."
    contact = [r for r in reminders if r.kind == "alert" and r.level != "urgent"]
    parts = []
    for reminder in reminders:
        if len(contact) > 1 and reminder is contact[0]:
            shared = reminder.text[len(reminder.subject) :]
            parts.append(_joined([r.subject for r in contact]) + shared)
        elif len(contact) <= 1 or reminder not in contact:
            parts.append(reminder.text)
    return " ".join(parts)
