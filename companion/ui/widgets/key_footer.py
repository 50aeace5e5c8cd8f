"""The Footer, drawn as one line of keys from the first frame.

Textual's Footer composes empty, fills itself in after the first refresh (so the
keys appear a frame after the rest of the screen) and spends a widget, with its
own styles and layout, on every key. This Footer shows the same keys from the
same bindings (`screen.active_bindings`, recomposed when they change), looks
the same, and draws them all in one widget: clicking a key presses it, hovering
highlights it. When the keys do not fit they move closer together, and if they
still do not fit, keys are left out from the end (shown by "…") except the
essential ones (help and quit), so a patient always sees how to find the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

MORE = "… "
"""Drawn where keys were left out for lack of room."""


@dataclass(frozen=True)
class FooterEntry:
    """One key as shown: what to press, what it does, and whether it works here."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str
    essential: bool = False
    """Shown even when the line is too narrow for every key."""

    def parts(self, compact: bool) -> tuple[str, str]:
        """(key, description) as drawn: ' w ' 'Water ', or 'w' ' Water ' when space is short."""
        if compact:
            return self.display, f" {self.description} "
        return f" {self.display} ", f"{self.description} "

    def cells(self, compact: bool) -> int:
        key, description = self.parts(compact)
        return cell_len(key) + cell_len(description)


@dataclass(frozen=True)
class Placed:
    """An entry where it is drawn: from column `start`, `cells` wide."""

    index: int
    start: int
    cells: int
    key: str
    description: str


def place(entries: tuple[FooterEntry, ...], width: int) -> tuple[list[Placed], bool]:
    """Where each shown key goes in `width` cells, and whether some were left out."""

    def lay_out(chosen: Iterable[int], compact: bool, more_before: int | None) -> list[Placed]:
        placed, x = [], 0
        for index in chosen:
            if index == more_before:
                x += len(MORE)
            key, description = entries[index].parts(compact)
            cells = cell_len(key) + cell_len(description)
            placed.append(Placed(index, x, cells, key, description))
            x += cells
        return placed

    everything = range(len(entries))
    for compact in (False, True):
        if sum(entries[i].cells(compact) for i in everything) <= width:
            return lay_out(everything, compact, None), False
    # Too many: the essential keys, and as many others (in order) as fit before them.
    room = width - len(MORE) - sum(e.cells(True) for e in entries if e.essential)
    chosen = []
    for i, entry in enumerate(entries):
        if entry.essential:
            chosen.append(i)
        elif entry.cells(True) <= room:
            chosen.append(i)
            room -= entry.cells(True)
        else:
            room = -1  # keep the order: nothing after the first key left out
    first_left_out = next((i for i in everything if i not in chosen), None)
    if first_left_out is None:  # only essential keys, and they overflow: the width cuts them
        return lay_out(chosen, True, None), False
    more_before = next((i for i in chosen if i > first_left_out), None)
    return lay_out(chosen, True, more_before), True


class KeyLine(Widget):
    """The keys, side by side, in FooterKey's colours."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-line--key", "key-line--description", "key-line--hover"}
    DEFAULT_CSS = """
    KeyLine {
        width: 1fr;
        height: 1;
        text-wrap: nowrap;
        background: $footer-item-background;
        .key-line--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-line--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-line--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
    }
    """

    def __init__(self, entries: tuple[FooterEntry, ...]) -> None:
        super().__init__()
        self.entries = entries
        self._hover: int | None = None

    def placed(self) -> tuple[list[Placed], bool]:
        return place(self.entries, self.content_size.width)

    def entry_at(self, x: int) -> int | None:
        """Which entry is drawn at column x (None where no key is)."""
        placed, _ = self.placed()
        return next((p.index for p in placed if p.start <= x < p.start + p.cells), None)

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-line--key")
        description_style = self.get_component_rich_style("key-line--description")
        hover_style = self.get_component_rich_style("key-line--hover")
        placed, left_out = self.placed()
        line = Text(no_wrap=True, end="")
        for p in placed:
            if p.start > len(line):
                line.append(MORE, description_style)
                left_out = False  # said
            entry = self.entries[p.index]
            line.append(p.key, key_style)
            line.append(p.description, description_style)
            if p.index == self._hover and entry.enabled:
                line.stylize(hover_style, p.start, p.start + p.cells)
            if not entry.enabled:
                line.stylize("dim", p.start, p.start + p.cells)
        if left_out:
            line.append(MORE, description_style)
        line.stylize_before(self.rich_style)
        return line

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self.entry_at(event.x)
        if hover != self._hover:
            self._hover = hover
            # Like Textual's footer: a tooltip only where the binding has one of its own.
            self.tooltip = (self.entries[hover].tooltip or None) if hover is not None else None
            self.refresh()

    def on_leave(self) -> None:
        self.tooltip = None
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self.entry_at(event.x)
        if index is None:
            return
        entry = self.entries[index]
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()


class KeyFooter(Footer):
    """A Footer that draws its keys at once, in one widget, and recomposes only when they change."""

    ESSENTIAL_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"get_help", "app.get_help", "help", "app.help", "quit", "app.quit"}
    )
    """Kept on a line too narrow for every key: when to get help, help (which lists the
    rest) and quit."""

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)
        self._shown: tuple[FooterEntry, ...] | None = None

    def entries(self) -> tuple[FooterEntry, ...]:
        """The screen's shown bindings, one entry per action (the first key bound to it)."""
        seen: set[str] = set()
        found = []
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            display = self.app.get_key_display(binding)
            essential = binding.action in self.ESSENTIAL_ACTIONS
            found.append(FooterEntry(binding.key, display, binding.description, enabled, tooltip, essential))
        return tuple(found)

    def compose(self) -> ComposeResult:
        self._shown = self.entries()
        yield KeyLine(self._shown)

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Focus moving between widgets with the same keys changes nothing on screen.
        if self.is_attached and screen is self.screen and self.entries() == self._shown:
            return
        super().bindings_changed(screen)
