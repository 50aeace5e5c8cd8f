"""The check-in form asks the usual pain of the complaint, apart from the soreness after needling."""

from __future__ import annotations

from textual.widgets import Input

from companion.core.checkins import CheckIn
from companion.core.complaint import new_complaint
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


async def test_the_patient_rates_the_usual_pain_of_the_problem_apart_from_the_soreness(
    make_app, store: Store, frozen
) -> None:
    store.add_complaint(new_complaint("stiff neck when driving"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await wait_for(
            pilot, lambda: app.screen.id == "checkin" and app.screen.focused is not None, what="the form"
        )
        intro = str(app.screen.query_one("#usual-pain-part").render())
        assert "stiff neck when driving" in intro and "not the soreness after needling" in intro
        await pilot.press("2", "tab", "1")
        app.screen.query_one("#usual_pain", Input).value = "6"
        await pilot.press("ctrl+s")
        day = at(2026, 11, 22, 9, 0).date()
        await wait_for(pilot, lambda: store.checkin_for(day) is not None, what="the save")
    saved = store.checkin_for(day)
    assert saved is not None and (saved.soreness, saved.fatigue, saved.usual_pain) == (2, 1, 6)


async def test_a_usual_pain_off_the_scale_is_refused_under_its_field(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await wait_for(
            pilot, lambda: app.screen.id == "checkin" and app.screen.focused is not None, what="the form"
        )
        await pilot.press("2", "tab", "1")
        app.screen.query_one("#usual_pain", Input).value = "11"
        await pilot.press("ctrl+s")
        error = app.screen.query_one("#usual_pain-error")
        await wait_for(pilot, lambda: error.display, what="the refusal")
        assert "Usual pain" in str(error.render())
    assert store.checkin_for(at(2026, 11, 22, 9, 0).date()) is None
