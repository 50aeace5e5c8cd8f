"""Red-flag alerts: when a check-in means the patient should contact the clinician.

A check-in is judged against the latest session that started before its moment, and
against the earlier check-ins since that session. The thresholds come from the
protocol's red flags (so a clinic can change them); the rules are these:

- long-soreness: soreness >= min_soreness in a check-in more than after_hours after the session
- worsening: soreness or fatigue rising again after it had started to fall, or rising
  on any check-in more than after_hours after the session
- severe-pain: soreness >= min_soreness, or sharp pain
- long-fatigue: fatigue >= min_fatigue more than after_hours after the session
- heavy-bruising: bruising "severe"
- urgent-breathing: breathing trouble (urgent care, not a message to the clinic)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from companion.core import clock
from companion.core.checkins import CheckIn, by_moment
from companion.core.protocol import Protocol, RedFlag
from companion.core.sessions import Session, latest_before

# The order alerts are shown in: urgent first, then as the contract lists them.
ALERT_ORDER: tuple[str, ...] = (
    "urgent-breathing",
    "severe-pain",
    "long-soreness",
    "worsening",
    "long-fatigue",
    "heavy-bruising",
)


@dataclass(frozen=True)
class Alert:
    id: str
    level: str
    title: str
    message: str
    sources: tuple[str, ...]
    beyond_sources: str = ""

    @property
    def urgent(self) -> bool:
        return self.level == "urgent"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "level": self.level, "message": self.message}


def _alert(flag: RedFlag, contact: str = "") -> Alert:
    message = flag.message
    if contact and flag.level != "urgent":
        message = f"{message} ({contact})"
    return Alert(
        id=flag.id,
        level=flag.level,
        title=flag.title,
        message=message,
        sources=flag.sources,
        beyond_sources=flag.beyond_sources,
    )


def _rising(previous: CheckIn, current: CheckIn) -> bool:
    return current.soreness > previous.soreness or current.fatigue > previous.fatigue


def _fell_before(sequence: list[CheckIn]) -> bool:
    """Whether soreness or fatigue had started to fall somewhere in the sequence."""
    return any(
        later.soreness < earlier.soreness or later.fatigue < earlier.fatigue
        for earlier, later in itertools.pairwise(sequence)
    )


def earlier_since_session(checkin: CheckIn, earlier: list[CheckIn], session: Session | None) -> list[CheckIn]:
    """Check-ins before this one and not before its session, oldest first."""
    start = session.started_at.timestamp() if session is not None else float("-inf")
    stamp = checkin.moment.timestamp()
    return by_moment([c for c in earlier if c.id != checkin.id and start <= c.moment.timestamp() < stamp])


def judge_checkin(
    protocol: Protocol,
    checkin: CheckIn,
    earlier: list[CheckIn],
    session: Session | None,
    contact: str | None = None,
) -> list[Alert]:
    """The alerts one check-in raises.

    ``earlier`` are check-ins before this one (any order; those before the session
    are ignored). ``session`` is the latest session before the check-in, or None.
    """
    moment = checkin.moment
    hours_since = clock.elapsed_seconds(session.started_at, moment) / 3600 if session is not None else None
    fired: set[str] = set()

    def flag(flag_id: str) -> RedFlag | None:
        return protocol.red_flag(flag_id)

    if (f := flag("urgent-breathing")) and checkin.breathing_trouble:
        fired.add(f.id)
    if (f := flag("severe-pain")) and (
        checkin.sharp_pain or (f.min_soreness is not None and checkin.soreness >= f.min_soreness)
    ):
        fired.add(f.id)
    if (f := flag("heavy-bruising")) and checkin.bruising == "severe":
        fired.add(f.id)
    if hours_since is not None:
        if (
            (f := flag("long-soreness"))
            and f.after_hours is not None
            and hours_since > f.after_hours
            and checkin.soreness >= (f.min_soreness if f.min_soreness is not None else 1)
        ):
            fired.add(f.id)
        if (
            (f := flag("long-fatigue"))
            and f.after_hours is not None
            and hours_since > f.after_hours
            and checkin.fatigue >= (f.min_fatigue if f.min_fatigue is not None else 1)
        ):
            fired.add(f.id)
    if f := flag("worsening"):
        before = earlier_since_session(checkin, earlier, session)
        if before:
            rising = _rising(before[-1], checkin)
            late = hours_since is not None and f.after_hours is not None and hours_since > f.after_hours
            if rising and (late or _fell_before(before)):
                fired.add(f.id)
    reach = protocol.contact if contact is None else contact
    alerts = [_alert(f, reach) for fid in ALERT_ORDER if fid in fired and (f := flag(fid))]
    return alerts


def alerts_for_latest(
    protocol: Protocol,
    checkins: list[CheckIn],
    sessions: list[Session],
    contact: str | None = None,
) -> tuple[CheckIn | None, list[Alert]]:
    """The most recent check-in (by day) and the alerts it raised."""
    if not checkins:
        return None, []
    latest = max(checkins, key=lambda c: (c.date, c.moment.timestamp()))
    session = latest_before(sessions, latest.moment)
    return latest, judge_checkin(protocol, latest, checkins, session, contact)
