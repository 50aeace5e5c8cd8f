"""Textual's Footer, with its keys on screen from the first frame.

The stock Footer composes empty and fills itself in only after the first refresh,
so the keys appear a frame after the rest of the screen (about 40 ms in a real
terminal). A patient should see what each key does as soon as the screen shows.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

Signature = tuple[tuple[str, str, bool, str], ...]


class KeyFooter(Footer):
    """A Footer that draws its keys at once and recomposes only when they change."""

    def __init__(self, *, show_command_palette: bool = False) -> None:
        super().__init__(show_command_palette=show_command_palette)
        # Textual (pinned in pyproject) defers the keys until this is set by its first
        # bindings signal; our screens' bindings are known when they are composed.
        self._bindings_ready = True
        self._shown: Signature | None = None

    def _signature(self) -> Signature:
        return tuple(
            (binding.key, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    def compose(self) -> ComposeResult:
        self._shown = self._signature()
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Focus moving between widgets with the same keys changes nothing on screen.
        if self.is_attached and screen is self.screen and self._signature() == self._shown:
            return
        super().bindings_changed(screen)
