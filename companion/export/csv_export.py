"""One row per day as CSV, for a spreadsheet.

Rows are written oldest first, whatever order they come in (the history queries
give them newest first). A day without a check-in has empty check-in cells; glasses
and goal are always filled (0 glasses when nothing was ticked). Booleans are
``true``/``false`` as in the json export; lists are ``;``-separated ids. Lines end
with ``\\n`` (the csv module quotes any value holding a comma, quote or newline).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from companion.core.history import HistoryRow

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


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _row(row: HistoryRow) -> dict[str, str]:
    c = row.checkin
    cells = dict.fromkeys(CSV_COLUMNS, "")
    cells["date"] = row.date.isoformat()
    if row.session is not None:
        cells["session_id"] = row.session.id
    if row.session_day is not None:
        cells["session_day"] = str(row.session_day)
    if c is not None:
        cells.update(
            soreness=str(c.soreness),
            fatigue=str(c.fatigue),
            stiffness=str(c.stiffness),
            bruising=c.bruising,
            flare_up=_flag(c.flare_up),
            sharp_pain=_flag(c.sharp_pain),
            breathing_trouble=_flag(c.breathing_trouble),
            note=c.note,
        )
    cells["glasses"] = str(row.glasses)
    cells["goal"] = str(row.goal)
    cells["checklist"] = ";".join(row.checklist_done)
    cells["alerts"] = ";".join(alert.id for alert in row.alerts)
    return cells


def render_csv(rows: Iterable[HistoryRow]) -> str:
    """A header and one line per day, oldest day first."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: r.date):
        writer.writerow(_row(row))
    return buffer.getvalue()
