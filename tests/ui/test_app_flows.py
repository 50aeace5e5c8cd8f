"""What a patient does in the full-screen app, driven with Textual's Pilot."""

from __future__ import annotations

import datetime as dt
import io

import pendulum
import pytest
from rich.console import Console
from textual.command import CommandPalette
from textual.widgets import DataTable, Header, Input, Static

from companion.core.checklist import ChecklistDay
from companion.store import Store, StoreError
from companion.ui.screens.checkin_form import CheckinScreen
from companion.ui.screens.checklist import ChecklistScreen
from companion.ui.screens.dashboard import DashboardScreen
from companion.ui.screens.goal import GoalModal
from companion.ui.screens.help import HelpScreen
from companion.ui.screens.history import HistoryScreen
from companion.ui.screens.new_session import NewSessionScreen
from companion.ui.screens.urgent import UrgentModal
from companion.ui.widgets.countdown import RestrictionCard
from companion.ui.widgets.hydration import WaterTracker
from companion.ui.widgets.key_footer import KeyLine
from tests.ui.conftest import TODAY, add_checkin, add_session, at, first_command, history_loaded, shown
from tests.waiting import drained, wait_for

SIZE = (100, 40)


def as_text(renderable: object) -> str:
    """What a Rich renderable says, as plain text on one wide line per row."""
    console = Console(width=300, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(renderable)
    return " ".join(capture.get().split())


def text_of(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(selector, Static).render())


async def test_welcome_before_first_session_leads_to_recording_one(make_app, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, DashboardScreen)
        welcome = text_of(app, "#welcome-text")
        assert "not a clinician" in welcome
        assert app.screen.query_one("#welcome").display
        await pilot.click("#welcome-session")
        await shown(pilot, NewSessionScreen)


async def test_ticking_water_persists(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w", "w")
        await wait_for(pilot, lambda: app.screen.query_one(WaterTracker).glasses == 2, what="2 glasses shown")
    assert store.hydration_day(TODAY).glasses == 2


async def test_clicking_the_water_row_ticks_a_glass(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click(WaterTracker)
        await wait_for(pilot, lambda: store.hydration_day(TODAY).glasses == 1, what="the glass saved")
    assert store.hydration_day(TODAY).glasses == 1


async def test_changing_the_water_goal(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await shown(pilot, GoalModal)
        goal_input = app.screen.query_one("#goal", Input)
        goal_input.value = ""
        await pilot.press("1", "0", "enter")
        await wait_for(pilot, lambda: app.screen.query_one(WaterTracker).goal == 10, what="the goal of 10")
    assert store.hydration_day(TODAY).goal == 10
    assert store.settings().default_goal == 10


async def test_extra_water_reminder_shows_in_the_first_day(make_app, store: Store, frozen) -> None:
    add_session(store, at(2026, 11, 21, 16, 30))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot,
            lambda: "drink more water" in app.screen.query_one(WaterTracker).extra_note,
            what="the extra water note",
        )


async def test_recording_a_session_earlier_today_shows_end_times(
    make_app, store: Store, frozen, notes
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.press("s")
        await shown(pilot, NewSessionScreen)
        app.screen.query_one("#started_at", Input).value = "08:30"
        app.screen.query_one("#areas", Input).value = "neck, upper back"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: text_of(app, "#session-result"), what="the session's end times")
        assert "Alcohol: avoid until Mon 08:30" in text_of(app, "#session-result")
        await pilot.press("ctrl+s")  # "to be sure": must not record it twice
        await notes.arrived(pilot, "saved already")
        await pilot.press("escape")
        await shown(pilot, DashboardScreen)
        await wait_for(pilot, lambda: len(app.screen.query(RestrictionCard)) == 4, what="4 countdowns")
        cards = list(app.screen.query(RestrictionCard))
        assert cards[0].seconds_left == 22 * 3600 + 30 * 60
    [session] = store.sessions()
    assert session.started_at == at(2026, 11, 22, 8, 30)
    assert session.areas == ("neck", "upper back")


async def test_a_session_long_ago_is_saved_with_a_word_about_the_date(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await shown(pilot, NewSessionScreen)
        app.screen.query_one("#started_at", Input).value = "2025-11-01T10:00"  # a slip of the year
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: text_of(app, "#session-result"), what="the saved session")
        result = text_of(app, "#session-result")
        assert "ago: if the date is wrong" in result
        assert "no longer needed" in result and "go easy while the others last" not in result
    assert len(store.sessions()) == 1


async def test_a_session_in_the_future_is_refused_in_place(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await shown(pilot, NewSessionScreen)
        app.screen.query_one("#started_at", Input).value = "23:30"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query_one("#started_at-error").display, what="the error")
        error = app.screen.query_one("#started_at-error")
        assert "When:" in str(error.render())
        assert "future" in str(error.render())
    assert store.sessions() == []


async def test_check_in_saves_and_prefills_when_reopened(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await shown(pilot, CheckinScreen)
        await pilot.press("3", "tab", "2", "tab", "1")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: text_of(app, "#result-text"), what="the saved check-in")
        assert "No alert from these answers. If something feels unusual" in text_of(app, "#result-text")
        await pilot.press("escape")
        await shown(pilot, DashboardScreen)
        assert "Done for today" in text_of(app, "#checkin-status")
        await pilot.press("c")
        await shown(pilot, CheckinScreen)
        assert app.screen.query_one("#soreness", Input).value == "3"
        assert app.screen.query_one("#stiffness", Input).value == "1"
    saved = store.checkin_for(TODAY)
    assert saved is not None and (saved.soreness, saved.fatigue, saved.stiffness) == (3, 2, 1)


async def test_check_in_out_of_range_names_the_field(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await shown(pilot, CheckinScreen)
        await pilot.press("1", "1", "tab", "2", "ctrl+s")
        await wait_for(pilot, lambda: app.screen.query_one("#soreness-error").display, what="the error")
        error = app.screen.query_one("#soreness-error")
        assert str(error.render()).startswith("Soreness:")
        soreness = app.screen.query_one("#soreness")
        await wait_for(pilot, lambda: app.screen.focused is soreness, what="the focus back on Soreness")
    assert store.checkin_for(TODAY) is None


async def test_check_in_on_day_four_flags_long_soreness(make_app, store: Store, frozen, notes) -> None:
    add_session(store, at(2026, 11, 18, 10, 0))
    app = make_app()

    def alerts(selector: str) -> str:
        return " ".join(str(w.render()) for w in app.screen.query(selector))

    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.press("c")
        await shown(pilot, CheckinScreen)
        await pilot.press("4", "tab", "1", "ctrl+s")
        await wait_for(pilot, lambda: "72 hours" in alerts("#result-alerts .alert"), what="the alert")
        assert "Saved the check-in for Sun 22 Nov, at 10:00." in text_of(app, "#result-text")
        # the alerts are under the check-in, once; the notice only points there
        await notes.arrived(pilot, "What to do is at the top of the form")
        assert not any("72 hours" in n for n in await notes.settled(pilot))
        await pilot.press("escape")
        await shown(pilot, DashboardScreen)
        banner = alerts("#alerts .alert")
        assert "Contact your physiotherapist" in banner
        assert app.status is not None and [a.id for a in app.status.alerts] == ["long-soreness"]


async def test_urgent_breathing_opens_modal_that_must_be_acknowledged(
    make_app, store: Store, frozen, notes
) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.press("c")
        await shown(pilot, CheckinScreen)
        await pilot.press("2", "tab", "2")
        await pilot.click("#breathing_trouble")
        await pilot.press("ctrl+s")
        await shown(pilot, UrgentModal)
        await notes.settled(pilot)
        assert not any("After this check-in" in n.title for n in notes.shown)  # nothing over it
        await pilot.press("escape", "w")
        await drained(pilot)
        assert isinstance(app.screen, UrgentModal)  # escape and other keys do not close it
        await pilot.press("enter")
        await shown(pilot, CheckinScreen)
        await pilot.press("escape")
        await shown(pilot, DashboardScreen)
        urgent = app.screen.query("#alerts .alert.-urgent")
        assert urgent and "URGENT" in str(urgent.first().render())
    assert store.hydration_day(TODAY).glasses == 0


async def test_countdown_reaching_zero_notifies_and_settles(make_app, store: Store, notes) -> None:
    add_session(store, at(2026, 11, 21, 10, 30))
    app = make_app()

    def card() -> RestrictionCard:
        return app.screen.query_one("#card-alcohol", RestrictionCard)

    with pendulum.travel_to(at(2026, 11, 22, 10, 29, 58), freeze=True):
        async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
            await wait_for(pilot, lambda: card().seconds_left is not None, what="the alcohol countdown")
            assert card().seconds_left == 2
            with pendulum.travel_to(at(2026, 11, 22, 10, 30, 1), freeze=True):
                app.tick()
                await wait_for(pilot, lambda: card().has_class("-done"), what="the countdown done")
                assert card().seconds_left == 0
                await notes.arrived(pilot, "fine again from now")
                ended = [n for n in await notes.settled(pilot) if "fine again from now" in n]
                assert len(ended) == 1  # one notice for the restrictions ending together
                assert "Alcohol is fine again from now." in ended[0]
                assert "Caffeine is fine again from now." in ended[0]
                assert "Restrictions over" in str(app.screen.query_one("#restrictions").border_title)


async def test_countdown_never_grows_when_the_clock_moves_back(make_app, store: Store, frozen) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:

        def left() -> int | None:
            return app.screen.query_one("#card-alcohol", RestrictionCard).seconds_left

        await wait_for(pilot, lambda: left() is not None, what="the alcohol countdown")
        before = left()
        with pendulum.travel_to(at(2026, 11, 22, 9, 0), freeze=True):
            app.tick()
            await drained(pilot)
        assert left() == before


async def test_midnight_rollover_resets_water(make_app, store: Store) -> None:
    with pendulum.travel_to(at(2026, 11, 22, 23, 59, 50), freeze=True):
        add_checkin(store, TODAY, 2, 1, recorded=at(2026, 11, 22, 20, 0))
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:

            def glasses() -> int:
                return app.screen.query_one(WaterTracker).glasses

            await pilot.press("w", "w", "w")
            await wait_for(pilot, lambda: glasses() == 3, what="3 glasses")
            assert "Done for today" in text_of(app, "#checkin-status")
            with pendulum.travel_to(at(2026, 11, 23, 0, 0, 5), freeze=True):
                app.tick()
                await wait_for(pilot, lambda: glasses() == 0, what="a new day's water")
                assert "Due" in text_of(app, "#checkin-status")
                await pilot.press("w")
                await wait_for(pilot, lambda: glasses() == 1, what="the new day's glass")
    assert store.hydration_day(TODAY).glasses == 3
    assert store.hydration_day(TODAY + dt.timedelta(days=1)).glasses == 1


async def test_cli_change_shows_up(make_app, data_dir, protocol, frozen) -> None:
    app = make_app()
    other = Store(data_dir, default_goal=protocol.hydration.default_goal)  # another process
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, DashboardScreen)
        other.update_hydration(TODAY, lambda h: h.add(4))
        app.poll_store()
        await wait_for(pilot, lambda: app.screen.query_one(WaterTracker).glasses == 4, what="4 glasses")


async def test_failed_save_keeps_input(make_app, store: Store, frozen, monkeypatch, notes) -> None:
    def broken(_checkin: object) -> None:
        raise StoreError("the disk is full")

    monkeypatch.setattr(store, "save_checkin", broken)
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.press("c")
        await shown(pilot, CheckinScreen)
        await pilot.press("5", "tab", "4", "ctrl+s")
        await notes.arrived(pilot, "the disk is full")
        assert isinstance(app.screen, CheckinScreen)
        assert app.screen.query_one("#soreness", Input).value == "5"
        assert app.screen.query_one("#fatigue", Input).value == "4"
    assert store.checkin_for(TODAY) is None


async def test_failed_water_tick_says_why(make_app, store: Store, frozen, monkeypatch, notes) -> None:
    def broken(*_args: object) -> None:
        raise StoreError("the data folder is read-only")

    monkeypatch.setattr(store, "update_hydration", broken)
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.press("w")
        await notes.arrived(pilot, "read-only")


async def test_ticking_a_checklist_item_persists(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await shown(pilot, ChecklistScreen)
        await pilot.press("space", "down", "down")
        await wait_for(pilot, lambda: store.checklist_day(TODAY).done, what="the ticked item saved")
        detail = text_of(app, "#item-detail")
        assert "Why it helps" in detail and "sources" in detail
    assert store.checklist_day(TODAY).done == frozenset({"rest"})


async def test_checklist_shows_what_was_ticked_before(make_app, store: Store, frozen) -> None:
    store.update_checklist(TODAY, lambda d: ChecklistDay(d.date, frozenset({"hydrate"})))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await shown(pilot, ChecklistScreen)
        assert app.screen.query_one("#items").selected == ["hydrate"]  # type: ignore[attr-defined]


async def test_history_groups_days_by_session_and_opens_a_day(make_app, store: Store, frozen) -> None:
    add_session(store, at(2026, 11, 10, 9, 0))
    add_session(store, at(2026, 11, 19, 9, 0))
    for offset, sore in enumerate((6, 4, 2, 1)):
        add_checkin(store, dt.date(2026, 11, 19) + dt.timedelta(days=offset), sore, 2)
        add_checkin(store, dt.date(2026, 11, 10) + dt.timedelta(days=offset), sore + 1, 3)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await history_loaded(pilot)
        table = app.screen.query_one("#days", DataTable)
        first = table.get_row_at(0)
        assert first[0] == "Sun 22 Nov" and first[1] == "day 3" and first[2] == "1"
        labels = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert labels.count("● session") == 2
        assert len(app.screen.query_one("#chart").series) == 2  # type: ignore[attr-defined]
        await pilot.press("down", "enter")
        await shown(pilot, CheckinScreen)
        assert app.screen.day == dt.date(2026, 11, 21)
        assert app.screen.query_one("#soreness", Input).value == "2"


async def test_history_names_alerts_in_words(make_app, store: Store, frozen) -> None:
    add_session(store, at(2026, 11, 18, 9, 0))
    for offset, sore in enumerate((5, 4, 4, 6)):  # still sore on day 4, and worse
        add_checkin(store, dt.date(2026, 11, 19) + dt.timedelta(days=offset), sore, 6)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await history_loaded(pilot)
        newest = app.screen.query_one("#days", DataTable).get_row_at(0)
        assert str(newest[8]) == "3 alerts"  # 100 columns: counted in the table,
        said = text_of(app, "#day-detail")  # and named in words in the line under it
        for title in ("Soreness lasting more than 72 hours", "Symptoms getting worse", "Tiredness lasting"):
            assert title in said
        assert "long-soreness" not in said
    async with make_app().run_test(size=(120, 40)) as pilot:  # wide enough: the short names in a column
        await pilot.press("h")
        await history_loaded(pilot)
        alerts = str(pilot.app.screen.query_one("#days", DataTable).get_row_at(0)[9])
        assert "sore >72 h" in alerts and "getting worse" in alerts and "tired >48 h" in alerts


async def test_help_shows_keys_data_folder_and_disclaimer(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await shown(pilot, HelpScreen)
        body = " ".join(str(w.render()) for w in app.screen.query(".help-body"))
        assert "not a clinician" in body
        assert str(store.data_dir)[:30] in body.replace("\n", "")
        # every key (p opens the plan), and each restriction with what every source says about how long
        plain = " ".join(as_text(w.content) for w in app.screen.query(".help-body").results(Static))
        assert "p your plan" in plain
        assert "Source 000 says: for the rest of the day" in plain
        assert "Source 002 says: a day or two" in plain
        assert "companion counts: 24 h (standard session), 48 h (intense session)" in plain
        assert "not a clinician" in app.screen.query_one(Header).screen_sub_title


@pytest.mark.parametrize("key", ["c", "l", "h", "s", "question_mark"])
async def test_escape_goes_back_to_today(make_app, frozen, key: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await wait_for(
            pilot, lambda: not isinstance(app.screen, DashboardScreen) and app.screen.is_mounted, what=key
        )
        await pilot.press("escape")
        await shown(pilot, DashboardScreen)


async def test_footer_shows_every_key_and_a_click_presses_it(make_app, store: Store, frozen) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, DashboardScreen)
        line = app.screen.query_one(KeyLine)
        keys = line.render().plain
        labels = ("w Water", "c Check-in", "l List", "h History", "s Session", "p Plan", "? Help", "q Quit")
        for label in labels:
            assert label in keys
        water = keys.index(" w Water")
        await pilot.click(KeyLine, offset=(water + 3, 0))
        await wait_for(pilot, lambda: store.hydration_day(TODAY).glasses == 1, what="the glass saved")
        history = keys.index(" h History")
        assert line.entry_at(history) is not None and line.entry_at(len(keys) + 5) is None
        await pilot.click(KeyLine, offset=(history + 1, 0))
        await shown(pilot, HistoryScreen)
        assert "o Course" in app.screen.query_one(KeyLine).render().plain  # each screen has its own


@pytest.mark.parametrize(
    ("key", "screen"),
    [
        ("c", CheckinScreen),
        ("l", ChecklistScreen),
        ("h", HistoryScreen),
        ("s", NewSessionScreen),
        ("question_mark", HelpScreen),
    ],
)
async def test_pressing_a_screens_key_again_keeps_that_screen(
    make_app, store: Store, frozen, key, screen
) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        first = await shown(pilot, screen)
        first.set_focus(None)  # so the key reaches the app, not a text box
        await pilot.press(key, key)
        await drained(pilot)
        assert app.is_running
        assert app.screen is first  # the same screen: nothing typed there is lost


async def test_a_check_in_being_typed_survives_pressing_c_again(make_app, store: Store, frozen) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        first = await shown(pilot, CheckinScreen)
        app.screen.query_one("#soreness", Input).value = "7"
        app.screen.set_focus(None)
        await pilot.press("c")
        await drained(pilot)
        assert app.screen is first
        assert app.screen.query_one("#soreness", Input).value == "7"


async def test_theme_choice_is_remembered(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await wait_for(pilot, lambda: store.settings().theme == "nord", what="the theme remembered")
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await shown(pilot, DashboardScreen)
        assert again.theme == "nord"


async def test_damaged_file_notice_is_shown_at_start(make_app, store: Store, frozen, notes) -> None:
    store.notice("companion.json was damaged; the backup from 2026-11-21 was restored.")
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await notes.arrived(pilot, "was damaged")


async def test_unknown_time_zone_is_pointed_out(make_app, frozen, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "Nowhere/Atlantis")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one("#zone-warning").display, what="the warning")
        warning = app.screen.query_one("#zone-warning")
        assert "companion config --timezone" in str(warning.render())


async def test_command_palette_offers_the_main_actions(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await shown(pilot, CommandPalette)
        await pilot.press(*"tick a glass")
        await wait_for(pilot, lambda: first_command(app).startswith("Tick a glass"), what="the command")
        await pilot.press("enter")
        await wait_for(pilot, lambda: store.hydration_day(TODAY).glasses == 1, what="the glass saved")


async def test_works_with_no_color_in_a_small_terminal(make_app, store: Store, frozen, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await wait_for(pilot, lambda: store.hydration_day(TODAY).glasses == 1, what="the glass saved")
        for key, screen in (
            ("c", CheckinScreen),
            ("l", ChecklistScreen),
            ("h", HistoryScreen),
            ("s", NewSessionScreen),
            ("question_mark", HelpScreen),
        ):
            await pilot.press(key)
            await shown(pilot, screen)
            await pilot.press("escape")
            await shown(pilot, DashboardScreen)
    assert store.hydration_day(TODAY).glasses == 1


async def test_a_save_while_another_process_saves_says_busy_instead_of_freezing(
    make_app, store: Store, frozen, notes
) -> None:
    import fcntl

    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await shown(pilot, DashboardScreen)
        assert store.lock_timeout <= 1.0  # the screen waits at most this long
        with open(store.data_dir / ".lock", "a+") as held:  # another process's save, under way
            fcntl.flock(held, fcntl.LOCK_EX)
            await pilot.press("w")
            busy = await notes.arrived(pilot, "not ticked")
            fcntl.flock(held, fcntl.LOCK_UN)
        assert "busy" in busy.message
        await pilot.press("w")  # and once it is free, the next tick saves
        await wait_for(pilot, lambda: store.hydration_day(TODAY).glasses == 1, what="the glass saved")
    assert store.hydration_day(TODAY).glasses == 1


async def test_a_refusal_about_the_day_is_shown_on_the_form_not_a_crash(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, DashboardScreen)
        # a form left open for a day that is not here yet (the clock was set back, say)
        await app.push_screen(CheckinScreen(store, app.protocol, TODAY + dt.timedelta(days=1)))
        app.screen.query_one("#soreness", Input).value = "3"
        app.screen.query_one("#fatigue", Input).value = "2"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: text_of(app, "#soreness-error"), what="the error under Soreness")
        assert app.is_running and isinstance(app.screen, CheckinScreen)
        assert "in the future" in text_of(app, "#soreness-error")
    assert store.checkin_for(TODAY + dt.timedelta(days=1)) is None
