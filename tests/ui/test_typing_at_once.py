"""A patient who types the moment a form opens loses no key.

Every form screen is opened and typed into at once: in the same burst as the key that
opens it (the way a quick typist, or a busy machine, has keys queued before the screen is
built), and the instant the screen becomes the current one. Every key must reach the
form's first box, and none may act on the screen below ('w' ticks water there, 'h' opens
the history).
"""

from __future__ import annotations

import pytest
from textual import events
from textual.css.query import NoMatches
from textual.widgets import Input, Static

from companion.store import Store
from companion.ui.app import FOCUS_KEYS, CompanionApp
from companion.ui.screens.checkin_form import CheckinScreen
from companion.ui.screens.checklist import ChecklistScreen
from companion.ui.screens.goal import GoalModal
from companion.ui.screens.new_session import NewSessionScreen
from companion.ui.screens.plan import TAB_KEYS, PlanScreen
from tests.ui.conftest import TODAY, add_checkin
from tests.waiting import drained, wait_for

SIZE = (100, 40)

# (how it opens, the screen, the box that must get the keys, what the patient types)
FORMS = [
    pytest.param("c", CheckinScreen, "soreness", "10", id="check-in"),
    pytest.param("s", NewSessionScreen, "started_at", "08:30", id="new-session"),
    pytest.param("g", GoalModal, "goal", "10", id="goal-dialog"),
    pytest.param("p", PlanScreen, "appointments #at", "2026-11-28T09:00", id="plan"),
    pytest.param("plan('appointments')", PlanScreen, "appointments #at", "wed 09:00", id="plan-follow-ups"),
    pytest.param("plan('exercises')", PlanScreen, "exercises #name", "wall walks", id="plan-exercises"),
    pytest.param("plan('questions')", PlanScreen, "questions #text", "why wait?", id="plan-questions"),
    pytest.param("plan('took')", PlanScreen, "took #what", "wine", id="plan-took"),
]


KEY_NAMES = {" ": "space", ":": "colon", "?": "question_mark", "-": "minus"}


def burst(app: CompanionApp, keys: str) -> None:
    """Send keys the way a terminal delivers a quick burst: all queued before any is handled
    (Pilot's `press` waits for the app to go idle after each key, so it cannot type ahead)."""
    for char in keys:
        app.post_message(events.Key(KEY_NAMES.get(char, char), char))


async def open_checkin(pilot, app: CompanionApp) -> None:  # type: ignore[no-untyped-def]
    """Press c and wait until the check-in is shown with Soreness holding the keyboard."""
    await pilot.press("c")
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, CheckinScreen) and app.focused is app.screen.query_one(Input),
        what="the check-in open, soreness focused",
    )


async def open_form(app: CompanionApp, pilot, opener: str, typed_ahead: str = "") -> None:  # type: ignore[no-untyped-def]
    """Press the screen's key, or run its action as the command palette does."""
    if len(opener) == 1:
        burst(app, opener + typed_ahead)
    else:
        await app.run_action(opener)
        burst(app, typed_ahead)


