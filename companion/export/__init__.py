"""Exports that turn core objects into text for people and other programs.

Pure functions: no store, no UI. The CLI's ``companion export --format csv|md|ics``
fetches the records and calls these; the json backup lives in ``core.backup``.
Import the module a format needs (csv_export, markdown_report, calendar_export):
this package imports none of them, so one format never loads another's libraries.
"""
