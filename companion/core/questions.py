"""Questions for my physio: noted any time, printed at the top of the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pendulum import DateTime

from companion.core import clock
from companion.core.errors import InputError
from companion.core.ids import new_id
from companion.core.records import require_id, require_object, require_text, require_timestamp
from companion.core.text import check_text

MAX_QUESTION = 1000

MAX_QUESTION = 1000


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
    cleaned = check_text(text, "text", limit=MAX_QUESTION)
    if not cleaned:
        raise InputError("text", "is empty; write the question in quotes")
    return Question(new_id()[:8], cleaned, clock.now())


def question_from_record(data: Any, where: str = "question") -> Question:
    record = require_object(data, where)
    done = require_timestamp(record, "done_at", where) if record.get("done_at") is not None else None
    return Question(
        require_id(record, where),
        require_text(record, "text", where, default=None, limit=MAX_QUESTION),
        require_timestamp(record, "asked_at", where),
        done,
    )
