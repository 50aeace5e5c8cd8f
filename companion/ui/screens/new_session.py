"""Record a needling session: when, which areas, how intense, a note."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Header, Input, Label, Select, Static

from companion.core import clock, timefmt
from companion.core.errors import InputError
from companion.core.protocol import INTENSITIES, Protocol
from companion.core.restrictions import recorded_session_lines
from companion.core.sessions import Session, new_session
from companion.store import Store, StoreError
from companion.ui.messages import DataChanged
from companion.ui.plain import PlainInput, plain
from companion.ui.screens.field_errors import clear_field_errors, notify_not_saved, show_field_error
from companion.ui.screens.form_guard import GuardedForm
from companion.ui.widgets.key_footer import KeyFooter

# What the core calls each value -> the form field it belongs to.
CORE_FIELDS = {
    "When": "when",
    "--at": "when",
    "--area": "areas",
    "--intensity": "intensity",
    "--note": "note",
}
LABELS = {"when": "When", "areas": "Areas treated", "intensity": "Intensity", "note": "Note"}


def confirmation(protocol: Protocol, session: Session) -> str:
    """The restriction end times for a just-recorded session."""
    now = clock.now()
    return "\n".join(
        [
            f"Saved your session of {timefmt.clock_time(session.started_at, now)} ({session.intensity}).",
            *recorded_session_lines(protocol, session, now),
            "Press Esc for today's dashboard, where the countdowns run.",
        ]
    )


class NewSessionScreen(GuardedForm):
    TITLE = "New session"  # the header says 'companion · New session'
    FORM_NAME = "the new session"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "app.dashboard", "Back"),
    ]
    AUTO_FOCUS = "#when"
    """Focused as the screen is composed, so the first key typed is never lost."""

    def __init__(self, store: Store, protocol: Protocol) -> None:
        super().__init__(id="new-session")
        self.store = store
        self.protocol = protocol
        self._saved: Session | None = None
        """The session this screen recorded (a second save is refused)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="session-form", classes="form"):
            yield Static("Record a needling session", classes="form-title")
            with Horizontal(classes="field"):
                yield Label(LABELS["when"], classes="field-label")
                yield PlainInput("now", id="when", compact=True, classes="wide")
            yield Label("now, a time today such as 16:30, or 2026-11-21T16:30", classes="hint under")
            yield Label("", id="when-error", classes="field-error")
            with Horizontal(classes="field"):
                yield Label(LABELS["areas"], classes="field-label")
                yield PlainInput(
                    placeholder="e.g. upper trapezius, neck", id="areas", compact=True, classes="wide"
                )
            yield Label("comma separated", classes="hint under")
            yield Label("", id="areas-error", classes="field-error")
            with Horizontal(classes="field"):
                yield Label(LABELS["intensity"], classes="field-label")
                yield Select(
                    [(name, name) for name in INTENSITIES],
                    value="standard",
                    allow_blank=False,
                    id="intensity",
                    compact=True,
                )
            yield Label(
                "intense: many points or a large area: 48 h, not 24 h",
                classes="hint under",
            )
            yield Label("", id="intensity-error", classes="field-error")
            with Horizontal(classes="field"):
                yield Label(LABELS["note"], classes="field-label")
                yield PlainInput(placeholder="optional", id="note", compact=True, classes="wide")
            yield Label("", id="note-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Save session", id="save", variant="primary", compact=True)
                yield Label("  ctrl+s saves; Esc goes back", classes="hint")
            yield Static("", id="session-result", classes="result")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#session-result").display = False
        clear_field_errors(self)
        self.mark_saved()

    def show_error(self, error: InputError) -> None:
        key = CORE_FIELDS.get(error.field, "when")
        show_field_error(self, f"{key}-error", key, f"{LABELS[key]}: {error.message}")

    def action_save(self) -> None:
        self.save()

    def save_before_leaving(self) -> bool:
        return self.save()

    def save(self) -> bool:
        """Record the session; False when nothing was saved."""
        if self._saved is not None:
            # ctrl+s or Enter again must not record the same session twice.
            self.notify(
                "This session is saved already. Press Esc to see its countdowns.",
                title="Already saved",
                timeout=5,
            )
            return False
        clear_field_errors(self)
        text = self.query_one("#when", Input).value.strip()
        intensity = self.query_one("#intensity", Select).value
        try:
            when = None if text.lower() in ("", "now") else clock.parse_when(text, "When")
            session = new_session(
                started_at=when,
                intensity=intensity if isinstance(intensity, str) else "standard",
                areas=[a.strip() for a in self.query_one("#areas", Input).value.split(",")],
                note=self.query_one("#note", Input).value,
            )
        except InputError as error:
            self.show_error(error)
            return False
        try:
            self.store.add_session(session)
        except StoreError as exc:
            notify_not_saved(self, "The session", exc)
            return False
        self._saved = session
        self.mark_saved()
        result = self.query_one("#session-result", Static)
        result.update(plain(confirmation(self.protocol, session)))
        result.display = True
        result.scroll_visible()
        self.query_one("#save", Button).disabled = True
        self.notify("Session saved. The countdowns have started.", timeout=4)
        self.post_message(DataChanged())
        return True

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()
