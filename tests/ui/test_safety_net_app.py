"""Issue 9 in the full-screen app: when to get help is one key away on every screen and
in sight on Today, a save's alerts are on screen at once, and leaving a form with
unsaved changes asks first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Static

from companion.store import Store
from companion.ui.app import CompanionApp
from companion.ui.screens.checkin_form import CheckinScreen
from companion.ui.screens.checklist import ChecklistScreen
from companion.ui.screens.dashboard import DashboardScreen
from companion.ui.screens.form import UnsavedChangesModal
from companion.ui.screens.get_help import GetHelpScreen
from companion.ui.screens.help import HelpScreen
from companion.ui.screens.history import HistoryScreen
from companion.ui.screens.new_session import NewSessionScreen
from companion.ui.screens.plan import PlanScreen
from companion.ui.screens.urgent import UrgentModal
from companion.ui.widgets.alerts import AlertList
from companion.ui.widgets.countdown import RestrictionCard
from companion.ui.widgets.get_help import GetHelpLine
from companion.ui.widgets.key_footer import KeyLine
from tests.ui.conftest import add_checkin, add_session, at, first_command
from tests.ui.test_app_flows import as_text
from tests.waiting import drained, wait_for

TODAY = dt.date(2026, 11, 22)
SIZE = (100, 40)


async def until(pilot: Pilot, condition: Callable[[], object], what: str = "the screen") -> None:
    await wait_for(pilot, condition, what=what)


def fully_visible(app: CompanionApp, widget: Widget) -> bool:
    """Whether the whole widget is drawn on screen now (not scrolled away, not clipped)."""
    geometry = app.screen.find_widget(widget)
    screen = app.screen.region
    return geometry.clip.contains_region(geometry.region) and screen.contains_region(geometry.region)


def footer_descriptions(app: CompanionApp) -> dict[str, str]:
    line = app.screen.query_one(KeyLine)
    placed, _ = line.placed()
    return {line.entries[p.index].description: line.entries[p.index].display for p in placed}


def footer_settled(app: CompanionApp, kind: type[Screen[None]]) -> bool:
    """The screen is shown, its keyboard focus has landed (a screen with something to focus
    focuses it as it opens) and the footer names the get-help key that works there: F1 while a
    text box has the keyboard, ! elsewhere. Read any earlier and the footer may still describe
    the moment before the focus moved (seen on a loaded machine: '!' typed into a box)."""
    if not isinstance(app.screen, kind):
        return False
    if app.screen.focus_chain and app.focused is None:
        return False
    shown = footer_descriptions(app).get("Get help")
    return shown == ("F1" if isinstance(app.focused, Input) else "!")


def seed_day_four(store: Store) -> None:
    """A session on Wednesday, soreness easing, then today 6 and 6: three alerts."""
    add_session(store, at(2026, 11, 18, 10, 0))
    for day, sore in ((19, 6), (20, 3), (21, 3)):
        add_checkin(store, dt.date(2026, 11, day), sore, 2)


async def open_checkin_and_type(pilot: Pilot, soreness: str, fatigue: str) -> CheckinScreen:
    app = pilot.app
    await pilot.press("c")
    await until(pilot, lambda: isinstance(app.screen, CheckinScreen) and app.screen.focused is not None)
    screen = app.screen
    assert isinstance(screen, CheckinScreen)
    screen.query_one("#soreness", Input).value = soreness
    screen.query_one("#fatigue", Input).value = fatigue
    return screen


# ------------------------------------------------------------------ 2. when to get help, one key away


SCREEN_KEYS: list[tuple[str, type[Screen[None]]]] = [
    ("", DashboardScreen),
    ("c", CheckinScreen),
    ("l", ChecklistScreen),
    ("h", HistoryScreen),
    ("s", NewSessionScreen),
    ("p", PlanScreen),
    ("question_mark", HelpScreen),
]


@pytest.mark.parametrize(("key", "kind"), SCREEN_KEYS, ids=[k.__name__ for _, k in SCREEN_KEYS])
async def test_when_to_get_help_opens_from_every_screen_in_one_key(
    make_app, store: Store, frozen, key: str, kind: type[Screen[None]]
) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        if key:
            await pilot.press(key)
        await until(pilot, lambda: footer_settled(app, kind))
        shown = footer_descriptions(app)
        assert "Get help" in shown  # in the footer, even at 80 columns
        await pilot.press("f1" if shown["Get help"] == "F1" else "exclamation_mark")
        await until(pilot, lambda: isinstance(app.screen, GetHelpScreen))
        text = app.screen.query_one("#get-help-text").plain  # type: ignore[attr-defined]
        assert "Seek urgent medical care now" in text and "Contact your physiotherapist today" in text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, kind))


async def test_f1_works_while_typing_and_the_form_keeps_what_was_typed(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkin_and_type(pilot, "", "")
        await pilot.press("5")
        await until(pilot, lambda: screen.query_one("#soreness", Input).value == "5")
        assert footer_descriptions(app)["Get help"] == "F1"  # "!" would be typed into the box here
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, GetHelpScreen))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert screen.query_one("#soreness", Input).value == "5"


async def test_exclamation_mark_opens_it_where_no_box_has_the_keyboard(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: footer_descriptions(app))
        assert footer_descriptions(app)["Get help"] == "!"
        await pilot.press("exclamation_mark")
        await until(pilot, lambda: isinstance(app.screen, GetHelpScreen))
        await pilot.press("exclamation_mark")  # the same key closes it
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))


async def test_when_to_get_help_opens_over_the_urgent_dialog_without_closing_it(
    make_app, store: Store, frozen
) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin_and_type(pilot, "2", "1")
        app.screen.query_one("#breathing_trouble", Checkbox).value = True
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, UrgentModal))
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, GetHelpScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UrgentModal))


@pytest.mark.parametrize("has_session", [False, True], ids=["welcome", "today"])
async def test_the_get_help_line_is_in_sight_on_today_and_the_welcome_at_80x24(
    make_app, store: Store, frozen, has_session: bool
) -> None:
    if has_session:
        seed_day_four(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query_one(GetHelpLine).size.height)
        line = app.screen.query_one(GetHelpLine)
        assert fully_visible(app, line) and line.size.height <= 2
        assert "urgent care now" in line.plain and "call your physio today" in line.plain
        assert "(!)" in line.plain


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (52, 20)], ids=["80x24", "120x40", "52x20"])
async def test_no_notice_covers_the_get_help_line(
    make_app, store: Store, frozen, size: tuple[int, int]
) -> None:
    """A reminder stays 15 s at the bottom of the screen: it must rise above the line, however
    many rows the line takes (three at 52 columns)."""
    seed_day_four(store)
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await until(pilot, lambda: app.screen.query_one(GetHelpLine).size.height)
        app.notify(
            "Time for a glass of water (1 of 8 today). Press w to tick it.", title="Reminder", timeout=60
        )
        await until(
            pilot, lambda: any(toast.region for toast in app.screen.query("Toast")), "the notice drawn"
        )
        line = app.screen.query_one(GetHelpLine)
        assert fully_visible(app, line)
        for toast in app.screen.query("Toast"):
            assert not toast.region.overlaps(line.region), (toast.region, line.region)
            assert toast.region.bottom <= line.region.y


async def test_help_opens_with_when_to_get_help_and_labels_companion_s_thresholds(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        titles = [str(w.render()) for w in app.screen.query(".help-title").results(Static)]
        assert titles[0] == "When to get help"
        first_body = app.screen.query(".help-body").first()
        assert fully_visible(app, app.screen.query(".help-title").first())
        assert "Seek urgent medical care now" in first_body.plain  # type: ignore[attr-defined]
        assert "How a check-in is judged" in titles
        bodies = " ".join(
            as_text(w.content)
            for w in app.screen.query(".help-body").results(Static)  # type: ignore[attr-defined]
        )
        assert "soreness 2 or more" in bodies and "companion's own threshold, not the articles'" in bodies
        assert "From: beyond the articles." in bodies  # the urgent sign
        assert "Farrar" in bodies
        assert "prescribed" in bodies and "beyond the three after-care articles" in bodies  # item 8
        assert "strong tea, energy drinks, cola" in bodies and "companion's own" in bodies
        assert "everything is saved as you go" not in bodies
        assert "unsaved changes asks first" in bodies


async def test_what_to_expect_says_when_to_get_help(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, ChecklistScreen))
        note = app.screen.query_one("#reactions-get-help", Static)
        assert "urgent care now" in str(note.render()) and fully_visible(app, note)


# ------------------------------------------------------------------ 3. a save's alerts are in view


@pytest.mark.parametrize("size", [(80, 24), (80, 16), (100, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_alerts_a_save_raises_are_on_screen_when_it_completes(
    make_app, store: Store, frozen, size: tuple[int, int]
) -> None:
    seed_day_four(store)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_checkin_and_type(pilot, "6", "6")
        await pilot.press("ctrl+s")
        alerts = screen.query_one("#result-alerts", AlertList)
        await until(pilot, lambda: len(alerts.query(".alert")) == 3)

        def shown() -> list[Widget]:
            return [*alerts.query(".alert"), *alerts.query(".fallback")]

        await until(pilot, lambda: all(fully_visible(app, w) for w in shown()), "every alert in view")


async def test_in_a_tiny_terminal_the_first_alert_is_still_in_view(make_app, store: Store, frozen) -> None:
    seed_day_four(store)
    app = make_app()
    async with app.run_test(size=(60, 12)) as pilot:
        screen = await open_checkin_and_type(pilot, "6", "6")
        await pilot.press("ctrl+s")
        alerts = screen.query_one("#result-alerts", AlertList)
        await until(pilot, lambda: len(alerts.query(".alert")) == 3)
        await until(
            pilot, lambda: fully_visible(app, alerts.query(".alert").first()), "the first alert in view"
        )


# ------------------------------------------------------------------ 7. leaving an unsaved form asks


async def test_esc_from_a_check_in_with_unsaved_changes_asks_and_keep_editing_keeps_it(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkin_and_type(pilot, "9", "7")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UnsavedChangesModal))
        await pilot.press("escape")  # keep editing
        await until(pilot, lambda: app.screen is screen)
        assert screen.query_one("#soreness", Input).value == "9"
        assert screen.query_one("#fatigue", Input).value == "7"
    assert store.checkin_for(TODAY) is None


async def test_quitting_with_unsaved_changes_asks_and_discard_quits_without_saving(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin_and_type(pilot, "9", "7")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedChangesModal))
        await pilot.press("ctrl+q")  # asking again does not slip past the question
        await drained(pilot)
        assert isinstance(app.screen, UnsavedChangesModal) and app.is_running
        await pilot.press("d")
        await until(pilot, lambda: not app.is_running)
    assert store.checkin_for(TODAY) is None


async def test_another_screen_from_the_palette_asks_and_save_saves_then_goes(
    make_app, store: Store, frozen
) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkin_and_type(pilot, "3", "2")
        screen.query_one("#flare_up", Checkbox).focus()
        await pilot.press("h")  # a letter on a form screen is never another screen's key (issue 11)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        assert store.checkin_for(TODAY) is None
        await pilot.press(*"open the history")
        await until(pilot, lambda: first_command(app).startswith("Open the history"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UnsavedChangesModal))
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
    saved = store.checkin_for(TODAY)
    assert saved is not None and (saved.soreness, saved.fatigue) == (3, 2)


async def test_saving_on_the_way_out_stays_when_the_save_raises_alerts(
    make_app, store: Store, frozen
) -> None:
    seed_day_four(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkin_and_type(pilot, "6", "6")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UnsavedChangesModal))
        await pilot.press("s")
        await until(pilot, lambda: app.screen is screen and len(screen.query("#result-alerts .alert")) == 3)
        assert fully_visible(app, screen.query("#result-alerts .alert").first())
        await pilot.press("escape")  # saved now: leaving asks nothing
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
    assert store.checkin_for(TODAY) is not None


async def test_a_refused_value_on_the_way_out_keeps_the_patient_on_the_form(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkin_and_type(pilot, "12", "1")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UnsavedChangesModal))
        await pilot.press("s")
        await until(pilot, lambda: app.screen is screen)
        assert "must be from 0 to 10" in str(screen.query_one("#soreness-error", Static).render())
    assert store.checkin_for(TODAY) is None


async def test_the_palette_asks_too(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkin_and_type(pilot, "4", "4")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: app.screen.query("CommandInput"), "the command palette")
        await pilot.press(*"open the history")
        await until(pilot, lambda: "history" in first_command(app).lower(), "the history command")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UnsavedChangesModal))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)


async def test_an_unchanged_form_leaves_without_asking(make_app, store: Store, frozen) -> None:
    add_checkin(store, TODAY, 3, 2)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CheckinScreen))
        await until(pilot, lambda: app.screen.query_one("#soreness", Input).value == "3")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))


async def test_a_new_session_typed_then_left_asks_and_discard_records_nothing(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, NewSessionScreen))
        app.screen.query_one("#areas", Input).value = "neck"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UnsavedChangesModal))
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
    assert store.sessions() == []


async def test_the_plan_saves_each_tab_with_changes_on_the_way_out(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PlanScreen))
        plan = app.screen
        plan.query_one("#questions #text", Input).value = "Can I swim?"
        plan.query_one("#appointments #note", Input).value = "room 3"  # without a time: refused
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UnsavedChangesModal))
        await pilot.press("s")
        await until(pilot, lambda: app.screen is plan and plan.active_tab == "appointments")
        assert "When" in str(plan.query_one("#appointments #at-error", Static).render())
        assert [q.text for q in store.questions()] == []  # appointments come first: nothing saved yet
        plan.query_one("#appointments #note", Input).value = ""  # changed its mind about the follow-up
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UnsavedChangesModal))
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
    assert [q.text for q in store.questions()] == ["Can I swim?"]


# ------------------------------------------------------------------ 5, 8, 11: Today's alerts


async def test_today_says_which_check_in_an_alert_comes_from_and_drops_it_after_a_new_session(
    make_app, store: Store, frozen
) -> None:
    seed_day_four(store)
    add_checkin(store, dt.date(2026, 11, 21), 6, 6)  # yesterday: three alerts
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query("#alerts .from"))
        alerts = app.screen.query_one("#alerts", AlertList)
        assert str(alerts.query_one(".from", Static).render()) == "From your check-in on Sat 21 Nov:"
        assert len(alerts.query(".alert")) == 3
        assert "If you cannot reach the clinic" in str(alerts.query_one(".fallback", Static).render())
        add_session(store, at(2026, 11, 22, 9, 0))  # a new session this morning
        app.reload_status()
        await until(pilot, lambda: not alerts.display)


async def test_alerts_on_today_name_the_clinic_given_with_config(make_app, store: Store, frozen) -> None:
    seed_day_four(store)
    add_checkin(store, TODAY, 6, 6)
    store.update_settings(clinic_name="Leaside Physio", clinic_phone="+1 416 555 0100")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query("#alerts .reach"))
        reach = app.screen.query_one("#alerts .reach", Static)
        assert str(reach.render()) == "Call Leaside Physio: +1 416 555 0100"
        assert not app.screen.query("#alerts .from")  # today's check-in: no need to say which


async def test_the_anti_inflammatory_card_says_a_prescribed_medicine_is_not_stopped_alone(
    make_app, store: Store, frozen
) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.screen.query_one("#card-anti-inflammatories", RestrictionCard).tooltip)
        card = app.screen.query_one("#card-anti-inflammatories", RestrictionCard)
        assert "prescribed" in str(card.tooltip) and "beyond the three after-care articles" in str(
            card.tooltip
        )
        caffeine = app.screen.query_one("#card-caffeine", RestrictionCard)
        assert "companion's own" in str(caffeine.tooltip)


async def test_a_clinic_s_local_emergency_number_is_on_the_get_help_page(
    store: Store, make_app, frozen
) -> None:
    store.set_clinic_text(
        "schema = 1\n[[red_flag]]\nid = 'urgent-breathing'\nnote = 'In the UK, call 999.'\n"
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("exclamation_mark")
        await until(pilot, lambda: isinstance(app.screen, GetHelpScreen))
        assert "In the UK, call 999." in app.screen.query_one("#get-help-text").plain  # type: ignore[attr-defined]
