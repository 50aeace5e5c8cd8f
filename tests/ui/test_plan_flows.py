"""Issue 4 in the app: the clinic's own protocol, follow-ups, exercises, questions, intake, reminders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest
from textual.command import CommandPalette
from textual.widgets import Input, OptionList, SelectionList, Static

from companion.context import open_context
from companion.core.exercises import new_exercise
from companion.core.protocol import Protocol
from companion.core.questions import new_question
from companion.store import Store, StoreError
from companion.ui.app import CompanionApp, create_app
from companion.ui.screens.checklist import ChecklistScreen
from companion.ui.screens.dashboard import DashboardScreen
from companion.ui.screens.plan import PlanScreen
from companion.ui.widgets.caution import CautionCard
from companion.ui.widgets.countdown import RestrictionCard
from tests.ui.conftest import (
    TODAY,
    add_checkin,
    add_session,
    at,
    first_command,
    history_loaded,
    seeded_appointment,
    showing,
    shown,
)
from tests.waiting import wait_for

SIZE = (100, 40)
CLINIC_FILE = Path(__file__).resolve().parents[2] / "assets" / "clinic-example.toml"


def clinic_app(store: Store) -> tuple[CompanionApp, Protocol]:
    store.set_clinic_text(CLINIC_FILE.read_text(encoding="utf-8"))
    app = create_app(open_context(store))
    return app, app.protocol


def text_of(app: CompanionApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def options(app: CompanionApp, selector: str) -> list[str]:
    widget = app.screen.query_one(selector, OptionList)
    return [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]


async def plan_shown(pilot, tab: str) -> PlanScreen:  # type: ignore[no-untyped-def]
    """The plan is shown on `tab`, its first box focused."""
    app = pilot.app
    await wait_for(
        pilot,
        lambda: showing(app, PlanScreen) and app.screen.active_tab == tab,  # type: ignore[attr-defined]
        what=f"the plan on its {tab!r} tab",
    )
    return app.screen  # type: ignore[no-any-return]


# ---------------------------------------------------------------- the clinic's own protocol


async def test_clinic_items_say_as_instructed_by_the_clinic(store: Store, frozen) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app, _protocol = clinic_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one("#card-sauna"), what="the countdowns")
        alcohol = app.screen.query_one("#card-alcohol", RestrictionCard)
        assert "as instructed by Riverside Physiotherapy" in alcohol.render().plain
        assert app.screen.query_one("#card-sauna", RestrictionCard).clinic == "Riverside Physiotherapy"
        assert "as instructed" not in app.screen.query_one("#card-caffeine", RestrictionCard).render().plain
        assert all(not card.clinic for card in app.screen.query(CautionCard))  # untimed: guidance only
        await pilot.press("l")
        await shown(pilot, ChecklistScreen)
        items = app.screen.query_one("#items", SelectionList)
        prompts = [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]
        assert "Cool the treated area (as instructed by Riverside Physiotherapy)" in prompts
        assert not any("nourish" in p.lower() for p in prompts)
        items.highlighted = prompts.index("Cool the treated area (as instructed by Riverside Physiotherapy)")
        await wait_for(
            pilot,
            lambda: "As instructed by Riverside Physiotherapy" in text_of(app, "#item-detail"),
            what="the clinic's item explained",
        )


async def test_clinic_red_flag_alert_names_the_clinic_and_its_phone(store: Store, frozen) -> None:
    add_session(store, at(2026, 11, 17, 10, 0))
    for offset in range(6):
        add_checkin(store, dt.date(2026, 11, 17) + dt.timedelta(days=offset), 5, 2)
    app, _protocol = clinic_app(store)
    async with app.run_test(size=SIZE) as pilot:

        def alert_text() -> str:
            return " ".join(str(w.render()) for w in app.screen.query("#alerts .alert"))

        await wait_for(pilot, lambda: app.screen.query("#alerts .reach"), what="the clinic's phone")
        banner = alert_text()
        assert "as instructed by Riverside Physiotherapy" in banner
        reach = " ".join(str(w.render()) for w in app.screen.query("#alerts .reach"))
        assert reach == "Call Riverside Physiotherapy: +44 20 7946 0000"  # once, under the alerts


# ---------------------------------------------------------------- follow-up appointments


async def test_appointment_in_another_zone_shows_local_time_and_counts_down(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, DashboardScreen)
        assert "press p" in text_of(app, "#next-appointment")
        await pilot.press("p")
        plan = await plan_shown(pilot, "appointments")
        assert plan.focused is plan.query_one("#appointments #at")
        await pilot.press(*"2026-11-28T09:00-05:00", "tab", *"Dr Lee", "enter")
        expected = ["Sat 28 Nov 15:00 (in 6 d 5 h)  Dr Lee"]
        await wait_for(
            pilot, lambda: options(app, "#appointments-list") == expected, what="the follow-up listed"
        )
        await pilot.press("escape")
        await shown(pilot, DashboardScreen)
        assert text_of(app, "#next-appointment") == "Next follow-up: Sat 28 Nov 15:00, in 6 d 5 h (Dr Lee)"
        with pendulum.travel_to(at(2026, 11, 27, 17, 34), freeze=True):
            app.screen.show_appointment()  # type: ignore[attr-defined]
            line = "Next follow-up: Sat 15:00, in 21 h 26 min (Dr Lee)"
            await wait_for(pilot, lambda: text_of(app, "#next-appointment") == line, what=line)
    [saved] = store.appointments()
    assert saved.at == pendulum.datetime(2026, 11, 28, 14, 0, tz="UTC")


async def test_a_past_or_garbled_follow_up_is_refused_in_place(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await plan_shown(pilot, "appointments")
        await pilot.press(*"next tuesday", "enter")
        await wait_for(
            pilot, lambda: app.screen.query_one("#appointments #at-error").display, what="the error"
        )
        assert text_of(app, "#appointments #at-error").startswith("When:")
        assert app.screen.query_one("#appointments #at", Input).value == "next tuesday"
        app.screen.query_one("#appointments #at", Input).value = "09:00"
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: "already passed" in text_of(app, "#appointments #at-error"),
            what="'already passed'",
        )
    assert store.appointments() == []


async def test_removing_a_follow_up(make_app, store: Store, frozen) -> None:
    store.add_appointment(seeded_appointment(at(2026, 11, 24, 9, 0)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        plan = await plan_shown(pilot, "appointments")
        listed = plan.query_one("#appointments-list", OptionList)
        listed.focus()
        await wait_for(pilot, lambda: plan.focused is listed, what="the list focused")
        await pilot.press("delete")
        await wait_for(
            pilot,
            lambda: options(app, "#appointments-list") == ["No follow-up booked yet."],
            what="an empty list",
        )
    assert store.appointments() == []


async def test_a_failed_save_keeps_what_was_typed(make_app, store: Store, frozen, monkeypatch, notes) -> None:
    def broken(_appointment: object) -> None:
        raise StoreError("the disk is full")

    monkeypatch.setattr(store, "add_appointment", broken)
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.press("p")
        await plan_shown(pilot, "appointments")
        await pilot.press(*"2026-11-28T09:00", "ctrl+s")
        await notes.arrived(pilot, "the disk is full")
        assert app.screen.query_one("#appointments #at", Input).value == "2026-11-28T09:00"


# ---------------------------------------------------------------- home exercises


async def test_adding_an_exercise_and_ticking_it_in_the_checklist_persists(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.action_plan("exercises")
        plan = await plan_shown(pilot, "exercises")
        assert plan.focused is plan.query_one("#exercises #name")
        await pilot.press(*"chin tucks", "tab", "3", "tab", "1", "0", "tab", "tab", "backspace", "2", "enter")
        added = ["chin tucks: 3 x 10, twice a day"]
        await wait_for(pilot, lambda: options(app, "#exercises-list") == added, what="the exercise listed")
        await pilot.press("escape", "l")
        await shown(pilot, ChecklistScreen)
        items = app.screen.query_one("#items", SelectionList)
        prompts = [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]
        assert prompts[-2:] == ["Exercise chin tucks, 1 of 2", "Exercise chin tucks, 2 of 2"]
        items.highlighted = items.option_count - 2
        await pilot.press("space")
        await wait_for(pilot, lambda: store.checklist_day(TODAY).done, what="the round ticked and saved")
        assert "round 1 of 2" in text_of(app, "#item-detail")
    [exercise] = store.exercises()
    assert store.checklist_day(TODAY).done == frozenset({exercise.tick_ids()[0]})


async def test_an_invalid_dose_is_named(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.action_plan("exercises")
        plan = await plan_shown(pilot, "exercises")
        await pilot.press(*"shoulder rolls", "tab", "3", "enter")
        await wait_for(pilot, lambda: text_of(app, "#exercises #sets-error"), what="the error under the dose")
        assert text_of(app, "#exercises #sets-error") == "Reps: give the repetitions too when you give sets"
        reps = plan.query_one("#exercises #reps")
        await wait_for(pilot, lambda: plan.focused is reps, what="the focus on Reps")
    assert store.exercises() == []


# ---------------------------------------------------------------- questions


async def test_a_question_added_then_marked_asked(make_app, store: Store, frozen) -> None:
    store.add_question(new_question("Can I go swimming?"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.action_plan("questions")
        plan = await plan_shown(pilot, "questions")
        await pilot.press(*"How long should I ice it?", "enter")
        both = ["? Can I go swimming?", "? How long should I ice it?"]
        await wait_for(pilot, lambda: options(app, "#questions-list") == both, what="the question listed")
        listed = plan.query_one("#questions-list", OptionList)
        listed.focus()
        await wait_for(pilot, lambda: plan.focused is listed, what="the list focused")
        await pilot.press("down", "enter")
        await wait_for(
            pilot,
            lambda: options(app, "#questions-list")[-1].startswith("✓ How long should I ice it?"),
            what="the question marked asked",
        )
    done = {q.text: q.done for q in store.questions()}
    assert done == {"Can I go swimming?": False, "How long should I ice it?": True}


# ---------------------------------------------------------------- what I took


async def test_coffee_during_the_caffeine_pause_says_the_time_left(
    make_app, store: Store, frozen, notes
) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        app.action_plan("took")
        await plan_shown(pilot, "took")
        await pilot.press(*"coffee", "tab", "tab", *"1 cup", "enter")
        note = await notes.arrived(pilot, "Noted coffee")
        assert note.message.startswith("Noted coffee")
        assert note.severity == "warning"
        assert "still had 22 h left, until Mon 08:00" in note.message
        await wait_for(pilot, lambda: "during a pause" in options(app, "#took-list")[0], what="the list")
        assert app.screen.query_one("#took #what", Input).value == ""
    [intake] = store.all_intake()
    assert (intake.what, intake.amount, intake.restriction_id) == ("coffee", "1 cup", "caffeine")


async def test_paracetamol_is_just_noted(make_app, store: Store, frozen, notes) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        app.action_plan("took")
        await plan_shown(pilot, "took")
        await pilot.press(*"paracetamol", "tab", *"09:30", "enter")
        note = await notes.arrived(pilot, "Noted paracetamol")
        assert note.message.startswith("Noted paracetamol")
        assert note.severity == "information"
    assert store.all_intake()[0].at == at(2026, 11, 22, 9, 30)


async def test_intake_in_the_future_is_refused_next_to_when(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.action_plan("took")
        await plan_shown(pilot, "took")
        await pilot.press(*"wine", "tab", *"23:00", "enter")
        await wait_for(pilot, lambda: "future" in text_of(app, "#took #at-error"), what="the error")
        assert app.screen.query_one("#took #what", Input).value == "wine"
    assert store.all_intake() == []


# ---------------------------------------------------------------- reminders


def move_to(moment: pendulum.DateTime) -> None:
    """Move the frozen clock inside the test's travel_to (nesting would travel back to real time)."""
    pendulum.travel_to(moment, freeze=True)


