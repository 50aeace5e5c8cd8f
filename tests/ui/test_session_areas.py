"""Issue 11: the treated areas are completed from the usual dry-needling sites as the
patient types (→ takes a suggestion), several comma-separated, free text still allowed."""

from __future__ import annotations

from textual.widgets import Input

from companion.store import Store
from companion.ui.screens.new_session import NewSessionScreen
from tests.ui.conftest import shown
from tests.waiting import wait_for

SIZE = (100, 30)


async def test_patient_picks_treated_areas_from_suggestions_as_they_type(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        form = await shown(pilot, NewSessionScreen)
        areas = form.query_one("#areas", Input)
        await pilot.press("tab")
        await wait_for(pilot, lambda: form.focused is areas, what="the areas box")
        await pilot.press(*"upper t")
        await wait_for(pilot, lambda: areas._suggestion == "upper trapezius", what="upper trapezius offered")
        await pilot.press("right")
        await wait_for(pilot, lambda: areas.value == "upper trapezius", what="the suggestion taken")
        await pilot.press(*", Lev")
        await wait_for(
            pilot,
            lambda: areas._suggestion == "upper trapezius, Levator scapulae",
            what="the part after the comma",
        )
        await pilot.press("right", *", my left wrist")  # free text: no suggestion, typed as it is
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(store.sessions()) == 1, what="the session saved")
    assert store.sessions()[0].areas == ("upper trapezius", "Levator scapulae", "my left wrist")
