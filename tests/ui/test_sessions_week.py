"""Issue 11, as a patient acts: recording the same session twice is asked about before it is
saved, a session recorded by mistake is removed from History (after a question), and a
check-in for a day before any session says so."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input, Static

from companion.store import Store
from companion.ui.screens.checkin_form import CheckinScreen
from companion.ui.screens.confirm import ConfirmModal
from companion.ui.screens.history import HistoryScreen
from companion.ui.screens.new_session import NewSessionScreen
from tests.ui.conftest import add_checkin, add_session, at, history_loaded, shown
from tests.waiting import drained, wait_for

SIZE = (100, 40)


def text_of(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Static).render())


async def _record_session_at(pilot, when: str) -> NewSessionScreen:  # type: ignore[no-untyped-def]
    await pilot.press("s")
    form = await shown(pilot, NewSessionScreen)
    form.query_one("#started_at", Input).value = when
    await pilot.press("ctrl+s")
    return form  # type: ignore[return-value]


async def test_patient_records_the_same_session_again_and_cancels(
    make_app, store: Store, frozen, notes
) -> None:
    add_session(store, at(2026, 11, 21, 16, 30))
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        form = await _record_session_at(pilot, "2026-11-21T16:45")
        question = await shown(pilot, ConfirmModal)
        said = text_of(question, "#confirm-question")
        assert "already recorded for Sat 21 Nov 2026 16:30 (15 min apart)" in said
        assert "companion's own rule: sessions less than 2 h apart" in said
        assert "Save this session all the same?" in said
        await pilot.press("escape")
        await shown(pilot, NewSessionScreen)
        await notes.arrived(pilot, "nothing was recorded twice")
        assert form.query_one("#started_at", Input).value == "2026-11-21T16:45"  # kept, to correct
        assert not form.query_one("#session-result").display
    assert len(store.sessions()) == 1


async def test_patient_records_a_second_session_anyway(make_app, store: Store, frozen) -> None:
    add_session(store, at(2026, 11, 21, 16, 30))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await _record_session_at(pilot, "2026-11-21T17:30")
        await shown(pilot, ConfirmModal)
        await pilot.press("y")
        await wait_for(pilot, lambda: form.query_one("#session-result").display, what="the saved session")
        assert "Saved your session of Sat 17:30" in text_of(form, "#session-result")
    assert len(store.sessions()) == 2


async def test_a_session_hours_from_the_others_is_saved_without_a_question(
    make_app, store: Store, frozen
) -> None:
    add_session(store, at(2026, 11, 21, 9, 0))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await _record_session_at(pilot, "2026-11-21T16:30")
        await wait_for(pilot, lambda: form.query_one("#session-result").display, what="the saved session")
        assert not isinstance(app.screen, ConfirmModal)
    assert len(store.sessions()) == 2


async def _on_session_row(pilot, history: HistoryScreen, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    table = history.query_one("#days", DataTable)
    rows = [
        i
        for i, entry in enumerate(history._entries)
        if history._dates[i] is None and history._row_days[i] == day
    ]
    table.move_cursor(row=rows[0])
    await wait_for(
        pilot,
        lambda: history.selected_session() is not None and "Del removes" in text_of(history, "#day-detail"),
        what="a session's row highlighted, told under the table",
    )


async def test_patient_removes_a_session_from_history_after_saying_yes(
    make_app, store: Store, frozen, notes
) -> None:
    kept = add_session(store, at(2026, 11, 14, 16, 30))
    add_session(store, at(2026, 11, 21, 16, 30), areas=("neck",))
    add_checkin(store, dt.date(2026, 11, 22), 3, 2)
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.press("h")
        history = await history_loaded(pilot)
        assert "delete" not in [b.binding.key for b in history.active_bindings.values() if b.enabled]
        await _on_session_row(pilot, history, dt.date(2026, 11, 21))  # type: ignore[arg-type]
        assert "Del removes this session." in text_of(history, "#day-detail")
        shown_keys = {b.binding.key for b in history.active_bindings.values() if b.enabled}
        assert "delete" in shown_keys  # in the footer on a session's row
        await pilot.press("delete")
        question = await shown(pilot, ConfirmModal)
        assert "Remove the session of Sat 21 Nov 2026 16:30 (standard, neck)?" in text_of(
            question, "#confirm-question"
        )
        await pilot.press("n")  # thought better of it
        await shown(pilot, HistoryScreen)
        assert len(store.sessions()) == 2
        await pilot.press("delete")
        await shown(pilot, ConfirmModal)
        await pilot.press("y")
        await notes.arrived(pilot, "Removed the session of Sat 21 Nov 2026 16:30")
        await wait_for(
            pilot,
            lambda: not app.screen._loading and sum(d is None for d in app.screen._dates) == 1,  # type: ignore[attr-defined]
            what="the history shown again with one session",
        )
    assert [s.id for s in store.sessions()] == [kept.id]


async def test_delete_on_a_day_row_of_history_removes_nothing(make_app, store: Store, frozen) -> None:
    add_session(store, at(2026, 11, 21, 16, 30))
    add_checkin(store, dt.date(2026, 11, 22), 3, 2)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        history = await history_loaded(pilot)
        assert history.selected_day() == dt.date(2026, 11, 22)  # type: ignore[attr-defined]
        await pilot.press("delete")
        await drained(pilot)
        assert isinstance(app.screen, HistoryScreen)
    assert len(store.sessions()) == 1


async def test_patient_checks_in_for_a_day_before_the_first_session_and_is_told(
    make_app, store: Store, frozen, notes
) -> None:
    add_session(store, at(2026, 11, 21, 16, 30))
    add_checkin(store, dt.date(2026, 11, 20), 4, 3)  # a slip of the date, made on the 20th
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.press("h")
        history = await history_loaded(pilot)
        table = history.query_one("#days", DataTable)
        table.move_cursor(row=history._dates.index(dt.date(2026, 11, 20)))  # type: ignore[attr-defined]
        await wait_for(
            pilot, lambda: history.selected_day() == dt.date(2026, 11, 20), what="20 Nov highlighted"
        )  # type: ignore[attr-defined]
        await pilot.press("enter")
        form = await shown(pilot, CheckinScreen)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form.query_one("#result").display, what="the saved check-in")
        said = text_of(form, "#result-text")
        assert "comes before your first recorded session (Sat 21 Nov 2026 16:30)" in said
        assert "open the right day from History (h)" in said
        await notes.arrived(pilot, "comes before your first recorded session")
    assert store.checkin_for(dt.date(2026, 11, 20)) is not None  # saved all the same


async def test_a_check_in_after_the_session_says_nothing_of_it(make_app, store: Store, frozen, notes) -> None:
    add_session(store, at(2026, 11, 21, 16, 30))
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.press("c")
        form = await shown(pilot, CheckinScreen)
        await pilot.press("3", "tab", "2", "ctrl+s")
        await wait_for(pilot, lambda: form.query_one("#result").display, what="the saved check-in")
        assert "session" not in text_of(form, "#result-text")
        assert not notes.containing("before your first")
