"""What every command needs: the store, the protocol and the time zone in use."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from companion.core import clock
from companion.core.errors import ProtocolError
from companion.core.protocol import Protocol, default_protocol
from companion.store import Store


@dataclass
class Context:
    store: Store
    protocol: Protocol
    zone: clock.ZoneInfo

    def flush_notices(self) -> None:
        """Damage found and repaired on the way: one line each, on stderr."""
        for notice in self.store.take_notices():
            print(f"companion: {notice}", file=sys.stderr)


def load_protocol(store: Store) -> Protocol:
    """The guidance with the clinic's own protocol applied, if one was imported."""
    text = store.clinic_text()
    if not text:
        return default_protocol()
    from companion.core.clinic import effective_protocol  # only when a clinic file is in use

    try:
        return effective_protocol(text, "the stored clinic protocol")
    except ProtocolError as exc:
        store.notices.append(f"{exc}; using the general guidance until it is imported again.")
        return default_protocol()


def open_context(data_dir: Path) -> Context:
    store = Store(data_dir, default_goal=default_protocol().hydration.default_goal)
    protocol = load_protocol(store)
    zone = clock.apply_zone(store.settings().timezone)
    return Context(store=store, protocol=protocol, zone=zone)
