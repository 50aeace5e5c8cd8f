"""Restriction windows: what to avoid after a session, and until when.

A timed restriction ends a number of *elapsed* hours after the session started (not
calendar days: a DST change neither shortens nor lengthens it). Untimed ones (no
duration in the sources) stay active while any timed one of the same session is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from pendulum import DateTime

from companion.core import clock, timefmt
from companion.core.protocol import Protocol, Restriction
from companion.core.sessions import Session


@dataclass(frozen=True)
class RestrictionState:
    restriction: Restriction
    starts_at: DateTime
    ends_at: DateTime | None
    remaining_seconds: int | None
    active: bool

    @property
    def id(self) -> str:
        return self.restriction.id

    @property
    def total_seconds(self) -> int | None:
        if self.ends_at is None:
            return None
        return round(clock.elapsed_seconds(self.starts_at, self.ends_at))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.restriction.title,
            "ends_at": clock.iso(self.ends_at) if self.ends_at else None,
            "remaining_seconds": self.remaining_seconds,
            "active": self.active,
            "sources": list(self.restriction.sources),
            "avoid": self.restriction.avoid,
            "why": self.restriction.why,
            **({"note": self.restriction.labelled_note} if self.restriction.note else {}),
        }


def window_end(session: Session, hours: float) -> DateTime:
    """The session start plus elapsed hours, shown in the session's own offset zone."""
    end_utc = session.started_at.in_timezone("UTC").add(seconds=round(hours * 3600))
    return end_utc.in_timezone(clock.local_zone())


def remaining_seconds(ends_at: DateTime, moment: DateTime, total_seconds: int) -> int:
    """Whole seconds left, never negative and never more than the window itself.

    Rounded up so that a countdown reaches 0 only once the window is really over.
    A clock set back before the session shows the full window, not a longer one.
    """
    left = clock.elapsed_seconds(moment, ends_at)
    if left <= 0:
        return 0
    whole = int(left) if left == int(left) else int(left) + 1
    return min(whole, total_seconds)


def restriction_states(
    protocol: Protocol, session: Session | None, moment: DateTime | None = None
) -> list[RestrictionState]:
    if session is None:
        return []
    protocol = protocol.for_session(session)  # a session keeps the protocol in effect for it
    at = moment if moment is not None else clock.now()
    timed: list[RestrictionState] = []
    untimed: list[Restriction] = []
    for restriction in protocol.restrictions:
        hours = restriction.hours_for(session.intensity)
        if hours is None:
            untimed.append(restriction)
            continue
        ends = window_end(session, hours)
        total = round(hours * 3600)
        left = remaining_seconds(ends, at, total)
        timed.append(
            RestrictionState(
                restriction=restriction,
                starts_at=session.started_at,
                ends_at=ends,
                remaining_seconds=left,
                active=left > 0,
            )
        )
    any_active = untimed_active(timed)
    states = {state.id: state for state in timed}
    for restriction in untimed:
        states[restriction.id] = RestrictionState(
            restriction=restriction,
            starts_at=session.started_at,
            ends_at=None,
            remaining_seconds=None,
            active=any_active,
        )
    return [states[r.id] for r in protocol.restrictions]


def untimed_active(timed: list[RestrictionState]) -> bool:
    """An untimed restriction lasts while any timed one of its session does."""
    return any(state.active for state in timed if state.ends_at is not None)


def states_at(states: list[RestrictionState], moment: DateTime) -> list[RestrictionState]:
    """The same restrictions (of one session, as :func:`restriction_states` gave them) at
    another moment: the time left and whether each is active, from the ends already worked
    out (the app's 1 s tick: no protocol, zone or window arithmetic each second)."""
    moved = []
    for state in states:
        if state.ends_at is None:
            moved.append(state)
            continue
        total = state.total_seconds
        assert total is not None
        left = remaining_seconds(state.ends_at, moment, total)
        if left == state.remaining_seconds:
            moved.append(state)
        else:
            moved.append(replace(state, remaining_seconds=left, active=left > 0))
    any_active = untimed_active(moved)
    return [
        s if s.ends_at is not None or s.active == any_active else replace(s, active=any_active) for s in moved
    ]


def newly_ended(before: list[RestrictionState], after: list[RestrictionState]) -> list[RestrictionState]:
    """Timed restrictions that were active before and are over now (for a notice)."""
    was_active = {s.id for s in before if s.active and s.ends_at is not None}
    return [s for s in after if s.id in was_active and not s.active]


class MonotonicCountdown:
    """Keeps a displayed countdown from ever growing when the wall clock jumps back.

    The app asks it for the seconds to show on each tick; a new session resets it.
    """

    def __init__(self) -> None:
        self._shown: dict[tuple[str, str], int] = {}

    def seconds(self, session_id: str, state: RestrictionState) -> int | None:
        if state.remaining_seconds is None:
            return None
        key = (session_id, state.id)
        previous = self._shown.get(key)
        value = state.remaining_seconds if previous is None else min(previous, state.remaining_seconds)
        self._shown[key] = value
        return value


OLD_SESSION_DAYS = 30
"""A session recorded this long after it happened gets a word about a mistyped date."""


def recorded_session_lines(protocol: Protocol, session: Session, now: DateTime) -> list[str]:
    """What to tell the patient who has just recorded a session (both front ends say this):
    a word if the date looks mistyped, then each restriction's end, already over, or untimed."""
    lines = []
    age = clock.elapsed_seconds(session.started_at, now)
    if age > OLD_SESSION_DAYS * 86400:
        lines.append(
            f"That was {timefmt.duration(age)} ago: if the date is wrong, remove it with "
            "companion session remove (see companion session list) and record it again."
        )
    states = restriction_states(protocol, session, now)
    timed_left = any(s.active for s in states if s.ends_at is not None)
    for state in states:
        title = state.restriction.title
        if state.ends_at is None and timed_left:
            lines.append(f"  {title}: go easy while the others last (no set time in the guidance)")
        elif state.ends_at is None:
            lines.append(f"  {title}: no longer needed (the timed restrictions are over)")
        elif state.active:
            lines.append(f"  {title}: avoid until {timefmt.clock_time(state.ends_at, now)}")
        else:
            lines.append(f"  {title}: already over ({timefmt.clock_time(state.ends_at, now)})")
    return lines
