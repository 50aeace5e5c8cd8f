"""History: a month calendar, a chart of the days after each session, and one row per day
grouped by session, with the highlighted day told in full underneath.

The table fits its width: at 80 columns it shows the numbers a patient compares from day
to day, and alerts as a count; from about 110 columns bruising, the alerts in words and
what was taken have columns of their own, wrapped, never cut. Whatever a narrow table
leaves out, the line under it says for the highlighted day. The calendar, the table and
that line move together: the arrows, < and > (a month), Home and End (the newest and the
oldest day) and Enter (open the day) work in either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import Resize, ScreenResume
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from companion.core import clock, timefmt
from companion.core.checklist import ChecklistDay
from companion.core.exercises import Exercise, adherence
from companion.core.history import HistoryRow
from companion.core.intake import Intake
from companion.core.protocol import Protocol
from companion.core.sessions import Session
from companion.core.wording import count
from companion.queries import history_end, load_history
from companion.store import Store, StoreError
from companion.ui.messages import DataChanged, OpenCheckin
from companion.ui.plain import plain, plain_text
from companion.ui.screens.confirm import ConfirmModal
from companion.ui.widgets.chart import Band, RecoveryChart, SessionSeries
from companion.ui.widgets.key_footer import KeyFooter
from companion.ui.widgets.month_calendar import DayMark, MonthCalendar

NARROW_COLUMNS = ("Date", "Day", "Sore", "Tired", "Stiff", "Water", "List", "Exer.", "Alerts")
WIDE_COLUMNS = (*NARROW_COLUMNS[:5], "Bruising", *NARROW_COLUMNS[5:], "Took")
WIDE_FIXED_CELLS = 15 + 7 + 4 + 5 + 5 + 8 + 5 + 5 + 5
"""The widest each short column gets ('Mon 21 Dec 2025', 'day 365', 'moderate', ...)."""
CELL_PADDING = 2
SCROLLBAR = 2
MIN_WRAPPED = 12
"""The alerts and what was taken get their own columns only with this many cells each."""
ADHERENCE_DAYS = 7
CHART_SESSIONS = 3
CHART_DAYS = 14
FIRST_CHUNK_DAYS = 120  # shown at once; older days follow in the background
CHUNK_DAYS = 183
ROWS_AHEAD = 200
"""The table holds the rows down to this far below the highlighted one; the older ones join
it as the patient goes down (or End takes them there). Thousands of rows in a DataTable
cost memory and time: each chunk of older days used to hold up the keys while added."""
RESIZE_SETTLE_SECONDS = 0.2
CHUNKS_KEPT = 4
"""Chunks of rows kept built in memory: the newest two (what the screen opens on) and the two
used last. The others are kept as their days only and built again from the store when the
table needs them: thirty years of built rows cost tens of megabytes (issue 14)."""

Cells = tuple[str | Text, ...]


@dataclass(frozen=True)
class Columns:
    """Which columns the table shows, and how wide the wrapped ones are."""

    wide: bool
    alerts_width: int = 0
    took_width: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        return WIDE_COLUMNS if self.wide else NARROW_COLUMNS


def columns_for(width: int) -> Columns:
    """The columns that fit `width` cells: the wide set when the alerts and what was taken
    get at least MIN_WRAPPED cells each, else the narrow one (which fits 80)."""
    fixed = WIDE_FIXED_CELLS + CELL_PADDING * len(WIDE_COLUMNS) + SCROLLBAR
    room = width - fixed
    if room < 2 * MIN_WRAPPED:
        return Columns(wide=False)
    alerts = room * 11 // 20
    return Columns(wide=True, alerts_width=alerts, took_width=room - alerts)


@dataclass(frozen=True)
class DayEntry:
    """A day's row, with what it needs to be drawn in any set of columns."""

    row: HistoryRow
    intakes: tuple[Intake, ...] = ()


@dataclass(frozen=True)
class SessionEntry:
    """The row that closes a session's group (under its day 0)."""

    session: Session


Entry = DayEntry | SessionEntry


@dataclass(frozen=True)
class Chunk:
    """Where a chunk of rows comes from, to build it again exactly as it was first built."""

    first: dt.date
    last: dt.date
    previous: HistoryRow | None
    """The last row of the chunk before (newer): a session's row may close its group here."""
    final: bool
    start: int
    """The index of its first entry."""
    count: int


