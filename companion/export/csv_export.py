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
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

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
)


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
        )
    cells["glasses"] = row.glasses
    cells["goal"] = row.goal
    cells["checklist"] = text_cell(";".join(row.checklist_done))
    cells["alerts"] = text_cell(";".join(alert.id for alert in row.alerts))
    return cells


def render_csv(rows: Iterable[HistoryRow]) -> str:
    """A header and one line per day, oldest day first (text cells quoted, numbers not)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(CSV_COLUMNS)
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    for row in sorted(rows, key=lambda r: r.date):
        writer.writerow(_row(row))
    return buffer.getvalue()
