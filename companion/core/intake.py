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
from companion.core.protocol import Protocol
from companion.core.records import require_id, require_object, require_text, require_timestamp
from companion.core.restrictions import restriction_states
from companion.core.sessions import Session, latest_before
from companion.core.text import check_text

MAX_WHAT = 60

# What a patient may type, and the restriction of the guidance it falls under.
SUBSTANCES: dict[str, str | None] = {
    "caffeine": "caffeine",
    "coffee": "caffeine",
    "espresso": "caffeine",
    "tea": "caffeine",
    "cola": "caffeine",
    "energy-drink": "caffeine",
    "alcohol": "alcohol",
    "beer": "alcohol",
    "wine": "alcohol",
    "cider": "alcohol",
    "prosecco": "alcohol",
    "champagne": "alcohol",
    "spirits": "alcohol",
    "vodka": "alcohol",
    "whisky": "alcohol",
    "whiskey": "alcohol",
    "gin": "alcohol",
    "rum": "alcohol",
    "cocktail": "alcohol",
    "ibuprofen": "anti-inflammatories",
    "advil": "anti-inflammatories",
    "nurofen": "anti-inflammatories",
    "motrin": "anti-inflammatories",
    "aspirin": "anti-inflammatories",
    "naproxen": "anti-inflammatories",
    "diclofenac": "anti-inflammatories",
    "anti-inflammatory": "anti-inflammatories",
    # Pain medication the guidance does not restrict: logged for the clinician only.
    "paracetamol": None,
    "acetaminophen": None,
    "painkiller": None,
}


@dataclass(frozen=True)
class Intake:
    id: str
    what: str
    at: DateTime
    amount: str = ""
    restriction_id: str | None = None

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
        }


def restriction_for(what: str) -> str | None:
    """The restriction a logged name falls under: the whole name, else any word of it
    ("ibuprofen-400mg", "red-wine", "green-tea")."""
    name = what.lower()
    if name in SUBSTANCES:
        return SUBSTANCES[name]
    for word in name.replace("_", "-").split("-"):
        if SUBSTANCES.get(word):
            return SUBSTANCES[word]
    return None


def recognised(what: str) -> bool:
    name = what.lower()
    return name in SUBSTANCES or any(w in SUBSTANCES for w in name.replace("_", "-").split("-"))


def new_intake(what: str, at: DateTime | None = None, amount: str = "") -> Intake:
    name = check_text(what, "WHAT", limit=MAX_WHAT).lower().replace(" ", "-")
    if not name:
        known = ", ".join(k for k in SUBSTANCES)
        raise InputError("WHAT", f"say what you took, e.g. one of: {known}")
    now = clock.now()
    when = now if at is None else at
    if clock.elapsed_seconds(now, when) > clock.FUTURE_TOLERANCE_SECONDS:
        raise InputError("--at", f"{timefmt.dated(when)} is in the future; log what you have already taken")
    return Intake(
        new_id()[:12],
        name,
        clock.to_local(when),
        check_text(amount, "--amount", limit=MAX_WHAT),
        restriction_for(name),
    )


def intake_from_record(data: Any, where: str = "intake") -> Intake:
    record = require_object(data, where)
    what = require_text(record, "what", where, default=None, limit=MAX_WHAT)
    restriction = record.get("restriction", restriction_for(what))
    if restriction is not None and not isinstance(restriction, str):
        raise InputError(f"{where}.restriction", "must be a restriction id or null")
    if restriction is not None:
        check_text(restriction, f"{where}.restriction", limit=MAX_WHAT, strip=False)
    return Intake(
        require_id(record, where),
        what,
        require_timestamp(record, "at", where),
        require_text(record, "amount", where, limit=MAX_WHAT),
        restriction,
    )


@dataclass(frozen=True)
class IntakeCheck:
    """How an intake sits against the rules, in kind words."""

    during_restriction: bool
    message: str
    remaining_seconds: int | None = None


def check_intake(protocol: Protocol, sessions: list[Session], intake: Intake) -> IntakeCheck:
    title = intake.what.replace("-", " ")
    if intake.restriction_id is None:
        if recognised(intake.what):
            return IntakeCheck(False, f"Noted {title}. It will be in your report for your physiotherapist.")
        return IntakeCheck(
            False,
            f"Noted {title}. companion does not know whether it falls under a pause: the pauses "
            "cover caffeine, alcohol and anti-inflammatory medicine (such as ibuprofen or aspirin).",
        )
    session = latest_before(sessions, intake.at)
    states = {s.id: s for s in restriction_states(protocol, session, intake.at)}
    state = states.get(intake.restriction_id)
    if state is None or not state.active or state.ends_at is None or state.remaining_seconds is None:
        return IntakeCheck(False, f"Noted {title}. No after-care pause applied to it at that time.")
    rule = state.restriction
    left = timefmt.left_until(state.remaining_seconds, state.ends_at, intake.at)
    origin = (
        f" (as instructed by {protocol.clinic.name})" if rule.origin == "clinic" and protocol.clinic else ""
    )
    message = (
        f"Noted {title}. The pause on {rule.title.lower()} still had {left}{origin}. "
        f"Why it exists: {rule.why} It's fine to log it honestly; mention it to your "
        "physiotherapist if you're unsure."
    )
    return IntakeCheck(True, message, state.remaining_seconds)
