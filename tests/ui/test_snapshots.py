"""One snapshot per screen, time frozen and data seeded; look at the SVGs before accepting them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pendulum
import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Tabs

from companion.context import open_context
from companion.core.exercises import Exercise
from companion.core.hydration import GlassSize
from companion.core.intake import new_intake
from companion.core.questions import Question
from companion.store import Store
from companion.ui.app import create_app
from companion.ui.screens.activities import ActivitiesScreen
from companion.ui.screens.checkin_form import CheckinScreen
from companion.ui.screens.checklist import ChecklistScreen
from companion.ui.screens.confirm import ConfirmModal
from companion.ui.screens.course import CourseScreen
from companion.ui.screens.dashboard import DashboardScreen
from companion.ui.screens.form import UnsavedChangesModal
from companion.ui.screens.get_help import GetHelpScreen
from companion.ui.screens.goal import GoalModal
from companion.ui.screens.help import HelpScreen
from companion.ui.screens.history import HistoryScreen
from companion.ui.screens.new_session import NewSessionScreen
from companion.ui.screens.plan import PlanScreen
from tests.seeding import COURSE_FROZEN, seed_two_months
from tests.ui.conftest import (
    add_checkin,
    add_session,
    at,
    history_complete,
    no_blink,
    seeded_appointment,
    showing,
)
from tests.waiting import drained, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
NOW = at(2026, 11, 22, 10, 0)


def seed_active_session(store: Store) -> None:
    add_session(store, at(2026, 11, 21, 16, 30), areas=("upper trapezius", "neck"))
    store.update_hydration(NOW.date(), lambda h: h.add(3))
    add_checkin(store, dt.date(2026, 11, 21), 5, 4, recorded=at(2026, 11, 21, 20, 0))
    add_checkin(store, NOW.date(), 8, 3, recorded=at(2026, 11, 22, 9, 30), bruising="mild")


def seed_history(store: Store) -> None:
    add_session(store, at(2026, 11, 7, 15, 0), intensity="intense", areas=("lower back",))
    add_session(store, at(2026, 11, 18, 16, 30), areas=("upper trapezius",))
    for offset, (sore, tired) in enumerate([(6, 5), (5, 3), (3, 2), (1, 1), (0, 0), (0, 0)]):
        add_checkin(store, dt.date(2026, 11, 7) + dt.timedelta(days=offset), sore, tired)
    for offset, (sore, tired) in enumerate([(5, 4), (4, 3), (4, 2), (3, 2), (3, 1)]):
        add_checkin(store, dt.date(2026, 11, 18) + dt.timedelta(days=offset), sore, tired)
    for offset in range(6):
        day = dt.date(2026, 11, 17) + dt.timedelta(days=offset)
        store.update_hydration(day, lambda h, n=offset: h.add(4 + n % 5))


def seed_plan(store: Store) -> None:
    store.add_appointment(seeded_appointment(at(2026, 11, 23, 7, 26), "Dr Lee, room 3"))
    store.add_appointment(
        seeded_appointment(pendulum.parse("2026-12-03T09:00-05:00"), "video call")  # type: ignore[arg-type]
    )
    store.add_exercise(Exercise("ex1", "chin tucks", sets=3, reps=10, per_day=2))
    store.add_exercise(Exercise("ex2", "doorway stretch", minutes=2, note="both sides"))
    store.add_question(Question("q1", "How long should I keep the ice on?", at(2026, 11, 21, 18, 0)))
    store.add_question(
        Question("q2", "Can I swim this week?", at(2026, 11, 20, 9, 0), done_at=at(2026, 11, 21, 16, 0))
    )
    store.add_intake(new_intake("coffee", at(2026, 11, 22, 9, 0), "1 cup"))


def press_then(*keys: str, shows: type[Screen[object]] = DashboardScreen, ready=None):  # type: ignore[no-untyped-def]
    """Press `keys`, wait until the screen of kind `shows` is shown and `ready(app)` holds,
    then take away what would differ from run to run (blinking, toasts)."""

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        if keys:
            await pilot.press(*keys)  # keys typed while a screen opens are held for it
        await wait_for(
            pilot,
            # Today's line about the course is read just after the first paint: wait for it.
            lambda: (
                showing(app, shows)  # type: ignore[arg-type]
                and app.course_prompt is not None
                and (ready is None or ready(app))
            ),
            what=f"{shows.__name__} ready after {keys}",
        )
        app.check_reminders()  # any reminder due is sent now (once), not after the screenshot
        no_blink(app)  # type: ignore[arg-type]
        await drained(pilot)  # every notification asked for has arrived
        app.clear_notifications()

    return run_before


def checklist_on_second_item(app) -> bool:  # type: ignore[no-untyped-def]
    return app.screen.query_one("#items").highlighted == 1


def plan_tab(tab: str, tabs_focused: bool = False):  # type: ignore[no-untyped-def]
    def ready(app) -> bool:  # type: ignore[no-untyped-def]
        return app.screen.active_tab == tab and (not tabs_focused or isinstance(app.screen.focused, Tabs))

    return ready


@pytest.fixture
def frozen_now():  # type: ignore[no-untyped-def]
    with pendulum.travel_to(NOW, freeze=True):
        yield


@pytest.mark.parametrize("size", SIZES)
def test_welcome(snap_compare, make_app, frozen_now, size) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=press_then())


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_with_active_session_and_alert(snap_compare, make_app, store, frozen_now, size) -> None:
    seed_active_session(store)
    assert snap_compare(make_app(), terminal_size=size, run_before=press_then())


@pytest.mark.parametrize("size", SIZES)
def test_check_in_form(snap_compare, make_app, store, frozen_now, size) -> None:
    seed_active_session(store)
    assert snap_compare(make_app(), terminal_size=size, run_before=press_then("c", shows=CheckinScreen))


@pytest.mark.parametrize("size", SIZES)
def test_checklist(snap_compare, make_app, store, frozen_now, size) -> None:
    seed_active_session(store)
    store.update_checklist(NOW.date(), lambda d: d.with_item("rest", True).with_item("hydrate", True))
    assert snap_compare(
        make_app(),
        terminal_size=size,
        run_before=press_then("l", "down", shows=ChecklistScreen, ready=checklist_on_second_item),
    )


@pytest.mark.parametrize("size", SIZES)
def test_history_with_data(snap_compare, make_app, store, frozen_now, size) -> None:
    seed_history(store)
    assert snap_compare(
        make_app(),
        terminal_size=size,
        run_before=press_then("h", shows=HistoryScreen, ready=history_complete),
    )


@pytest.mark.parametrize("size", SIZES)
def test_new_session(snap_compare, make_app, store, frozen_now, size) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=press_then("s", shows=NewSessionScreen))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, make_app, store, frozen_now, size) -> None:
    store.data_dir = Path("/home/patient/.local/share/companion")  # the tmp path changes each run
    assert snap_compare(
        make_app(), terminal_size=size, run_before=press_then("question_mark", shows=HelpScreen)
    )


@pytest.mark.parametrize("size", SIZES)
def test_plan_with_data(snap_compare, make_app, store, frozen_now, size) -> None:
    add_session(store, at(2026, 11, 21, 16, 30))
    seed_plan(store)
    assert snap_compare(
        make_app(),
        terminal_size=size,
        run_before=press_then("p", shows=PlanScreen, ready=plan_tab("appointments")),
    )


@pytest.mark.parametrize("size", SIZES)
def test_plan_what_i_took(snap_compare, make_app, store, frozen_now, size) -> None:
    add_session(store, at(2026, 11, 21, 16, 30))
    seed_plan(store)
    assert snap_compare(
        make_app(),
        terminal_size=size,
        run_before=press_then(
            "p", "shift+tab", "left", shows=PlanScreen, ready=plan_tab("took", tabs_focused=True)
        ),
    )


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_with_clinic_protocol_and_follow_up(snap_compare, store, frozen_now, size) -> None:
    clinic_file = Path(__file__).resolve().parents[2] / "assets" / "clinic-example.toml"
    store.set_clinic_text(clinic_file.read_text(encoding="utf-8"))
    seed_active_session(store)
    store.add_appointment(seeded_appointment(at(2026, 11, 23, 7, 26), "Dr Lee"))
    app = create_app(open_context(store))
    assert snap_compare(app, terminal_size=size, run_before=press_then())


def seed_day_four(store: Store) -> None:
    add_session(store, at(2026, 11, 18, 10, 0), areas=("upper trapezius",))
    for day, sore in ((19, 6), (20, 3), (21, 3)):
        add_checkin(store, dt.date(2026, 11, day), sore, 2)
    store.update_settings(clinic_name="Leaside Physio", clinic_phone="+1 416 555 0100")


def then_until(keys: tuple[str, ...], done: Callable[[App[object]], bool]):  # type: ignore[no-untyped-def]
    """Press the keys, wait until `done(app)`, then take away what differs from run to run."""

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        await pilot.press(*keys)
        await wait_for(pilot, lambda: done(app), what=f"the screen after {keys}")
        app.check_reminders()  # type: ignore[attr-defined]
        no_blink(app)  # type: ignore[arg-type]
        await drained(pilot)
        app.clear_notifications()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_when_to_get_help(snap_compare, make_app, store, frozen_now, size) -> None:
    add_session(store, at(2026, 11, 20, 16, 30))  # over a day ago: no water nudge in the picture
    shown = then_until(("exclamation_mark",), lambda app: isinstance(app.screen, GetHelpScreen))
    assert snap_compare(make_app(), terminal_size=size, run_before=shown)


@pytest.mark.parametrize("size", SIZES)
def test_check_in_saved_with_alerts(snap_compare, make_app, store, frozen_now, size) -> None:
    seed_day_four(store)

    def saved(app: App[object]) -> bool:
        return isinstance(app.screen, CheckinScreen) and len(app.screen.query("#result-alerts .alert")) == 3

    async def run_before(pilot: Pilot) -> None:
        await then_until(("c",), lambda app: isinstance(app.screen, CheckinScreen) and app.screen.focused)(
            pilot
        )
        await then_until(("6", "tab", "6", "ctrl+s"), saved)(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_leaving_an_unsaved_check_in_asks(snap_compare, make_app, store, frozen_now, size) -> None:
    add_session(store, at(2026, 11, 20, 16, 30))

    async def run_before(pilot: Pilot) -> None:
        await then_until(("c",), lambda app: isinstance(app.screen, CheckinScreen) and app.screen.focused)(
            pilot
        )
        await then_until(("4", "escape"), lambda app: isinstance(app.screen, UnsavedChangesModal))(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_with_alerts_from_yesterday(snap_compare, make_app, store, frozen_now, size) -> None:
    seed_day_four(store)
    add_checkin(store, dt.date(2026, 11, 21), 6, 6, recorded=at(2026, 11, 21, 20, 0))
    assert snap_compare(make_app(), terminal_size=size, run_before=press_then())


@pytest.mark.parametrize("size", SIZES)
def test_history_at_the_oldest_day(snap_compare, make_app, store, frozen_now, size) -> None:
    seed_history(store)

    def at_oldest(app) -> bool:  # type: ignore[no-untyped-def]
        return history_complete(app) and app.screen.selected_day() == dt.date(2026, 11, 7)

    assert snap_compare(
        make_app(),
        terminal_size=size,
        run_before=press_then("h", "end", shows=HistoryScreen, ready=at_oldest),
    )


@pytest.mark.parametrize("size", SIZES)
def test_history_calendar_a_month_back(snap_compare, make_app, store, frozen_now, size) -> None:
    seed_history(store)
    add_checkin(store, dt.date(2026, 10, 22), 7, 2)

    def in_october(app) -> bool:  # type: ignore[no-untyped-def]
        return history_complete(app) and app.screen.selected_day() == dt.date(2026, 10, 22)

    assert snap_compare(
        make_app(),
        terminal_size=size,
        run_before=press_then("h", "tab", "less_than_sign", shows=HistoryScreen, ready=in_october),
    )


@pytest.mark.parametrize("size", SIZES)
def test_checklist_with_every_exercise_round(snap_compare, make_app, store, frozen_now, size) -> None:
    seed_active_session(store)
    store.add_exercise(Exercise("ex1", "chin tucks", sets=3, reps=10, per_day=2))
    store.add_exercise(Exercise("ex2", "doorway stretch", minutes=2, per_day=3))
    store.add_exercise(Exercise("ex3", "shoulder rolls", reps=10, per_day=3))
    assert snap_compare(make_app(), terminal_size=size, run_before=press_then("l", shows=ChecklistScreen))


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_with_a_glass_size(snap_compare, make_app, store, frozen_now, size) -> None:
    seed_active_session(store)
    store.update_settings(glass_size=GlassSize(250, "ml"))
    assert snap_compare(make_app(), terminal_size=size, run_before=press_then())


@pytest.mark.parametrize("size", SIZES)
def test_water_goal_and_glass_size_dialog(snap_compare, make_app, store, frozen_now, size) -> None:
    seed_active_session(store)
    store.update_settings(glass_size=GlassSize(8, "oz"))
    assert snap_compare(make_app(), terminal_size=size, run_before=press_then("g", shows=GoalModal))


def area_suggested(app) -> bool:  # type: ignore[no-untyped-def]
    return app.screen.query_one("#areas")._suggestion == "neck, levator scapulae"


@pytest.mark.parametrize("size", SIZES)
def test_new_session_suggesting_a_treated_area(snap_compare, make_app, store, frozen_now, size) -> None:
    keys = ("s", "tab", *"neck, lev")
    assert snap_compare(
        make_app(),
        terminal_size=size,
        run_before=press_then(*keys, shows=NewSessionScreen, ready=area_suggested),
    )


def undo_offered(app) -> bool:  # type: ignore[no-untyped-def]
    return app.screen.active_tab == "exercises" and len(app.screen.query_one("#exercises-list").options) == 1


@pytest.mark.parametrize("size", SIZES)
def test_plan_right_after_removing_an_exercise(snap_compare, make_app, store, frozen_now, size) -> None:
    add_session(store, at(2026, 11, 21, 16, 30))
    seed_plan(store)
    keys = ("p", "f3", "tab", "tab", "tab", "tab", "tab", "tab", "tab", "delete")
    assert snap_compare(
        make_app(), terminal_size=size, run_before=press_then(*keys, shows=PlanScreen, ready=undo_offered)
    )


@pytest.mark.parametrize("size", SIZES)
def test_new_session_asks_about_a_likely_duplicate(snap_compare, make_app, store, frozen_now, size) -> None:
    add_session(store, at(2026, 11, 21, 16, 30))

    async def run_before(pilot: Pilot) -> None:
        await then_until(("s",), lambda app: isinstance(app.screen, NewSessionScreen) and app.screen.focused)(
            pilot
        )
        pilot.app.screen.query_one("#started_at", Input).value = "2026-11-21T16:45"
        await then_until(("ctrl+s",), lambda app: isinstance(app.screen, ConfirmModal))(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_history_asks_before_removing_a_session(snap_compare, make_app, store, frozen_now, size) -> None:
    seed_history(store)

    def on_a_session_row(app) -> bool:  # type: ignore[no-untyped-def]
        return history_complete(app) and app.screen.selected_session() is not None

    async def run_before(pilot: Pilot) -> None:
        await then_until(("h",), lambda app: history_complete(app))(pilot)
        screen = pilot.app.screen
        row = screen._dates.index(None)  # type: ignore[attr-defined]  # the newest session's row
        screen.query_one("#days", DataTable).move_cursor(row=row)
        await then_until((), on_a_session_row)(pilot)
        await then_until(("delete",), lambda app: isinstance(app.screen, ConfirmModal))(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_check_in_saved_before_any_session(snap_compare, make_app, store, frozen_now, size) -> None:
    def saved(app: App[object]) -> bool:
        return isinstance(app.screen, CheckinScreen) and app.screen.query_one("#result").display

    async def run_before(pilot: Pilot) -> None:
        await then_until(("c",), lambda app: isinstance(app.screen, CheckinScreen) and app.screen.focused)(
            pilot
        )
        await then_until(("2", "tab", "1", "ctrl+s"), saved)(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


# --------------------------------------------------------------------------- the course of treatment


@pytest.fixture
def course_frozen():  # type: ignore[no-untyped-def]
    with pendulum.travel_to(COURSE_FROZEN, freeze=True):
        yield


def course_read(app) -> bool:  # type: ignore[no-untyped-def]
    """Read, and its table laid out (a moment later on a busy machine)."""
    return app.screen.course is not None and app.screen.query_one("#course-sessions").size.height > 1


@pytest.mark.parametrize("size", SIZES)
def test_course_of_two_months(snap_compare, make_app, store, course_frozen, size) -> None:
    seed_two_months(store)
    run_before = press_then("h", "o", shows=CourseScreen, ready=course_read)
    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_today_asks_the_weekly_activity_rating(snap_compare, make_app, store, course_frozen, size) -> None:
    seed_two_months(store)

    def asked(app) -> bool:  # type: ignore[no-untyped-def]
        return bool(app.screen.query_one("#course-prompt").display)

    assert snap_compare(make_app(), terminal_size=size, run_before=press_then(ready=asked))


@pytest.mark.parametrize("size", SIZES)
def test_rating_the_activities(snap_compare, make_app, store, course_frozen, size) -> None:
    seed_two_months(store)
    assert snap_compare(make_app(), terminal_size=size, run_before=press_then("r", shows=ActivitiesScreen))


@pytest.mark.parametrize("size", SIZES)
def test_check_in_form_with_the_problem_named(snap_compare, make_app, store, course_frozen, size) -> None:
    seed_two_months(store)
    assert snap_compare(make_app(), terminal_size=size, run_before=press_then("c", shows=CheckinScreen))
