"""Live updates touch only the widgets that change (issue 14): the 1 s countdown tick
repaints the countdowns, never the whole screen."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest
from textual.widget import Widget

from companion.store import Store
from companion.ui.widgets.countdown import RestrictionCard
from tests.ui.conftest import add_session, at
from tests.waiting import drained, wait_for

SIZE = (100, 40)


async def test_a_countdown_tick_repaints_only_the_countdowns(
    make_app: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()

    def card() -> RestrictionCard:
        return app.screen.query_one("#card-alcohol", RestrictionCard)

    with pendulum.travel_to(at(2026, 11, 22, 10, 0, 0), freeze=True):
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: card().seconds_left is not None, what="the alcohol countdown")
            await drained(pilot)
            before = card().seconds_left
            assert before is not None
            refreshed: list[Widget] = []
            original = Widget.refresh

            def spy(self: Widget, *args: Any, **kwargs: Any) -> Widget:
                refreshed.append(self)
                return original(self, *args, **kwargs)

            monkeypatch.setattr(Widget, "refresh", spy)
            with pendulum.travel_to(at(2026, 11, 22, 10, 0, 1), freeze=True):
                app.tick()
                await drained(pilot)
            monkeypatch.undo()
            assert card().seconds_left == before - 1
            assert card() in refreshed
            others = sorted({type(w).__name__ for w in refreshed if not isinstance(w, RestrictionCard)})
            assert others == [], f"a tick repainted more than the countdowns: {others}"
