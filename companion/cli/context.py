"""What every command needs: the store, the protocol and the time zone in use."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from companion.core import clock
from companion.core.contact import with_contact
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
    """The protocol in effect: the guidance with the clinic's own file applied, if one was
    imported (earlier sessions keep the one in effect for them), and who to call."""
    entries = store.clinic_entries()
    protocol = default_protocol()
    if entries:
        from companion.core.protocol_versions import assemble  # only when a clinic file is in use

        protocol = assemble(entries, lambda text: _clinic_protocol(store, text))
    settings = store.settings()
    return with_contact(protocol, settings.clinic_name, settings.clinic_phone)


def _clinic_protocol(store: Store, text: str | None) -> Protocol:
    if text is None:
        return default_protocol()
    from companion.core.clinic import effective_protocol

    try:
        return effective_protocol(text, "the stored clinic protocol")
    except ProtocolError as exc:
        store.notice(f"{exc}; using the general guidance until it is imported again.")
        return default_protocol()


def open_context(data_dir: Path) -> Context:
    store = Store(data_dir, default_goal=default_protocol().hydration.default_goal)
    protocol = load_protocol(store)
    zone = clock.apply_zone(store.settings().timezone)
    return Context(store=store, protocol=protocol, zone=zone)
