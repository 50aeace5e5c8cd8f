"""A small dialog to change the daily water goal and the glass size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from companion.core.hydration import MAX_GOAL, GlassSize, parse_glass_size, validate_goal
from companion.ui.plain import PlainInput
from companion.ui.screens.form import Form
from companion.ui.widgets.field_row import FieldRow


@dataclass(frozen=True)
class WaterChoice:
    """What the dialog returns: the goal, and the glass size (None: glasses only)."""

    goal: int
    glass: GlassSize | None


class GoalModal(Form, ModalScreen[WaterChoice | None]):
    """Returns the goal and glass size, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#goal"
    """Focused as the screen is composed, so the first key typed is never lost."""

    def __init__(self, current: int, glass: GlassSize | None = None) -> None:
        super().__init__(id="goal-dialog")
        self.current = current
        self.glass = glass
        self.choice: WaterChoice | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="goal-box", classes="dialog"):
            yield Static(f"Daily water goal (glasses, 1 to {MAX_GOAL})", classes="dialog-title")
            goal = PlainInput(str(self.current), id="goal", compact=True, max_length=3)
            yield FieldRow("Glasses a day", goal, name="Daily goal")
            glass = PlainInput(
                str(self.glass) if self.glass else "",
                placeholder="e.g. 250 ml or 8 oz",
                id="glass_size",
                compact=True,
                max_length=12,
            )
            yield FieldRow("Glass size", glass, hint_under="optional, in ml or oz")
            with Horizontal(classes="buttons"):
                yield Button("Set goal", id="goal-save", variant="primary", compact=True)
                yield Button("Cancel", id="goal-cancel", compact=True)

    def save_form(self) -> None:
        goal = validate_goal(self.value("goal"))
        glass_text = self.value("glass_size").strip()
        self.choice = WaterChoice(goal, parse_glass_size(glass_text) if glass_text else None)

    def saved(self) -> None:
        self.dismiss(self.choice)

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
