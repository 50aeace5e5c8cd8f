"""Questions for my physio: noted any time, printed at the top of the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pendulum import DateTime

from companion.core import clock
from companion.core.errors import InputError
from companion.core.ids import new_id
from companion.core.sessions import validate_text


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    asked_at: DateTime
    done_at: DateTime | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "asked_at": clock.iso(self.asked_at),
            "done_at": clock.iso(self.done_at) if self.done_at else None,
        }


def new_question(text: str) -> Question:
    cleaned = validate_text(text, "QUESTION", 1000)
    if not cleaned:
        raise InputError("QUESTION", "is empty; write the question in quotes")
    return Question(new_id()[:8], cleaned, clock.now())


def question_from_record(data: Any, where: str = "question") -> Question:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
        raise InputError(f"{where}.id", "must be a non-empty text id")
    text = data.get("text")
    if not isinstance(text, str) or not text:
        raise InputError(f"{where}.text", "must be text")
    try:
        asked = clock.parse_stored(str(data.get("asked_at")))
        done_raw = data.get("done_at")
        done = clock.parse_stored(done_raw) if isinstance(done_raw, str) else None
    except (ValueError, TypeError):
        raise InputError(f"{where}.asked_at", "must be an ISO 8601 timestamp with offset") from None
    return Question(data["id"], text, asked, done)
