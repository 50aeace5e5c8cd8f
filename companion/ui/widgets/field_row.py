"""One field of a form: its label, its input(s), a hint beside or under it, and the line where a
refusal of what was typed is said.

The input's id is the record key it fills (``soreness``, ``started_at``): the core names a
refused value by that key, so the form finds the field without a table (see
``screens/form.py``). Several inputs may share a row (sets, reps, minutes), each with its
own label.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label

from companion.ui.plain import plain


class FieldRow(Vertical):
    DEFAULT_CSS = """
    FieldRow {
        height: auto;
    }
    """

    def __init__(
        self,
        label: str | None,
        field: Widget,
        *more: tuple[str, Widget],
        hint: str = "",
        hint_under: str = "",
        name: str | None = None,
    ) -> None:
        """``name``: what a refusal calls the field when it shows no label (a dialog's only box)."""
        super().__init__()
        self.label = label
        self.fields = [field, *(widget for _, widget in more)]
        self.more = more
        self.hint = hint
        self.hint_under = hint_under
        self.labels = {field.id: label or name or "", **{widget.id: text for text, widget in more}}
        """Each input's label, by its id (the key it fills)."""
        self.error = Label("", id=f"{field.id}-error", classes="field-error")
        self.error.display = False

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field"):
            if self.label is not None:
                yield Label(self.label, classes="field-label")
            yield self.fields[0]
            for text, widget in self.more:
                yield Label(text, classes="small-label")
                yield widget
            if self.hint:
                yield Label(self.hint, classes="hint")
        if self.hint_under:
            yield Label(self.hint_under, classes="hint under")
        yield self.error

    def show_error(self, text: str) -> None:
        self.error.update(plain(text))  # it may quote what was typed: never markup
        self.error.display = True

    def clear_error(self) -> None:
        self.error.update("")
        self.error.display = False
