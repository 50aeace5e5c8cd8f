"""The course of treatment (is it helping?): one row per session, the complaint's usual pain
and each activity's score across the weeks charted with the sessions marked, and the plain
sentence of what changed since the first session. Everything comes from
``queries.load_course`` (the same course as ``companion course``), read in a worker.

The table fits its width: from ``WIDE_FROM`` columns every column of the core's table
(``core.course.COLUMNS``); below, what was taken during a pause and the water of the first
day leave the table for the lines under it. Long cells wrap at spaces, never cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Console
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, WorkerState

from companion.core.course import (
    COLUMNS,
    COLUMNS_NOTE,
    FREE_TEXT_COLUMNS,
    SCALES_NOTE,
    Course,
    CourseRow,
    measure_headings,
    short_day,
)
from companion.core.protocol import Protocol
from companion.queries import load_course
from companion.store import Store
from companion.ui.plain import plain, plain_text
from companion.ui.widgets.course_chart import ChartLine, CourseChart, CourseSeries
from companion.ui.widgets.key_footer import KeyFooter

WIDE_FROM = 110
"""From this many columns the table has room for every column."""
NARROW_LEAVES = ("took", "water")
"""What the table leaves out below WIDE_FROM: said in the lines under it."""


def table_keys(width: int) -> list[str]:
    return [key for key, _ in COLUMNS if width >= WIDE_FROM or key not in NARROW_LEAVES]


SHARES = {"areas": 5, "alerts": 3, "took": 3}
"""How the room left by the short columns is shared among the free-text ones."""
CELL_PADDING = 2
ROOM_TAKEN = 4
"""The screen's padding and the scrollbar."""


