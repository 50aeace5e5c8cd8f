"""The course of treatment in the app (issue 12): naming the problem, the weekly activity
ratings asked on Today and answered in the app, and the course view opened from History."""

from __future__ import annotations

import pendulum
import pytest
from textual.command import CommandPalette
from textual.geometry import Region
from textual.widgets import Input

from companion.core.activities import Activity
from companion.core.complaint import current
from companion.store import Store
from companion.ui.screens.activities import ActivitiesScreen
from companion.ui.screens.complaint import ComplaintModal
from companion.ui.screens.course import CourseScreen
from companion.ui.screens.dashboard import DashboardScreen
from companion.ui.screens.history import HistoryScreen
from tests.seeding import COURSE_FROZEN, seed_two_months
from tests.ui.conftest import at, shown
from tests.waiting import wait_for

SIZE = (100, 40)


@pytest.fixture
def course_frozen():  # type: ignore[no-untyped-def]
    with pendulum.travel_to(COURSE_FROZEN, freeze=True):
        yield


def prompt_text(app) -> str:  # type: ignore[no-untyped-def]
    line = app.screen.query_one("#course-prompt")
    return str(line.render()) if line.display else ""


def first_command(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("CommandList").get_option_at_index(0).prompt)


# --------------------------------------------------------------------------- the complaint


async def test_at_first_use_the_patient_names_the_problem_from_today(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: "What do you see your physio for" in prompt_text(app), what="the invitation"
        )
        await pilot.press("n")
        await shown(pilot, ComplaintModal)
        await pilot.press(*"stiff neck when driving", "enter")
        await shown(pilot, DashboardScreen)
        await wait_for(pilot, lambda: prompt_text(app) == "", what="the invitation gone")
    named = current(store.complaints())
    assert named is not None and named.text == "stiff neck when driving"


async def test_the_patient_skips_naming_the_problem_then_names_it_from_the_palette(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: prompt_text(app) != "", what="the invitation")
        await pilot.press("n")
        await shown(pilot, ComplaintModal)
        await pilot.press("escape")
        await shown(pilot, DashboardScreen)
        await wait_for(pilot, lambda: prompt_text(app) == "", what="no more asking once skipped", timeout=5)
        assert store.complaints() == []
        await pilot.press("ctrl+p")
        await shown(pilot, CommandPalette)
        await pilot.press(*"name the problem")
        await wait_for(pilot, lambda: first_command(app).startswith("Name the problem"), what="the command")
        await pilot.press("enter")
        await shown(pilot, ComplaintModal)
        await pilot.press(*"sore shoulder", "enter")
        await shown(pilot, DashboardScreen)
    named = current(store.complaints())
    assert named is not None and named.text == "sore shoulder"


async def test_an_empty_problem_is_refused_in_the_dialog_not_saved(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        dialog = await shown(pilot, ComplaintModal)
        await pilot.press("space", "enter")
        error = dialog.query_one("#text-error")
        await wait_for(pilot, lambda: error.display, what="the refusal")
        assert "is empty" in str(error.render())
    assert store.complaints() == []


# --------------------------------------------------------------------------- activities


async def test_the_weekly_rating_asked_on_today_is_answered_in_the_app(
    make_app, store: Store, course_frozen
) -> None:
    seed_two_months(store)  # rated on Mon 14 Dec; frozen on Mon 21 Dec: due again
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "your 3 activities this week" in prompt_text(app), what="the prompt")
        assert app.screen.query_one("#get-help-line").display
        await pilot.press("r")
        screen = await shown(pilot, ActivitiesScreen)
        await wait_for(pilot, lambda: isinstance(screen.focused, Input), what="the first box focused")
        await pilot.press("8", "tab", "6", "tab", "5", "ctrl+s")
        day = COURSE_FROZEN.date()
        await wait_for(pilot, lambda: len(store.ratings_between(day, day)) == 3, what="the ratings saved")
        await pilot.press("escape")
        await shown(pilot, DashboardScreen)
        await wait_for(pilot, lambda: prompt_text(app) == "", what="the prompt gone")
    scores = sorted((r.activity_id, r.score) for r in store.ratings_between(day, day))
    assert scores == [("act1", 8), ("act2", 6), ("act3", 5)]


