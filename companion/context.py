"""What both front ends work with: the store, the protocol in effect and the time zone.

The one place that opens the store and assembles the protocol (the guidance, the
clinic's files with the sessions each applies to, who to call): the command line,
the app and the tests all start from :func:`open_context`. The protocol is
assembled again by :meth:`Context.reload_protocol` when what it is made of changed,
also when another process changed it (`companion protocol import` while the app is
open).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from companion.core import clock
from companion.core.contact import with_contact
from companion.core.errors import ProtocolError
from companion.core.protocol import Protocol, default_protocol
from companion.store import Store

if TYPE_CHECKING:
    from companion.core.protocol_versions import ClinicEntry


@dataclass(frozen=True)
class ProtocolSources:
    """What the protocol is made of: each clinic file with the sessions it applies to, and the
    clinic's name and phone the patient gave."""

    entries: tuple[ClinicEntry, ...]
    clinic_name: str | None
    clinic_phone: str | None

    @classmethod
    def read(cls, store: Store) -> ProtocolSources:
        settings = store.settings()
        return cls(tuple(store.clinic_entries()), settings.clinic_name, settings.clinic_phone)


@dataclass
class Context:
    store: Store
    protocol: Protocol
    zone: clock.ZoneInfo
    made_from: ProtocolSources | None = field(default=None, repr=False, compare=False)
    """What the protocol was assembled from."""

    def reload_protocol(self) -> bool:
        """Assemble the protocol again if a clinic file was imported or reset, or who to call
        was given, since it was assembled (here or in another process); True if it was."""
        sources = ProtocolSources.read(self.store)
        if sources == self.made_from:
            return False
        self.protocol = assemble_protocol(self.store, sources)
        self.made_from = sources
        return True

    def apply_zone(self, setting: str | None) -> clock.ZoneInfo:
        """Use the patient's zone (None: the system's) from now on."""
        self.zone = clock.apply_zone(setting)
        return self.zone


def open_store(data_dir: Path) -> Store:
    return Store(data_dir, default_goal=default_protocol().hydration.default_goal)


def open_context(where: Path | Store) -> Context:
    """The store in a data folder (or one already open), its protocol, and the patient's
    zone made pendulum's local zone."""
    store = where if isinstance(where, Store) else open_store(where)
    sources = ProtocolSources.read(store)
    protocol = assemble_protocol(store, sources)
    zone = clock.apply_zone(store.settings().timezone)
    return Context(store, protocol, zone, sources)


def assemble_protocol(store: Store, sources: ProtocolSources) -> Protocol:
    protocol = default_protocol()
    if sources.entries:
        from companion.core.protocol_versions import assemble  # only when a clinic file is in use

        protocol = assemble(list(sources.entries), lambda text: _clinic_protocol(store, text))
    return with_contact(protocol, sources.clinic_name, sources.clinic_phone)


def _clinic_protocol(store: Store, text: str | None) -> Protocol:
    if text is None:
        return default_protocol()
    from companion.core.clinic import effective_protocol

    try:
        return effective_protocol(text, "the stored clinic protocol")
    except ProtocolError as exc:
        store.notice(f"{exc}; using the general guidance until it is imported again.")
        return default_protocol()
