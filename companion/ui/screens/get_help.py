"""When to get help: a short page over whatever screen is showing (a form keeps what was typed)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from companion.core.protocol import Protocol
from companion.ui.widgets.get_help import GetHelpText


class GetHelpScreen(ModalScreen[None]):
    """Esc (or the button) closes it and goes back to where the patient was."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,exclamation_mark", "close", "Close")]

    def __init__(self, protocol: Protocol) -> None:
        super().__init__(id="get-help")
        self.protocol = protocol

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="get-help-box"):
            yield Static(self.protocol.get_help.title, id="get-help-title")
            yield GetHelpText(self.protocol, id="get-help-text")
            with Horizontal(classes="buttons"):
                yield Button("Close (Esc)", id="get-help-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#get-help-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
