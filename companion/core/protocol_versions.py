"""Which protocol each session keeps: a clinic file applies from the session it came with.

Importing a clinic file (or going back to the general guidance) changes the rules
for the latest session and every later one; earlier sessions keep the protocol that
was in effect for them, so a 72 h alcohol rule imported today does not rewrite a
session of three weeks ago. Each change is kept as an entry: its text (None for the
general guidance), where it came from, and the start of the session it applies from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from pendulum import DateTime

from companion.core import clock
from companion.core.errors import InputError
from companion.core.protocol import Protocol, default_protocol
from companion.core.records import require_object, require_text


@dataclass(frozen=True)
class ClinicEntry:
    """One change of protocol: a clinic file, or back to the general guidance (text None)."""

    text: str | None
    source: str = ""
    imported_at: DateTime | None = None
    applies_from: DateTime | None = None
    """The start of the session it came with (the latest one then); None: every session."""

    def to_record(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "source": self.source,
            "imported_at": clock.iso(self.imported_at) if self.imported_at else None,
            "applies_from": clock.iso(self.applies_from) if self.applies_from else None,
        }

    def shadows(self, other: ClinicEntry) -> bool:
        """Whether every session `other` applies to takes this (later) entry instead."""
        if self.applies_from is None:
            return True
        later = other.applies_from
        return later is not None and later.timestamp() >= self.applies_from.timestamp()


def _moment(record: dict[str, Any], key: str, where: str) -> DateTime | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}.{key}", "must be an ISO 8601 time or null")
    try:
        return clock.parse_stored(value)
    except (InputError, ValueError):
        raise InputError(f"{where}.{key}", "must be an ISO 8601 time with its offset") from None


def entry_from_record(data: Any, where: str = "clinic protocol") -> ClinicEntry:
    record = require_object(data, where)
    text = record.get("text")
    if text is not None and (not isinstance(text, str) or not text.strip()):
        raise InputError(f"{where}.text", "must be the clinic file's text, or null")
    return ClinicEntry(
        text=text,
        source=require_text(record, "source", where, limit=300),
        imported_at=_moment(record, "imported_at", where),
        applies_from=_moment(record, "applies_from", where),
    )


def with_entry(entries: list[ClinicEntry], entry: ClinicEntry) -> list[ClinicEntry]:
    """The entries once `entry` comes: those it replaces for every session are dropped."""
    return [*(kept for kept in entries if not entry.shadows(kept)), entry]


def assemble(entries: list[ClinicEntry], build: Callable[[str | None], Protocol]) -> Protocol:
    """The protocol for the latest and new sessions, carrying the ones earlier sessions keep.

    `build` turns an entry's text into its protocol (None: the general guidance).
    """
    if not entries:
        return build(None)
    versions = [
        replace(
            build(entry.text),
            applies_from=entry.applies_from.timestamp() if entry.applies_from else None,
        )
        for entry in entries
    ]
    if versions[0].applies_from is not None:
        versions.insert(0, default_protocol())  # sessions before the first clinic file
    current = versions[-1]
    return replace(current, earlier=tuple(versions[:-1]))