def table_widths(cells: Sequence[dict[str, str]], width: int) -> dict[str, int]:
    """Each column's width: the short ones their longest cell, the free-text ones a share of
    the rest, never less than their longest word (so a word is never cut)."""
    keys = table_keys(width)
    headings = dict(COLUMNS)
    widths: dict[str, int] = {}
    for key in keys:
        if key not in FREE_TEXT_COLUMNS:
            widths[key] = max([len(headings[key]), *(len(c[key]) for c in cells)])
    free = [k for k in keys if k in FREE_TEXT_COLUMNS]
    room = width - ROOM_TAKEN - sum(widths.values()) - CELL_PADDING * len(keys)
    want = {k: max([len(headings[k]), *(len(c[k]) for c in cells)]) for k in free}
    words = {k: max([len(headings[k]), *(len(w) for c in cells for w in c[k].split())]) for k in free}
    pending = list(free)
    while pending:  # a column whose cells all fit its share takes only that; the rest share again
        total = sum(SHARES[k] for k in pending)
        fits = [k for k in pending if want[k] <= room * SHARES[k] // total]
        if not fits:
            break
        for key in fits:
            widths[key] = want[key]
            room -= want[key]
            pending.remove(key)
    for key in pending:
        widths[key] = max(words[key], room * SHARES[key] // sum(SHARES[k] for k in pending))
    return {key: widths[key] for key in keys}


def fill_table(table: DataTable[Text], course: Course, width: int, console: Console) -> None:
    """The session rows in the columns that fit ``width``; free text wraps at spaces. Only the
    rows on screen are drawn (a DataTable), whatever the number of sessions."""
    table.clear(columns=True)
    cells = [row.cells(course.labels) for row in course.rows]
    widths = table_widths(cells, width)
    headings = dict(COLUMNS)
    for key, cell_width in widths.items():
        table.add_column(headings[key], width=cell_width, key=key)
    for row_cells in cells:
        texts = [plain_text(row_cells[key]) for key in widths]
        height = 1
        for key, text in zip(widths, texts, strict=True):
            if key in FREE_TEXT_COLUMNS and text.cell_len > widths[key]:
                height = max(height, len(text.wrap(console, widths[key])))
        table.add_row(*texts, height=height)


def left_out_text(course: Course, width: int) -> str:
    """What a narrow table leaves out, session by session: taken during a pause, water."""
    if width >= WIDE_FROM or not course.rows:
        return ""
    took = [
        f"{short_day(r.date)} {r.cells(course.labels)['took']}" for r in course.rows if r.took_during_pause
    ]
    water = [
        f"{short_day(r.date)} {r.water_first_day[0]}/{r.water_first_day[1]}"
        for r in course.rows
        if r.water_first_day is not None
    ]
    took_line = "Taken during a pause: " + ("; ".join(took) if took else "nothing logged") + "."
    water_line = (
        "Water on each session's day (glasses/goal): " + ("; ".join(water) if water else "not recorded") + "."
    )
    return f"{took_line}\n{water_line}"


def complaint_text(course: Course) -> str:
    if course.complaint is None:
        return "No complaint named yet: press n to say what you see your physiotherapist for."
    return f"What you see your physiotherapist for: {course.complaint.text}"


def chart_series(course: Course) -> CourseSeries:
    headings = measure_headings(course.measures)
    lines = tuple(
        ChartLine(name, {p.date: p.value for p in m.points})
        for name, m in zip(headings, course.measures, strict=True)
    )
    days = [p.date for m in course.measures for p in m.points] + [r.date for r in course.rows]
    if not days:
        return CourseSeries()
    return CourseSeries(lines, frozenset(r.date for r in course.rows), min(days), max(days))


def key_text(course: Course) -> str:
    """What each chart line is: 'Pain usual pain (stiff neck); A1 reversing the car...'."""
    names = measure_headings(course.measures)
    parts = []
    for name, measure in zip(names, course.measures, strict=True):
        parts.append(f"{name}: {measure.label}")
    return "; ".join(parts) + f". {SCALES_NOTE}" if parts else ""


def rows_shown(rows: Sequence[CourseRow]) -> str:
    return f"Sessions ({len(rows)}), oldest first" if rows else "No session recorded yet."


class CourseScreen(Screen[None]):
    """Opened from History (its key c) and the command palette."""

    TITLE = "Course"  # the header says 'companion · Course'

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.back", "Back"),
        Binding("n", "app.name_complaint", "Problem"),
        Binding("r", "app.rate_activities", "Rate"),
    ]

    def __init__(self, store: Store, protocol: Protocol) -> None:
        super().__init__(id="course")
        self.store = store
        self.protocol = protocol
        self.course: Course | None = None
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="course-body"):
            yield Static("Reading your course of treatment...", id="course-complaint")
            yield Static("", id="course-sessions-title", classes="section-title")
            table: DataTable[Text] = DataTable(id="course-sessions", cursor_type="none", zebra_stripes=True)
            table.can_focus = False
            yield table
            yield Static("", id="course-left-out", classes="note")
            yield Static(plain(COLUMNS_NOTE), id="course-columns-note", classes="note")
            chart = CourseChart(id="course-chart", classes="box")
            yield chart
            yield Static("", id="course-key", classes="note")
            yield Static("", id="course-sentence")
            yield Static(
                "companion is a reminder, not a clinician: your physiotherapist's word comes first.",
                classes="note",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        for waiting in ("#course-columns-note", "#course-chart", "#course-sessions"):
            self.query_one(waiting).display = False  # until the course is read
        self.query_one("#course-body").focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        course = load_course(self.store, self.protocol)
        self.app.call_from_thread(self.show_course, course)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(f"Could not read the course: {event.worker.error}", severity="error", timeout=10)

    def show_course(self, course: Course) -> None:
        self.course = course
        self.query_one("#course-complaint", Static).update(plain(complaint_text(course)))
        self.query_one("#course-sessions-title", Static).update(plain(rows_shown(course.rows)))
        chart = self.query_one("#course-chart", CourseChart)
        chart.series = chart_series(course)
        chart.display = True
        self.query_one("#course-key", Static).update(plain(key_text(course)))
        self.query_one("#course-sentence", Static).update(plain_text(course.sentence, "bold"))
        self._fit(force=True)

    def on_resize(self, _event: Resize) -> None:
        self._fit()

    def _fit(self, force: bool = False) -> None:
        """The table and the lines under it for the screen's width (only when it changed)."""
        width = self.size.width
        if self.course is None or (width == self._width and not force):
            return
        self._width = width
        course = self.course
        sessions = self.query_one("#course-sessions", DataTable)
        sessions.display = bool(course.rows)
        if course.rows:
            fill_table(sessions, course, width, self.app.console)
        left_out = left_out_text(course, width)
        note = self.query_one("#course-left-out", Static)
        note.update(plain(left_out))
        note.display = bool(left_out)
        self.query_one("#course-columns-note").display = bool(course.rows)
