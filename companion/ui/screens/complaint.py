"""Naming the problem the patient sees the physiotherapist for, in their own words.

Offered on Today while no complaint is named (never blocking: Esc skips it, and n or the
command palette bring it back any time). Saved by ``queries.name_complaint``, as
``companion complaint`` saves it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from companion.core.complaint import MAX_COMPLAINT, Complaint
from companion.core.errors import InputError
from companion.queries import name_complaint
from companion.store import Store
from companion.ui.plain import PlainInput, plain
from companion.ui.screens.form import Form
from companion.ui.widgets.field_row import FieldRow

QUESTION = "What do you see your physiotherapist for?"
EXPLAINED = (
    "In your own words, e.g. 'stiff neck when driving'. companion then asks, in the check-in, "
    "for its usual pain, apart from the soreness after needling, and lines it up with your "
    "sessions. You can skip this and name it later (n on Today, or the command palette)."
)


class ComplaintModal(Form, ModalScreen[Complaint | None]):
    """Returns the complaint saved, or None when skipped."""

    NOT_SAVED = "The problem you named"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "skip", "Skip")]
    AUTO_FOCUS = "#text"

    def __init__(self, store: Store, current: Complaint | None = None) -> None:
        super().__init__(id="complaint-dialog")
        self.store = store
        self.current = current
        self.entry: Complaint | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="complaint-box", classes="dialog"):
            yield Static(QUESTION, classes="dialog-title")
            yield Static(plain(EXPLAINED), classes="hint-block")
            text = PlainInput(
                self.current.text if self.current else "",
                placeholder="stiff neck when driving",
                id="text",
                compact=True,
                max_length=MAX_COMPLAINT,
            )
            yield FieldRow(None, text, name="The problem")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="complaint-save", variant="primary", compact=True)
                yield Button("Skip for now (Esc)", id="complaint-skip", compact=True)

    def save_form(self) -> None:
        if not self.value("text").strip():
            raise InputError("text", "is empty: say what you see your physiotherapist for, or skip (Esc)")
        self.entry = name_complaint(self.store, self.value("text"))

    def saved(self) -> None:
        self.dismiss(self.entry)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "complaint-save":
            self.submit()
        else:
            self.dismiss(None)

    def action_skip(self) -> None:
        self.dismiss(None)