def exercise_cell(row: HistoryRow, exercises: Sequence[Exercise]) -> str:
    """Rounds ticked that day out of the rounds the current plan asks for ('1/2')."""
    ticked = row.exercise_rounds
    due = sum(ex.due_on(row.date) for ex in exercises)
    if not ticked and not due:
        return ""
    return f"{ticked}/{due}" if due else str(ticked)


def took_cell(intakes: Sequence[Intake]) -> str:
    return ", ".join(i.what for i in intakes)


def date_cell(day: dt.date, today: dt.date) -> str:
    """'Mon 21 Dec', with the year when it is not this year's."""
    label = day.strftime("%a %-d %b")
    return label if day.year == today.year else f"{label} {day.year}"


def flags(row: HistoryRow) -> list[str]:
    c = row.checkin
    if c is None:
        return []
    found = []
    if c.flare_up:
        found.append("flare-up")
    if c.sharp_pain:
        found.append("sharp pain")
    if c.breathing_trouble:
        found.append("breathing trouble")
    return found


def day_cells(
    entry: DayEntry,
    columns: Columns,
    checklist_total: int,
    exercises: Sequence[Exercise] = (),
    labels: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> Cells:
    """One day's cells in `columns`; `labels` gives each alert's short wording (its id otherwise)."""
    row = entry.row
    c = row.checkin
    listed = row.checklist_items
    alerts = [(labels or {}).get(a.id, a.id) for a in row.alerts]
    first: Cells = (
        date_cell(row.date, today or clock.today()),
        timefmt.day_number(row.session_day) if row.session_day is not None else "",
        str(c.soreness) if c else "-",
        str(c.fatigue) if c else "-",
        str(c.stiffness) if c else "-",
    )
    water = f"{row.glasses}/{row.goal}" if row.glasses else "-"
    checklist = f"{len(listed)}/{checklist_total}" if listed else "-"
    exercise = exercise_cell(row, exercises)
    if not columns.wide:
        counted = Text(count(len(alerts), "alert"), "bold") if alerts else ""
        return (*first, water, checklist, exercise, counted)
    return (
        *first,
        c.bruising if c else "-",
        water,
        checklist,
        exercise,
        plain_text(", ".join(alerts), "bold") if alerts else "",
        plain_text(took_cell(entry.intakes)),
    )


def session_cells(session: Session, columns: Columns) -> Cells:
    start = (
        Text("● session", style="bold"),
        Text(clock.to_local(session.started_at).format("HH:mm"), style="bold"),
        "",
        "",
        "",
    )
    if not columns.wide:  # the intensity and the areas are in the line under the table
        return (*start, "", "", "", "")
    areas = ", ".join(session.areas) or "areas not noted"
    return (*start, Text(session.intensity, style="bold"), "", "", "", plain_text(areas, "italic"), "")


def group_entries(
    rows: Sequence[HistoryRow],
    previous: HistoryRow | None = None,
    final: bool = True,
    intake: Mapping[dt.date, list[Intake]] | None = None,
) -> list[Entry]:
    """Newest first; a session row closes each group (under its day 0).

    ``previous`` is the last row of the chunk shown before this one (rows load in
    chunks, newest first); ``final`` closes the last group of the whole history.
    """
    entries: list[Entry] = []
    for row in rows:
        ended = previous.session if previous is not None else None
        if ended is not None and (row.session is None or row.session.id != ended.id):
            entries.append(SessionEntry(ended))
        entries.append(DayEntry(row, tuple((intake or {}).get(row.date, ()))))
        previous = row
    if final and previous is not None and previous.session is not None:
        entries.append(SessionEntry(previous.session))
    return entries


def entry_day(entry: Entry) -> dt.date:
    """The calendar day a row stands for (a session's row: the session's day)."""
    if isinstance(entry, DayEntry):
        return entry.row.date
    return clock.to_local(entry.session.started_at).date()


def day_detail(entry: DayEntry, today: dt.date) -> str:
    """The highlighted day in words: what the table shows and what it may leave out."""
    row = entry.row
    head = f"{row.date.strftime('%a %-d %b %Y')}"
    if row.session_day == 0 and row.session is not None:
        head += f", the day of a session ({clock.to_local(row.session.started_at).format('HH:mm')})"
    elif row.session_day is not None and row.session is not None:
        since = clock.to_local(row.session.started_at).strftime("%a %-d %b")
        head += f", day {row.session_day} after the session of {since}"
    parts = []
    c = row.checkin
    if c is None:
        parts.append("no check-in" + (" yet" if row.date == today else ""))
    else:
        feel = f"soreness {c.soreness}, tiredness {c.fatigue}, stiffness {c.stiffness}, bruising {c.bruising}"
        if c.usual_pain is not None:
            feel += f", usual pain {c.usual_pain}"
        parts.append(feel + "".join(f", {f}" for f in flags(row)))
    if row.alerts:
        parts.append("Alerts: " + "; ".join(a.title for a in row.alerts))
    if entry.intakes:
        taken = [
            f"{i.what}{f' {i.amount}' if i.amount else ''} ({clock.to_local(i.at).format('HH:mm')})"
            for i in entry.intakes
        ]
        parts.append("Took: " + ", ".join(taken))
    if c is not None and c.note.strip():
        parts.append("Note: " + " / ".join(line.strip() for line in c.note.splitlines() if line.strip()))
    return f"{head}: " + ". ".join(parts) + "."


def session_detail(session: Session) -> str:
    when = clock.to_local(session.started_at).format("ddd D MMM YYYY HH:mm")
    areas = ", ".join(session.areas) or "areas not noted"
    note = f" Note: {session.note.strip()}" if session.note.strip() else ""
    return f"Session {when}, {session.intensity}: {areas}.{note}"


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
        session = sessions[session_id]
        label = clock.to_local(session.started_at).format("ddd D MMM")  # no 2-digit year: read as a day
        series.append(SessionSeries(label, soreness, fatigue, session.intensity))
    return tuple(series)


_MARKS: dict[tuple[int | None, bool], DayMark] = {}


def day_marks(rows: Sequence[HistoryRow]) -> dict[dt.date, DayMark]:
    """What the calendar shows of each day: its soreness, and whether a session was that day
    (one mark for each kind, shared: thirty years are eleven thousand days)."""
    marks = {}
    for row in rows:
        kind = (row.checkin.soreness if row.checkin else None, row.session_day == 0)
        mark = _MARKS.get(kind)
        if mark is None:
            mark = _MARKS[kind] = DayMark(*kind)
        marks[row.date] = mark
    return marks


def chart_complete(rows: Sequence[HistoryRow], limit: int = CHART_SESSIONS) -> bool:
    """Whether `rows` (newest first) hold every row :func:`chart_series` takes from a longer
    history: the newest `limit` charted sessions end where an older one begins."""
    seen = {r.session.id for r in rows if r.session is not None and r.session_day is not None and r.checkin}
    return len(seen) > limit


def build_entries(store: Store, protocol: Protocol, chunk: Chunk) -> tuple[list[HistoryRow], list[Entry]]:
    """A chunk's rows and entries (newest first), read from the store."""
    rows = load_history(store, protocol, first=chunk.first, last=chunk.last)
    intake: dict[dt.date, list[Intake]] = {}
    for entry in store.intake_between(chunk.first, chunk.last):
        intake.setdefault(entry.date, []).append(entry)
    return rows, group_entries(rows, chunk.previous, chunk.final, intake)


def wrapped_height(cells: Cells, columns: Columns, console: Console) -> int:
    """How many lines the row needs once its long cells wrap (1 in the narrow columns)."""
    if not columns.wide:
        return 1
    height = 1
    for cell, width in ((cells[-2], columns.alerts_width), (cells[-1], columns.took_width)):
        if isinstance(cell, Text) and cell.cell_len > width:
            height = max(height, len(cell.wrap(console, width)))
    return height


class DaysTable(DataTable[str | Text]):
    """The days, newest first; Home and End go to the newest and oldest day (not sideways)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.open_day", "Open day", key_display="⏎"),
        Binding("home", "screen.newest", "Newest day", show=False),
        Binding("end", "screen.oldest", "Oldest day", show=False),
    ]

    class NearEnd(Message):
        """Scrolled close to the last row the table holds (older ones may be waiting)."""

    def on_resize(self, _event: Resize) -> None:
        # A longer line under the table (a note, say) takes a row from it: the highlighted
        # day must stay in view.
        self.call_after_refresh(self.move_cursor, animate=False)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value >= self.max_scroll_y - self.size.height:
            self.post_message(self.NearEnd())


class HistoryScreen(Screen[None]):
    TITLE = "History"  # the header says 'companion · History'
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.back", "Back"),
        Binding("enter", "open_day", "Open day", key_display="⏎"),
        Binding("comma,less_than_sign", "month(-1)", "Month", key_display="< >"),
        Binding("o", "app.course", "Course"),
        Binding("full_stop,greater_than_sign", "month(1)", "Month after", show=False),
        Binding(
            "home", "newest", "Newest day", show=False
        ),  # listed in Help: the footer keeps the app's keys
        Binding("end", "oldest", "Oldest day", show=False),
        Binding("delete", "remove_session", "Remove session", key_display="Del"),
    ]
    AUTO_FOCUS = "#days"
    """Focused as the screen is composed, so the first key typed is never lost."""

    def __init__(self, store: Store, protocol: Protocol) -> None:
        super().__init__(id="history")
        self.store = store
        self.protocol = protocol
        soreness = protocol.reaction("soreness")
        usual = soreness.usual_hours if soreness and soreness.usual_hours else 48
        longest = soreness.longest_hours if soreness and soreness.longest_hours else 72
        self.band = Band.from_hours(usual, longest)
        self.columns = Columns(wide=False)
        self._checklist_total = len(protocol.checklist)
        self._reset()
        self._resize_timer: Timer | None = None

    def _reset(self) -> None:
        """Forget what was loaded (before loading again)."""
        self._entries: list[Entry | None] = []
        """Each row's entry; None where its chunk is not kept built (see CHUNKS_KEPT)."""
        self._chunks: list[Chunk] = []
        self._used: list[int] = []
        """The chunks built again lately, the latest last."""
        self._told_unreadable = False
        self._unaligned: dict[int, list[Entry]] = {}
        """Chunks built again whose rows no longer line up with the table's (until loaded again)."""
        self._shown = 0
        """How many of the entries the table holds (the newest; see ROWS_AHEAD)."""
        self._dates: list[dt.date | None] = []
        """Each row's day, None for a session's row (Enter opens days only)."""
        self._row_days: list[dt.date] = []
        self._row_of: dict[dt.date, int] = {}
        self._marks: dict[dt.date, DayMark] = {}
        self._adherence = ""
        self._loading = True
        self._generation = getattr(self, "_generation", 0) + 1
        self._revision: tuple[object, ...] | None = None
        self._following_oldest = False
        self._placed_rows: set[int] = set()
        """Rows the screen itself moved the cursor to (not the patient), until it gets there."""
        self._wanted: dt.date | None = None
        """A day to show once it has loaded (the one shown before loading again)."""
        self._exercises: list[Exercise] = []
        self._labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="history-top"):
            yield MonthCalendar(id="calendar", classes="box")
            yield RecoveryChart(id="chart", classes="box")
        yield Static("Loading your history...", id="history-status")
        yield DaysTable(id="days", cursor_type="row", zebra_stripes=True)
        yield Static("", id="day-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        chart = self.query_one(RecoveryChart)
        chart.band = self.band
        calendar = self.query_one(MonthCalendar)
        today = clock.today()
        calendar.today = today
        calendar.selected = today
        calendar.last = today
        self.columns = columns_for(self.app.size.width)
        self._add_columns()
        self.load()

    def _add_columns(self) -> None:
        table = self.query_one(DaysTable)
        wrapped = {"Alerts": self.columns.alerts_width, "Took": self.columns.took_width}
        for name in self.columns.names:
            table.add_column(name, width=wrapped.get(name) or None if self.columns.wide else None)

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """The recent weeks first (shown at once), then older years in chunks."""
        worker = get_current_worker()
        generation = self._generation
        revision = self.store.revision()
        total = len(self.protocol.checklist)
        today = clock.today()
        last = history_end(self.store)  # a day recorded in a zone ahead of this one too
        first_day = self.store.first_day() or last
        exercises = self.store.exercises()
        labels = {flag.id: flag.label for flag in self.protocol.red_flags}
        self.app.call_from_thread(self._begin, generation, revision, exercises, labels, last)
        charted: list[HistoryRow] = []
        """The newest rows, as far as the chart needs them (not thirty years of them)."""
        previous: HistoryRow | None = None
        start = 0
        span = FIRST_CHUNK_DAYS
        while last >= first_day and not worker.is_cancelled:
            first = max(first_day, last - dt.timedelta(days=span - 1))
            final = first <= first_day
            chunk = Chunk(first, last, previous, final, start, 0)
            rows, entries = build_entries(self.store, self.protocol, chunk)
            chunk = Chunk(first, last, previous, final, start, len(entries))
            adherence_text = adherence_line(exercises, rows, today) if start == 0 else None
            newest = start == 0
            if not chart_complete(charted):
                charted.extend(rows)
                series = chart_series(charted) if final or newest or chart_complete(charted) else None
            else:
                series = None
            self.app.call_from_thread(
                self.populate, generation, chunk, entries, total, day_marks(rows), series, adherence_text
            )
            previous = rows[-1] if rows else previous
            start += len(entries)
            last = first - dt.timedelta(days=1)
            span = CHUNK_DAYS

    def _begin(
        self,
        generation: int,
        revision: tuple[object, ...],
        exercises: list[Exercise],
        labels: dict[str, str],
        last: dt.date,
    ) -> None:
        if generation != self._generation:
            return
        self._revision = revision
        self._exercises = exercises
        self._labels = labels
        calendar = self.query_one(MonthCalendar)
        calendar.last = max(last, clock.today())

    def _cells(self, entry: Entry, total: int, today: dt.date) -> Cells:
        if isinstance(entry, SessionEntry):
            return session_cells(entry.session, self.columns)
        return day_cells(entry, self.columns, total, self._exercises, self._labels, today)

    def _show_rows(self, upto: int) -> None:
        """Let the table hold the entries down to row `upto` (all of them if fewer)."""
        end = min(len(self._entries), max(upto, 0) + 1)
        if end > self._shown:
            self._shown += self._add_rows(range(self._shown, end), self._checklist_total)

    def _add_rows(self, indexes: range, total: int) -> int:
        """Add these rows to the table; how many were added (up to a chunk that cannot be read)."""
        table = self.query_one(DaysTable)
        today = clock.today()
        console = self.app.console
        added = 0
        for index in indexes:
            try:
                entry = self._entry(index)
            except (StoreError, OSError) as exc:
                self._unreadable(exc)
                break
            cells = self._cells(entry, total, today)
            table.add_row(*cells, height=wrapped_height(cells, self.columns, console))
            added += 1
        return added

    def _unreadable(self, exc: Exception) -> None:
        """Older days kept as their dates only could not be read again: say so (once a load)."""
        if not self._told_unreadable:
            self._told_unreadable = True
            self._show_status()
            self.notify(f"Could not read the older days of your history: {exc}", severity="error")

    def _entry(self, index: int) -> Entry:
        """The entry of a row, its chunk built again from the store if it is not kept (which
        raises StoreError or OSError when the store cannot be read by then)."""
        entry = self._entries[index]
        if entry is not None:
            return entry
        number = next(n for n, c in enumerate(self._chunks) if c.start <= index < c.start + c.count)
        chunk = self._chunks[number]
        entries = self._unaligned.get(number)
        if entries is None:
            _, entries = build_entries(self.store, self.protocol, chunk)
            # Built from what the store holds now: if another process changed it since the
            # load (a check-in edited there), load everything again, on this day, so that
            # the rows, the calendar and the chart agree.
            self.call_later(self._reload_if_changed)
        if [entry_day(e) for e in entries] != self._row_days[chunk.start : chunk.start + chunk.count]:
            # A session recorded or removed there by another process since it was read: the
            # rows no longer line up with the table's. Until everything is loaded again, the
            # row shows what the store holds now, read once (not once for each of its rows).
            self._unaligned[number] = entries
            return entries[min(index - chunk.start, len(entries) - 1)]
        self._entries[chunk.start : chunk.start + chunk.count] = entries
        self._keep(number)
        return entries[index - chunk.start]

    def _keep(self, number: int) -> None:
        """Chunk `number` was just built: let go of the one used longest ago beyond CHUNKS_KEPT."""
        if number < 2:
            return  # the newest two are always kept
        if number in self._used:
            self._used.remove(number)
        self._used.append(number)
        while len(self._used) > CHUNKS_KEPT - 2:
            old = self._chunks[self._used.pop(0)]
            self._entries[old.start : old.start + old.count] = [None] * old.count

    def populate(
        self,
        generation: int,
        chunk: Chunk,
        entries: list[Entry],
        total: int,
        marks: dict[dt.date, DayMark],
        series: tuple[SessionSeries, ...] | None,
        adherence_text: str | None,
    ) -> None:
        """Add a chunk of older days under those shown."""
        if generation != self._generation:
            return  # from a load that a newer one replaced
        more = not chunk.final
        self._checklist_total = total
        start = len(self._entries)
        self._chunks.append(chunk)
        for index, entry in enumerate(entries, start=start):
            day = entry_day(entry)
            self._entries.append(entry)
            self._row_days.append(day)
            if isinstance(entry, DayEntry):
                self._dates.append(day)
                self._row_of.setdefault(day, index)
            else:
                self._dates.append(None)
        self._show_rows(self.query_one(DaysTable).cursor_row + ROWS_AHEAD)
        self._keep(len(self._chunks) - 1)
        self._marks.update(marks)
        self._loading = more
        if adherence_text is not None:
            self._adherence = adherence_text
        calendar = self.query_one(MonthCalendar)
        calendar.set_marks(self._marks)
        if self._row_of:
            calendar.first = min(self._row_of)
        if series is not None:
            chart = self.query_one(RecoveryChart)
            chart.series = series
            longest = max((len(s.soreness) for s in series), default=0)
            chart.days = min(CHART_DAYS, max(8, longest))
        self._show_status()
        if start == 0:
            self._show_detail(0)
        if self._wanted is not None and self._wanted in self._row_of:
            self._place(self._row_of[self._wanted])
            self._wanted = None
        elif self._following_oldest and self._entries:
            self._place(self._oldest_row(), bottom=True)
            self._following_oldest = more
            self._show_status()

    def _show_status(self) -> None:
        days = len(self._row_of)
        if self._loading and self._following_oldest:
            loading = " so far, newest first; older days loading, and End goes on to the oldest."
        elif self._loading:
            loading = " so far, newest first (older days loading...)."
        else:
            loading = ", newest first."
        adherence_text = f" {self._adherence}" if self._adherence else ""
        status = f"{count(days, 'day')}{loading}{adherence_text}"
        if self._told_unreadable:
            status += " Older days could not be read."
        self.query_one("#history-status", Static).update(plain(status))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.query_one("#history-status", Static).update("Your history could not be read.")
            self.notify(f"Could not read the history: {event.worker.error}", severity="error")

    def on_screen_resume(self, _event: ScreenResume) -> None:
        """Back from a day opened here: if anything was saved meanwhile, show it (on the same day)."""
        self._reload_if_changed()

    def _reload_if_changed(self) -> None:
        """Load again if the store changed since the last load, keeping the day shown."""
        if self._revision is None:
            return  # never loaded yet: the first load is under way
        try:
            changed = self.store.revision() != self._revision
        except (StoreError, OSError):
            return
        if not changed:
            return
        wanted = self.selected_day() or self._row_days[self.query_one(DaysTable).cursor_row]
        self._reset()
        self._wanted = wanted
        self.query_one(DaysTable).clear()
        self.load()

    # ------------------------------------------------------------------ fitting the width

    def on_resize(self, _event: Resize) -> None:
        if columns_for(self.app.size.width) == self.columns:
            return
        if self._resize_timer is not None:
            self._resize_timer.stop()
        self._resize_timer = self.set_timer(RESIZE_SETTLE_SECONDS, self._fit_columns)

    def _fit_columns(self) -> None:
        """Draw the table again in the columns that fit the new width, on the same day."""
        columns = columns_for(self.app.size.width)
        if columns == self.columns:
            return
        table = self.query_one(DaysTable)
        row = table.cursor_row
        self.columns = columns
        table.clear(columns=True)
        self._add_columns()
        self._shown = self._add_rows(range(self._shown), self._checklist_total)
        if 0 <= row < len(self._entries):
            self._place(row)

    # ------------------------------------------------------------------ moving

    def selected_day(self) -> dt.date | None:
        """The day of the highlighted row (None on a session's row)."""
        index = self.query_one(DaysTable).cursor_row
        if 0 <= index < len(self._dates):
            return self._dates[index]
        return None

    def _oldest_row(self) -> int:
        return max(self._row_of.values(), default=0)

    def _place(self, row: int, *, bottom: bool = False) -> None:
        """Move the table's cursor to `row` (the calendar and the line below follow)."""
        table = self.query_one(DaysTable)
        self._show_rows(row + ROWS_AHEAD)
        if row != table.cursor_row:
            self._placed_rows.add(row)
        table.move_cursor(row=row)
        if bottom:  # the oldest day, and the session's row under it (once the new rows are laid out)
            table.call_after_refresh(table.scroll_end, animate=False)
        self._show_detail(row)

    def _show_detail(self, row: int) -> None:
        if not 0 <= row < len(self._entries):
            text = "" if self._loading else "No days recorded yet: your days appear here as you check in."
            self.query_one("#day-detail", Static).update(text)
            return
        try:
            entry = self._entry(row)
        except (StoreError, OSError) as exc:
            self._unreadable(exc)
            self.query_one("#day-detail", Static).update(plain(f"This day could not be read: {exc}"))
            return
        if isinstance(entry, SessionEntry):
            detail = f"{session_detail(entry.session)} Del removes this session."
        else:
            detail = day_detail(entry, clock.today())
        self.query_one("#day-detail", Static).update(plain(detail))
        calendar = self.query_one(MonthCalendar)
        calendar.selected = self._row_days[row]
        self.refresh_bindings()  # Del is shown on a session's row only

    @on(DataTable.RowHighlighted, "#days")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.cursor_row != self.query_one(DaysTable).cursor_row:
            return  # the cursor has moved on since (the table's first highlight, say)
        self._show_rows(event.cursor_row + ROWS_AHEAD)
        if event.cursor_row in self._placed_rows:
            self._placed_rows.clear()
        elif self._following_oldest:
            self._following_oldest = False  # the patient moved on
            self._show_status()
        self._show_detail(event.cursor_row)

    @on(DaysTable.NearEnd)
    def _near_end(self, event: DaysTable.NearEnd) -> None:
        event.stop()
        self._show_rows(self._shown + ROWS_AHEAD)

    @on(MonthCalendar.Moved)
    def _calendar_moved(self, event: MonthCalendar.Moved) -> None:
        event.stop()
        row = self._row_of.get(event.day)
        if row is not None:
            self._following_oldest = False
            self._place(row)

    def action_newest(self) -> None:
        self._following_oldest = False
        if self._entries:
            self._place(0)
            self.query_one(DaysTable).scroll_home(animate=False, immediate=True)
        self._show_status()

    def action_oldest(self) -> None:
        """The oldest day loaded; while older years still load, the cursor follows them down
        to the very oldest (until the patient moves it), and the line above says so."""
        if self._entries:
            self._place(self._oldest_row(), bottom=True)
        self._following_oldest = self._loading
        self._show_status()

    def action_month(self, months: int) -> None:
        self.query_one(MonthCalendar).action_month(months)

    # ------------------------------------------------------------------ removing a session

    def selected_session(self) -> Session | None:
        """The session of the highlighted row, if it is a session's row."""
        index = self.query_one(DaysTable).cursor_row
        if 0 <= index < len(self._entries):
            try:
                entry = self._entry(index)
            except (StoreError, OSError):
                return None  # said where the row was shown
            if isinstance(entry, SessionEntry):
                return entry.session
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove_session":
            return self.selected_session() is not None
        return True

    def action_remove_session(self) -> None:
        """Del on a session's row: ask, then remove it as `companion session remove` does."""
        session = self.selected_session()
        if session is None:
            return
        when = timefmt.dated(session.started_at)
        question = (
            f"Remove the session of {when} ({session.intensity}, "
            f"{', '.join(session.areas) or 'areas not noted'})? Its restrictions and countdowns go with it. "
            "Your check-ins, water and ticks stay; they count from the session before them, if any."
        )

        def answered(remove: bool | None) -> None:
            if not remove:
                return
            try:
                removed = self.store.remove_session(session.id)
            except StoreError as exc:
                self.notify(f"The session was not removed: {exc}", title="Not removed", severity="error")
                return
            if removed:
                self.notify(f"Removed the session of {when}.", title="Session removed", timeout=5)
            self.post_message(DataChanged())
            self._reload_if_changed()

        self.app.push_screen(
            ConfirmModal("Remove this session?", question, yes="Remove it", no="Keep it"), answered
        )

    def action_open_day(self) -> None:
        day = self.selected_day()
        if day is None and self.query_one(MonthCalendar).has_focus:
            day = self.query_one(MonthCalendar).selected
        if day is not None:
            self.post_message(OpenCheckin(day))

    @on(DataTable.RowSelected, "#days")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_day()
