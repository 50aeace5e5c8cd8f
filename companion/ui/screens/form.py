"""The one skeleton of every form: ctrl+s and Enter save, Esc goes back, a refused value is
said under its field, a save the store refused keeps what was typed, and leaving with unsaved
changes asks first.

A form (:class:`Form`) is a screen (the check-in, a new session) or a part of one (each tab
of the plan). Its fields are :class:`~companion.ui.widgets.field_row.FieldRow` widgets
whose inputs have the record keys as ids, so a refusal from the core, which names the key,
finds its field without a table. A form says how it saves (:meth:`Form.save_form`) and what
follows a save (:meth:`Form.saved`); :meth:`Form.submit` does the rest.

Leaving: a form screen (:class:`FormScreen`) compares what is typed with what was there
when it opened or was last saved; the app asks before any way out (Esc, q or ctrl+q,
another screen's key, the command palette), all of which go through its navigation: see
`CompanionApp.leave_then`.

Typing: while a form screen is open, a letter never acts as a key of the app (w, h, s,
q...), even where no box has the keyboard (a tab bar, a list, a button): a patient typing
"next thursday 9am" with the focus one Tab away must not land on History. The form screen
claims every printable character (:meth:`FormScreen.check_consume_key`), so Textual leaves
the app's letter keys out of the screen's keys: they neither act nor show in the footer.
"!" stays (when to get help is never hidden), as do F1, ctrl+s, Esc, Del and the F-keys.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, Static

from companion.core.errors import InputError
from companion.store import StoreError
from companion.ui.widgets.field_row import FieldRow

FormValues = dict[str, object]


if TYPE_CHECKING:
    _Node = Widget
else:
    _Node = object  # not a DOMNode: Textual takes a widget's CSS type from its first DOMNode base


class Form(_Node):
    """What a form does: read its fields, save, say what was refused, know what is unsaved.

    Mixed, first, into a screen (a form of its own: ``class CheckinScreen(Form, FormScreen)``)
    or a container widget (a part of a screen: ``class PlanPane(Form, TabPane)``).
    """

    NOT_SAVED: ClassVar[str] = "It"
    """What a refused save names: 'Your check-in was not saved: ...'."""

    _saved_values: FormValues | None = None

    # ------------------------------------------------------------------ what each form says

    @abstractmethod
    def save_form(self) -> None:
        """Validate what is typed (the core raises InputError naming the key) and write it
        (StoreError when the store refuses)."""

    def saved(self) -> None:
        """After a save: say so, show what follows."""

    # ------------------------------------------------------------------ the skeleton

    def submit(self) -> bool:
        """Save what the form holds; False (and why, under the field or in a notice) if not."""
        self.clear_errors()
        try:
            self.save_form()
        except InputError as error:
            self.show_error(error)
            return False
        except StoreError as exc:
            self.notify_not_saved(exc)
            return False
        self.mark_saved()
        self.saved()
        return True

    def notify_not_saved(self, reason: object) -> None:
        """A save the store refused (full disk, busy folder...): the form keeps what was typed."""
        self.notify(
            f"{self.NOT_SAVED} was not saved: {reason}. What you typed is still here; try again.",
            title="Not saved",
            severity="error",
            timeout=10,
        )

    def field(self, key: str) -> Widget:
        """The input a record key fills; the form's first one for a key it has no field for."""
        try:
            return self.query_one(f"#{key}", Widget)
        except NoMatches:
            return self.query_one(FieldRow).fields[0]

    def value(self, key: str) -> str:
        return self.query_one(f"#{key}", Input).value

    def clear(self, *keys: str) -> None:
        for key in keys:
            self.query_one(f"#{key}", Input).value = ""

    def show_error(self, error: InputError) -> None:
        """The refusal under its field, the field marked and focused, and a notice saying so."""
        field = self.field(error.field)
        row = next(node for node in field.ancestors if isinstance(node, FieldRow))
        label = (
            row.labels[field.id] if field.id == error.field else error.field.replace("_", " ").capitalize()
        )
        text = f"{label}: {error.message}"
        row.show_error(text)
        field.add_class("-invalid")
        field.focus()
        self.notify(text, title="Please check this field", severity="warning")

    def clear_errors(self) -> None:
        for row in self.query(FieldRow):
            row.clear_error()
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")

    # ------------------------------------------------------------------ unsaved changes

    def form_values(self) -> FormValues:
        """What is in the form now, by field id."""
        values: FormValues = {}
        for widget in self.query("Input, Select, Checkbox"):
            if widget.id is not None and isinstance(widget, Input | Checkbox | Select):
                values[widget.id] = widget.value
        return values

    def mark_saved(self) -> None:
        """What is in the form now counts as saved."""
        self._saved_values = self.form_values()

    @property
    def has_changes(self) -> bool:
        """Whether something typed differs from what was there when it opened or was saved."""
        return self._saved_values is not None and self.form_values() != self._saved_values

    def submit_before_leaving(self) -> bool:
        """Save on the way out; True when saved and nothing more to read here."""
        return self.submit()


