"""Today's water as a row of tick boxes up to the goal (click ticks one)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Click
from textual.reactive import reactive
from textual.widgets import Static

from companion.ui.messages import AddWater

FULL, EMPTY = "■", "□"


def glass_row(glasses: int, goal: int) -> str:
    boxes = " ".join(FULL if i < glasses else EMPTY for i in range(goal))
    extra = f"  +{glasses - goal}" if glasses > goal else ""
    return boxes + extra


class WaterTracker(Vertical):
    """Glasses against the goal; the extra-water reminder while it applies."""

    DEFAULT_CSS = """
    WaterTracker {
        height: auto;
        & > .boxes { color: $primary; text-style: bold; }
        & > .extra { color: $warning; }
        &.-met > .boxes { color: $success; }
    }
    """

    glasses: reactive[int] = reactive(0)
    goal: reactive[int] = reactive(8)
    extra_note: reactive[str] = reactive("")
    """The 'drink more than usual' reminder, empty when it no longer applies."""

    def compose(self) -> ComposeResult:
        yield Static("", classes="boxes")
        yield Static("", classes="extra")

    def on_mount(self) -> None:
        self._render_row()

    def watch_glasses(self) -> None:
        self._render_row()

    def watch_goal(self) -> None:
        self._render_row()

    def watch_extra_note(self) -> None:
        self._render_row()

    def _render_row(self) -> None:
        if not self.children:
            return
        self.set_class(self.glasses >= self.goal, "-met")
        self.query_one(".boxes", Static).update(
            f"{glass_row(self.glasses, self.goal)}   {self.glasses} of {self.goal}"
        )
        extra = self.query_one(".extra", Static)
        extra.update(self.extra_note)
        extra.display = bool(self.extra_note)

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(AddWater())
