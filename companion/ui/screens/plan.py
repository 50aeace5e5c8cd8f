"""My plan: follow-up appointments, home exercises, questions for my physio, and what I took.

One pane per tab (:class:`PlanPane`): it composes its fields and list, reads its records,
saves what its form holds, removes what its list highlights and says when the list is
empty. The screen composes the panes (:data:`PANES`): a new tab is a new pane class and
one line there. Styles in app.tcss (``#plan``).
"""

from __future__ import annotations

import datetime as dt
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from pendulum import DateTime
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widgets import Button, Header, Input, OptionList, TabbedContent, TabPane, Tabs
from textual.widgets.option_list import Option

from companion.core import clock, timefmt
from companion.core.appointments import Appointment, new_appointment, time_until, upcoming
from companion.core.errors import InputError
from companion.core.exercises import Exercise, new_exercise
from companion.core.intake import Intake, check_intake, new_intake
from companion.core.protocol import Protocol
from companion.core.questions import Question, new_question
from companion.core.wording import example_moment
from companion.store import Store, StoreError
from companion.ui.messages import DataChanged
from companion.ui.plain import PlainInput, plain
from companion.ui.screens.form import Form, FormScreen
from companion.ui.widgets.field_row import FieldRow
from companion.ui.widgets.key_footer import KeyFooter

RECENT_INTAKE_DAYS = 14
UNDO_SECONDS = 30.0
"""How long ctrl+z brings back what Del removed."""


def appointment_prompt(appointment: Appointment, now: DateTime) -> str:
    note = f"  {appointment.note}" if appointment.note else ""
    return f"{timefmt.clock_time(appointment.at, now)} ({time_until(appointment.at, now)}){note}"


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


def field(label: str, key: str, placeholder: str = "", value: str = "") -> FieldRow:
    """A one-line text field whose id is the record key it fills."""
    return FieldRow(label, PlainInput(value, placeholder=placeholder, id=key, compact=True))


@dataclass(frozen=True)
class Listing:
    """What a pane's list shows, read from the store (shown only once every pane has read)."""

    options: list[Option]
    tab_label: str | None = None
    """The tab's title with a count ('Follow-ups (2)'), or None to keep it."""


@dataclass(frozen=True)
class Removed:
    """What Del removed, and how to bring it back (the very record, its id unchanged)."""

    what: str
    """What was removed, as the notices name it: 'The follow-up of Tue 09:00'."""
    restore: Callable[[], None]
    note: str = ""
    """Said after 'removed': ' from your plan (past ticks stay in your history)'."""


