"""Today's recovery checklist, with why each item helps and what to expect."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, SelectionList, Static
from textual.widgets.selection_list import Selection

from companion.core import clock
from companion.core.checklist import ChecklistDay
from companion.core.protocol import ChecklistItem, Protocol
from companion.store import Store, StoreError
from companion.ui.messages import DataChanged
from companion.ui.widgets.caution import sources_text
from companion.ui.widgets.tickbox import TickList


def item_detail(item: ChecklistItem) -> str:
    return f"{item.title}\n\n{item.detail}\n\nWhy it helps: {item.why}\n\nFrom {sources_text(item.sources)}."


class ChecklistScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.dashboard", "Back")]

    def __init__(self, store: Store, protocol: Protocol, day: dt.date | None = None) -> None:
        super().__init__(id="checklist")
        self.store = store
        self.protocol = protocol
        self.day = day or clock.today()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="checklist-columns"):
            with Vertical(id="checklist-left"):
                yield TickList(id="items", classes="box")
                yield Static("", id="item-detail", classes="box")
            with VerticalScroll(id="reactions", classes="box"):
                for reaction in self.protocol.reactions:
                    yield Static(reaction.title, classes="reaction-title")
                    yield Static(reaction.detail, classes="reaction-detail")
                    yield Static(f"Course: {reaction.course}", classes="reaction-course")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        items = self.query_one("#items", SelectionList)
        items.border_title = f"Good for you today ({self.day.strftime('%a %-d %b')})"
        items.border_subtitle = "space ticks, ↑↓ moves"
        self.query_one("#reactions").border_title = "What to expect"
        self.query_one("#item-detail").border_title = "About this item"
        try:
            done = self.store.checklist_day(self.day).done
        except StoreError as exc:
            done = frozenset()
            self.notify(str(exc), title="Could not read the checklist", severity="error")
        items.add_options(Selection(item.title, item.id, item.id in done) for item in self.protocol.checklist)
        items.highlighted = 0
        items.focus()
        self.show_detail(0)

    def show_detail(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.protocol.checklist):
            return
        self.query_one("#item-detail", Static).update(item_detail(self.protocol.checklist[index]))

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
