"""Today's water as a row of tick boxes up to the goal (click ticks one)."""

from __future__ import annotations

from textual.content import Content
from textual.events import Click
from textual.reactive import reactive

from companion.ui.messages import AddWater
from companion.ui.plain import plain
from companion.ui.widgets.paragraphs import Paragraph, Paragraphs

FULL, EMPTY = "■", "□"


def glass_row(glasses: int, goal: int) -> str:
    boxes = " ".join(FULL if i < glasses else EMPTY for i in range(goal))
    extra = f"  +{glasses - goal}" if glasses > goal else ""
    return boxes + extra


def water_paragraphs(glasses: int, goal: int, extra_note: str, amount: str = "") -> list[Paragraph]:
    """The boxes and the count; the day's amount against the goal where the patient chose a
    glass size ('1.0 of 2.0 l today'); the extra-water reminder while it applies."""
    colour = "$success" if glasses >= goal else "$primary"
    lines: list[Paragraph] = [
        (0, Content.assemble((glass_row(glasses, goal), f"bold {colour}"), f"   {glasses} of {goal}"))
    ]
    if amount:
        lines.append((0, plain(f"{amount} today")))
    if extra_note:
        lines.append((0, plain(extra_note, "$warning")))
    return lines


class WaterTracker(Paragraphs):
    """Glasses against the goal; the extra-water reminder while it applies."""

    glasses: reactive[int] = reactive(0, init=False)
    goal: reactive[int] = reactive(8, init=False)
    extra_note: reactive[str] = reactive("", init=False)
    """The 'drink more than usual' reminder, empty when it no longer applies."""
    amount: reactive[str] = reactive("", init=False)
    """The day's water against the goal in the patient's unit ('1.0 of 2.0 l'), or empty."""

    def __init__(
        self,
        glasses: int = 0,
        goal: int = 8,
        extra_note: str = "",
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(water_paragraphs(glasses, goal, extra_note), id=id, classes=classes)
        self.set_reactive(WaterTracker.glasses, glasses)
        self.set_reactive(WaterTracker.goal, goal)
        self.set_reactive(WaterTracker.extra_note, extra_note)

    def show_day(self, glasses: int, goal: int, extra_note: str, amount: str = "") -> None:
        """Today's glasses, goal, amount and reminder, drawn once."""
        self.set_reactive(WaterTracker.glasses, glasses)
        self.set_reactive(WaterTracker.goal, goal)
        self.set_reactive(WaterTracker.extra_note, extra_note)
        self.set_reactive(WaterTracker.amount, amount)
        self._redraw()

    def _redraw(self) -> None:
        self.show(water_paragraphs(self.glasses, self.goal, self.extra_note, self.amount))

    watch_glasses = watch_goal = watch_extra_note = watch_amount = _redraw

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(AddWater())