class PlanPane(Form, TabPane):
    """One tab of the plan: a form that adds to a list, and the list."""

    PANE_ID: ClassVar[str]
    """The tab's id: the name the screen is opened on (`PlanScreen(tab=...)`)."""
    TITLE: ClassVar[str]
    ADD: ClassVar[str]
    """The add button's label."""
    LIST_TITLE: ClassVar[str]
    EMPTY: ClassVar[str]
    """What the list says when it is empty."""

    class Changed(Message):
        """The pane changed the plan (added, removed, marked): every list is read again, and
        the app reloads what the other screens show."""

    def __init__(self, store: Store, protocol: Protocol, *, initial: bool = False, key: str = "") -> None:
        super().__init__(tab_label(key, self.TITLE), id=self.PANE_ID, classes="-initial" if initial else None)
        self.store = store
        self.protocol = protocol
        self.key = key
        """The key that shows this tab, as the tab shows it ('F2')."""

    @abstractmethod
    def compose_fields(self) -> ComposeResult:
        """The fields of the pane's form, above its add button."""

    def compose(self) -> ComposeResult:
        yield from self.compose_fields()
        with Horizontal(classes="plan-buttons"):
            yield Button(self.ADD, id=f"{self.id}-add", classes="save", variant="primary", compact=True)
        yield OptionList(id=f"{self.id}-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).border_title = self.LIST_TITLE

    @abstractmethod
    def read(self, now: DateTime) -> Listing:
        """The list's options, from the store."""

    def show(self, listing: Listing) -> None:
        widget = self.query_one(OptionList)
        highlighted = widget.highlighted
        widget.clear_options()
        if listing.options:
            widget.add_options(listing.options)
            widget.highlighted = min(highlighted or 0, len(listing.options) - 1)
        else:
            widget.add_option(Option(self.EMPTY, disabled=True))

    def first_field(self) -> Input:
        return self.query(Input).first()

    def saved(self) -> None:
        self.changed()

    def changed(self) -> None:
        self.post_message(self.Changed())
        # Straight to the app (not through the tabs and the screen): the patient may leave the
        # plan with the next key, and Today must show what was just added.
        self.app.post_message(DataChanged())

    removes: ClassVar[bool] = False
    """Whether Del removes from this pane's list."""

    def remove_record(self, record_id: str) -> Removed | None:
        """Remove a record of the list; how to bring it back, or None where nothing was removed."""
        return None


class AppointmentsPane(PlanPane):
    TITLE = "Follow-ups"
    ADD = "Add follow-up"
    LIST_TITLE = "Coming follow-ups (Del removes)"
    EMPTY = "No follow-up booked yet."
    removes = True

    PANE_ID = "appointments"

    def compose_fields(self) -> ComposeResult:
        yield field("When", "at", f"e.g. {example_moment(7, '09:00')} (local time) or 16:30 today")
        yield field("Note", "note", "optional, e.g. Dr Lee, room 3")

    def read(self, now: DateTime) -> Listing:
        coming = upcoming(self.store.appointments(), now)
        options = [Option(plain(appointment_prompt(a, now)), id=a.id) for a in coming]
        return Listing(options, f"Follow-ups ({len(coming)})")

    def save_form(self) -> None:
        at = clock.parse_when(self.value("at"))
        self.store.add_appointment(new_appointment(at, self.value("note")))
        self.clear("at", "note")
        now = clock.now()
        self.notify(f"Follow-up added: {timefmt.clock_time(at, now)}, {time_until(at, now)}.", timeout=5)

    def remove_record(self, record_id: str) -> Removed | None:
        appointment = next((a for a in self.store.appointments() if a.id == record_id), None)
        if appointment is None or not self.store.remove_appointment(record_id):
            return None
        when = timefmt.clock_time(appointment.at, clock.now())
        return Removed(f"The follow-up of {when}", lambda: self.store.add_appointment(appointment))


class ExercisesPane(PlanPane):
    TITLE = "Exercises"
    ADD = "Add exercise"
    LIST_TITLE = "Home exercises, ticked in the checklist (Del removes)"
    EMPTY = "No home exercises yet."
    removes = True

    PANE_ID = "exercises"

    def compose_fields(self) -> ComposeResult:
        yield field("Exercise", "name", "e.g. chin tucks")

        def number(key: str, digits: int, value: str = "") -> PlainInput:
            return PlainInput(value, id=key, compact=True, classes="num", max_length=digits)

        yield FieldRow(
            "Sets",
            number("sets", 3),
            ("Reps", number("reps", 3)),
            ("Minutes", number("minutes", 5)),
            ("Times a day", number("per_day", 2, "1")),
        )
        yield field("Note", "note", "optional, how your physio showed it")

    def read(self, now: DateTime) -> Listing:
        exercises = self.store.exercises()
        options = [Option(plain(exercise_prompt(e)), id=e.id) for e in exercises]
        return Listing(options, f"Exercises ({len(exercises)})")

    def save_form(self) -> None:
        exercise = new_exercise(
            name=self.value("name"),
            sets=self.value("sets").strip() or None,
            reps=self.value("reps").strip() or None,
            minutes=self.value("minutes").strip() or None,
            per_day=self.value("per_day").strip() or None,
            note=self.value("note"),
        )
        self.store.add_exercise(exercise)
        self.clear("name", "sets", "reps", "minutes", "note")
        self.query_one("#per_day", Input).value = "1"
        self.notify(
            f"Added {exercise.name} ({exercise.dose}): tick it in the checklist (l) each time.", timeout=5
        )

    def remove_record(self, record_id: str) -> Removed | None:
        exercise = next((e for e in self.store.exercises() if e.id == record_id), None)
        if exercise is None or not self.store.remove_exercise(record_id):
            return None
        return Removed(
            f"The exercise '{exercise.name}'",
            lambda: self.store.add_exercise(exercise),
            " from your plan (past ticks stay in your history)",
        )


class QuestionsPane(PlanPane):
    TITLE = "Questions"
    ADD = "Add question"
    LIST_TITLE = "For your physio (Enter marks asked, Del removes)"
    EMPTY = "No questions yet."
    removes = True

    PANE_ID = "questions"

    def compose_fields(self) -> ComposeResult:
        yield field("Question", "text", "what you want to ask at your next visit")

    def read(self, now: DateTime) -> Listing:
        questions = self.store.questions()
        ordered = [q for q in questions if not q.done] + [q for q in questions if q.done]
        options = [Option(plain(question_prompt(q, now)), id=q.id) for q in ordered]
        open_questions = sum(1 for q in questions if not q.done)
        return Listing(options, f"Questions ({open_questions} open)")

    def save_form(self) -> None:
        if not self.value("text").strip():
            raise InputError("text", "type your question first")
        self.store.add_question(new_question(self.value("text")))
        self.clear("text")
        self.notify("Question noted: it will be at the top of your report.", timeout=4)

    def remove_record(self, record_id: str) -> Removed | None:
        question = next((q for q in self.store.questions() if q.id == record_id), None)
        if question is None or not self.store.remove_question(record_id):
            return None
        return Removed(f"The question '{question.text}'", lambda: self.store.add_question(question))

    @on(OptionList.OptionSelected)
    def _question_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an open question marks it as asked."""
        event.stop()
        if event.option.id is None or str(event.option.prompt).startswith("✓"):
            return
        try:
            self.store.mark_questions_done([event.option.id], clock.now())
        except StoreError as exc:
            self.notify_not_saved(exc)
            return
        self.notify("Marked as asked.", timeout=3)
        self.changed()


class TookPane(PlanPane):
    TITLE = "What I took"
    ADD = "Log it"
    LIST_TITLE = f"Logged in the last {RECENT_INTAKE_DAYS} days"
    EMPTY = "Nothing logged lately."

    PANE_ID = "took"

    def compose_fields(self) -> ComposeResult:
        yield field("What", "what", "e.g. coffee, wine, ibuprofen, paracetamol")
        yield field("When", "at", f"empty for now, or 14:30, or {example_moment(-1, '14:30')}")
        yield field("Amount", "amount", "optional, e.g. 1 cup")

    def on_mount(self) -> None:  # PlanPane.on_mount runs too (Textual calls each class's)
        self.query_one("#what", Input).suggester = SuggestFromList(self.protocol.substances.suggestions())

    def read(self, now: DateTime) -> Listing:
        today = now.date()
        recent = self.store.intake_between(today - dt.timedelta(days=RECENT_INTAKE_DAYS - 1), today)
        sessions = self.store.sessions() if recent else []
        options = []
        for intake in reversed(recent):
            during = check_intake(self.protocol, sessions, intake).during_restriction
            options.append(Option(plain(intake_prompt(intake, during, now)), id=intake.id))
        return Listing(options)

    def save_form(self) -> None:
        when_text = self.value("at").strip()
        at = None if not when_text else clock.parse_when(when_text)
        intake = new_intake(self.value("what"), at, self.value("amount"), self.protocol.substances)
        self.store.add_intake(intake)
        self.clear("what", "at", "amount")
        check = check_intake(self.protocol, self.store.sessions(), intake)
        self.notify(
            check.message,
            title="During a pause" if check.during_restriction else "Noted",
            severity="warning" if check.during_restriction else "information",
            timeout=20 if check.during_restriction else 6,
        )


PANES: tuple[type[PlanPane], ...] = (AppointmentsPane, ExercisesPane, QuestionsPane, TookPane)
"""The plan's tabs, in order."""

TAB_KEYS: tuple[str, ...] = ("f2", "f3", "f4", "f5")
"""The key of each tab, in the order of PANES: F-keys arrive through every terminal we tried
(tmux included) and type nothing into a box, so they work from any field. F1 is when to get
help."""


def tab_label(key: str, title: str) -> str:
    """A tab's label with its key first, as the footer writes keys: 'F2 Follow-ups (2)'."""
    return f"{key} {title}" if key else title


def tab_bindings() -> list[BindingType]:
    """F2 to F5 show the tabs; the footer says 'F2-F5 Tabs' once (each tab names its key);
    ctrl+pageup and ctrl+pagedown step to the tab before or after, where the terminal sends
    them."""
    first, last = TAB_KEYS[0].upper(), TAB_KEYS[-1].upper()
    bindings: list[BindingType] = [
        Binding(key, f"tab('{pane.PANE_ID}')", "Tabs", key_display=f"{first}-{last}", show=index == 0)
        for index, (key, pane) in enumerate(zip(TAB_KEYS, PANES, strict=True))
    ]
    bindings += [
        Binding("ctrl+pageup", "step_tab(-1)", "Tab before", show=False),
        Binding("ctrl+pagedown", "step_tab(1)", "Tab after", show=False),
    ]
    return bindings


def has_record(listed: OptionList | None) -> bool:
    """Whether a list shows a record (not only the line saying it is empty)."""
    return listed is not None and any(option.id is not None for option in listed.options)


class PlanScreen(FormScreen):
    """Keyboard-first: type, Enter adds; Tab moves to the list; Del removes, Enter marks asked."""

    TITLE = "Plan"  # the header says 'companion · Plan'

    FORM_NAME = "what you typed in your plan"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Add", priority=True),
        Binding("ctrl+z", "undo_remove", "Undo", tooltip="Bring back what Del just removed"),
        *tab_bindings(),
    ]
    AUTO_FOCUS = "TabPane.-initial Input"
    """The open tab's first box, focused as the screen is composed: no first key is lost."""

    def __init__(self, store: Store, protocol: Protocol, tab: str = "") -> None:
        super().__init__(id="plan")
        self.store = store
        self.protocol = protocol
        tabs = [pane.PANE_ID for pane in PANES]
        self.initial_tab = tab if tab in tabs else tabs[0]
        self._undo: tuple[PlanPane, Removed] | None = None
        """What Del removed last, while ctrl+z can still bring it back."""
        self._undo_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial=self.initial_tab, id="plan-tabs"):
            for pane, key in zip(PANES, TAB_KEYS, strict=True):
                initial = self.initial_tab == pane.PANE_ID
                yield pane(self.store, self.protocol, initial=initial, key=key.upper())
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_lists()

    def forms(self) -> list[Form]:
        return list(self.query(PlanPane))

    def pane(self, tab: str) -> PlanPane:
        return self.query_one(f"#{tab}", PlanPane)

    def active_form(self) -> PlanPane:
        return self.pane(self.active_tab)

    # ------------------------------------------------------------------ lists

    def refresh_lists(self) -> None:
        """Read the plan from the store (small tables) and show it."""
        now = clock.now()
        panes = self.query(PlanPane)
        try:
            listings = [pane.read(now) for pane in panes]
        except (StoreError, InputError) as exc:
            message = exc.message if isinstance(exc, InputError) else str(exc)
            self.notify(f"Your plan could not be read: {message}", severity="error", timeout=10)
            return
        tabs = self.query_one(TabbedContent)
        for pane, listing in zip(panes, listings, strict=True):
            pane.show(listing)
            if listing.tab_label is not None and pane.id is not None:
                tabs.get_tab(pane.id).label = tab_label(pane.key, listing.tab_label)
        self.refresh_bindings()  # Del only while the focused list holds a record

    @on(PlanPane.Changed)
    def _changed(self, event: PlanPane.Changed) -> None:
        event.stop()
        self.refresh_lists()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":  # Del removes from a list: shown only where a list has the focus
            listed = self.focused if isinstance(self.focused, OptionList) else None
            pane = self.form_of(listed) if listed is not None else None
            return isinstance(pane, PlanPane) and pane.removes and has_record(listed)
        if action == "undo_remove":  # ctrl+z: shown (and working) only while there is a removal to undo
            return self._undo is not None
        return super().check_action(action, parameters)

    def action_remove(self) -> None:
        focused = self.focused
        if not isinstance(focused, OptionList) or focused.highlighted is None:
            return
        option = focused.get_option_at_index(focused.highlighted)
        pane = self.form_of(focused)
        if option.id is None or not isinstance(pane, PlanPane):
            return
        try:
            removed = pane.remove_record(option.id)
        except StoreError as exc:
            pane.notify_not_saved(exc)
            return
        if removed is None:
            return
        self._offer_undo(pane, removed)
        pane.changed()

    def _offer_undo(self, pane: PlanPane, removed: Removed) -> None:
        """Del took a record away: ctrl+z brings it back for UNDO_SECONDS (the footer shows it)."""
        if self._undo_timer is not None:
            self._undo_timer.stop()
        self._undo = (pane, removed)
        self._undo_timer = self.set_timer(UNDO_SECONDS, self._undo_expired)
        self.refresh_bindings()
        self.notify(
            f"{removed.what} removed{removed.note}. Press ctrl+z within {UNDO_SECONDS:.0f} seconds to undo.",
            title="Removed",
            timeout=UNDO_SECONDS,
        )

    def _undo_expired(self) -> None:
        self._undo = None
        self._undo_timer = None
        self.refresh_bindings()

    def action_undo_remove(self) -> None:
        """ctrl+z: bring back what Del removed, the very record (same id, so ticks and the
        report still find it)."""
        if self._undo is None:
            return
        pane, removed = self._undo
        try:
            removed.restore()
        except StoreError as exc:
            pane.notify_not_saved(exc)
            return
        if self._undo_timer is not None:
            self._undo_timer.stop()
        self._undo_expired()
        self.notify(f"{removed.what} is back.", title="Undone", timeout=5)
        pane.changed()

    # ------------------------------------------------------------------ tabs and focus

    def show_tab(self, tab: str) -> None:
        """Switch to a tab (from the command palette while this screen is open)."""
        if any(tab == pane.PANE_ID for pane in PANES):
            self.query_one(TabbedContent).active = tab
            self.pane(tab).first_field().focus()

    def action_tab(self, tab: str) -> None:
        """F2 to F5: straight to a tab, its first box ready for typing."""
        self.show_tab(tab)

    def action_step_tab(self, step: int) -> None:
        """ctrl+pageup / ctrl+pagedown: the tab before or after (round at the ends)."""
        tabs = [pane.PANE_ID for pane in PANES]
        self.show_tab(tabs[(tabs.index(self.active_tab) + step) % len(tabs)])

    def show_form(self, form: Form) -> None:
        if form.id is not None:
            self.query_one(TabbedContent).active = form.id  # where the refusal is said

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if isinstance(event.pane, PlanPane) and not isinstance(self.focused, Tabs):
            event.pane.first_field().focus()

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active or self.initial_tab
