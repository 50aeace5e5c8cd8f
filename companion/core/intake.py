"""What I took: caffeine, alcohol, pain medication, checked kindly against the rules.

Logging something while its restriction is active says so, with the time left and why
the rule exists: no blame, and no advice beyond the guidance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pendulum import DateTime

from companion.core import clock, timefmt
from companion.core.errors import InputError
from companion.core.ids import new_id
from companion.core.protocol import Protocol, default_protocol
from companion.core.records import require_id, require_object, require_text, require_timestamp
from companion.core.restrictions import restriction_states
from companion.core.sessions import Session, latest_before
from companion.core.substances import SubstanceTable
from companion.core.text import check_text

MAX_WHAT = 60
MAX_RESTRICTIONS = 10


@dataclass(frozen=True)
class Intake:
    id: str
    what: str
    at: DateTime
    amount: str = ""
    restriction_id: str | None = None
    """The pause it fell under when logged (the first, when it fell under several)."""
    restrictions: tuple[str, ...] = ()

    @property
    def date(self) -> dt.date:
        return clock.to_local(self.at).date()

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "what": self.what,
            "at": clock.iso(self.at),
            "amount": self.amount,
            "restriction": self.restriction_id,
            "restrictions": list(self.restrictions),
        }


def new_intake(
    what: str, at: DateTime | None = None, amount: str = "", substances: SubstanceTable | None = None
) -> Intake:
    """What the patient took, kept as they typed it; `substances` says which pause it falls
    under (the protocol's table; the shipped one when not given)."""
    table = substances if substances is not None else default_protocol().substances
    name = check_text(what, "what", limit=MAX_WHAT)
    if not name:
        known = ", ".join(table.suggestions()[:12])
        raise InputError("what", f"say what you took, e.g. one of: {known}")
    now = clock.now()
    when = now if at is None else at
    if clock.elapsed_seconds(now, when) > clock.FUTURE_TOLERANCE_SECONDS:
        raise InputError("at", f"{timefmt.dated(when)} is in the future; log what you have already taken")
    under = table.classify(name).restrictions
    return Intake(
        new_id()[:12],
        name,
        clock.to_local(when),
        check_text(amount, "amount", limit=MAX_WHAT),
        under[0] if under else None,
        under,
    )


def intake_from_record(data: Any, where: str = "intake") -> Intake:
    record = require_object(data, where)
    what = require_text(record, "what", where, default=None, limit=MAX_WHAT)
    restriction = record.get("restriction")
    if restriction is not None and not isinstance(restriction, str):
        raise InputError(f"{where}.restriction", "must be a restriction id or null")
    if restriction is not None:
        check_text(restriction, f"{where}.restriction", limit=MAX_WHAT, strip=False)
    restrictions = record.get("restrictions", [restriction] if restriction else [])
    if (
        not isinstance(restrictions, list)
        or len(restrictions) > MAX_RESTRICTIONS
        or not all(isinstance(r, str) for r in restrictions)
    ):
        raise InputError(f"{where}.restrictions", "must be a list of restriction ids")
    for i, rid in enumerate(restrictions):
        check_text(rid, f"{where}.restrictions[{i}]", limit=MAX_WHAT, strip=False)
    return Intake(
        require_id(record, where),
        what,
        require_timestamp(record, "at", where),
        require_text(record, "amount", where, limit=MAX_WHAT),
        restriction,
        tuple(restrictions),
    )


@dataclass(frozen=True)
class IntakeCheck:
    """How an intake sits against the rules, in kind words."""

    during_restriction: bool
    message: str
    remaining_seconds: int | None = None


def check_intake(protocol: Protocol, sessions: list[Session], intake: Intake) -> IntakeCheck:
    """How what was taken sits against the pauses of the session before it.

    Read again with the protocol's table (not the one it was logged with), so a name
    companion has learnt since is understood in every view.
    """
    what = intake.what
    found = protocol.substances.classify(what)
    if not found.restrictions:
        if found.recognised:
            return IntakeCheck(
                False,
                f"Noted {what}. It is under none of the after-care pauses; "
                "it will be in your report for your physiotherapist.",
            )
        return IntakeCheck(
            False,
            f"Noted {what}. companion does not know whether it falls under a pause: the pauses "
            "cover caffeine, alcohol and anti-inflammatory medicine (such as ibuprofen or aspirin).",
        )
    session = latest_before(sessions, intake.at)
    states = {s.id: s for s in restriction_states(protocol, session, intake.at)}
    during = [
        state
        for rid in found.restrictions
        if (state := states.get(rid)) is not None
        and state.active
        and state.ends_at is not None
        and state.remaining_seconds is not None
    ]
    if not during:
        return IntakeCheck(False, f"Noted {what}. No after-care pause applied to it at that time.")
    rules = protocol.for_session(session)
    parts = [f"Noted {what}."]
    for state in during:
        assert state.ends_at is not None and state.remaining_seconds is not None
        rule = state.restriction
        left = timefmt.left_until(state.remaining_seconds, state.ends_at, intake.at)
        origin = (
            f" (as instructed by {rules.clinic.name})" if rule.origin == "clinic" and rules.clinic else ""
        )
        parts.append(f"The pause on {rule.title.lower()} still had {left}{origin}. Why it exists: {rule.why}")
    parts.append("It's fine to log it honestly; mention it to your physiotherapist if you're unsure.")
    parts.extend(state.restriction.labelled_note for state in during if state.restriction.note)
    return IntakeCheck(True, " ".join(parts), during[0].remaining_seconds)
