"""Exports that turn core objects into text for people and other programs.

Pure functions: no store, no UI. The CLI's ``companion export --format csv|md|ics``
fetches the records and calls these; the json backup lives in ``core.backup``.
"""

from __future__ import annotations

from companion.export.calendar_export import Appointment, render_ics
from companion.export.csv_export import CSV_COLUMNS, render_csv
from companion.export.markdown_report import render_markdown

__all__ = ["CSV_COLUMNS", "Appointment", "render_csv", "render_ics", "render_markdown"]
