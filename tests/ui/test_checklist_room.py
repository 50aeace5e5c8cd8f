"""The checklist uses the room it has: every item and exercise round in view without scrolling."""

from __future__ import annotations

import pytest
from textual.widgets import SelectionList

from companion.core.exercises import Exercise
from companion.store import Store
from companion.ui.screens.checklist import ChecklistScreen
from tests.ui.conftest import add_session, at, shown
from tests.waiting import wait_for


def three_exercises(store: Store) -> None:
    store.add_exercise(Exercise("ex1", "chin tucks", sets=3, reps=10, per_day=2))
    store.add_exercise(Exercise("ex2", "doorway stretch", minutes=2, per_day=3))
    store.add_exercise(Exercise("ex3", "shoulder rolls", reps=10, per_day=3))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_every_exercise_round_is_in_view_without_scrolling(
    make_app, store: Store, frozen, size
) -> None:
    add_session(store, at(2026, 11, 21, 16, 30))
    three_exercises(store)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("l")
        screen = await shown(pilot, ChecklistScreen)
        items = screen.query_one("#items", SelectionList)
        await wait_for(pilot, lambda: items.option_count == 11 + 8, what="the items and the 8 rounds")
        await wait_for(pilot, lambda: items.size.height > 0, what="the list laid out")
        assert items.max_scroll_y == 0, f"{items.option_count} items in {items.content_size.height} rows"
        last = items.get_option_at_index(items.option_count - 1)
        assert "shoulder rolls, 3 of 3" in str(last.prompt)
        # Beside it, what the highlighted item is about and what to expect, both on screen.
        about, expect = screen.query_one("#item-about"), screen.query_one("#reactions")
        assert about.region.height >= 5 and expect.region.height >= 5
        assert about.region.bottom <= expect.region.y <= screen.size.height
