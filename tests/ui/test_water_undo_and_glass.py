"""Issue 11: a glass ticked by mistake is untaken in the app (a key on Today, the command
palette, the water box says how), and the patient's glass size shows the day's amount."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input

from companion.core.hydration import GlassSize
from companion.store import Store
from companion.ui.screens.dashboard import DashboardScreen
from companion.ui.screens.goal import GoalModal
from companion.ui.widgets.hydration import WaterTracker
from companion.ui.widgets.key_footer import KeyLine
from tests.ui.conftest import TODAY, first_command, shown
from tests.waiting import wait_for

SIZE = (120, 40)


def water_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(WaterTracker).render())


def glasses(store: Store) -> int:
    return store.hydration_day(TODAY).glasses


async def test_patient_untakes_a_glass_ticked_by_mistake(make_app, store: Store, frozen, notes) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await shown(pilot, DashboardScreen)
        box = app.screen.query_one(WaterTracker)
        assert "u undo" in str(box.border_subtitle)  # the water box says how
        # Not in the footer: at 80 columns it would push the Plan's key out of it.
        assert "u Undo" not in app.screen.query_one(KeyLine).render().plain
        await pilot.press("w", "w", "w")
        await wait_for(pilot, lambda: glasses(store) == 3, what="three glasses ticked")
        await pilot.press("u")
        await wait_for(pilot, lambda: glasses(store) == 2, what="one glass untaken")
        await wait_for(pilot, lambda: "2 of 8" in water_text(app), what="the box showing 2 of 8")
        await notes.arrived(pilot, "One glass untaken: 2 of 8")


async def test_patient_finds_undo_for_a_glass_in_the_command_palette(make_app, store: Store, frozen) -> None:
    store.update_hydration(TODAY, lambda h: h.add(2))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, DashboardScreen)
        await pilot.press("ctrl+p")
        await shown(pilot, CommandPalette)
        await pilot.press(*"undo")
        await wait_for(pilot, lambda: "glass of water" in first_command(app), what="undo found")
        await pilot.press("enter")
        await wait_for(pilot, lambda: glasses(store) == 1, what="one glass untaken")


async def test_patient_untaking_with_no_glass_ticked_is_told_so(
    make_app, store: Store, frozen, notes
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await shown(pilot, DashboardScreen)
        await pilot.press("u")
        await notes.arrived(pilot, "nothing to undo")
    assert glasses(store) == 0


async def test_patient_chooses_a_glass_size_once_and_sees_the_days_amount(
    make_app, store: Store, frozen
) -> None:
    store.update_hydration(TODAY, lambda h: h.add(4))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, DashboardScreen)
        assert " l today" not in water_text(app)  # no size chosen: glasses only
        await pilot.press("g")
        dialog = await shown(pilot, GoalModal)
        await pilot.press("tab")  # from the goal to the glass size
        await wait_for(pilot, lambda: dialog.focused is dialog.query_one("#glass_size"), what="the size box")
        await pilot.press(*"250 ml", "enter")
        await shown(pilot, DashboardScreen)
        await wait_for(pilot, lambda: "1.0 of 2.0 l today" in water_text(app), what="the day's amount")
    assert store.settings().glass_size == GlassSize(250, "ml")


async def test_patient_in_ounces_sees_the_goal_in_ounces(make_app, store: Store, frozen) -> None:
    store.update_settings(glass_size=GlassSize(8, "oz"))
    store.update_hydration(TODAY, lambda h: h.add(4))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, DashboardScreen)
        await wait_for(pilot, lambda: "32 of 64 oz today" in water_text(app), what="ounces")


async def test_a_glass_size_out_of_bounds_is_refused_naming_the_field(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, DashboardScreen)
        await pilot.press("g")
        dialog = await shown(pilot, GoalModal)
        dialog.query_one("#glass_size", Input).value = "2500 ml"
        await pilot.press("enter")
        error = dialog.query_one("#glass_size-error")
        await wait_for(
            pilot,
            lambda: error.display and "Glass size: must be from 50 to 1000" in str(error.render()),
            what="the refusal under the field",
        )
        assert app.screen is dialog
    assert store.settings().glass_size is None
