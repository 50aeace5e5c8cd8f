"""Issue 8, part 3, in the full-screen app: what a record or a clinic file says is shown
as typed (never as markup) and never as a terminal control sequence; numbers that are
not ASCII digits are a message under the field, not a closed app."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Label

from companion.context import open_context
from companion.core.appointments import Appointment
from companion.core.exercises import Exercise
from companion.core.intake import Intake
from companion.core.protocol import Clinic, Disagreement, Protocol, SourceView, default_protocol
from companion.core.questions import Question
from companion.store import Store
from companion.ui.app import CompanionApp, create_app
from companion.ui.screens.checkin_form import CheckinScreen
from companion.ui.screens.checklist import ChecklistScreen
from companion.ui.screens.get_help import GetHelpScreen
from companion.ui.screens.goal import GoalModal
from companion.ui.screens.help import HelpScreen
from companion.ui.screens.history import HistoryScreen
from companion.ui.screens.plan import PlanScreen
from companion.ui.screens.urgent import UrgentModal
from tests.ui.conftest import add_checkin, add_session, at
from tests.waiting import wait_for

TODAY = dt.date(2026, 11, 22)
SIZE = (120, 40)
OSC_TITLE = "\x1b]0;pwned\x07"
OSC_CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
HOSTILE = f"{OSC_TITLE}{OSC_CLIPBOARD}\x1b[2J\x9b31m\u202eevil\u202c\u2066x\u2069\x7f"
MARKUP = "[/] [bold]b[/bold] [link=http://x]y"
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


async def until(
    pilot: Pilot[int], condition: Callable[[], object], what: str = "the app to get there"
) -> None:
    await wait_for(pilot, condition, what=what)


def screen_shows(app: CompanionApp) -> str:
    """Everything on the terminal now (the screen, its dialogs and notices), as text."""
    return app.export_screenshot()


def shows(app: CompanionApp, literal: str) -> bool:
    return literal.replace(" ", "&#160;") in screen_shows(app)


def assert_harmless(app: CompanionApp, *literal: str) -> None:
    shown = screen_shows(app)
    found = TERMINAL_CONTROL.search(shown)
    assert found is None, f"{found.group(0)!r} reached the terminal on {type(app.screen).__name__}"
    for text in literal:
        assert text.replace(" ", "&#160;") in shown, (text, type(app.screen).__name__)


def hostile_protocol() -> Protocol:
    """The shipped protocol as a clinic file that got past the checks would make it."""
    base = default_protocol()
    bad = f" {MARKUP} {HOSTILE}"
    restrictions = tuple(
        dataclasses.replace(
            r,
            title=r.title + bad,
            avoid=r.avoid + bad,
            why=r.why + bad,
            ended=(r.ended + bad) if r.ended else "",
            origin="clinic",
            disagreement=Disagreement(
                "sources differ" + bad, (SourceView("000", "a" + bad), SourceView("001", "b"))
            )
            if r.disagreement
            else None,
        )
        for r in base.restrictions
    )
    checklist = tuple(
        dataclasses.replace(c, title=c.title + bad, detail=c.detail + bad, why=c.why + bad, origin="clinic")
        for c in base.checklist
    )
    reactions = tuple(
        dataclasses.replace(r, title=r.title + bad, detail=r.detail + bad, course=r.course + bad)
        for r in base.reactions
    )
    flags = tuple(
        dataclasses.replace(
            f,
            title=f.title + bad,
            message=f.message + bad,
            beyond_sources=f.beyond_sources + bad,
            origin="clinic",
        )
        for f in base.red_flags
    )
    return dataclasses.replace(
        base,
        disclaimer=base.disclaimer + bad,
        hydration=dataclasses.replace(base.hydration, extra_water_note=base.hydration.extra_water_note + bad),
        restrictions=restrictions,
        checklist=checklist,
        reactions=reactions,
        red_flags=flags,
        clinic=Clinic("Riverside" + bad, "+1 555" + bad),
        _flags_by_id={f.id: f for f in flags},
    )


def seed_markup_records(store: Store) -> None:
    """Records whose texts are valid but look like markup (as a patient may well type)."""
    add_session(store, at(2026, 11, 22, 8, 0), areas=("[bold]neck", MARKUP), note=MARKUP)
    store.add_appointment(Appointment("a1", at(2026, 11, 24, 9, 0), MARKUP))
    store.add_exercise(Exercise("e1", "[b]chin tucks", reps=10, per_day=1, note=MARKUP, since=TODAY))
    store.add_question(Question("q1", f"{MARKUP} can I swim?", at(2026, 11, 22, 9, 0)))
    store.add_intake(Intake("i1", "[red]wine", at(2026, 11, 22, 9, 30), MARKUP, None))
    add_checkin(store, TODAY, 3, 2, recorded=at(2026, 11, 22, 9, 45), breathing_trouble=True, note=MARKUP)


async def open_screen(pilot: Pilot[int], key: str, kind: type[Screen[None]]) -> None:
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, kind))


async def test_every_screen_shows_hostile_texts_harmlessly_and_markup_as_typed(store: Store, frozen) -> None:
    seed_markup_records(store)
    context = open_context(store)
    context.protocol = hostile_protocol()  # as if a clinic file had got past the checks
    app = create_app(context)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: bool(app.screen.query("#alerts Static")))
        assert_harmless(app, "[/] [bold]b[/bold]", "␛]0;pwned")  # alerts, appointment, cards

        await open_screen(pilot, "l", ChecklistScreen)
        assert_harmless(app, "[/] [bold]b")

        await open_screen(pilot, "h", HistoryScreen)
        await app.workers.wait_for_complete()
        await until(pilot, lambda: "day" in str(app.screen.query_one("#history-status").render()))
        assert_harmless(app, "[red]wine", "[b]chin tucks")  # the day's line tells what was taken
        await pilot.press("down")  # the session's row: its areas in the line under the table
        await until(pilot, lambda: "Session" in str(app.screen.query_one("#day-detail").render()))
        app.clear_notifications()  # a reminder's toast may cover the line's end
        await until(pilot, lambda: shows(app, "[bold]neck, [/] [bold]b[/bold]"), what="the areas as typed")
        assert_harmless(app, "[bold]neck, [/] [bold]b[/bold]")

        await open_screen(pilot, "p", PlanScreen)
        plan = app.screen
        assert isinstance(plan, PlanScreen)
        assert_harmless(app, "[/] [bold]b[/bold]")
        for tab, literal in (
            ("exercises", "[b]chin tucks"),
            ("questions", "can I swim?"),
            ("took", "[red]wine"),
        ):
            plan.show_tab(tab)
            await until(pilot, lambda literal=literal: shows(app, literal))  # type: ignore[misc]
            assert_harmless(app, literal)
        # Logging coffee in the caffeine pause says so in a notice that quotes the clinic's texts.
        plan.show_tab("took")
        plan.query_one("#took #what", Input).value = "coffee"
        await pilot.press("enter")
        await until(pilot, lambda: shows(app, "During a pause"))
        assert_harmless(app, "pwned")

        await pilot.press("escape")  # the focus is in a box: back to Today first
        await until(pilot, lambda: len(app.screen_stack) == 1)
        await open_screen(pilot, "question_mark", HelpScreen)
        assert_harmless(app, "[/] [bold]b")
        await open_screen(pilot, "f1", GetHelpScreen)  # when to get help: the clinic's texts too
        assert_harmless(app, "[/] [bold]b")
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))

        await open_screen(pilot, "c", CheckinScreen)
        await until(pilot, lambda: app.screen.query_one("#note", Input).value == MARKUP)
        assert_harmless(app)

        status = app.status
        assert status is not None and status.alerts
        urgent = next(a for a in status.alerts if a.urgent)
        await app.push_screen(UrgentModal(urgent))
        await until(pilot, lambda: isinstance(app.screen, UrgentModal))
        assert_harmless(app, "URGENT", "[/] [bold]b")
    assert app.return_code in (None, 0)  # the app did not close on any of it


async def test_notices_quote_texts_as_typed(make_app, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify(f"note {MARKUP} {HOSTILE}", title=f"title {OSC_TITLE}")
        await until(pilot, lambda: shows(app, "note"))
        assert_harmless(app, "note [/] [bold]b[/bold]", "title ␛]0;pwned")


async def test_a_zone_fallback_says_why(make_app, frozen, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "UTC+5")
    reason = "TZ='UTC+5' is not a time zone companion can read"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.screen.query_one("#zone-warning").display)
        assert reason in str(app.screen.query_one("#zone-warning").render())


@pytest.mark.parametrize("typed", ["²", "①", "٣", "３", "1_0"])
async def test_a_scale_that_is_not_ascii_digits_is_a_message_under_the_field(
    make_app, store: Store, frozen, typed
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "c", CheckinScreen)
        app.screen.query_one("#soreness", Input).value = typed
        app.screen.query_one("#fatigue", Input).value = "1"
        await pilot.press("ctrl+s")
        error = app.screen.query_one("#soreness-error", Label)
        await until(pilot, lambda: error.display)
        assert "Soreness" in str(error.render()) and "digits 0-9" in str(error.render())
        assert isinstance(app.screen, CheckinScreen)
    assert store.checkin_for(TODAY) is None


@pytest.mark.parametrize("typed", ["²", "①", "٨"])
async def test_a_goal_that_is_not_ascii_digits_is_a_message_in_the_dialog(
    make_app, store: Store, frozen, typed
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, GoalModal))
        app.screen.query_one("#goal", Input).value = typed
        await pilot.press("enter")
        error = app.screen.query_one("#goal-error", Label)
        await until(pilot, lambda: error.display)
        assert "digits 0-9" in str(error.render())
        assert isinstance(app.screen, GoalModal)
    assert store.settings().default_goal == 8


@pytest.mark.parametrize("typed", ["\x9b31m", "left\u202eright", "a\x7fb"])
async def test_a_form_refuses_control_characters_under_the_field(
    make_app, store: Store, frozen, typed
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "c", CheckinScreen)
        app.screen.query_one("#soreness", Input).value = "2"
        app.screen.query_one("#fatigue", Input).value = "1"
        app.screen.query_one("#note", Input).value = f"ok {typed}"
        await pilot.press("ctrl+s")
        error = app.screen.query_one("#note-error", Label)
        await until(pilot, lambda: error.display)
        assert "Note" in str(error.render()) and "U+" in str(error.render())
        assert_harmless(app)
    assert store.checkin_for(TODAY) is None
