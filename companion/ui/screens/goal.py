"""A small dialog to change the daily water goal."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from companion.core.errors import InputError
from companion.core.hydration import MAX_GOAL, validate_goal
from companion.ui.plain import PlainInput, plain


class GoalModal(ModalScreen[int | None]):
    """Returns the new goal, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#goal-input"
    """Focused as the screen is composed, so the first key typed is never lost."""

    def __init__(self, current: int) -> None:
        super().__init__(id="goal")
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="goal-box", classes="dialog"):
            yield Static(f"Daily water goal (glasses, 1 to {MAX_GOAL})", classes="dialog-title")
            yield PlainInput(str(self.current), id="goal-input", compact=True, max_length=3)
            yield Label("", id="goal-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Set goal", id="goal-save", variant="primary", compact=True)
                yield Button("Cancel", id="goal-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#goal-error").display = False

    def submit(self) -> None:
        try:
            goal = validate_goal(self.query_one(Input).value)
        except InputError as error:
            label = self.query_one("#goal-error", Label)
            label.update(plain(f"Daily goal: {error.message}"))
            label.display = True
            return
        self.dismiss(goal)

    def on_input_submitted(self) -> None:
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "goal-save":
            self.submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
