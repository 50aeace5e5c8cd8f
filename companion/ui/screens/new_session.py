"""Record a needling session: when, which areas, how intense, a note."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.suggester import Suggester
from textual.widgets import Button, Header, Label, Select, Static

from companion.core import clock, timefmt
from companion.core.protocol import INTENSITIES, Protocol
from companion.core.restrictions import recorded_session_lines
from companion.core.sessions import Session, new_session
from companion.core.treated_areas import complete_areas, usual_areas
from companion.core.wording import example_moment
from companion.store import Store
from companion.ui.messages import DataChanged
from companion.ui.plain import PlainInput, plain
from companion.ui.screens.form import FormScreen
from companion.ui.widgets.field_row import FieldRow
from companion.ui.widgets.key_footer import KeyFooter


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


class UsualAreas(Suggester):
    """Completes the area typed after the last comma from the usual dry-needling sites
    (assets/treated_areas.toml); → accepts, anything else may still be typed."""

    def __init__(self) -> None:
        # Case-sensitive here: complete_areas ignores case itself and keeps what was typed.
        super().__init__(use_cache=True, case_sensitive=True)
        self.areas = usual_areas()

    async def get_suggestion(self, value: str) -> str | None:
        return complete_areas(value, self.areas)


class NewSessionScreen(FormScreen):
    TITLE = "New session"  # the header says 'companion · New session'
    FORM_NAME = "the new session"
    NOT_SAVED = "The session"

    AUTO_FOCUS = "#started_at"
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
            yield FieldRow(
                "When",
                PlainInput("now", id="started_at", compact=True, classes="wide"),
                hint_under=f"now, a time today such as 16:30, or {example_moment(-1, '16:30')}",
            )
            yield FieldRow(
                "Areas treated",
                PlainInput(
                    placeholder="e.g. upper trapezius, neck",
                    id="areas",
                    compact=True,
                    classes="wide",
                    suggester=UsualAreas(),
                ),
                hint_under="comma separated; → takes the suggested site, or type your own",
            )
            intensity = Select(
                [(name, name) for name in INTENSITIES],
                value="standard",
                allow_blank=False,
                id="intensity",
                compact=True,
            )
            yield FieldRow(
                "Intensity", intensity, hint_under="intense: many points or a large area: 48 h, not 24 h"
            )
            yield FieldRow(
                "Note", PlainInput(placeholder="optional", id="note", compact=True, classes="wide")
            )
            with Horizontal(classes="buttons"):
                yield Button("Save session", id="save", classes="save", variant="primary", compact=True)
                yield Label("  ctrl+s saves; Esc goes back", classes="hint")
            yield Static("", id="session-result", classes="result")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#session-result").display = False

    def submit(self) -> bool:
        if self._saved is not None:
            # ctrl+s or Enter again must not record the same session twice.
            self.notify(
                "This session is saved already. Press Esc to see its countdowns.",
                title="Already saved",
                timeout=5,
            )
            return False
        return super().submit()

    def save_form(self) -> None:
        text = self.value("started_at").strip()
        intensity = self.query_one("#intensity", Select).value
        when = None if text.lower() in ("", "now") else clock.parse_when(text, "started_at")
        session = new_session(
            started_at=when,
            intensity=intensity if isinstance(intensity, str) else "standard",
            areas=[a.strip() for a in self.value("areas").split(",")],
            note=self.value("note"),
        )
        self.store.add_session(session)
        self._saved = session

    def saved(self) -> None:
        assert self._saved is not None
        result = self.query_one("#session-result", Static)
        result.update(plain(confirmation(self.protocol, self._saved)))
        result.display = True
        result.scroll_visible()
        self.query_one("#save", Button).disabled = True
        self.notify("Session saved. The countdowns have started.", timeout=4)
        self.post_message(DataChanged())
