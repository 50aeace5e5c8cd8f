"""Errors the core raises, each naming what the patient has to fix."""

from __future__ import annotations


class InputError(ValueError):
    """A value given by the patient (or a file) that cannot be accepted.

    ``field`` is what the patient typed or the record that broke (``--soreness``,
    ``checkins[3].date``); ``message`` says what is allowed, in plain words.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ProtocolError(ValueError):
    """The guidance protocol file is broken; the message names the item and field."""