async def test_evening_check_in_nudge_is_shown_once(make_app, store: Store, notes) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    with pendulum.travel_to(at(2026, 11, 22, 17, 59), freeze=True):
        async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
            await notes.arrived(pilot, "glass of water")  # the reminders at start have run
            assert not any("check-in" in n for n in await notes.settled(pilot))
            move_to(at(2026, 11, 22, 18, 0))
            assert [r.kind for r in app.check_reminders()] == ["checkin"]
            move_to(at(2026, 11, 22, 18, 1))
            assert app.check_reminders() == []
            nudges = [n for n in await notes.settled(pilot) if "check-in is still missing" in n]
            assert nudges == ["Today's check-in is still missing: press c when you have a minute."]
            add_checkin(store, TODAY, 3, 2)
            move_to(at(2026, 11, 23, 19, 0))  # the next evening: due again, once
            assert [r.kind for r in app.check_reminders()] == ["checkin"]


async def test_evening_check_in_nudge_at_start_counts_as_shown(make_app, store: Store, notes) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    with pendulum.travel_to(at(2026, 11, 22, 19, 0), freeze=True):
        async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
            await notes.arrived(pilot, "check-in is still missing")
            assert sum("check-in is still missing" in n for n in await notes.settled(pilot)) == 1
            move_to(at(2026, 11, 22, 20, 0))
            assert app.check_reminders() == []


