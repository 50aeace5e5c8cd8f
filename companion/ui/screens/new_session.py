"""Record a needling session: when, which areas, how intense, a note."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.suggester import Suggester
from textual.widgets import Button, Header, Label, Select, Static

from companion.core import clock, timefmt
from companion.core.errors import InputError
from companion.core.protocol import INTENSITIES, Protocol
from companion.core.restrictions import recorded_session_lines
from companion.core.sessions import Session, duplicate_warning, likely_duplicate, new_session
from companion.core.treated_areas import complete_areas, usual_areas
from companion.core.wording import example_moment
from companion.store import Store, StoreError
from companion.ui.messages import DataChanged
from companion.ui.plain import PlainInput, plain
from companion.ui.screens.confirm import ConfirmModal
from companion.ui.screens.form import Form, FormScreen
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


class NewSessionScreen(Form, FormScreen):
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
        self._duplicate_ok = False
        """The patient said to save it although one is recorded at about that time."""

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
        if not self._duplicate_ok and self._ask_about_duplicate():
            return False  # the question is showing; its answer saves or not
        return super().submit()

    def _ask_about_duplicate(self) -> bool:
        """Before saving a session that starts near one already recorded (companion's own
        rule, core/sessions.py): ask whether to save it all the same. True when asking."""
        self.clear_errors()
        try:
            session = self._read_form()
            twin = likely_duplicate(self.store.sessions(), session.started_at)
        except InputError as error:
            self.show_error(error)
            return True
        except StoreError as exc:
            self.notify_not_saved(exc)
            return True
        if twin is None:
            return False

        def answered(save: bool | None) -> None:
            if save:
                self._duplicate_ok = True
                self.submit()
            else:
                self.notify("Not saved: nothing was recorded twice.", title="Not saved", timeout=5)

        question = f"{duplicate_warning(twin, session.started_at)}\n\nSave this session all the same?"
        self.app.push_screen(
            ConfirmModal("Already recorded?", question, yes="Save anyway", no="Cancel"), answered
        )
        return True

    def _read_form(self) -> Session:
        text = self.value("started_at").strip()
        intensity = self.query_one("#intensity", Select).value
        when = None if text.lower() in ("", "now") else clock.parse_when(text, "started_at")
        return new_session(
            started_at=when,
            intensity=intensity if isinstance(intensity, str) else "standard",
            areas=[a.strip() for a in self.value("areas").split(",")],
            note=self.value("note"),
        )

    def save_form(self) -> None:
        session = self._read_form()
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
