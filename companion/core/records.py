"""Reading stored or imported records field by field, naming the field that breaks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pendulum import DateTime

from companion.core import clock
from companion.core.errors import InputError
from companion.core.text import MAX_TEXT, check_text, shown

MAX_ID = 100


def require_object(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputError(where, "must be an object")
    return data


def require_id(data: dict[str, Any], where: str) -> str:
    value = data.get("id")
    if not isinstance(value, str) or not value:
        raise InputError(f"{where}.id", "must be a non-empty text id")
    return check_text(value, f"{where}.id", limit=MAX_ID, strip=False)


def require_text(
    data: dict[str, Any],
    key: str,
    where: str,
    default: str | None = "",
    limit: int = MAX_TEXT,
    *,
    multiline: bool = False,
) -> str:
    """A text field of a record: no control characters (newlines and tabs only in a note,
    ``multiline``), as the CLI and the forms refuse them."""
    value = data.get(key, default)
    if not isinstance(value, str) or (default is None and not value):
        raise InputError(f"{where}.{key}", "must be text")
    return check_text(value, f"{where}.{key}", multiline=multiline, limit=limit, strip=False)


def require_day(data: dict[str, Any], key: str, where: str) -> dt.date:
    """A calendar date YYYY-MM-DD (as parse_day checks it: real, and within 1970-2100)."""
    value = data.get(key)
    if not isinstance(value, str):
        raise InputError(f"{where}.{key}", "must be a date YYYY-MM-DD")
    return clock.parse_day(value, f"{where}.{key}")


def require_timestamp(data: dict[str, Any], key: str, where: str) -> DateTime:
    value = data.get(key)
    if not isinstance(value, str):
        raise InputError(f"{where}.{key}", "must be an ISO 8601 timestamp with offset")
    try:
        moment = clock.parse_stored(value)
    except (ValueError, TypeError):
        raise InputError(f"{where}.{key}", f"{shown(value)} is not a timestamp") from None
    clock.check_range(moment.date(), f"{where}.{key}")
    return moment
