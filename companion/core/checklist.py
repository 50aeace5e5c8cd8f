"""The recovery checklist: encouraged items from the guidance, ticked per day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from companion.core.errors import InputError
from companion.core.protocol import Protocol
from companion.core.records import require_day, require_text_list

# What a stored or imported day may hold: the guidance's items and each exercise's rounds.
MAX_ITEMS = 500
MAX_ITEM_ID = 100


@dataclass(frozen=True)
class ChecklistDay:
    date: dt.date
    done: frozenset[str] = frozenset()

    def with_item(self, item_id: str, done: bool) -> ChecklistDay:
        items = set(self.done)
        if done:
            items.add(item_id)
        else:
            items.discard(item_id)
        return ChecklistDay(self.date, frozenset(items))

    def ordered(self, protocol: Protocol) -> list[str]:
        """Done items in the protocol's order (unknown ids, e.g. from a clinic, last)."""
        order = {item.id: i for i, item in enumerate(protocol.checklist)}
        return sorted(self.done, key=lambda i: (order.get(i, len(order)), i))

    def to_record(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "done": sorted(self.done)}


def checklist_from_record(data: dict[str, Any], where: str = "checklist") -> ChecklistDay:
    if not isinstance(data, dict):
        raise InputError(where, "must be an object")
    day = require_day(data, "date", where)
    done = require_text_list(data, "done", where, max_items=MAX_ITEMS, limit=MAX_ITEM_ID)
    return ChecklistDay(day, frozenset(done))
