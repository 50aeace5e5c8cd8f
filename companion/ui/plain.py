"""Texts from records and the clinic file, as the app shows them: as typed, and harmless.

A string handed to ``Static``, ``Label``, an ``Option``, a border title or a
``DataTable`` cell is read as Textual (or Rich) markup: a note holding "[bold]" would
change the style, and one holding "[/]" would stop the screen from drawing. And a
control character (an escape sequence) would be written to the terminal as it is.
Every text that holds something the patient or a clinic wrote goes through
:func:`plain` (or :func:`plain_text` where Rich wants a ``Text``): literal text,
never markup, with control characters replaced by visible marks.

What is typed or pasted into a form shows the same way: :class:`PlainInput` draws its
value with the marks, while the value itself stays as typed, so the core's validators
see it and refuse it naming the field.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text
from textual.content import Content
from textual.widgets import Input

from companion.core.text import printable


def plain(text: str, style: str = "") -> Content:
    """Literal content for a widget (never parsed as markup), control characters made visible."""
    return Content.styled(printable(text), style)


def plain_text(text: str, style: str = "") -> Text:
    """The same for a Rich renderable (a DataTable cell, a Rich Table row)."""
    return Text(printable(text), style=style)


class ControlMarks(Highlighter):
    """Draws control characters as visible marks (one for one: positions stay put)."""

    def highlight(self, text: Text) -> None:
        text.plain = printable(text.plain)


class PlainInput(Input):
    """An Input whose value never reaches the terminal as control sequences (a paste may hold
    them); the value is kept as typed, for the validators to refuse."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("highlighter", ControlMarks())
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
