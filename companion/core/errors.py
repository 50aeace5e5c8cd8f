"""Errors the core raises, each naming what the patient has to fix."""

from __future__ import annotations


class InputError(ValueError):
    """A value given by the patient (or a file) that cannot be accepted.

    ``field`` is the record key of the value (``soreness``, ``started_at``), or where in
    a file the record that broke is (``checkins[3].date``); each front end names it
    in its own words (the CLI its option, a form its field's label). ``message`` says
    what is allowed, in plain words that name no front end's options.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ProtocolError(ValueError):
    """The guidance protocol file is broken; the message names the item and field."""
