"""A small dialog to change the daily water goal."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from companion.core.hydration import MAX_GOAL, validate_goal
from companion.ui.plain import PlainInput
from companion.ui.screens.form import Form
from companion.ui.widgets.field_row import FieldRow


class GoalModal(Form, ModalScreen[int | None]):
    """Returns the new goal, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#goal"
    """Focused as the screen is composed, so the first key typed is never lost."""

    def __init__(self, current: int) -> None:
        super().__init__(id="goal-dialog")
        self.current = current
        self.goal: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="goal-box", classes="dialog"):
            yield Static(f"Daily water goal (glasses, 1 to {MAX_GOAL})", classes="dialog-title")
            goal = PlainInput(str(self.current), id="goal", compact=True, max_length=3)
            yield FieldRow(None, goal, name="Daily goal")
            with Horizontal(classes="buttons"):
                yield Button("Set goal", id="goal-save", variant="primary", compact=True)
                yield Button("Cancel", id="goal-cancel", compact=True)

    def save_form(self) -> None:
        self.goal = validate_goal(self.value("goal"))

    def saved(self) -> None:
        self.dismiss(self.goal)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "goal-save":
            self.submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
