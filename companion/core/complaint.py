"""The complaint: the problem the patient sees the physiotherapist for, in their own words.

It is what a course of treatment is judged by (GUIDANCE.md, "The course of
treatment"), apart from the soreness each session leaves. The patient may reword it
any time: every wording is kept as a record ``{id, text, set_at}`` and the latest
one is the complaint; a record with empty text means the patient cleared it. Kept
this way, two devices' exports merge by id like the other lists, and importing
twice adds nothing.

Its usual pain is rated 0-10 in the check-in (``CheckIn.usual_pain``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pendulum import DateTime

from companion.core import clock
from companion.core.errors import InputError
from companion.core.ids import new_id
from companion.core.records import require_id, require_object, require_text, require_timestamp
from companion.core.text import check_text

MAX_COMPLAINT = 200
PAIN_QUESTION = "your usual pain from it today"
PAIN_ANCHORS = "0 none - 10 worst imaginable"


@dataclass(frozen=True)
class Complaint:
    id: str
    text: str  # "" when the patient cleared it
    set_at: DateTime

    def to_record(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "set_at": clock.iso(self.set_at)}

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "set_at": clock.iso(self.set_at)}


def validate_complaint(text: str, field: str = "text") -> str:
    """One line of text (a newline or tab is refused too), at most MAX_COMPLAINT characters."""
    cleaned = check_text(text, field, limit=MAX_COMPLAINT)
    if any(ch in "\n\t" for ch in cleaned):
        raise InputError(field, "must be one line (no line breaks or tabs)")
    return cleaned


def new_complaint(text: str) -> Complaint:
    """A new wording of the complaint, set now; empty text clears it."""
    return Complaint(new_id()[:12], validate_complaint(text), clock.now())


def complaint_from_record(data: Any, where: str = "complaint") -> Complaint:
    record = require_object(data, where)
    text = validate_complaint(require_text(record, "text", where, limit=MAX_COMPLAINT), f"{where}.text")
    return Complaint(require_id(record, where), text, require_timestamp(record, "set_at", where))


def by_time(complaints: Iterable[Complaint]) -> list[Complaint]:
    """Oldest wording first (times are kept to the second: two wordings of the same second
    keep the order they were stored in)."""
    return sorted(complaints, key=lambda c: c.set_at.timestamp())


def current(complaints: Iterable[Complaint]) -> Complaint | None:
    """The latest wording, or None when none was given or the latest one cleared it."""
    ordered = by_time(complaints)
    if not ordered or not ordered[-1].text:
        return None
    return ordered[-1]
