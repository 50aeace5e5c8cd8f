"""History keeps a few chunks of rows built and builds the others again from the store when
the table needs them (issue 14): what another process changed there meanwhile, and a store
that cannot be read by then."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from companion.core.sessions import Session
from companion.store import Store, StoreError
from companion.store import store as store_module
from companion.ui.screens import history as history_module
from tests.seeding import seed_history
from tests.ui.conftest import TODAY, Notes, at, history_complete, history_loaded
from tests.waiting import wait_for

SIZE = (100, 40)
DAYS = 400
FIRST_DAY = TODAY - dt.timedelta(days=DAYS - 1)
CHANGED_DAY = FIRST_DAY + dt.timedelta(days=210)
"""In a chunk of old days that History lets go of once it has loaded them all."""


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A few hundred days make many chunks, most of them let go of once loaded."""
    monkeypatch.setattr(history_module, "FIRST_CHUNK_DAYS", 20)
    monkeypatch.setattr(history_module, "CHUNK_DAYS", 30)
    monkeypatch.setattr(history_module, "ROWS_AHEAD", 15)
    monkeypatch.setattr(store_module, "MONTHS_KEPT", 4)


def built_here(monkeypatch: pytest.MonkeyPatch) -> list[tuple[dt.date, dt.date]]:
    """The bounds of each chunk built on the app's own thread (built again for the table)."""
    built: list[tuple[dt.date, dt.date]] = []
    real = history_module.build_entries

    def counting(store: Store, protocol: Any, chunk: history_module.Chunk) -> Any:
        if threading.current_thread() is threading.main_thread():
            built.append((chunk.first, chunk.last))
        return real(store, protocol, chunk)

    monkeypatch.setattr(history_module, "build_entries", counting)
    return built


def row_labels(screen: Any) -> list[str]:
    table = screen.query_one("#days", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


@pytest.mark.parametrize(
    "offset",
    [
        pytest.param(200, id="on-the-oldest-day-of-a-chunk"),
        pytest.param(205, id="inside-a-chunk"),
    ],
)
async def test_a_session_another_process_records_in_an_old_chunk_loads_everything_again(
    make_app: Any,
    store: Store,
    data_dir: Any,
    frozen: object,
    small_chunks: None,
    monkeypatch: pytest.MonkeyPatch,
    offset: int,
) -> None:
    """Day 200 is the oldest day of its chunk: the session's own row (which Del removes) goes
    at the top of the next, older chunk, which was built again from the row before it as first
    loaded; its days still lined up, so nothing was loaded again and the session had no row.
    Day 205 is inside a chunk: its days no longer line up, and it was read again from the store
    once for each of its rows (about 50 ms each for half a year: End held the keys for seconds)."""
    day = FIRST_DAY + dt.timedelta(days=offset)
    seed_history(store, FIRST_DAY, DAYS)
    built = built_here(monkeypatch)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        screen = await history_loaded(pilot)
        assert screen._entries[screen._row_of[day]] is None  # let go of
        Store(data_dir).add_session(Session("late", at(day.year, day.month, day.day, 11)))
        generation = screen._generation
        await pilot.press("end")
        await wait_for(
            pilot,
            lambda: (
                screen._generation > generation
                and history_complete(app)
                and screen.selected_day() == FIRST_DAY
            ),
            what="everything loaded again, on the oldest day",
        )
        bounds = next((c.first, c.last) for c in screen._chunks if c.first <= day <= c.last)
        assert built.count(bounds) <= 2, f"the changed chunk was built {built.count(bounds)} times"
        labels = row_labels(screen)
        days = [label for label in labels if "session" not in label]
        assert days == [history_module.date_cell(TODAY - dt.timedelta(days=n), TODAY) for n in range(DAYS)]
        assert len(labels) == len(screen._entries)
        sessions = [
            e.session.id
            for e in map(screen._entry, range(len(labels)))
            if isinstance(e, history_module.SessionEntry)
        ]
        assert "late" in sessions


async def test_a_check_in_another_process_changed_in_an_old_chunk_shows_as_in_the_calendar(
    make_app: Any, store: Store, data_dir: Any, frozen: object, small_chunks: None
) -> None:
    """A row built again from the store shows the check-in as it is now: the calendar's mark
    of that day (and the chart) must not go on showing it as it was at the load."""
    seed_history(store, FIRST_DAY, DAYS)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        screen = await history_loaded(pilot)
        other = Store(data_dir)
        before = other.checkin_for(CHANGED_DAY)
        assert before is not None and screen._marks[CHANGED_DAY].soreness == before.soreness
        soreness = 9 if before.soreness != 9 else 1
        other.save_checkin(dataclasses.replace(before, soreness=soreness))
        await pilot.press("end")
        table = screen.query_one("#days", DataTable)

        def agree() -> bool:
            row = screen._row_of.get(CHANGED_DAY)
            if row is None or row >= table.row_count or not history_complete(app):
                return False
            shown_soreness = str(table.get_row_at(row)[2])
            return shown_soreness == str(soreness) and screen._marks[CHANGED_DAY].soreness == soreness

        await wait_for(pilot, agree, what="the row and the calendar showing the check-in as it is now")


async def test_a_store_that_cannot_be_read_when_a_chunk_is_built_again_is_told_not_a_traceback(
    make_app: Any,
    store: Store,
    frozen: object,
    small_chunks: None,
    monkeypatch: pytest.MonkeyPatch,
    notes: Notes,
) -> None:
    """The older days' folder made unreadable after History loaded: End must not end the
    app. The rows that were built stay; the patient is told, once, on the screen and in a
    notice."""
    seed_history(store, FIRST_DAY, DAYS)
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.press("h")
        screen = await history_loaded(pilot)
        shown = screen.query_one("#days", DataTable).row_count

        def unreadable(first: dt.date, last: dt.date) -> Any:
            raise StoreError(f"cannot read the folder {app.store.days_dir}: Permission denied")

        monkeypatch.setattr(app.store, "days_between", unreadable)  # days/ made unreadable meanwhile
        await pilot.press("end")
        await notes.arrived(pilot, "Could not read the older days of your history")
        status = str(screen.query_one("#history-status", Static).render())
        assert "Older days could not be read." in status
        assert screen.query_one("#days", DataTable).row_count >= shown
        await pilot.press("end", "down", "up")
        assert len(await notes.settled(pilot)) == 1
        assert app.is_running
