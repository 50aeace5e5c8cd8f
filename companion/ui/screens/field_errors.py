"""Errors shown next to the field they name, and a failed save, shared by the form screens."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label

from companion.ui.plain import plain


def clear_field_errors(root: DOMNode) -> None:
    """Hide every field's error message and its invalid mark."""
    for label in root.query(".field-error").results(Label):
        label.update("")
        label.display = False
    for widget in root.query(".-invalid"):
        widget.remove_class("-invalid")


def show_field_error(screen: Screen[object], error_id: str, field_id: str, text: str) -> None:
    """The message under its field, the field marked and focused, and a notice saying so."""
    label = screen.query_one(f"#{error_id}", Label)
    label.update(plain(text))  # it may quote what was typed: never markup
    label.display = True
    field = screen.query_one(f"#{field_id}", Widget)
    field.add_class("-invalid")
    field.focus()
    screen.notify(text, title="Please check this field", severity="warning")


def notify_not_saved(screen: Screen[object], what: str, reason: object) -> None:
    """A save the store refused (full disk, busy folder...): the form keeps what was typed."""
    screen.notify(
        f"{what} was not saved: {reason}. What you typed is still here; try again.",
        title="Not saved",
        severity="error",
        timeout=10,
    )
