"""History: one row per day, grouped by session, and a chart of the days after each session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from companion.core import clock, timefmt
from companion.core.checklist import ChecklistDay
from companion.core.exercises import Exercise, adherence
from companion.core.history import HistoryRow
from companion.core.intake import Intake
from companion.core.protocol import Protocol
from companion.core.sessions import Session
from companion.queries import history_end, load_history
from companion.store import Store
from companion.ui.messages import OpenCheckin
from companion.ui.plain import plain, plain_text
from companion.ui.widgets.chart import Band, RecoveryChart, SessionSeries
from companion.ui.widgets.key_footer import KeyFooter

COLUMNS = ("Date", "Day", "Sore", "Tired", "Stiff", "Bruising", "Water", "List", "Alerts", "Exer.", "Took")
ADHERENCE_DAYS = 7
CHART_SESSIONS = 3
CHART_DAYS = 14
FIRST_CHUNK_DAYS = 120  # shown at once; older days follow in the background
CHUNK_DAYS = 366

Cells = tuple[str | Text, ...]


def exercise_cell(row: HistoryRow, exercises: Sequence[Exercise]) -> str:
    """Rounds ticked that day out of the rounds the current plan asks for ('1/2')."""
    ticked = row.exercise_rounds
    due = sum(ex.due_on(row.date) for ex in exercises)
    if not ticked and not due:
        return ""
    return f"{ticked}/{due}" if due else str(ticked)


def took_cell(intakes: Sequence[Intake]) -> str:
    return ", ".join(i.what for i in intakes)


def day_cells(
    row: HistoryRow,
    checklist_total: int,
    exercises: Sequence[Exercise] = (),
    intakes: Sequence[Intake] = (),
    labels: Mapping[str, str] | None = None,
) -> Cells:
    """One day's cells; `labels` gives each alert's short wording (its id otherwise)."""
    c = row.checkin
    flags = []
    if c is not None:
        if c.flare_up:
            flags.append("flare")
        if c.sharp_pain:
            flags.append("sharp")
        if c.breathing_trouble:
            flags.append("breath")
    alerts = ", ".join((labels or {}).get(a.id, a.id) for a in row.alerts)
    listed = row.checklist_items
    water = f"{row.glasses}/{row.goal}" if row.glasses else "-"
    return (
        row.date.strftime("%a %Y-%m-%d"),
        timefmt.day_label(row.session_day) if row.session_day is not None else "",
        str(c.soreness) if c else "-",
        str(c.fatigue) if c else "-",
        str(c.stiffness) if c else "-",
        (c.bruising + (" " + "/".join(flags) if flags else "")) if c else "-",
        water,
        f"{len(listed)}/{checklist_total}" if listed else "-",
        plain_text(alerts, "bold") if alerts else "",
        exercise_cell(row, exercises),
        plain_text(took_cell(intakes)),
    )


def session_cells(session: Session) -> Cells:
    areas = ", ".join(session.areas) or "areas not noted"
    return (
        Text("● session", style="bold"),
        Text(clock.to_local(session.started_at).format("HH:mm"), style="bold"),
        "",
        "",
        "",
        Text(session.intensity, style="bold"),
        "",
        "",
        plain_text(areas, "italic"),
        "",
        "",
    )


def table_rows(
    rows: Sequence[HistoryRow],
    checklist_total: int,
    previous: HistoryRow | None = None,
    final: bool = True,
    exercises: Sequence[Exercise] = (),
    intake: dict[dt.date, list[Intake]] | None = None,
    labels: Mapping[str, str] | None = None,
) -> tuple[list[Cells], list[dt.date | None]]:
    """Newest first; a session row closes each group (under its day 0).

    ``previous`` is the last row of the chunk shown before this one (rows load in
    chunks, newest first); ``final`` closes the last group of the whole history.
    """
    cells: list[Cells] = []
    dates: list[dt.date | None] = []
    for row in rows:
        closes = previous is not None and previous.session is not None
        if closes and (row.session is None or row.session.id != previous.session.id):  # type: ignore[union-attr]
            cells.append(session_cells(previous.session))
            dates.append(None)
        cells.append(day_cells(row, checklist_total, exercises, (intake or {}).get(row.date, ()), labels))
        dates.append(row.date)
        previous = row
    if final and previous is not None and previous.session is not None:
        cells.append(session_cells(previous.session))
        dates.append(None)
    return cells, dates


def adherence_line(exercises: Sequence[Exercise], rows: Sequence[HistoryRow], today: dt.date) -> str:
    """'Home exercises, last 7 days: chin tucks 5/14' from the newest rows."""
    if not exercises:
        return ""
    first = today - dt.timedelta(days=ADHERENCE_DAYS - 1)
    days = [ChecklistDay(r.date, frozenset(r.checklist_done)) for r in rows if r.date >= first]
    parts = [f"{a.exercise.name} {a.done}/{a.due}" for a in adherence(list(exercises), days, first, today)]
    return f"Home exercises, last {ADHERENCE_DAYS} days: " + ", ".join(parts) + "."


def chart_series(rows: Sequence[HistoryRow], limit: int = CHART_SESSIONS) -> tuple[SessionSeries, ...]:
    by_session: dict[str, dict[int, tuple[int, int]]] = {}
    sessions: dict[str, Session] = {}
    for row in rows:
        if row.session is None or row.session_day is None or row.checkin is None:
            continue
        if row.session.id not in by_session and len(by_session) >= limit:
            continue
        sessions[row.session.id] = row.session
        days = by_session.setdefault(row.session.id, {})
        if row.session_day < CHART_DAYS:
            days[row.session_day] = (row.checkin.soreness, row.checkin.fatigue)
    series = []
    for session_id, days in by_session.items():
        length = max(days) + 1 if days else 0
        soreness = tuple(days[d][0] if d in days else None for d in range(length))
        fatigue = tuple(days[d][1] if d in days else None for d in range(length))
        label = clock.to_local(sessions[session_id].started_at).format(
            "ddd D MMM"
        )  # no 2-digit year: read as a day
        series.append(SessionSeries(label, soreness, fatigue))
    return tuple(series)


class HistoryScreen(Screen[None]):
    TITLE = "History"  # the header says 'companion · History'
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_day", "See / edit day", show=True),
        Binding("escape", "app.back", "Back"),
    ]
    AUTO_FOCUS = "#days"
    """Focused as the screen is composed, so the first key typed is never lost."""

    def __init__(self, store: Store, protocol: Protocol) -> None:
        super().__init__(id="history")
        self.store = store
        self.protocol = protocol
        self._dates: list[dt.date | None] = []
        self._adherence = ""
        soreness = protocol.reaction("soreness")
        usual = soreness.usual_hours if soreness and soreness.usual_hours else 48
        longest = soreness.longest_hours if soreness and soreness.longest_hours else 72
        self.band = Band.from_hours(usual, longest)

    def compose(self) -> ComposeResult:
        yield Header()
        yield RecoveryChart(id="chart", classes="box")
        yield Static("Loading your history...", id="history-status")
        table: DataTable[str | Text] = DataTable(id="days", cursor_type="row", zebra_stripes=True)
        yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        chart = self.query_one(RecoveryChart)
        chart.border_title = "Soreness and fatigue by day since each session (0 none - 10 worst)"
        chart.band = self.band
        table = self.query_one("#days", DataTable)
        table.add_columns(*COLUMNS)
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """The recent weeks first (shown at once), then older years in chunks."""
        worker = get_current_worker()
        total = len(self.protocol.checklist)
        today = clock.today()
        last = history_end(self.store)  # a day recorded in a zone ahead of this one too
        first_day = self.store.first_day() or last
        exercises = self.store.exercises()
        labels = {flag.id: flag.label for flag in self.protocol.red_flags}
        loaded: list[HistoryRow] = []
        span = FIRST_CHUNK_DAYS
        while last >= first_day and not worker.is_cancelled:
            first = max(first_day, last - dt.timedelta(days=span - 1))
            rows = load_history(self.store, self.protocol, first=first, last=last)
            intake: dict[dt.date, list[Intake]] = {}
            for entry in self.store.intake_between(first, last):
                intake.setdefault(entry.date, []).append(entry)
            previous = loaded[-1] if loaded else None
            final = first <= first_day
            cells, dates = table_rows(rows, total, previous, final, exercises, intake, labels)
            if not loaded:
                self._adherence = adherence_line(exercises, rows, today)
            loaded.extend(rows)
            series = chart_series(loaded) if final or len(loaded) == len(rows) else None
            self.app.call_from_thread(self.populate, cells, dates, series, not final)
            last = first - dt.timedelta(days=1)
            span = CHUNK_DAYS

    def populate(
        self,
        cells: list[Cells],
        dates: list[dt.date | None],
        series: tuple[SessionSeries, ...] | None,
        more: bool,
    ) -> None:
        table = self.query_one("#days", DataTable)
        table.add_rows(cells)
        self._dates.extend(dates)
        if series is not None:
            chart = self.query_one(RecoveryChart)
            chart.series = series
            longest = max((len(s.soreness) for s in series), default=0)
            chart.days = min(CHART_DAYS, max(8, longest))
        days = sum(1 for d in self._dates if d is not None)
        status = self.query_one("#history-status", Static)
        loading = " (loading older days...)" if more else ""
        plural = "s" if days != 1 else ""
        adherence_text = f"\n{self._adherence}" if self._adherence else ""
        status.update(
            plain(
                f"{days} day{plural}{loading}, newest first. Enter on a day shows or edits its check-in."
                f"{adherence_text}"
            )
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.query_one("#history-status", Static).update("Your history could not be read.")
            self.notify(f"Could not read the history: {event.worker.error}", severity="error")

    def selected_day(self) -> dt.date | None:
        table = self.query_one("#days", DataTable)
        index = table.cursor_row
        if 0 <= index < len(self._dates):
            return self._dates[index]
        return None

    def action_open_day(self) -> None:
        day = self.selected_day()
        if day is not None:
            self.post_message(OpenCheckin(day))

    @on(DataTable.RowSelected, "#days")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_day()
