"""Issue 11: the plan's tabs have keys of their own (shown in the footer and on each tab),
and letters typed where no box has the keyboard never act as the app's keys while a form
screen is open."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, Tabs

from companion.store import Store
from companion.ui.screens.checkin_form import CheckinScreen
from companion.ui.screens.new_session import NewSessionScreen
from companion.ui.screens.plan import PlanScreen
from companion.ui.widgets.key_footer import KeyLine
from tests.ui.conftest import add_session, at, seeded_appointment, showing, shown
from tests.waiting import drained, wait_for

SIZE = (80, 24)


def footer(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(KeyLine).render().plain


async def plan_on_tab_bar(pilot) -> PlanScreen:  # type: ignore[no-untyped-def]
    await pilot.press("p")
    plan = await shown(pilot, PlanScreen)
    await wait_for(pilot, lambda: isinstance(plan.focused, Input), what="the first box focused")
    await pilot.press("shift+tab")
    await wait_for(pilot, lambda: isinstance(plan.focused, Tabs), what="the tab bar focused")
    return plan  # type: ignore[return-value]


async def test_patient_jumps_to_each_plan_tab_with_its_f_key(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        plan = await shown(pilot, PlanScreen)
        await wait_for(pilot, lambda: "F2-F5 Tabs" in footer(app), what="the tab keys in the footer")
        for key, tab in (("f4", "questions"), ("f3", "exercises"), ("f5", "took"), ("f2", "appointments")):
            await pilot.press(key)
            await wait_for(
                pilot,
                lambda tab=tab: (
                    plan.active_tab == tab  # type: ignore[misc]
                    and plan.focused is plan.pane(tab).first_field()
                ),
                what=f"the {tab} tab shown, its first box focused",
            )
        await pilot.press("ctrl+pageup")
        await wait_for(pilot, lambda: plan.active_tab == "took", what="ctrl+pageup: the tab before, round")
        await pilot.press("ctrl+pagedown")
        await wait_for(pilot, lambda: plan.active_tab == "appointments", what="ctrl+pagedown: the tab after")
        labels = [str(tab.label) for tab in plan.query_one(Tabs).query("Tab")]
        assert [label.split()[0] for label in labels] == ["F2", "F3", "F4", "F5"]


async def test_patient_typing_on_the_plans_tab_bar_stays_on_the_plan(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        plan = await plan_on_tab_bar(pilot)
        await pilot.press(*"next thursday 9am", "w", "c", "l", "p", "question_mark", "q")
        await drained(pilot)
        assert app.screen is plan and app.is_running
        assert store.hydration_day(at(2026, 11, 22, 10, 0).date()).glasses == 0  # w ticked no glass
        keys = footer(app)
        assert "F2-F5 Tabs" in keys and "Get help" in keys
        for letter_key in ("w Water", "h History", "s Session", "q Quit", "? Help"):
            assert letter_key not in keys  # a key that does nothing here is not shown


async def test_patient_typing_on_the_follow_up_list_removes_nothing_and_goes_nowhere(
    make_app, store: Store, frozen
) -> None:
    store.add_appointment(seeded_appointment(at(2026, 11, 24, 9, 0)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        plan = await shown(pilot, PlanScreen)
        listed = plan.query_one("#appointments-list", OptionList)
        listed.focus()
        await wait_for(pilot, lambda: "del Remove" in footer(app), what="Del shown on the list")
        await pilot.press(*"hs")
        await drained(pilot)
        assert app.screen is plan
        plan.pane("appointments").first_field().focus()
        await wait_for(pilot, lambda: "del Remove" not in footer(app), what="Del not shown in a box")


@pytest.mark.parametrize("opens", [("s", NewSessionScreen), ("c", CheckinScreen)])
async def test_patient_typing_on_a_forms_button_stays_on_the_form(
    make_app, store: Store, frozen, opens
) -> None:
    add_session(store, at(2026, 11, 21, 16, 30))
    key, kind = opens
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(key)
        form = await shown(pilot, kind)
        form.query_one(".save").focus()
        await wait_for(pilot, lambda: not isinstance(form.focused, Input), what="the focus off the boxes")
        await pilot.press(*"hplw")
        await drained(pilot)
        assert showing(app, kind) and app.screen is form