async def test_the_patient_names_an_activity_with_its_starting_score(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        screen = await shown(pilot, ActivitiesScreen)
        await wait_for(pilot, lambda: isinstance(screen.focused, Input), what="the name box focused")
        await pilot.press(*"reversing the car", "tab", "3", "enter")
        await wait_for(pilot, lambda: len(store.activities()) == 1, what="the activity saved")
        await wait_for(pilot, lambda: bool(screen.query("#score_1")), what="its score box")
        await wait_for(pilot, lambda: app.course_prompt.due == (), what="nothing due: rated today")
    [activity] = store.activities()
    assert activity.name == "reversing the car"
    assert [(r.activity_id, r.score) for r in store.all_ratings()] == [(activity.id, 3)]


async def test_a_score_off_the_scale_is_refused_naming_its_box_and_nothing_is_saved(
    make_app, store: Store, frozen
) -> None:
    store.add_activity(Activity("a1", "lifting the kettle", at(2026, 11, 1, 9, 0)))
    store.add_activity(Activity("a2", "reversing the car", at(2026, 11, 1, 9, 1)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        screen = await shown(pilot, ActivitiesScreen)
        await wait_for(pilot, lambda: isinstance(screen.focused, Input), what="the first box focused")
        await pilot.press("4", "tab", "1", "1", "ctrl+s")
        error = screen.query_one("#score_2-error")
        await wait_for(pilot, lambda: error.display, what="the refusal")
        assert "Score today: " in str(error.render()) and "0 to 10" in str(error.render())
        assert screen.focused is screen.query_one("#score_2")
    assert store.all_ratings() == []


# --------------------------------------------------------------------------- the course view


def drawn(widget) -> str:  # type: ignore[no-untyped-def]
    """The lines a widget draws on screen, as text."""
    width, height = widget.size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


def course_loaded(app) -> bool:  # type: ignore[no-untyped-def]
    return isinstance(app.screen, CourseScreen) and app.screen.course is not None


def course_drawn(app) -> bool:  # type: ignore[no-untyped-def]
    """The course is read and its table laid out and drawn (a moment later on a busy machine)."""
    if not course_loaded(app):
        return False
    table = app.screen.query_one("#course-sessions")
    return table.size.height > 1 and "2026" in drawn(table)


async def test_the_patient_opens_the_course_from_history_and_goes_back(
    make_app, store: Store, course_frozen
) -> None:
    seed_two_months(store)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("h")
        await shown(pilot, HistoryScreen)
        await pilot.press("o")
        await wait_for(pilot, lambda: course_drawn(app), what="the course read and drawn")
        screen = app.screen
        table = drawn(screen.query_one("#course-sessions"))
        for day in ("19 Oct 2026", "26 Oct 2026", "2 Nov 2026", "16 Nov 2026", "30 Nov 2026", "14 Dec 2026"):
            assert day in table
        assert "ibuprofen" in table  # taken during a pause: its own column at 120
        sentence = str(screen.query_one("#course-sentence").render())
        assert sentence == screen.course.sentence and "usual pain 7 to 3" in sentence
        await pilot.press("escape")
        await shown(pilot, HistoryScreen)


async def test_at_80_columns_what_the_course_table_leaves_out_is_said_under_it(
    make_app, store: Store, course_frozen
) -> None:
    seed_two_months(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("course")
        await wait_for(pilot, lambda: course_drawn(app), what="the course read and drawn")
        table = drawn(app.screen.query_one("#course-sessions"))
        assert "Took" not in table and "Water" not in table
        under = drawn(app.screen.query_one("#course-left-out")).replace("\n", " ")
        assert "19 Oct 2026 ibuprofen" in under and "2 Nov 2026 coffee" in under
        assert "19 Oct 2026 5/10" in under
