"""The status snapshot: what `companion status` prints and the dashboard shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pendulum import DateTime

from companion.core import clock
from companion.core.alerts import Alert, current_alerts
from companion.core.appointments import Appointment, upcoming
from companion.core.checkins import CheckIn
from companion.core.hydration import GlassSize, HydrationDay, extra_water_applies
from companion.core.protocol import Protocol
from companion.core.restrictions import RestrictionState, restriction_states
from companion.core.sessions import Session


@dataclass(frozen=True)
class Status:
    now: DateTime
    zone: clock.ZoneInfo
    session: Session | None
    restrictions: list[RestrictionState]
    hydration: HydrationDay
    extra_water: bool
    checkin_today: CheckIn | None
    latest_checkin: CheckIn | None
    """The most recent check-in of the latest session (the one the alerts come from);
    None when there is none since that session started."""
    alerts: list[Alert]
    appointments: list[Appointment] = field(default_factory=list)
    """The follow-ups not yet past at ``now``, soonest first."""
    glass: GlassSize | None = None
    """The patient's glass size (a setting), for the day's amount; None: glasses only."""

    @property
    def checkin_done(self) -> bool:
        return self.checkin_today is not None

    @property
    def next_appointment(self) -> Appointment | None:
        return self.appointments[0] if self.appointments else None

    def to_json(self) -> dict[str, Any]:
        session = None
        if self.session is not None:
            session = {
                "id": self.session.id,
                "started_at": clock.iso(self.session.started_at),
                "intensity": self.session.intensity,
                "areas": list(self.session.areas),
                "note": self.session.note,
            }
        return {
            "now": clock.iso(self.now),
            "timezone": {"name": self.zone.name, "source": self.zone.source},
            "session": session,
            "restrictions": [state.to_json() for state in self.restrictions],
            "hydration": {
                **self.hydration.to_record(),
                "drink_more_than_usual": self.extra_water,
            },
            "checkin_done": self.checkin_done,
            "alerts": [alert.to_json() for alert in self.alerts],
            "alerts_from_checkin": self.latest_checkin.date.isoformat() if self.latest_checkin else None,
            "next_appointment": self.next_appointment.to_record() if self.next_appointment else None,
        }


def build_status(
    protocol: Protocol,
    *,
    now: DateTime,
    zone: clock.ZoneInfo,
    sessions: list[Session],
    hydration_today: HydrationDay,
    recent_checkins: list[CheckIn],
    contact: str | None = None,
    appointments: list[Appointment] | None = None,
    glass: GlassSize | None = None,
) -> Status:
    """Assemble the snapshot.

    ``sessions`` are all sessions, or at least those from the one in effect when the most
    recent check-in was made (or at ``now`` if that is earlier) on (the latest one started
    is shown);
    ``recent_checkins`` must include the most recent check-in and those since the
    session before it, which is all the alert rules look at.
    """
    stamp = now.timestamp()
    started = [s for s in sessions if s.started <= stamp]
    session = max(started, key=lambda s: s.started) if started else None
    today = now.date()
    checkin_today = next((c for c in recent_checkins if c.date == today), None)
    latest, alerts = current_alerts(protocol, recent_checkins, sessions, session, contact)
    return Status(
        now=now,
        zone=zone,
        session=session,
        restrictions=restriction_states(protocol, session, now),
        hydration=hydration_today,
        extra_water=extra_water_applies(protocol, session, now),
        checkin_today=checkin_today,
        latest_checkin=latest,
        alerts=alerts,
        appointments=upcoming(appointments or [], now),
        glass=glass,
    )
