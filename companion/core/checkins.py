"""Daily symptom check-ins and their validation.

One check-in per day; a second one for the same day replaces the first. Its
*moment* is when it was recorded, except a back-dated one, which counts as made at
the end of its day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pendulum import DateTime

from companion.core import clock, timefmt
from companion.core.errors import InputError
from companion.core.ids import new_id
from companion.core.numbers import parse_whole
from companion.core.records import (
    require_day,
    require_id,
    require_object,
    require_text,
    require_timestamp,
    storable_extra,
)
from companion.core.text import check_note, shown

if TYPE_CHECKING:
    from companion.core.sessions import Session

BRUISING_LEVELS: tuple[str, ...] = ("none", "mild", "moderate", "severe")
SCALE_MIN, SCALE_MAX = 0, 10
SCALE_ANCHORS = "0 none - 10 worst imaginable"
SCALES: tuple[str, ...] = ("soreness", "fatigue", "stiffness")
FLAGS: tuple[str, ...] = ("flare_up", "sharp_pain", "breathing_trouble")
USUAL_PAIN = "usual_pain"
"""The optional rating of the complaint's usual pain (see core/complaint.py), apart from the soreness."""


@dataclass(frozen=True)
class CheckIn:
    id: str
    date: dt.date
    recorded_at: DateTime
    soreness: int
    fatigue: int
    stiffness: int = 0
    bruising: str = "none"
    flare_up: bool = False
    sharp_pain: bool = False
    breathing_trouble: bool = False
    note: str = ""
    usual_pain: int | None = None
    """The usual pain from the complaint that day (0-10), not the soreness after needling; None: not given."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def moment(self) -> DateTime:
        """When the check-in counts as made, for judging it against the session.

        Back-dated means: for a day before the one it was recorded on *where it was
        recorded* (``recorded_at`` keeps that offset). Read in another zone it is the
        same moment: judged in the reader's zone, a check-in made late in the evening
        in New York would look back-dated in Berlin and be moved hours earlier.
        """
        if self.recorded_at.date() <= self.date:
            return self.recorded_at
        return clock.end_of_day_where(self.date, self.recorded_at)

    def to_record(self) -> dict[str, Any]:
        return {
            **self.extra,
            "id": self.id,
            "date": self.date.isoformat(),
            "recorded_at": clock.iso(self.recorded_at),
            "soreness": self.soreness,
            "fatigue": self.fatigue,
            "stiffness": self.stiffness,
            "bruising": self.bruising,
            "flare_up": self.flare_up,
            "sharp_pain": self.sharp_pain,
            "breathing_trouble": self.breathing_trouble,
            "note": self.note,
            **({USUAL_PAIN: self.usual_pain} if self.usual_pain is not None else {}),
        }


def validate_scale(
    value: str | int | None, field: str, *, required: bool = True, anchors: str = SCALE_ANCHORS
) -> int:
    """A whole number 0-10; ``anchors`` names the scale's ends in the message (PSFS: 0 unable)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputError(field, f"is empty: give a whole number from 0 to 10 ({anchors})")
        return 0
    return parse_whole(value, field, minimum=SCALE_MIN, maximum=SCALE_MAX, hint=anchors)


def validate_bruising(value: str | None, field: str = "bruising") -> str:
    if value is None:
        return "none"
    cleaned = value.strip().lower()
    if cleaned not in BRUISING_LEVELS:
        raise InputError(field, f"must be one of {', '.join(BRUISING_LEVELS)}; got {shown(value)}")
    return cleaned


