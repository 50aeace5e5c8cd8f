"""The words that mark an instruction as the clinic's own ("as instructed by ...")."""

from __future__ import annotations

from typing import Protocol as Typing

from companion.core.protocol import Protocol


class HasOrigin(Typing):
    @property
    def origin(self) -> str: ...


def clinic_name(protocol: Protocol, item: HasOrigin | None) -> str:
    """The clinic's name when this item is its own instruction, else ''."""
    if item is None or protocol.clinic is None or getattr(item, "origin", "guidance") != "clinic":
        return ""
    return protocol.clinic.name


def instructed_by(protocol: Protocol, item: HasOrigin | None) -> str:
    """'As instructed by Riverside Physiotherapy' for the clinic's items, else ''."""
    name = clinic_name(protocol, item)
    return f"As instructed by {name}" if name else ""
