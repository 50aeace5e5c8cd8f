"""The urgent-care modal: it stays until the patient acknowledges it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from companion.core.alerts import Alert
from companion.ui.plain import plain


class UrgentModal(ModalScreen[None]):
    """Escape does not close it: only "I understand" does."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "noop", show=False, priority=True)]
    AUTO_FOCUS = "#acknowledge"

    def __init__(self, alert: Alert) -> None:
        super().__init__(id="urgent")
        self.alert = alert

    def compose(self) -> ComposeResult:
        with Vertical(id="urgent-box"):
            yield Static(plain(f"URGENT: {self.alert.title}"), id="urgent-title")
            yield Static(plain(self.alert.message), id="urgent-message")
            if self.alert.beyond_sources:
                yield Static(plain(f"Where this comes from: {self.alert.beyond_sources}"), id="urgent-source")
            yield Button("I understand", id="acknowledge", variant="error")

    def action_noop(self) -> None:
        self.notify("Please read this and press 'I understand'.", severity="warning", timeout=3)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