async def test_water_nudge_at_most_every_90_minutes(make_app, store: Store, notes) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    start = at(2026, 11, 22, 11, 0)
    with pendulum.travel_to(start, freeze=True):
        async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
            await notes.arrived(pilot, "glass of water")
            assert sum("glass of water" in n for n in await notes.settled(pilot)) == 1  # at start
            kinds = []
            for minute in (30, 89, 91, 120, 185):
                move_to(start.add(minutes=minute))
                kinds.append([r.kind for r in app.check_reminders()].count("water"))
            assert kinds == [0, 0, 1, 0, 1]  # then 12:31 and 14:05
            assert sum("glass of water" in n for n in await notes.settled(pilot)) == 3
            move_to(at(2026, 11, 22, 22, 30))  # not at night
            assert [r.kind for r in app.check_reminders()] == ["checkin"]


async def test_appointment_near_is_announced_once_and_ended_restrictions_not_twice(
    make_app, store: Store, notes
) -> None:
    add_session(store, at(2026, 11, 21, 10, 30))
    store.add_appointment(seeded_appointment(at(2026, 11, 23, 9, 0), "Dr Lee"))
    app = make_app()
    with pendulum.travel_to(at(2026, 11, 22, 10, 29, 58), freeze=True):
        async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
            follow_up = await notes.arrived(pilot, "Follow-up appointment Mon 09:00")
            assert follow_up.message.startswith("Follow-up appointment Mon 09:00, in 22 h")
            await notes.arrived(pilot, "pauses end at Sun 10:30")  # ending together: one notice
            move_to(at(2026, 11, 22, 10, 31))
            app.tick()
            await notes.arrived(pilot, "Alcohol is fine again from now.")
            assert app.check_reminders() == []
            seen = await notes.settled(pilot)
            ends = [n for n in seen if "Alcohol is fine again from now." in n]
            assert len(ends) == 1  # the app's own notice, once
            assert not any("fine again since" in n for n in seen)  # not the reminder's as well


