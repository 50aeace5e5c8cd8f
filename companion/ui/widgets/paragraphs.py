"""Several paragraphs, each with its own hanging indent, drawn by one widget.

A card made of one Static per line costs a widget (styles, layout, messages) per
line; this draws the same text in one, wrapped so that every continuation line
keeps its paragraph's indent.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

Paragraph = tuple[int, Content]
"""(indent in cells, text with its styles)."""


def wrap_paragraphs(paragraphs: Iterable[Paragraph], width: int) -> list[Content]:
    """The lines for this width: each paragraph wrapped to what is left after its indent."""
    lines: list[Content] = []
    for indent, text in paragraphs:
        room = max(1, width - indent)
        pad = " " * indent
        for line in text.wrap(room) or [Content("")]:
            lines.append(Content(pad) + line.rstrip() if indent else line.rstrip())
    return lines


class Paragraphs(Widget):
    """Text with hanging indents in a single widget; `show()` replaces it."""

    DEFAULT_CSS = """
    Paragraphs {
        height: auto;
    }
    """

    def __init__(
        self,
        paragraphs: Iterable[Paragraph] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._paragraphs: tuple[Paragraph, ...] = tuple(paragraphs)
        self._lines: tuple[int, list[Content]] | None = None

    @property
    def plain(self) -> str:
        """The text without styles (one line per paragraph), for tests and tooltips."""
        return "\n".join(text.plain for _, text in self._paragraphs)

    def show(self, paragraphs: Iterable[Paragraph]) -> None:
        """Replace the text; only this widget is laid out again, and only if it changed."""
        new = tuple(paragraphs)
        if len(new) == len(self._paragraphs) and all(
            a[0] == b[0] and a[1].is_same(b[1]) for a, b in zip(new, self._paragraphs, strict=True)
        ):
            return  # same text, same styles: nothing to draw
        self._paragraphs = new
        self._lines = None
        self.refresh(layout=True)  # the wrapped height may differ (rare: not a per-second update)

    def _wrapped(self, width: int) -> list[Content]:
        if self._lines is None or self._lines[0] != width:
            self._lines = (width, wrap_paragraphs(self._paragraphs, width))
        return self._lines[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._wrapped(width)) if width else 0

    def render(self) -> Content:
        return Content("\n").join(self._wrapped(self.content_size.width))
