"""The check-in form keeps the usual pain of the complaint, which it does not show yet."""

from __future__ import annotations

from textual.widgets import Input

from companion.core.checkins import CheckIn
from companion.store import Store
from tests.ui.conftest import at
from tests.waiting import wait_for

SIZE = (100, 40)


async def test_editing_a_check_in_keeps_its_usual_pain(make_app, store: Store, frozen) -> None:
    day = at(2026, 11, 22, 9, 0).date()
    store.save_checkin(CheckIn("c1", day, at(2026, 11, 22, 9, 0), 5, 2, usual_pain=6))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen.query_one("#soreness", Input).value == "5", what="the form")
        soreness = app.screen.query_one("#soreness", Input)
        assert soreness.value == "5"
        soreness.value = "3"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: store.checkin_for(day).soreness == 3, what="the save")  # type: ignore[union-attr]
    saved = store.checkin_for(day)
    assert saved is not None and (saved.soreness, saved.usual_pain) == (3, 6)
