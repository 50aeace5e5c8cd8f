"""Issue 11: Del on a follow-up, an exercise or a question in the plan offers ctrl+z right
after (said in a notice, shown in the footer), which brings back the very record."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from companion.core.exercises import Exercise
from companion.core.questions import Question
from companion.store import Store
from companion.ui.screens import plan as plan_module
from companion.ui.screens.plan import PlanScreen
from companion.ui.widgets.key_footer import KeyLine
from tests.ui.conftest import at, seeded_appointment, shown
from tests.waiting import wait_for

SIZE = (100, 30)


def footer(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(KeyLine).render().plain


async def remove_first(pilot, tab: str, key: str) -> PlanScreen:  # type: ignore[no-untyped-def]
    """Open the plan, show `tab` with its key, focus its list and press Del."""
    app = pilot.app
    await pilot.press("p")
    plan = await shown(pilot, PlanScreen)
    await pilot.press(key)
    await wait_for(pilot, lambda: plan.active_tab == tab, what=f"the {tab} tab")  # type: ignore[attr-defined]
    listed = plan.query_one(f"#{tab}-list", OptionList)
    listed.focus()
    await wait_for(pilot, lambda: "del Remove" in footer(app), what="Del on the list")
    assert "Undo" not in footer(app)  # nothing to undo yet
    await pilot.press("delete")
    return plan  # type: ignore[return-value]


def seed(store: Store) -> None:
    store.add_appointment(seeded_appointment(at(2026, 11, 24, 9, 0), "Dr Lee"))
    store.add_exercise(Exercise("ex1", "chin tucks", sets=3, reps=10, per_day=2))
    store.add_question(Question("q1", "Can I swim this week?", at(2026, 11, 21, 18, 0)))


CASES = [
    pytest.param("appointments", "f2", lambda s: s.appointments(), "The follow-up of", id="follow-up"),
    pytest.param("exercises", "f3", lambda s: s.exercises(), "The exercise 'chin tucks'", id="exercise"),
    pytest.param("questions", "f4", lambda s: s.questions(), "The question 'Can I swim", id="question"),
]


@pytest.mark.parametrize(("tab", "key", "records", "named"), CASES)
async def test_patient_undoes_a_removal_with_ctrl_z_and_gets_the_very_record_back(
    make_app, store: Store, frozen, notes, tab, key, records, named
) -> None:
    seed(store)
    before = records(store)
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await remove_first(pilot, tab, key)
        await wait_for(pilot, lambda: records(store) == [], what="the record removed")
        note = await notes.arrived(pilot, "Press ctrl+z within 30 seconds to undo")
        assert named in note.message
        await wait_for(pilot, lambda: "^z Undo" in footer(app), what="ctrl+z shown in the footer")
        await wait_for(pilot, lambda: "del Remove" not in footer(app), what="no Del on an empty list")
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: records(store) == before, what="the very record back (same id)")
        await notes.arrived(pilot, "is back")
        await wait_for(pilot, lambda: "Undo" not in footer(app), what="ctrl+z gone once used")
        await pilot.press("ctrl+z")  # a second ctrl+z restores nothing twice
        assert records(store) == before


async def test_patients_undo_of_a_removal_lasts_only_a_while(
    make_app, store: Store, frozen, monkeypatch
) -> None:
    monkeypatch.setattr(plan_module, "UNDO_SECONDS", 0.3)
    seed(store)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await remove_first(pilot, "exercises", "f3")
        await wait_for(pilot, lambda: store.exercises() == [], what="the exercise removed")
        await wait_for(pilot, lambda: "Undo" not in footer(app), what="the undo expired")
        await pilot.press("ctrl+z")
        await pilot.press("f2")  # a key after ctrl+z: ctrl+z has been handled when F2 shows its tab
        await wait_for(pilot, lambda: app.screen.active_tab == "appointments", what="F2 handled")
    assert store.exercises() == []
