"""Errors shown next to the field they name, shared by the form screens."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.widgets import Label


def clear_field_errors(root: DOMNode) -> None:
    """Hide every field's error message and its invalid mark."""
    for label in root.query(".field-error").results(Label):
        label.update("")
        label.display = False
    for widget in root.query(".-invalid"):
        widget.remove_class("-invalid")
