"""What every command needs: the store, the protocol and the time zone in use."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from companion.core import clock
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


def open_context(data_dir: Path) -> Context:
    protocol = default_protocol()
    store = Store(data_dir, default_goal=protocol.hydration.default_goal)
    zone = clock.apply_zone(store.settings().timezone)
    return Context(store=store, protocol=protocol, zone=zone)
