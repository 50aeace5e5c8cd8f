"""The course's outcomes over time: the usual pain and each activity's score, with the sessions
marked on the time axis.

One column per day when the whole course fits the width, else one per week (the last value
rated that week, as the course's weekly table keeps it); when even the weeks do not fit, the
latest weeks that do, and the title says so. Each value is a bar two rows high in eighth
blocks (``widgets/chart.py``: every value of 0-10 its own height); a column without a
rating is blank. Under the bars, ▲ marks a column with a session, and the months are named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from companion.ui.widgets.chart import bar

LABEL_WIDTH = 6
"""'Pain', 'A1'... and a space."""
SESSION_MARK = "▲"
MAX_CELL = 3
"""A column is at most this wide (a bar and a gap) when the room allows."""


@dataclass(frozen=True)
class ChartLine:
    """One outcome: its short label and its value by day."""

    label: str
    values: Mapping[dt.date, int]


@dataclass(frozen=True)
class CourseSeries:
    """What the chart draws: the outcomes and the session days over ``first``..``last``."""

    lines: tuple[ChartLine, ...] = ()
    sessions: frozenset[dt.date] = frozenset()
    first: dt.date | None = None
    last: dt.date | None = None


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Slots:
    """The columns: each a span of days (first, last), and what they are."""

    spans: tuple[tuple[dt.date, dt.date], ...]
    weekly: bool
    left_out: int  # older weeks that did not fit


def slots_for(first: dt.date, last: dt.date, room: int) -> Slots:
    """Days when they fit ``room`` columns, else weeks (the latest that fit)."""
    days = (last - first).days + 1
    if days <= room:
        spans = tuple((first + dt.timedelta(days=n), first + dt.timedelta(days=n)) for n in range(days))
        return Slots(spans, weekly=False, left_out=0)
    start = monday_of(first)
    weeks = (monday_of(last) - start).days // 7 + 1
    shown = min(weeks, max(room, 1))
    first_shown = start + dt.timedelta(weeks=weeks - shown)
    spans = tuple(
        (first_shown + dt.timedelta(weeks=n), first_shown + dt.timedelta(weeks=n, days=6))
        for n in range(shown)
    )
    return Slots(spans, weekly=True, left_out=weeks - shown)


def slot_values(values: Mapping[dt.date, int], spans: Sequence[tuple[dt.date, dt.date]]) -> list[int | None]:
    """Each column's value: the last one rated in its span (None: nothing rated)."""
    ordered = sorted(values)
    out: list[int | None] = []
    index = 0
    for begin, end in spans:
        found: int | None = None
        while index < len(ordered) and ordered[index] < begin:
            index += 1
        probe = index
        while probe < len(ordered) and ordered[probe] <= end:
            found = values[ordered[probe]]
            probe += 1
        out.append(found)
    return out


def month_axis(spans: Sequence[tuple[dt.date, dt.date]], cell: int = 1) -> str:
    """Month names where a month begins (the year with January and with the first column),
    each only where it does not run into the one before; ``cell``: columns per span."""
    cells = [" "] * (len(spans) * cell)
    free_from = 0
    previous: tuple[int, int] | None = None
    for index, (_begin, end) in enumerate(spans):
        month = (end.year, end.month)
        if month == previous:
            continue
        previous = month
        name = end.strftime("%b")
        if index == 0 or end.month == 1:
            name = end.strftime("%b %Y")
        at = index * cell
        if at < free_from or at + len(name) > len(cells):
            continue
        cells[at : at + len(name)] = list(name)
        free_from = at + len(name) + 1
    return "".join(cells)


def chart_title(slots: Slots | None) -> str:
    if slots is None or not slots.weekly:
        return f"By day · {SESSION_MARK} a session"
    older = f", {slots.left_out} older weeks in companion course" if slots.left_out else ""
    return f"By week (the week's last rating{older}) · {SESSION_MARK} a session"


class CourseChart(Widget):
    """Redrawn only when its data or its width changes."""

    DEFAULT_CSS = """
    CourseChart {
        height: auto;
        padding: 0 1;
    }
    CourseChart > .course-chart--bar { color: $primary; }
    CourseChart > .course-chart--session { color: $accent; text-style: bold; }
    CourseChart > .course-chart--muted { color: $text-muted; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "course-chart--bar",
        "course-chart--session",
        "course-chart--muted",
    }

    series: reactive[CourseSeries] = reactive(CourseSeries, layout=True)

    def slots(self, width: int) -> Slots | None:
        series = self.series
        if series.first is None or series.last is None:
            return None
        return slots_for(series.first, series.last, width - LABEL_WIDTH)

    def on_resize(self) -> None:
        self.border_title = chart_title(self.slots(self.content_size.width))

    def watch_series(self) -> None:
        self.border_title = chart_title(self.slots(self.content_size.width))

    def render(self) -> Text:
        style = self.get_component_rich_style
        muted, ink, mark = (
            style("course-chart--muted"),
            style("course-chart--bar"),
            style("course-chart--session"),
        )
        series = self.series
        slots = self.slots(self.content_size.width)
        if slots is None or not series.lines:
            return Text(
                "Nothing rated yet: the chart fills in as you rate the usual pain in your check-in "
                "and the activities each week.",
                muted,
            )
        cell = cell_width(len(slots.spans), self.content_size.width - LABEL_WIDTH)
        text = Text(no_wrap=True, overflow="crop")
        drawn = [(line, slot_values(line.values, slots.spans)) for line in series.lines]
        # An outcome not rated in the columns shown (a retired activity, years back) takes no rows.
        drawn = [(line, values) for line, values in drawn if any(v is not None for v in values)]
        if not drawn:
            return Text("Nothing rated in the weeks shown.", muted)
        for number, (line, values) in enumerate(drawn):
            for row in (0, 1):  # the bars' top row, then their bottom row
                if number or row:
                    text.append("\n")
                text.append((line.label if row == 0 else "").ljust(LABEL_WIDTH))
                glyphs = (bar(v)[row] if v is not None else " " for v in values)
                text.append("".join(widened(g, cell) for g in glyphs), ink)
        text.append("\n" + "".ljust(LABEL_WIDTH))
        for begin, end in slots.spans:
            held = any(day in series.sessions for day in _days(begin, end))
            glyph = SESSION_MARK if held else "·" if not slots.weekly else " "
            text.append(widened(glyph, cell), mark if held else muted)
        text.append("\n" + "".ljust(LABEL_WIDTH) + month_axis(slots.spans, cell), muted)
        return text


def cell_width(columns: int, room: int) -> int:
    """How many cells each column gets: 1, or up to MAX_CELL (a bar and a gap) when there is room."""
    return max(1, min(MAX_CELL, room // max(columns, 1)))


def widened(glyph: str, cell: int) -> str:
    """A column's glyph in ``cell`` cells: the bar, then a gap."""
    if cell == 1:
        return glyph
    return glyph * (cell - 1) + " "


def _days(begin: dt.date, end: dt.date) -> list[dt.date]:
    return [begin + dt.timedelta(days=n) for n in range((end - begin).days + 1)]
