"""Fixtures for the app tests: a tmp store, Berlin time, frozen clocks, no blinking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest
from textual.widgets import Input

from companion.core import clock
from companion.core.appointments import Appointment
from companion.core.checkins import CheckIn
from companion.core.ids import new_id
from companion.core.protocol import Protocol, default_protocol
from companion.core.sessions import Session
from companion.store import Store
from companion.ui.app import CompanionApp, create_app

BERLIN = "Europe/Berlin"
TODAY = dt.date(2026, 11, 22)
"""The frozen day of the `frozen` fixture."""


def at(*args: int) -> pendulum.DateTime:
    """A moment in Berlin: at(2026, 11, 22, 10, 0)."""
    return pendulum.datetime(*args, tz=BERLIN)


@pytest.fixture(autouse=True)
def berlin_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    pendulum.set_local_timezone(pendulum.timezone(BERLIN))
    yield
    pendulum.set_local_timezone()


@pytest.fixture
def protocol() -> Protocol:
    return default_protocol()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, protocol: Protocol) -> Store:
    return Store(data_dir, default_goal=protocol.hydration.default_goal)


@pytest.fixture
def make_app(store: Store, protocol: Protocol):  # type: ignore[no-untyped-def]
    def build(zone: clock.ZoneInfo | None = None) -> CompanionApp:
        return create_app(store, protocol, zone or clock.ZoneInfo(BERLIN, "setting"))

    return build


@pytest.fixture
def frozen() -> Iterator[object]:
    """Time stands still at Sun 22 Nov 2026 10:00 Berlin unless a test moves it."""
    with pendulum.travel_to(at(2026, 11, 22, 10, 0), freeze=True) as traveller:
        yield traveller


def add_session(
    store: Store, started: pendulum.DateTime, intensity: str = "standard", **kw: object
) -> Session:
    session = Session(
        id=f"s{started.format('YYYYMMDDHHmm')}",
        started_at=started,
        intensity=intensity,
        areas=tuple(kw.get("areas", ("upper trapezius",))),  # type: ignore[arg-type]
        note=str(kw.get("note", "")),
    )
    store.add_session(session)
    return session


def add_checkin(
    store: Store,
    day: dt.date,
    soreness: int,
    fatigue: int,
    recorded: pendulum.DateTime | None = None,
    **flags: object,
) -> CheckIn:
    checkin = CheckIn(
        id=f"c{day.isoformat()}",
        date=day,
        recorded_at=recorded or at(day.year, day.month, day.day, 20, 0),
        soreness=soreness,
        fatigue=fatigue,
        stiffness=int(flags.pop("stiffness", 0)),  # type: ignore[call-overload]
        bruising=str(flags.pop("bruising", "none")),
        **flags,  # type: ignore[arg-type]
    )
    store.save_checkin(checkin)
    return checkin


def no_blink(app: CompanionApp) -> None:
    for widget in app.screen.query(Input):
        widget.cursor_blink = False


def notifications(app: CompanionApp) -> list[str]:
    return [n.message for n in app._notifications]


def seeded_appointment(at_time, note: str = "") -> Appointment:
    """A stored follow-up (seeding bypasses the 'not in the past' check, which uses real time)."""
    return Appointment(new_id(), at_time, note)
