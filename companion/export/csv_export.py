"""One row per day as CSV, for a spreadsheet.

Rows are written oldest first, whatever order they come in (the history queries
give them newest first). A day without a check-in has empty check-in cells; glasses
and goal are always filled (0 glasses when nothing was ticked). Booleans are
``true``/``false`` as in the json export; lists are ``;``-separated ids. Lines end
with ``\\n``.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
carriage return) as a formula: a note saying ``=HYPERLINK(...)`` would be a live link
in the clinician's spreadsheet. As OWASP's guidance on CSV injection says, every text
cell is quoted, and one that starts like a formula gets a single quote in front
(``'=HYPERLINK(...)``), which spreadsheets show as text. Numbers stay unquoted numbers.
Control characters are shown as visible marks (``core.text.printable``).

The course of treatment adds columns after these (so scripts reading the older ones
by position still work): ``usual_pain`` (the check-in's rating of the complaint,
empty when not given) and one ``activity: <name>`` column per activity of the
Patient-Specific Functional Scale, filled on the days it was rated (the names are
the patient's words: they get the same treatment as any text cell).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

from companion.core.activities import Activity, Rating, ordered
from companion.core.history import HistoryRow
from companion.core.text import printable

CSV_COLUMNS: tuple[str, ...] = (
    "date",
    "session_id",
    "session_day",
    "soreness",
    "fatigue",
    "stiffness",
    "bruising",
    "flare_up",
    "sharp_pain",
    "breathing_trouble",
    "glasses",
    "goal",
    "checklist",
    "alerts",
    "note",
    "usual_pain",
)
ACTIVITY_PREFIX = "activity: "


FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
"""What makes a spreadsheet read a cell as a formula (OWASP; the fullwidth forms too,
which some spreadsheets take for the ASCII ones)."""

Cell = str | int


def text_cell(value: str) -> str:
    """A text cell a spreadsheet shows as text: never a formula, no control characters."""
    safe = printable(value)
    return "'" + safe if value.lstrip(" ").startswith(FORMULA_START) else safe


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _row(row: HistoryRow) -> dict[str, Cell]:
    c = row.checkin
    cells: dict[str, Cell] = dict.fromkeys(CSV_COLUMNS, "")
    cells["date"] = row.date.isoformat()
    if row.session is not None:
        cells["session_id"] = text_cell(row.session.id)
    if row.session_day is not None:
        cells["session_day"] = row.session_day
    if c is not None:
        cells.update(
            soreness=c.soreness,
            fatigue=c.fatigue,
            stiffness=c.stiffness,
            bruising=text_cell(c.bruising),
            flare_up=_flag(c.flare_up),
            sharp_pain=_flag(c.sharp_pain),
            breathing_trouble=_flag(c.breathing_trouble),
            note=text_cell(c.note),
            usual_pain="" if c.usual_pain is None else c.usual_pain,
        )
    cells["glasses"] = row.glasses
    cells["goal"] = row.goal
    cells["checklist"] = text_cell(";".join(row.checklist_done))
    cells["alerts"] = text_cell(";".join(alert.id for alert in row.alerts))
    return cells


def activity_columns(activities: Sequence[Activity]) -> dict[str, str]:
    """Column name by activity id: 'activity: <name>', numbered when two share a name."""
    columns: dict[str, str] = {}
    for activity in ordered(activities):
        name = f"{ACTIVITY_PREFIX}{activity.name}"
        n = 1
        while name in columns.values() or name in CSV_COLUMNS:
            n += 1
            name = f"{ACTIVITY_PREFIX}{activity.name} ({n})"
        columns[activity.id] = name
    return columns


def render_csv(
    rows: Iterable[HistoryRow], activities: Sequence[Activity] = (), ratings: Iterable[Rating] = ()
) -> str:
    """A header and one line per day, oldest day first (a day with only ratings gets its line
    too); text cells quoted, numbers not."""
    columns = activity_columns(activities)
    scores: dict[dt.date, dict[str, Cell]] = {}
    for rating in ratings:
        if rating.activity_id in columns:
            scores.setdefault(rating.date, {})[columns[rating.activity_id]] = rating.score
    by_day = {row.date: _row(row) for row in rows}
    for day in scores.keys() - by_day.keys():
        by_day[day] = {**dict.fromkeys(CSV_COLUMNS, ""), "date": day.isoformat(), "glasses": 0}
    buffer = io.StringIO()
    fields = [*CSV_COLUMNS, *columns.values()]
    csv.writer(buffer, lineterminator="\n").writerow([*CSV_COLUMNS, *map(text_cell, columns.values())])
    writer = csv.DictWriter(
        buffer, fieldnames=fields, lineterminator="\n", restval="", quoting=csv.QUOTE_NONNUMERIC
    )
    for day in sorted(by_day):
        writer.writerow({**by_day[day], **scores.get(day, {})})
    return buffer.getvalue()
