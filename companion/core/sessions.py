"""Needling sessions: when, how intense, which areas."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pendulum import DateTime

from companion.core import clock, timefmt
from companion.core.errors import InputError
from companion.core.ids import new_id
from companion.core.protocol import INTENSITIES
from companion.core.records import (
    require_id,
    require_moment,
    require_object,
    require_text,
    require_text_list,
    storable_extra,
)
from companion.core.text import check_note, check_text, shown

MAX_AREAS = 20
MAX_AREA = 100


@dataclass(frozen=True)
class Session:
    id: str
    started_at: DateTime
    intensity: str = "standard"
    areas: tuple[str, ...] = ()
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def started(self) -> float:
        """When it started, as a POSIX timestamp: worked out once (sessions are compared and
        sorted by it again and again, and a patient of years has hundreds)."""
        return self.started_at.timestamp()

    def to_record(self) -> dict[str, Any]:
        return {
            **self.extra,
            "id": self.id,
            "started_at": clock.iso(self.started_at),
            "intensity": self.intensity,
            "areas": list(self.areas),
            "note": self.note,
        }


def validate_intensity(value: str, field: str = "intensity") -> str:
    cleaned = value.strip().lower()
    if cleaned not in INTENSITIES:
        raise InputError(field, f"must be one of {', '.join(INTENSITIES)}; got {shown(value)}")
    return cleaned


def new_session(
    *,
    started_at: DateTime | None = None,
    intensity: str = "standard",
    areas: list[str] | tuple[str, ...] = (),
    note: str = "",
) -> Session:
    """Validate a session the patient is recording now."""
    current = clock.now()
    when = current if started_at is None else started_at
    if clock.elapsed_seconds(current, when) > clock.FUTURE_TOLERANCE_SECONDS:
        raise InputError(
            "started_at", f"{timefmt.dated(when)} is in the future; record a session once it has happened"
        )
    cleaned_areas = tuple(a for a in (check_text(x, "areas", limit=MAX_AREA) for x in areas) if a)
    if len(cleaned_areas) > MAX_AREAS:
        raise InputError("areas", f"at most {MAX_AREAS} areas per session")
    return Session(
        id=new_id(),
        started_at=clock.stored(clock.to_local(when)),
        intensity=validate_intensity(intensity),
        areas=cleaned_areas,
        note=check_note(note, "note"),
    )


_KNOWN = frozenset({"id", "started_at", "intensity", "areas", "note"})


def session_from_record(data: dict[str, Any], where: str = "session") -> Session:
    """Rebuild a stored or imported session; refuses a record that breaks the types."""
    data, sid, started, intensity, areas, note = _checked(data, where)
    return Session(
        id=sid,
        started_at=clock.as_pendulum(started),
        intensity=intensity,
        areas=tuple(areas),
        note=note,
        extra=storable_extra(data, _KNOWN),
    )


def record_start(data: Any, where: str = "session") -> float:
    """When a stored session record started (POSIX seconds), after every check
    :func:`session_from_record` makes (it raises as that does), without building the session:
    a store of years checks all its sessions' records and builds only the few a rule needs."""
    return _checked(data, where)[2].timestamp()


def _checked(data: Any, where: str) -> tuple[dict[str, Any], str, dt.datetime, str, list[str], str]:
    """Every field of a session record checked, in order: the record, id, start, intensity,
    areas, note."""
    data = require_object(data, where)
    sid = require_id(data, where)
    started = require_moment(data, "started_at", where)
    intensity = data.get("intensity", "standard")
    if not isinstance(intensity, str) or intensity not in INTENSITIES:
        raise InputError(f"{where}.intensity", f"must be one of {', '.join(INTENSITIES)}")
    # The limits `session add` sets: at most MAX_AREAS areas of at most MAX_AREA characters.
    areas = require_text_list(data, "areas", where, max_items=MAX_AREAS, limit=MAX_AREA)
    note = require_text(data, "note", where, multiline=True)
    return data, sid, started, intensity, areas, note


def latest_before(sessions: list[Session], moment: DateTime) -> Session | None:
    """The latest session that started at or before ``moment``."""
    best: Session | None = None
    stamp = moment.timestamp()
    for session in sessions:
        started = session.started
        if started <= stamp and (best is None or started > best.started):
            best = session
    return best


def newest_first(sessions: list[Session]) -> list[Session]:
    return sorted(sessions, key=lambda s: s.started, reverse=True)


DUPLICATE_WINDOW_HOURS = 2
"""companion's own threshold, not from the sources: a session starting less than this many
hours from one already recorded is most likely the same one recorded twice (a needling
session takes under an hour, and two in one afternoon are rare). It is said, not refused."""


def likely_duplicate(sessions: list[Session], started_at: DateTime) -> Session | None:
    """The recorded session nearest to ``started_at`` if it starts within the window."""
    window = DUPLICATE_WINDOW_HOURS * 3600
    near = [s for s in sessions if abs(clock.elapsed_seconds(s.started_at, started_at)) < window]
    return min(near, key=lambda s: abs(clock.elapsed_seconds(s.started_at, started_at)), default=None)


def duplicate_warning(existing: Session, started_at: DateTime) -> str:
    """What both front ends say about a likely duplicate (the rule labelled as companion's own)."""
    apart = abs(clock.elapsed_seconds(existing.started_at, started_at))
    gap = "at the same time" if apart < 60 else f"{timefmt.duration(apart)} apart"
    return (
        f"A session is already recorded for {timefmt.dated(existing.started_at)} ({gap}): "
        f"this may be the same session twice. companion's own rule: sessions less than "
        f"{DUPLICATE_WINDOW_HOURS} h apart are most likely one."
    )
