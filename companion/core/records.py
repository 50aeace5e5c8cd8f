"""Reading stored or imported records field by field, naming the field that breaks.

The same limits hold for a record typed at the CLI, imported from a file or read
back from the data folder: a value a write could refuse (a lone surrogate, a number
too long to convert, a list of 100,000 areas) is refused here, before anything is
written, naming the record and the field.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from pendulum import DateTime

from companion.core import clock
from companion.core.errors import InputError
from companion.core.text import (
    MAX_TEXT,
    UnsafeTextError,
    check_text,
    describe,
    find_control,
    shown,
    without_controls,
)

# No value companion keeps needs more digits than this; a longer number in a file is
# kept as a HugeNumber (never converted: converting is slow and limited to 4300 digits).
MAX_NUMBER_DIGITS = 30
MAX_ID_LENGTH = 100
# Unknown keys of a session or check-in are kept when they are plain JSON of modest
# size; anything else (a huge number, a lone surrogate, deep nesting) is ignored.
MAX_EXTRA_CHARS = 10_000
MAX_EXTRA_DEPTH = 20


class HugeNumber:
    """A number in a JSON file with more digits than any value companion keeps.

    It is not an ``int``, so every field that wants a number refuses it by type.
    """

    __slots__ = ("digits",)

    def __init__(self, digits: str) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"<a number of {len(self.digits.lstrip('-'))} digits>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HugeNumber) and other.digits == self.digits

    def __hash__(self) -> int:
        return hash(self.digits)


def _int_or_huge(text: str) -> int | HugeNumber:
    return HugeNumber(text) if len(text.lstrip("-")) > MAX_NUMBER_DIGITS else int(text)


def parse_json(text: str | bytes) -> Any:
    """``json.loads`` that reads a number of any length (as a :class:`HugeNumber`).

    The plain parser runs first (it is the fast path); only a file with a number
    past Python's conversion limit is read a second time with the careful one.
    Raises ``json.JSONDecodeError`` (or ``RecursionError``) for text that is not JSON.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        return json.loads(text, parse_int=_int_or_huge)


def exact_json(value: Any) -> str:
    """JSON text of a parsed value, in ASCII, huge numbers written out digit for digit.

    Used to keep a record that cannot be read exactly as it was found.
    """
    if isinstance(value, HugeNumber):
        return value.digits
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k))}:{exact_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(exact_json(v) for v in value) + "]"
    return json.dumps(value)


def json_default(value: Any) -> Any:
    """``default`` for json.dumps: a HugeNumber is written as its digits, in quotes."""
    if isinstance(value, HugeNumber):
        return value.digits
    raise TypeError(f"{type(value).__name__} is not JSON")


def require_object(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputError(where, "must be an object")
    return data


def check_storable_text(value: str, field: str) -> str:
    """Text that can be written as UTF-8 and shown safely (newlines and tabs allowed):
    the check for the values of unknown keys, which are kept as they came."""
    where = find_control(value, multiline=True)
    if where is not None:
        raise UnsafeTextError(field, f"holds {describe(value[where])}, which text may not hold")
    return value


def clean_text(value: Any, *, one_line: bool = False) -> Any:
    """The value with every character a text field may not hold taken out of each text
    in it, keys included (newlines and tabs too, as spaces, when ``one_line``)."""
    if isinstance(value, str):
        return without_controls(value, one_line=one_line)
    if isinstance(value, list):
        return [clean_text(v, one_line=one_line) for v in value]
    if isinstance(value, dict):
        return {clean_text(k, one_line=True): clean_text(v, one_line=one_line) for k, v in value.items()}
    return value


def require_id(data: dict[str, Any], where: str) -> str:
    value = data.get("id")
    if not isinstance(value, str) or not value:
        raise InputError(f"{where}.id", "must be a non-empty text id")
    checked = check_text(value, f"{where}.id", limit=MAX_ID_LENGTH, strip=False)
    if not checked.isprintable():
        raise InputError(f"{where}.id", f"must be at most {MAX_ID_LENGTH} printable characters")
    return checked


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


def require_text_list(data: dict[str, Any], key: str, where: str, *, max_items: int, limit: int) -> list[str]:
    """A list of non-empty one-line texts, at most ``max_items`` of at most ``limit`` characters."""
    value = data.get(key, [])
    field = f"{where}.{key}"
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise InputError(field, "must be a list of texts")
    if len(value) > max_items:
        raise InputError(field, f"has {len(value)} entries; at most {max_items} fit")
    if not value:
        return value
    # All at once (a month has thousands of these); then the one to name, if any.
    if max(map(len, value)) <= limit and find_control(" ".join(value)) is None:
        return value
    for i, item in enumerate(value):
        check_text(item, f"{field}[{i}]", limit=limit, strip=False)
    return value


def require_day(data: dict[str, Any], key: str, where: str) -> dt.date:
    """A calendar date YYYY-MM-DD (as parse_day checks it: real, and within 1970-2100)."""
    value = data.get(key)
    if not isinstance(value, str):
        raise InputError(f"{where}.{key}", "must be a date YYYY-MM-DD")
    return clock.parse_day(value, f"{where}.{key}")


def require_timestamp(data: dict[str, Any], key: str, where: str) -> DateTime:
    """An ISO 8601 timestamp with its UTC offset, as stored (see clock.parse_stored)."""
    return clock.as_pendulum(require_moment(data, key, where))


def require_moment(data: dict[str, Any], key: str, where: str) -> dt.datetime:
    """What :func:`require_timestamp` checks and reads, as the standard library's datetime:
    the same refusals, without building pendulum's DateTime (cheap enough to check every
    record of a long history; ``clock.as_pendulum`` makes it one)."""
    value = data.get(key)
    field = f"{where}.{key}"
    if not isinstance(value, str):
        raise InputError(field, "must be an ISO 8601 timestamp with offset")
    try:
        moment = clock.read_stored(value)
    except clock.NoOffsetError:
        raise InputError(
            field, f"{shown(value)} has no UTC offset; write it as e.g. 2026-11-21T16:30:00+01:00"
        ) from None
    except (ValueError, TypeError, OverflowError):
        raise InputError(field, f"{shown(value)} is not a timestamp") from None
    clock.check_range(moment.date(), field)
    return moment


def _storable(value: Any, depth: int = 0) -> bool:
    if depth > MAX_EXTRA_DEPTH:
        return False
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return len(str(abs(value))) <= MAX_NUMBER_DIGITS
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        try:
            check_storable_text(value, "")
        except InputError:
            return False
        return True
    if isinstance(value, list):
        return all(_storable(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _storable(k) and _storable(v, depth + 1) for k, v in value.items())
    return False


def storable_extra(data: dict[str, Any], known: set[str] | frozenset[str]) -> dict[str, Any]:
    """The unknown keys of a record worth keeping: plain JSON of modest size.

    Unknown keys are kept or ignored, never fatal: one that could not be written back
    (or would echo control characters) is ignored.
    """
    if data.keys() <= known:
        return {}  # the usual case
    extra: dict[str, Any] = {}
    for key, value in data.items():
        if key in known or not _storable(key) or not _storable(value):
            continue
        if len(json.dumps(value)) + len(key) > MAX_EXTRA_CHARS:
            continue
        extra[key] = value
    return extra