class FormScreen(Screen[None]):
    """A screen holding one form (itself, when it mixes in :class:`Form`) or several
    (:meth:`forms`): its keys, Enter in a box and its save button submit the form they are
    in, and the app asks before leaving one with unsaved changes."""

    FORM_NAME: ClassVar[str] = "this form"
    """What the question on leaving names: 'your check-in', 'the new session'."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("delete", "remove", "Remove"),  # only where the form has a list (see check_action)
        Binding("escape", "app.back", "Back"),
    ]

    KEEPS_CHARACTERS: ClassVar[frozenset[str]] = frozenset({"!"})
    """Printable keys that still act here: '!' opens when to get help, from everywhere."""

    def forms(self) -> list[Form]:
        return [self] if isinstance(self, Form) else []

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """A printable character is text, never a key of the app, on a form screen (the app's
        keys left out this way are also left out of the footer)."""
        return character is not None and character.isprintable() and character not in self.KEEPS_CHARACTERS

    def active_form(self) -> Form:
        """The form ctrl+s saves."""
        return self.forms()[0]

    def form_of(self, widget: DOMNode) -> Form:
        """The form a widget is in."""
        return next(
            (node for node in widget.ancestors_with_self if isinstance(node, Form)), self.active_form()
        )

    def on_mount(self) -> None:
        for form in self.forms():
            form.clear_errors()
            form.mark_saved()

    def action_save(self) -> None:
        self.active_form().submit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            return type(self).action_remove is not FormScreen.action_remove
        return True

    def action_remove(self) -> None:
        """Remove what is highlighted in a list (screens with lists)."""

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.form_of(event.input).submit()

    @on(Button.Pressed, ".save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.form_of(event.button).submit()

    @property
    def has_unsaved_changes(self) -> bool:
        return any(form.has_changes for form in self.forms())

    def save_before_leaving(self) -> bool:
        """Save each form with changes; a refusal keeps the patient where it is said."""
        for form in self.forms():
            if form.has_changes and not form.submit_before_leaving():
                self.show_form(form)
                return False
        return True

    def show_form(self, form: Form) -> None:
        """Bring a form into view (a tab of the plan)."""


class UnsavedChangesModal(ModalScreen[str]):
    """Returns "save", "discard" or "keep"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "choose('save')", "Save"),
        Binding("d", "choose('discard')", "Discard"),
        Binding("escape,k", "choose('keep')", "Keep editing"),
    ]

    def __init__(self, form_name: str) -> None:
        super().__init__(id="unsaved-changes")
        self.form_name = form_name

    def compose(self) -> ComposeResult:
        with Vertical(id="unsaved-box", classes="dialog"):
            yield Static(f"You have not saved {self.form_name}.", classes="dialog-title")
            yield Static("Save it before leaving, discard what you typed, or keep editing?")
            with Horizontal(classes="buttons"):
                yield Button("Save (s)", id="unsaved-save", variant="primary", compact=True)
                yield Button("Discard (d)", id="unsaved-discard", variant="error", compact=True)
                yield Button("Keep editing (Esc)", id="unsaved-keep", compact=True)

    def on_mount(self) -> None:
        self.query_one("#unsaved-save", Button).focus()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "unsaved-keep").removeprefix("unsaved-"))
