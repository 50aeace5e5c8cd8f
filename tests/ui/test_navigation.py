"""Where am I, and how do I go back: each screen names itself, and Esc returns to the screen
the patient came from (Today for every screen opened with its key)."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.screen import Screen
from textual.widgets import DataTable, Input
from textual.widgets._header import HeaderTitle

from companion.store import Store
from companion.ui.screens.checkin_form import CheckinScreen
from companion.ui.screens.checklist import ChecklistScreen
from companion.ui.screens.dashboard import DashboardScreen
from companion.ui.screens.form import UnsavedChangesModal
from companion.ui.screens.help import HelpScreen
from companion.ui.screens.history import HistoryScreen
from companion.ui.screens.new_session import NewSessionScreen
from companion.ui.screens.plan import PlanScreen
from tests.ui.conftest import add_checkin, add_session, at, history_loaded, shown
from tests.waiting import wait_for

SCREENS = [
    pytest.param("c", CheckinScreen, "Check-in", id="check-in"),
    pytest.param("l", ChecklistScreen, "Checklist", id="checklist"),
    pytest.param("h", HistoryScreen, "History", id="history"),
    pytest.param("s", NewSessionScreen, "New session", id="new-session"),
    pytest.param("p", PlanScreen, "Plan", id="plan"),
    pytest.param("question_mark", HelpScreen, "Help", id="help"),
]
NOT_A_CLINICIAN = "not a clinician: your physio's advice comes first"


def seed_week(store: Store) -> None:
    add_session(store, at(2026, 11, 18, 16, 30))
    for offset, sore in enumerate((5, 4, 3, 2, 1)):
        add_checkin(store, dt.date(2026, 11, 18) + dt.timedelta(days=offset), sore, 2)


def header_text(screen: Screen[object]) -> tuple[str, int]:
    """What the header says, and how many cells it has for it."""
    title = screen.query_one(HeaderTitle)
    return str(title.render()), title.content_region.width


async def open_a_past_day_from_history(pilot, day: dt.date) -> HistoryScreen:  # type: ignore[no-untyped-def]
    await pilot.press("h")
    history = await history_loaded(pilot)
    table = history.query_one("#days", DataTable)
    row = history._dates.index(day)  # type: ignore[attr-defined]
    table.move_cursor(row=row)
    await wait_for(pilot, lambda: history.selected_day() == day, what=f"{day} highlighted")  # type: ignore[attr-defined]
    await pilot.press("enter")
    form = await shown(pilot, CheckinScreen)
    assert form.day == day  # type: ignore[attr-defined]
    return history  # type: ignore[return-value]


@pytest.mark.parametrize(("key", "kind", "name"), SCREENS)
async def test_each_screen_says_what_it_is_and_that_companion_is_not_a_clinician(
    make_app, store: Store, frozen, key: str, kind: type[Screen[object]], name: str
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, DashboardScreen)
        today, room = header_text(app.screen)
        assert today == f"companion · Today — {NOT_A_CLINICIAN}" and len(today) <= room
        await pilot.press(key)
        screen = await shown(pilot, kind)
        said, room = header_text(screen)
        assert said == f"companion · {name} — {NOT_A_CLINICIAN}"
        assert len(said) <= room, f"{said!r} is cut at 80 columns ({room} cells)"


@pytest.mark.parametrize(("key", "kind", "name"), SCREENS)
async def test_escape_from_a_screen_opened_from_today_goes_back_to_today(
    make_app, store: Store, frozen, key: str, kind: type[Screen[object]], name: str
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await shown(pilot, kind)
        await pilot.press("escape")
        await shown(pilot, DashboardScreen)
        assert len(app.screen_stack) == 1


async def test_escape_from_a_past_day_returns_to_history(make_app, store: Store, frozen) -> None:
    seed_week(store)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        history = await open_a_past_day_from_history(pilot, dt.date(2026, 11, 19))
        await pilot.press("escape")
        back = await shown(pilot, HistoryScreen)
        assert back is history  # the same History, where the patient left it
        assert history.selected_day() == dt.date(2026, 11, 19)
        await pilot.press("escape")  # and from History, Today
        await shown(pilot, DashboardScreen)
        assert len(app.screen_stack) == 1


async def test_escape_from_a_past_day_with_changes_asks_first_then_returns_to_history(
    make_app, store: Store, frozen
) -> None:
    seed_week(store)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_a_past_day_from_history(pilot, dt.date(2026, 11, 19))
        form = app.screen
        await wait_for(pilot, lambda: isinstance(app.focused, Input), what="the soreness box focused")
        form.query_one("#soreness", Input).value = "7"
        await pilot.press("escape")
        await shown(pilot, UnsavedChangesModal)
        await pilot.press("k")  # keep editing: still on the day
        await wait_for(pilot, lambda: app.screen is form, what="back on the form")
        await pilot.press("escape")
        await shown(pilot, UnsavedChangesModal)
        await pilot.press("s")  # save, then back where the patient came from
        await shown(pilot, HistoryScreen)
    saved = store.checkin_for(dt.date(2026, 11, 19))
    assert saved is not None and saved.soreness == 7


async def test_a_day_saved_from_history_shows_its_new_values_on_return(
    make_app, store: Store, frozen
) -> None:
    seed_week(store)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        history = await open_a_past_day_from_history(pilot, dt.date(2026, 11, 19))
        app.screen.query_one("#soreness", Input).value = "9"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: store.checkin_for(dt.date(2026, 11, 19)).soreness == 9, what="saved")  # type: ignore[union-attr]
        await pilot.press("escape")
        await shown(pilot, HistoryScreen)
        table = history.query_one("#days", DataTable)

        def shows_nine() -> bool:
            row = history._dates.index(dt.date(2026, 11, 19))
            return str(table.get_row_at(row)[2]) == "9"

        await wait_for(pilot, shows_nine, what="the row of 19 Nov showing soreness 9")
        assert history.selected_day() == dt.date(2026, 11, 19)  # the cursor stays on that day


async def test_today_in_the_command_palette_goes_straight_to_today(make_app, store: Store, frozen) -> None:
    seed_week(store)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_a_past_day_from_history(pilot, dt.date(2026, 11, 20))
        await app.run_action("today")
        await shown(pilot, DashboardScreen)
        assert len(app.screen_stack) == 1
