"""The Footer, drawn as one line of keys from the first frame.

Textual's Footer composes empty, fills itself in after the first refresh (so the
keys appear a frame after the rest of the screen) and spends a widget, with its
own styles and layout, on every key. This Footer shows the same keys from the
same bindings (`screen.active_bindings`, recomposed when they change), looks
the same, and draws them all in one widget: clicking a key presses it, hovering
shows its description.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer


@dataclass(frozen=True)
class FooterEntry:
    """One key as shown: what to press, what it does, and whether it works here."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str

    @property
    def cells(self) -> int:
        return cell_len(self.display) + 2 + cell_len(self.description) + 1


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

    def entry_at(self, x: int) -> int | None:
        """Which key is drawn at column x (None between and after them)."""
        start = 0
        for index, entry in enumerate(self.entries):
            if start <= x < start + entry.cells:
                return index
            start += entry.cells
        return None

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-line--key")
        description_style = self.get_component_rich_style("key-line--description")
        hover_style = self.get_component_rich_style("key-line--hover")
        line = Text(no_wrap=True, end="")
        for index, entry in enumerate(self.entries):
            start = len(line)
            line.append(f" {entry.display} ", key_style)
            line.append(f"{entry.description} ", description_style)
            if index == self._hover and entry.enabled:
                line.stylize(hover_style, start, len(line))
            if not entry.enabled:
                line.stylize("dim", start, len(line))
        line.stylize_before(self.rich_style)
        return line

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self.entry_at(event.x)
        if hover != self._hover:
            self._hover = hover
            entry = self.entries[hover] if hover is not None else None
            self.tooltip = (entry.tooltip or entry.description) if entry else None
            self.refresh()

    def on_leave(self) -> None:
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
            found.append(FooterEntry(binding.key, display, binding.description, enabled, tooltip))
        return tuple(found)

    def compose(self) -> ComposeResult:
        self._shown = self.entries()
        yield KeyLine(self._shown)

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Focus moving between widgets with the same keys changes nothing on screen.
        if self.is_attached and screen is self.screen and self.entries() == self._shown:
            return
        super().bindings_changed(screen)
