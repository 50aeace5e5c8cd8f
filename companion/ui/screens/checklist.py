"""Today's recovery checklist, with why each item helps and what to expect."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, SelectionList, Static
from textual.widgets.selection_list import Selection

from companion.core import clock
from companion.core.checklist import ChecklistDay
from companion.core.errors import InputError
from companion.core.exercises import Exercise
from companion.core.protocol import ChecklistItem, Protocol
from companion.store import Store, StoreError
from companion.ui.messages import DataChanged
from companion.ui.plain import plain
from companion.ui.widgets.caution import sources_text
from companion.ui.widgets.clinic import instructed_by
from companion.ui.widgets.key_footer import KeyFooter
from companion.ui.widgets.tickbox import TickList


def item_detail(item: ChecklistItem, clinic: str = "") -> str:
    if clinic:
        source = f" (also in {sources_text(item.sources)})" if item.sources else ""
        origin = f"{clinic}{source}."
    else:
        origin = f"From {sources_text(item.sources)}."
    return f"{item.title}\n\n{item.detail}\n\nWhy it helps: {item.why}\n\n{origin}"


def item_prompt(item: ChecklistItem, clinic: str = "") -> str:
    """The item's title, and whose instruction it is ('As instructed by …' -> '(as instructed by …)')."""
    if not clinic:
        return item.title
    return f"{item.title} ({clinic[:1].lower()}{clinic[1:]})"  # the clinic's own name keeps its capitals


def exercise_rounds(exercises: list[Exercise]) -> list[tuple[Exercise, int, str]]:
    """One tick per round of each home exercise: (exercise, round, tick id)."""
    return [(ex, n, tick) for ex in exercises for n, tick in enumerate(ex.tick_ids(), start=1)]


def exercise_prompt(exercise: Exercise, round_no: int) -> str:
    rounds = f", {round_no} of {exercise.per_day}" if exercise.per_day > 1 else ""
    return f"Exercise {exercise.name}{rounds}"


def exercise_detail(exercise: Exercise, round_no: int) -> str:
    note = f"\n\n{exercise.note}" if exercise.note else ""
    return (
        f"{exercise.name}\n\nFrom your home exercise plan: {exercise.dose}. "
        f"Tick each round when you have done it (this is round {round_no} of {exercise.per_day})."
        f"{note}\n\nAdd or remove exercises in your plan (p)."
    )


class ChecklistScreen(Screen[None]):
    TITLE = "Checklist"  # the header says 'companion · Checklist'
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.back", "Back")]
    AUTO_FOCUS = "#items"
    """Focused as the screen is composed, so the first key typed is never lost."""

    def __init__(self, store: Store, protocol: Protocol, day: dt.date | None = None) -> None:
        super().__init__(id="checklist")
        self.store = store
        self.protocol = protocol
        self.day = day or clock.today()
        self.rounds: list[tuple[Exercise, int, str]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        # The list has the whole height (every item and exercise round in view, up to 20 at
        # 80x24); beside it, what the highlighted item is about, then what to expect.
        with Horizontal(id="checklist-columns"):
            yield TickList(id="items", classes="box")
            with Vertical(id="checklist-right"):
                with VerticalScroll(id="item-about", classes="box"):  # long texts scroll at 80x24
                    yield Static("", id="item-detail")
                with VerticalScroll(id="reactions", classes="box"):
                    help_ = self.protocol.get_help
                    yield Static(f"{help_.title}: {help_.line} Press ! for more.", id="reactions-get-help")
                    for reaction in self.protocol.reactions:
                        yield Static(plain(reaction.title), classes="reaction-title")
                        yield Static(plain(reaction.detail), classes="reaction-detail")
                        yield Static(plain(f"Course: {reaction.course}"), classes="reaction-course")
        yield KeyFooter()

    def on_mount(self) -> None:
        items = self.query_one("#items", SelectionList)
        items.border_title = f"Good for you today ({self.day.strftime('%a %-d %b')})"
        items.border_subtitle = "space ticks, ↑↓ moves"
        self.query_one("#reactions").border_title = "What to expect"
        self.query_one("#item-about").border_title = "About this item"
        try:
            done = self.store.checklist_day(self.day).done
        except StoreError as exc:
            done = frozenset()
            self.notify(str(exc), title="Could not read the checklist", severity="error")
        try:
            self.rounds = exercise_rounds(self.store.exercises())
        except (StoreError, InputError) as exc:
            self.notify(f"Your home exercises could not be read: {exc}", severity="error")
        items.add_options(
            Selection(plain(item_prompt(item, self._clinic(item))), item.id, item.id in done)
            for item in self.protocol.checklist
        )
        items.add_options(
            Selection(plain(exercise_prompt(ex, n)), tick, tick in done) for ex, n, tick in self.rounds
        )
        items.highlighted = 0
        self.show_detail(0)

    def _clinic(self, item: ChecklistItem) -> str:
        return instructed_by(self.protocol, item)

    def show_detail(self, index: int | None) -> None:
        if index is None or index < 0:
            return
        detail = self.query_one("#item-detail", Static)
        count = len(self.protocol.checklist)
        if index < count:
            item = self.protocol.checklist[index]
            detail.update(plain(item_detail(item, self._clinic(item))))
        elif index - count < len(self.rounds):
            exercise, round_no, _tick = self.rounds[index - count]
            detail.update(plain(exercise_detail(exercise, round_no)))

    @on(SelectionList.SelectionHighlighted, "#items")
    def _highlighted(self, event: SelectionList.SelectionHighlighted[str]) -> None:
        self.show_detail(event.selection_index)

    @on(SelectionList.SelectionToggled, "#items")
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        items = self.query_one("#items", SelectionList)
        item_id = event.selection.value
        done = item_id in items.selected

        def change(day: ChecklistDay) -> ChecklistDay:
            return day.with_item(item_id, done)

        try:
            self.store.update_checklist(self.day, change)
        except StoreError as exc:
            with items.prevent(SelectionList.SelectionToggled):
                items.toggle(item_id)
            self.notify(f"Not saved: {exc}", title="Checklist", severity="error")
            return
        self.post_message(DataChanged())