async def reaches(pilot, app: CompanionApp, box: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the box holds all of `text`; on failure say what it holds."""

    def value() -> str:
        return app.screen.query_one(f"#{box}", Input).value

    try:
        await wait_for(pilot, lambda: value() == text, what=f"{text!r} to reach #{box}")
    except AssertionError as exc:
        try:
            shown = f"#{box} holds {value()!r} on {type(app.screen).__name__}"
        except NoMatches:
            shown = f"the screen is {type(app.screen).__name__}"
        raise AssertionError(f"{exc}: {shown}") from None


@pytest.mark.parametrize(("opener", "kind", "box", "text"), FORMS)
async def test_keys_typed_ahead_with_the_key_that_opens_a_form_all_reach_its_first_box(
    make_app, store: Store, frozen, opener: str, kind: type, box: str, text: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_form(app, pilot, opener, typed_ahead=text)
        await reaches(pilot, app, box, text)
        assert isinstance(app.screen, kind)
    assert store.hydration_day(TODAY).glasses == 0  # no 'w' fell through to the water key


@pytest.mark.parametrize(("opener", "kind", "box", "text"), FORMS)
async def test_keys_typed_the_moment_a_form_becomes_the_screen_all_reach_its_first_box(
    make_app, store: Store, frozen, opener: str, kind: type, box: str, text: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        typed: list[object] = []

        def type_at_once(screen: object) -> None:
            if isinstance(screen, kind) and not typed:
                typed.append(screen)
                burst(app, text)  # before the screen has even been built

        app.screen_change_signal.subscribe(app, type_at_once, immediate=True)
        await open_form(app, pilot, opener)
        await reaches(pilot, app, box, text)
        assert typed == [app.screen]
    assert store.hydration_day(TODAY).glasses == 0


async def test_typing_into_a_reopened_check_in_replaces_the_saved_soreness(
    make_app, store: Store, frozen
) -> None:
    add_checkin(store, TODAY, 8, 3)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "c5")
        await reaches(pilot, app, "soreness", "5")  # the saved 8 is selected, as on focus: not '85'


async def test_space_typed_ahead_into_the_checklist_ticks_its_first_item(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "l ")
        await wait_for(pilot, lambda: store.checklist_day(TODAY).done, what="an item ticked and saved")
        assert isinstance(app.screen, ChecklistScreen)
    assert store.checklist_day(TODAY).done == frozenset({"rest"})


def burst_keys(app: CompanionApp, keys: list[tuple[str, str | None]]) -> None:
    """Like `burst`, with named keys (tab) among the characters."""
    for key, character in keys:
        app.post_message(events.Key(key, character))


async def test_a_quick_typist_tabs_from_box_to_box_as_the_check_in_opens(
    make_app, store: Store, frozen
) -> None:
    """'c', '2', Tab, '1', Tab, '3' in one burst: soreness 2, fatigue 1, stiffness 3 (once,
    the 1 and the 3 went to soreness too: the Tab acted after the keys behind it were routed)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        burst_keys(
            app,
            [("c", "c"), ("2", "2"), ("tab", "\t"), ("1", "1"), ("tab", "\t"), ("3", "3")],
        )
        await reaches(pilot, app, "stiffness", "3")
        assert app.screen.query_one("#soreness", Input).value == "2"
        assert app.screen.query_one("#fatigue", Input).value == "1"


async def test_a_quick_typist_tabs_from_box_to_box_in_a_check_in_already_open(
    make_app, store: Store, frozen
) -> None:
    """'0', Tab, '1', Tab, '0' in one burst, into the open form (seen in tmux on a busy
    machine: 110 in soreness). Routed like any key, each Tab acted only after the keys
    behind it had been routed to the box it was leaving."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_checkin(pilot, app)
        burst_keys(app, [("0", "0"), ("tab", "\t"), ("1", "1"), ("tab", "\t"), ("0", "0")])
        await reaches(pilot, app, "stiffness", "0")
        assert app.screen.query_one("#soreness", Input).value == "0"  # once '010': read as 10, severe pain
        assert app.screen.query_one("#fatigue", Input).value == "1"
        burst_keys(app, [("shift+tab", None), ("shift+tab", None), ("2", "2")])  # back: selects what is there
        await reaches(pilot, app, "soreness", "2")
        assert app.screen.query_one("#stiffness", Input).value == "0"


async def test_tabbing_through_a_reopened_check_in_replaces_each_saved_value(
    make_app, store: Store, frozen
) -> None:
    """Each box selects what it holds as the Tab reaches it, so typing replaces it: 'c 3 Tab 2
    Tab 1' over a saved 0, 1 once gave fatigue 12."""
    add_checkin(store, TODAY, 0, 1)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        burst_keys(app, [("c", "c"), ("3", "3"), ("tab", "\t"), ("2", "2"), ("tab", "\t"), ("1", "1")])
        await reaches(pilot, app, "stiffness", "1")
        assert app.screen.query_one("#soreness", Input).value == "3"
        assert app.screen.query_one("#fatigue", Input).value == "2"


async def test_keys_typed_with_a_plan_tab_key_reach_that_tab_s_first_box(
    make_app, store: Store, frozen
) -> None:
    """'p', F3, 'wall', Tab, '3' in one burst: the exercise's name and sets (in tmux, 'wall'
    went to the follow-up's When box, left behind). Pilot's app passes this on the old code
    too: tests/test_tmux_real_terminal.py drives the real terminal."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        burst_keys(app, [("p", "p"), ("f3", None), *[(c, c) for c in "wall"], ("tab", "\t"), ("3", "3")])
        await reaches(pilot, app, "exercises #name", "wall")
        await reaches(pilot, app, "exercises #sets", "3")
        assert app.screen.query_one("#appointments #at", Input).value == ""


def test_every_plan_tab_key_holds_the_keys_typed_after_it() -> None:
    assert set(TAB_KEYS) <= FOCUS_KEYS


async def test_keys_after_a_tab_a_widget_keeps_go_on_behind_the_marker(
    make_app, store: Store, frozen, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a box keep a Tab (none of companion's does), the keys typed after it must not
    wait forever: the marker sent behind the Tab lets them go (the timer is put far off)."""
    import companion.ui.app as app_module

    monkeypatch.setattr(app_module, "FOCUS_KEY_LOST_SECONDS", 600.0)
    original = Input._on_key

    async def keeps_tabs(self: Input, event: events.Key) -> None:
        if event.key == "tab":
            event.stop()
            return
        await original(self, event)

    monkeypatch.setattr(Input, "_on_key", keeps_tabs)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_checkin(pilot, app)
        burst_keys(app, [("1", "1"), ("tab", "\t"), ("5", "5")])
        await reaches(pilot, app, "soreness", "15")


async def test_the_lost_tab_timer_lets_keys_go_only_once_the_box_the_tab_went_to_is_gone(
    make_app, store: Store, frozen
) -> None:
    """On a loaded machine a Tab once took longer to get through the box than the timer meant
    for a lost Tab: the key behind it went to the box it was leaving (in CI, an exercise's
    sets stayed empty). The timer lets the keys go only when the box (or screen) the Tab was
    sent to is gone; while it is there, the Tab is on its way and the keys wait."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_checkin(pilot, app)
        soreness = app.screen.query_one("#soreness", Input)
        app._focus_key_in_flight = flight = 99  # a Tab sent to soreness, not back yet
        app._after_focus_key = [events.Key("5", "5")]
        app._focus_key_lost(flight, soreness)  # the timer: soreness is still there
        await drained(pilot)
        assert app._focus_key_in_flight == flight and soreness.value == ""  # the 5 waits
        gone = Static()  # never mounted: like a box removed with the Tab in its queue
        app._focus_key_lost(flight, gone)
        await reaches(pilot, app, "soreness", "5")
        assert app._focus_key_in_flight == 0