@pytest.mark.parametrize("key", ["p"])
async def test_plan_in_footer_and_palette(make_app, store: Store, frozen, key: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await shown(pilot, CommandPalette)
        await pilot.press(*"log what i took")
        await wait_for(pilot, lambda: first_command(app).startswith("Log what I took"), what="the command")
        await pilot.press("enter")
        took = await plan_shown(pilot, "took")
        await pilot.press("escape", key)
        await wait_for(pilot, lambda: app.screen is not took, what="a new plan")
        await plan_shown(pilot, "appointments")
    assert any(b.key == "p" and b.show for b in app.BINDINGS if hasattr(b, "key"))  # type: ignore[union-attr]


async def test_exercises_and_appointments_survive_a_restart(make_app, store: Store, frozen) -> None:
    store.add_exercise(new_exercise(name="wall angels", reps="8"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.action_plan("exercises")
        await plan_shown(pilot, "exercises")
        assert options(app, "#exercises-list") == ["wall angels: 8 reps, once a day"]


# ---------------------------------------------------------------- history


async def test_history_shows_what_was_taken_and_exercise_rounds(make_app, store: Store, frozen) -> None:
    from textual.widgets import DataTable

    from companion.core.intake import new_intake

    add_session(store, at(2026, 11, 21, 9, 0))
    exercise = new_exercise(name="chin tucks", reps="10", per_day="2")
    store.add_exercise(exercise)
    store.update_checklist(TODAY, lambda d: d.with_item(exercise.tick_ids()[0], True).with_item("rest", True))
    store.add_intake(new_intake("coffee", at(2026, 11, 22, 9, 0)))
    store.add_intake(new_intake("ibuprofen", at(2026, 11, 22, 9, 30), "200 mg"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await history_loaded(pilot)
        table = app.screen.query_one("#days", DataTable)
        row = dict(zip([str(c.label) for c in table.columns.values()], table.get_row_at(0), strict=True))
        assert "Took" not in row  # 100 columns: what was taken is in the line under the table
        said = str(app.screen.query_one("#day-detail").render())
        assert "Took: coffee (09:00), ibuprofen 200 mg (09:30)." in said
        assert row["Exer."] == "1/2"
        assert row["List"] == "1/11"  # the exercise round is not counted as a checklist item
        assert "chin tucks 1/2" in text_of(app, "#history-status")  # added today: only today's rounds are due
        earlier = dict(zip([str(c.label) for c in table.columns.values()], table.get_row_at(1), strict=True))
        assert earlier["Exer."] == ""  # the day before it was added is not a missed day
