"""Fixtures for the app tests: a tmp store, Berlin time, frozen clocks, no blinking, the
notifications the app raised, and waits for a screen to be shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest
from textual.command import CommandList
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.screen import Screen
from textual.widgets import Input, Static

from companion.context import open_context
from companion.core.appointments import Appointment
from companion.core.checkins import CheckIn
from companion.core.ids import new_id
from companion.core.protocol import Protocol, default_protocol
from companion.core.sessions import Session
from companion.store import Store
from companion.ui.app import CompanionApp, create_app
from tests.waiting import drained, wait_for

BERLIN = "Europe/Berlin"
TODAY = dt.date(2026, 11, 22)
"""The frozen day of the `frozen` fixture."""


def at(*args: int) -> pendulum.DateTime:
    """A moment in Berlin: at(2026, 11, 22, 10, 0)."""
    return pendulum.datetime(*args, tz=BERLIN)


@pytest.fixture(autouse=True)
def berlin_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The patient's system is set to Berlin (the app takes its zone from TZ, as it does on
    a patient's machine, unless a zone was set with `companion config --timezone`)."""
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setenv("TZ", BERLIN)
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
def make_app(store: Store):  # type: ignore[no-untyped-def]
    """The app as the patient's copy is built (companion.context opens the store and assembles
    the protocol: a clinic file imported into `store` is in effect), on the test's store."""

    def build() -> CompanionApp:
        return create_app(open_context(store))

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


class Notes:
    """Every notification the app raised, read from the `Notify` messages `App.notify` posts.

    Pass `message_hook=notes.hook` to `run_test`; a toast that has timed out (the frozen
    clock jumps) is still here.
    """

    def __init__(self) -> None:
        self.shown: list[Notification] = []

    def hook(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.shown.append(message.notification)

    @property
    def messages(self) -> list[str]:
        return [n.message for n in self.shown]

    def containing(self, text: str) -> list[Notification]:
        return [n for n in self.shown if text in n.message]

    async def arrived(self, pilot, text: str) -> Notification:  # type: ignore[no-untyped-def]
        """Wait for a notification saying `text`; the first one that does."""
        await wait_for(pilot, lambda: self.containing(text), what=f"a notification saying {text!r}")
        return self.containing(text)[0]

    async def settled(self, pilot) -> list[str]:  # type: ignore[no-untyped-def]
        """Every notification asked for so far has arrived (App.notify posts to the app's own
        queue, which `drained` empties): for asserting one did NOT come."""
        await drained(pilot)
        return self.messages


@pytest.fixture
def notes() -> Notes:
    return Notes()


def showing(app: CompanionApp, kind: type[Screen[object]]) -> bool:
    """The screen of `kind` is the one shown, built and mounted."""
    return isinstance(app.screen, kind) and app.screen.is_mounted


async def shown(pilot, kind: type[Screen[object]]) -> Screen[object]:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: showing(pilot.app, kind), what=f"the {kind.__name__} to be shown")
    return pilot.app.screen


def seeded_appointment(at_time, note: str = "") -> Appointment:
    """A stored follow-up (seeding bypasses the 'not in the past' check, which uses real time)."""
    return Appointment(new_id(), at_time, note)


def first_command(app) -> str:  # type: ignore[no-untyped-def]
    """The command palette's first hit, as plain text."""
    hits = app.screen.query_one(CommandList)
    return str(hits.get_option_at_index(0).prompt) if hits.option_count else ""


def history_complete(app) -> bool:  # type: ignore[no-untyped-def]
    status = str(app.screen.query_one("#history-status", Static).render())
    return "newest first" in status and "loading" not in status.lower()


async def history_loaded(pilot) -> Screen[object]:  # type: ignore[no-untyped-def]
    """The history screen shown, its loading worker finished."""
    from companion.ui.screens.history import HistoryScreen

    screen = await shown(pilot, HistoryScreen)
    await wait_for(pilot, lambda: history_complete(pilot.app), what="the whole history loaded")
    return screen
