"""My plan: follow-up appointments, home exercises, questions for my physio, and what I took."""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from pendulum import DateTime
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import (
    Button,
    Header,
    Input,
    Label,
    OptionList,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from companion.core import clock, timefmt
from companion.core.appointments import Appointment, new_appointment, upcoming
from companion.core.errors import InputError
from companion.core.exercises import Exercise, new_exercise
from companion.core.intake import Intake, check_intake, new_intake
from companion.core.protocol import Protocol
from companion.core.questions import Question, new_question
from companion.store import Store, StoreError
from companion.ui.messages import DataChanged
from companion.ui.plain import PlainInput, plain
from companion.ui.screens.field_errors import clear_field_errors, notify_not_saved, show_field_error
from companion.ui.screens.form_guard import GuardedForm
from companion.ui.widgets.key_footer import KeyFooter

TABS = ("appointments", "exercises", "questions", "took")
FIRST_INPUT = dict(appointments="appt-when", exercises="ex-name", questions="q-text", took="took-what")
RECENT_INTAKE_DAYS = 14

# The name the core gives a value (it speaks the CLI's language) -> the input it belongs to.
CORE_FIELDS: dict[str, dict[str, str]] = {
    "appointments": {"When": "appt-when", "--at": "appt-when", "--note": "appt-note"},
    "exercises": {
        "--name": "ex-name",
        "--sets": "ex-sets",
        "--reps": "ex-reps",
        "--minutes": "ex-minutes",
        "--per-day": "ex-per-day",
        "--note": "ex-note",
    },
    "questions": {"QUESTION": "q-text"},
    "took": {"WHAT": "took-what", "When": "took-when", "--at": "took-when", "--amount": "took-amount"},
}
LABELS = {
    "appt-when": "When",
    "appt-note": "Note",
    "ex-name": "Exercise",
    "ex-sets": "Sets",
    "ex-reps": "Reps",
    "ex-minutes": "Minutes",
    "ex-per-day": "Times a day",
    "ex-note": "Note",
    "q-text": "Question",
    "took-what": "What",
    "took-when": "When",
    "took-amount": "Amount",
}
# The dose inputs share one row, so one error line under it.
ERROR_LINE = {"ex-sets": "ex-dose", "ex-reps": "ex-dose", "ex-minutes": "ex-dose", "ex-per-day": "ex-dose"}
FLAG_WORDS = {flag: LABELS[target] for fields in CORE_FIELDS.values() for flag, target in fields.items()}


def plain_message(message: str) -> str:
    """The core's refusal without the command-line flags ('--sets' -> 'Sets')."""
    return re.sub(r"--[a-z-]+", lambda m: FLAG_WORDS.get(m.group(0), m.group(0)), message)


def appointment_prompt(appointment: Appointment, now: DateTime) -> str:
    left = clock.elapsed_seconds(now, appointment.at)
    when = "already past" if left < 0 else f"in {timefmt.duration(left)}"
    note = f"  {appointment.note}" if appointment.note else ""
    return f"{timefmt.clock_time(appointment.at, now)} ({when}){note}"


def exercise_prompt(exercise: Exercise) -> str:
    note = f"  {exercise.note}" if exercise.note else ""
    return f"{exercise.name}: {exercise.dose}{note}"


def question_prompt(question: Question, now: DateTime) -> str:
    if question.done_at is not None:
        return f"✓ {question.text}  (asked {timefmt.clock_time(question.done_at, now)})"
    return f"? {question.text}"


def intake_prompt(intake: Intake, during: bool, now: DateTime) -> str:
    amount = f" ({intake.amount})" if intake.amount else ""
    pause = "  during a pause" if during else ""
    return f"{timefmt.clock_time(intake.at, now)}  {intake.what}{amount}{pause}"


class PlanScreen(GuardedForm):
    """Keyboard-first: type, Enter adds; Tab moves to the list; Del removes, Enter marks asked."""

    TITLE = "Plan"  # the header says 'companion · Plan'

    FORM_NAME = "what you typed in your plan"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Add", priority=True),
        Binding("delete", "remove", "Remove"),
        Binding("escape", "app.dashboard", "Back"),
    ]

    DEFAULT_CSS = """
    PlanScreen {
        & TabPane { padding: 0 1; }
        & .prow { height: 1; margin-top: 1; }
        & .prow .field-label { width: 13; }
        & .prow Input { width: 1fr; max-width: 60; }
        & .prow Input.num { width: 6; }
        & .prow .small-label { width: auto; padding: 0 1 0 2; text-style: bold; }
        & .field-error { padding-left: 13; }
        & .hint.under { padding-left: 13; }
        & .plan-buttons { height: 1; margin-top: 1; padding-left: 13; }
        & OptionList { height: 1fr; min-height: 3; margin-top: 1; border: round $panel-lighten-2; }
        & OptionList:focus { border: round $primary; }
    }
    """

    def __init__(self, store: Store, protocol: Protocol, tab: str = "") -> None:
        super().__init__(id="plan")
        self.store = store
        self.protocol = protocol
        self.initial_tab = tab if tab in TABS else "appointments"
        # The open tab's first box is focused as the screen is composed: no first key is lost.
        self.AUTO_FOCUS = f"#{FIRST_INPUT[self.initial_tab]}"

    # ------------------------------------------------------------------ layout

    def _row(self, label: str, input_id: str, placeholder: str = "") -> ComposeResult:
        with Horizontal(classes="prow"):
            yield Label(label, classes="field-label")
            yield PlainInput(placeholder=placeholder, id=input_id, compact=True)

    def _error(self, error_id: str) -> Label:
        return Label("", id=f"{error_id}-error", classes="field-error")

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial=self.initial_tab, id="plan-tabs"):
            with TabPane("Follow-ups", id="appointments"):
                yield from self._row("When", "appt-when", "e.g. 2026-11-28T09:00 (local time) or 16:30 today")
                yield self._error("appt-when")
                yield from self._row("Note", "appt-note", "optional, e.g. Dr Lee, room 3")
                yield self._error("appt-note")
                with Horizontal(classes="plan-buttons"):
                    yield Button("Add follow-up", id="appt-add", variant="primary", compact=True)
                yield OptionList(id="appt-list")
            with TabPane("Exercises", id="exercises"):
                yield from self._row("Exercise", "ex-name", "e.g. chin tucks")
                yield self._error("ex-name")
                with Horizontal(classes="prow"):
                    yield Label("Sets", classes="field-label")
                    yield PlainInput(id="ex-sets", compact=True, classes="num", max_length=3)
                    yield Label("Reps", classes="small-label")
                    yield PlainInput(id="ex-reps", compact=True, classes="num", max_length=3)
                    yield Label("Minutes", classes="small-label")
                    yield PlainInput(id="ex-minutes", compact=True, classes="num", max_length=5)
                    yield Label("Times a day", classes="small-label")
                    yield PlainInput("1", id="ex-per-day", compact=True, classes="num", max_length=2)
                yield self._error("ex-dose")
                yield from self._row("Note", "ex-note", "optional, how your physio showed it")
                yield self._error("ex-note")
                with Horizontal(classes="plan-buttons"):
                    yield Button("Add exercise", id="ex-add", variant="primary", compact=True)
                yield OptionList(id="ex-list")
            with TabPane("Questions", id="questions"):
                yield from self._row("Question", "q-text", "what you want to ask at your next visit")
                yield self._error("q-text")
                with Horizontal(classes="plan-buttons"):
                    yield Button("Add question", id="q-add", variant="primary", compact=True)
                yield OptionList(id="q-list")
            with TabPane("What I took", id="took"):
                yield from self._row("What", "took-what", "e.g. coffee, wine, ibuprofen, paracetamol")
                yield self._error("took-what")
                yield from self._row("When", "took-when", "empty for now, or 14:30, or 2026-11-22T14:30")
                yield self._error("took-when")
                yield from self._row("Amount", "took-amount", "optional, e.g. 1 cup")
                yield self._error("took-amount")
                with Horizontal(classes="plan-buttons"):
                    yield Button("Log it", id="took-add", variant="primary", compact=True)
                yield OptionList(id="took-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        titles = {
            "appt-list": "Coming follow-ups (Del removes)",
            "ex-list": "Home exercises, ticked in the checklist (Del removes)",
            "q-list": "For your physio (Enter marks asked)",
            "took-list": f"Logged in the last {RECENT_INTAKE_DAYS} days",
        }
        for list_id, title in titles.items():
            self.query_one(f"#{list_id}", OptionList).border_title = title
        self.query_one("#took-what", Input).suggester = SuggestFromList(
            self.protocol.substances.suggestions()
        )
        self.clear_errors()
        self.refresh_lists()
        self.mark_saved()

    # ------------------------------------------------------------------ lists

    def refresh_lists(self) -> None:
        """Read the plan from the store (small tables) and show it."""
        now = clock.now()
        try:
            appointments = upcoming(self.store.appointments(), now)
            exercises = self.store.exercises()
            questions = self.store.questions()
            today = now.date()
            recent = self.store.intake_between(today - dt.timedelta(days=RECENT_INTAKE_DAYS - 1), today)
            sessions = self.store.sessions() if recent else []
        except (StoreError, InputError) as exc:
            message = exc.message if isinstance(exc, InputError) else str(exc)
            self.notify(f"Your plan could not be read: {message}", severity="error", timeout=10)
            return
        self._fill("appt-list", [Option(plain(appointment_prompt(a, now)), id=a.id) for a in appointments])
        self._fill("ex-list", [Option(plain(exercise_prompt(e)), id=e.id) for e in exercises])
        ordered = [q for q in questions if not q.done] + [q for q in questions if q.done]
        self._fill("q-list", [Option(plain(question_prompt(q, now)), id=q.id) for q in ordered])
        took = []
        for intake in reversed(recent):
            during = check_intake(self.protocol, sessions, intake).during_restriction
            took.append(Option(plain(intake_prompt(intake, during, now)), id=intake.id))
        self._fill("took-list", took)
        open_questions = sum(1 for q in questions if not q.done)
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("appointments").label = f"Follow-ups ({len(appointments)})"  # type: ignore[assignment]
        tabs.get_tab("exercises").label = f"Exercises ({len(exercises)})"  # type: ignore[assignment]
        tabs.get_tab("questions").label = f"Questions ({open_questions} open)"  # type: ignore[assignment]

    def _fill(self, list_id: str, options: list[Option]) -> None:
        widget = self.query_one(f"#{list_id}", OptionList)
        highlighted = widget.highlighted
        widget.clear_options()
        if options:
            widget.add_options(options)
            widget.highlighted = min(highlighted or 0, len(options) - 1)
        else:
            empty = {
                "appt-list": "No follow-up booked yet.",
                "ex-list": "No home exercises yet.",
                "q-list": "No questions yet.",
                "took-list": "Nothing logged lately.",
            }[list_id]
            widget.add_option(Option(empty, disabled=True))

    # ------------------------------------------------------------------ focus

    def show_tab(self, tab: str) -> None:
        """Switch to a tab (from the command palette while this screen is open)."""
        if tab in TABS:
            self.query_one(TabbedContent).active = tab
            self.focus_form(tab)

    def focus_form(self, tab: str) -> None:
        self.query_one(f"#{FIRST_INPUT[tab]}", Input).focus()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id
        if pane in TABS and not self._tabs_focused():
            self.focus_form(pane)

    def _tabs_focused(self) -> bool:
        from textual.widgets import Tabs

        return isinstance(self.focused, Tabs)

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active or self.initial_tab

    # ------------------------------------------------------------------ errors

    def clear_errors(self) -> None:
        clear_field_errors(self)

    def show_error(self, tab: str, error: InputError) -> None:
        fields = CORE_FIELDS[tab]
        input_id = fields.get(error.field, next(iter(fields.values())))
        text = f"{LABELS[input_id]}: {plain_message(error.message)}"
        show_field_error(self, f"{ERROR_LINE.get(input_id, input_id)}-error", input_id, text)

    def _value(self, input_id: str) -> str:
        return self.query_one(f"#{input_id}", Input).value

    def _clear(self, *input_ids: str) -> None:
        for input_id in input_ids:
            self.query_one(f"#{input_id}", Input).value = ""

    def _not_saved(self, exc: StoreError) -> None:
        notify_not_saved(self, "It", exc)

    # ------------------------------------------------------------------ saving

    def action_save(self) -> None:
        self.save(self.active_tab)

    def save(self, tab: str) -> bool:
        """Add what the tab's form holds; False when it was refused."""
        self.clear_errors()
        try:
            done = {
                "appointments": self.save_appointment,
                "exercises": self.save_exercise,
                "questions": self.save_question,
                "took": self.save_intake,
            }[tab]()
        except InputError as error:
            self.show_error(tab, error)
            return False
        except StoreError as exc:
            self._not_saved(exc)
            return False
        self.mark_saved(CORE_FIELDS[tab].values())
        if done:
            self.refresh_lists()
            self.post_message(DataChanged())
        return True

    def save_before_leaving(self) -> bool:
        """Add what each tab with changes holds; a refusal stays on its tab, saying why."""
        changed = self.changed_fields()
        for tab in TABS:
            if set(CORE_FIELDS[tab].values()) & changed and not self.save(tab):
                self.query_one(TabbedContent).active = tab  # where the refusal is said
                return False
        return True

    def save_appointment(self) -> bool:
        at = clock.parse_when(self._value("appt-when"), "When")
        appointment = new_appointment(at, self._value("appt-note"), field="When")
        self.store.add_appointment(appointment)
        self._clear("appt-when", "appt-note")
        now = clock.now()
        left = timefmt.duration(clock.elapsed_seconds(now, at))
        self.notify(f"Follow-up added: {timefmt.clock_time(at, now)}, in {left}.", timeout=5)
        return True

    def save_exercise(self) -> bool:
        exercise = new_exercise(
            name=self._value("ex-name"),
            sets=self._value("ex-sets").strip() or None,
            reps=self._value("ex-reps").strip() or None,
            minutes=self._value("ex-minutes").strip() or None,
            per_day=self._value("ex-per-day").strip() or None,
            note=self._value("ex-note"),
        )
        self.store.add_exercise(exercise)
        self._clear("ex-name", "ex-sets", "ex-reps", "ex-minutes", "ex-note")
        self.query_one("#ex-per-day", Input).value = "1"
        self.notify(
            f"Added {exercise.name} ({exercise.dose}): tick it in the checklist (l) each time.", timeout=5
        )
        return True

    def save_question(self) -> bool:
        if not self._value("q-text").strip():
            raise InputError("QUESTION", "type your question first")
        question = new_question(self._value("q-text"))
        self.store.add_question(question)
        self._clear("q-text")
        self.notify("Question noted: it will be at the top of your report.", timeout=4)
        return True

    def save_intake(self) -> bool:
        when_text = self._value("took-when").strip()
        at = None if not when_text else clock.parse_when(when_text, "When")
        intake = new_intake(
            self._value("took-what"), at, self._value("took-amount"), self.protocol.substances
        )
        self.store.add_intake(intake)
        self._clear("took-what", "took-when", "took-amount")
        check = check_intake(self.protocol, self.store.sessions(), intake)
        self.notify(
            check.message,
            title="During a pause" if check.during_restriction else "Noted",
            severity="warning" if check.during_restriction else "information",
            timeout=20 if check.during_restriction else 6,
        )
        return True

    # ------------------------------------------------------------------ lists: remove, mark asked

    def action_remove(self) -> None:
        focused = self.focused
        if not isinstance(focused, OptionList) or focused.highlighted is None:
            return
        option = focused.get_option_at_index(focused.highlighted)
        if option.id is None:
            return
        try:
            if focused.id == "appt-list":
                self.store.remove_appointment(option.id)
                self.notify("Follow-up removed.", timeout=3)
            elif focused.id == "ex-list":
                self.store.remove_exercise(option.id)
                self.notify("Exercise removed from your plan (past ticks stay in your history).", timeout=4)
            else:
                return
        except StoreError as exc:
            self._not_saved(exc)
            return
        self.refresh_lists()
        self.post_message(DataChanged())

    @on(OptionList.OptionSelected, "#q-list")
    def _question_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None or str(event.option.prompt).startswith("✓"):
            return
        try:
            self.store.mark_questions_done([event.option.id], clock.now())
        except StoreError as exc:
            self._not_saved(exc)
            return
        self.notify("Marked as asked.", timeout=3)
        self.refresh_lists()
        self.post_message(DataChanged())

    # ------------------------------------------------------------------ events

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        input_id = event.input.id or ""
        tab = next((t for t, fields in CORE_FIELDS.items() if input_id in fields.values()), None)
        if tab is not None:
            self.save(tab)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        tab = {"appt-add": "appointments", "ex-add": "exercises", "q-add": "questions", "took-add": "took"}
        if event.button.id in tab:
            event.stop()
            self.save(tab[event.button.id])