def new_checkin(
    *,
    soreness: str | int | None,
    fatigue: str | int | None,
    stiffness: str | int | None = None,
    bruising: str | None = None,
    flare_up: bool = False,
    sharp_pain: bool = False,
    breathing_trouble: bool = False,
    note: str = "",
    day: dt.date | None = None,
    usual_pain: str | int | None = None,
) -> CheckIn:
    """Validate a check-in the patient is making now (for today or an earlier day); a
    refusal names the record key of the value (``soreness``, ``date``)."""
    recorded = clock.stored(clock.now())
    today = recorded.date()
    target = today if day is None else day
    if target > today:
        raise InputError(
            "date",
            f"{target.isoformat()} is in the future; check in for today or an earlier day",
        )
    return CheckIn(
        id=new_id(),
        date=target,
        recorded_at=recorded,
        soreness=validate_scale(soreness, "soreness"),
        fatigue=validate_scale(fatigue, "fatigue"),
        stiffness=validate_scale(stiffness, "stiffness", required=False),
        bruising=validate_bruising(bruising),
        flare_up=bool(flare_up),
        sharp_pain=bool(sharp_pain),
        breathing_trouble=bool(breathing_trouble),
        note=check_note(note, "note"),
        usual_pain=_optional_scale(usual_pain, USUAL_PAIN),
    )


def _optional_scale(value: str | int | None, field: str) -> int | None:
    """A 0-10 rating the patient may leave out (None, or an empty field)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return validate_scale(value, field)


def checkin_from_record(data: dict[str, Any], where: str = "checkin") -> CheckIn:
    """Rebuild a stored or imported check-in; refuses a record that breaks the types."""
    data = require_object(data, where)
    cid = require_id(data, where)
    day = require_day(data, "date", where)
    recorded_at = require_timestamp(data, "recorded_at", where)
    values: dict[str, Any] = {}
    for scale in SCALES:
        raw = data.get(scale, 0 if scale == "stiffness" else None)
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise InputError(f"{where}.{scale}", "must be a whole number from 0 to 10")
        values[scale] = validate_scale(raw, f"{where}.{scale}")
    bruising = data.get("bruising", "none")
    if not isinstance(bruising, str) or bruising not in BRUISING_LEVELS:
        raise InputError(f"{where}.bruising", f"must be one of {', '.join(BRUISING_LEVELS)}")
    for flag in FLAGS:
        raw = data.get(flag, False)
        if not isinstance(raw, bool):
            raise InputError(f"{where}.{flag}", "must be true or false")
        values[flag] = raw
    note = require_text(data, "note", where, multiline=True)
    usual_pain = data.get(USUAL_PAIN)
    if usual_pain is not None:
        if isinstance(usual_pain, bool) or not isinstance(usual_pain, int):
            raise InputError(f"{where}.{USUAL_PAIN}", "must be a whole number from 0 to 10, or null")
        usual_pain = validate_scale(usual_pain, f"{where}.{USUAL_PAIN}")
    known = {"id", "date", "recorded_at", "bruising", "note", USUAL_PAIN, *SCALES, *FLAGS}
    return CheckIn(
        id=cid,
        date=day,
        recorded_at=recorded_at,
        bruising=bruising,
        note=note,
        extra=storable_extra(data, known),
        usual_pain=usual_pain,
        **values,
    )


def by_moment(checkins: list[CheckIn]) -> list[CheckIn]:
    return sorted(checkins, key=lambda c: (c.moment.timestamp(), c.date))


NO_SESSION_RULES = "severe pain, heavy bruising, trouble breathing"
"""The alerts that need no session (severe-pain, heavy-bruising, urgent-breathing), in words."""


def before_any_session(
    sessions: list[Session], checkin: CheckIn, redo: str = "check in again for the right day"
) -> str | None:
    """What to tell the patient when no session started before this check-in's moment (it is
    still saved; the alerts that need a session cannot judge it); None when one did. `redo`
    says how to give the right date, in the front end's words."""
    started = [s.started_at for s in sessions if s.started_at.timestamp() <= checkin.moment.timestamp()]
    if started:
        return None
    day = f"{checkin.date:%a} {checkin.date.day} {checkin.date:%b %Y}"
    judged = f"Only the alerts that need no session ({NO_SESSION_RULES}) apply to it."
    if not sessions:
        return (
            f"No needling session is recorded yet. {judged} Record your session to follow the days after it."
        )
    first = min(sessions, key=lambda s: s.started_at.timestamp())
    return (
        f"This check-in ({day}) comes before your first recorded session "
        f"({timefmt.dated(first.started_at)}). {judged} If its date is wrong, {redo}."
    )
