"""Severe bruising entered through the check-in form, with the keyboard alone: saved,
alerted at once, and shown again when the form is reopened."""

from __future__ import annotations

from textual.widgets import Checkbox, Select

from companion.store import Store
from companion.ui.screens.checkin_form import CheckinScreen
from companion.ui.screens.dashboard import DashboardScreen
from tests.ui.conftest import TODAY, add_session, at, shown
from tests.waiting import wait_for

SIZE = (100, 40)


def alert_texts(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(w.render()) for w in app.screen.query("#result-alerts .alert"))


async def test_severe_bruising_chosen_with_the_keyboard_is_saved_and_alerted(
    make_app, store: Store, frozen
) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await shown(pilot, CheckinScreen)
        bruising = app.screen.query_one("#bruising", Select)
        await pilot.press("1", "tab", "0", "tab", "tab")  # soreness, fatigue, past stiffness
        await wait_for(pilot, lambda: app.screen.focused is bruising, what="the focus on Bruising")
        await pilot.press("enter")  # opens the list of levels
        await wait_for(pilot, lambda: bruising.expanded, what="the list of bruising levels")
        await pilot.press("down", "down", "down", "enter")  # none, mild, moderate, severe
        await wait_for(pilot, lambda: bruising.value == "severe", what="severe chosen")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Severe bruising is more than" in alert_texts(app), what="the alert")
        await pilot.press("escape")
        await shown(pilot, DashboardScreen)
        await pilot.press("c")
        await shown(pilot, CheckinScreen)
        await wait_for(
            pilot, lambda: app.screen.query_one("#bruising", Select).value == "severe", what="severe again"
        )
        assert not any(box.value for box in app.screen.query(Checkbox))
    saved = store.checkin_for(TODAY)
    assert saved is not None and (saved.soreness, saved.fatigue, saved.bruising) == (1, 0, "severe")
    assert (saved.flare_up, saved.sharp_pain, saved.breathing_trouble) == (False, False, False)
