"""Leaving a form with unsaved changes asks first: save, discard, or keep editing.

One mechanism for every form: a form screen mixes in `GuardedForm`, which reads
what is typed in its inputs, selects and tick boxes and compares it with what was
there when it opened or was last saved. The app asks before any way out (Esc,
q or ctrl+q, another screen's key, the command palette), all of which go through
its navigation: see `CompanionApp.leave_then`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Checkbox, Input, Select, Static

FormValues = dict[str, object]


class GuardedForm(Screen[None]):
    """A form screen that knows when it holds changes not yet saved."""

    FORM_NAME: ClassVar[str] = "this form"
    """What the question names: 'your check-in', 'the new session'."""

    _saved_values: FormValues | None = None

    def form_values(self) -> FormValues:
        """What is in the form now, by field id."""
        values: FormValues = {}
        for widget in self.query("Input, Select, Checkbox"):
            if widget.id is None:
                continue
            if isinstance(widget, Input | Checkbox | Select):
                values[widget.id] = widget.value
        return values

    def mark_saved(self, field_ids: Iterable[str] | None = None) -> None:
        """What is in the form now counts as saved (only `field_ids` when given: a form with
        several parts saves one part at a time)."""
        current = self.form_values()
        if field_ids is None or self._saved_values is None:
            self._saved_values = current
            return
        for field_id in field_ids:
            if field_id in current:
                self._saved_values[field_id] = current[field_id]

    def changed_fields(self) -> set[str]:
        if self._saved_values is None:
            return set()
        current = self.form_values()
        return {key for key, value in current.items() if self._saved_values.get(key) != value}

    @property
    def has_unsaved_changes(self) -> bool:
        return bool(self.changed_fields())

    def save_before_leaving(self) -> bool:
        """Save what was typed; True when saved and nothing more to read here (a refused
        value, or alerts the save raised, keep the patient on the form)."""
        raise NotImplementedError


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
