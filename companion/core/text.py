"""Texts from outside: refused at the way in, made harmless at the way out.

Every text companion keeps comes from somewhere it does not control: an argument, a
form, an import file, a clinic file, a file in the data folder. A control character
in one of them is an instruction to the terminal that shows it (an OSC sequence
retitles the window or sets the clipboard, a bidi override reverses what is read).
So:

- :func:`check_text` refuses them where a text comes in, naming the field: C0
  controls (newline and tab only where the field is a note), DEL, C1 controls, the
  bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069) and lone surrogates
  (bytes that were not UTF-8, or a broken escape in a JSON file);
- :func:`printable` replaces them visibly where a text goes out (a second line of
  defence for whatever got in before, or by another way);
- :func:`shown` is how a refusal quotes a bad value: short, and quoted like ``repr``
  so that nothing in it reaches the terminal raw;
- :func:`json_escaped` writes JSON output losslessly, with those characters as
  ``\\uXXXX`` escapes (the JSON means the same, the terminal sees none of them).
"""

from __future__ import annotations

import re
from typing import Final

from companion.core.errors import InputError

MAX_TEXT: Final = 2000
"""The longest text field (a note); shorter fields pass their own limit."""
SHOWN_CHARS: Final = 40
"""How much of a bad value a message quotes."""

# The characters no text field may hold (newline and tab are allowed in notes only).
_ALWAYS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_FORBIDDEN_IN_NOTES: Final = re.compile(f"[{_ALWAYS}]")
_FORBIDDEN_IN_LINES: Final = re.compile(f"[\t\n{_ALWAYS}]")
_REPLACEMENT: Final = "\N{REPLACEMENT CHARACTER}"


class UnsafeTextError(InputError):
    """A text holding a character no text field may hold (a control character, a bidi
    override, a lone surrogate).

    Refused at every way in. In a record already stored (by an older companion) it is
    the only thing wrong with it: the store cleans the text (:func:`without_controls`)
    and keeps the record in view rather than set aside a check-in and hide its alerts.
    """


def describe(ch: str) -> str:
    """A control character in words ('U+001B (escape)')."""
    code = ord(ch)
    names = {
        0x09: "tab",
        0x0A: "newline",
        0x0D: "carriage return",
        0x1B: "escape",
        0x7F: "delete",
        0x00: "NUL",
        0x07: "bell",
        0x9B: "control sequence introducer",
        0x9D: "operating system command",
    }
    if code in names:
        kind = names[code]
    elif 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate: a byte that is not UTF-8, or half of a broken character"
    elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        kind = "a direction override that changes how text reads"
    else:
        kind = "control character"
    return f"U+{code:04X} ({kind})"


def find_control(text: str, *, multiline: bool = False) -> int | None:
    """The index of the first character a text field may not hold, or None."""
    pattern = _FORBIDDEN_IN_NOTES if multiline else _FORBIDDEN_IN_LINES
    match = pattern.search(text)
    return None if match is None else match.start()


def has_surrogates(text: str) -> bool:
    """Whether a text holds bytes that were not UTF-8 (decoded with surrogateescape)."""
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def check_text(
    value: object,
    field: str,
    *,
    multiline: bool = False,
    limit: int = MAX_TEXT,
    strip: bool = True,
) -> str:
    """A text field as the patient (or a file) gave it, or an InputError naming the field.

    ``multiline`` allows newlines and tabs (notes); every other control character,
    bidi override or lone surrogate is refused, wherever the text comes from.
    """
    if not isinstance(value, str):
        raise InputError(field, f"must be text, not {_kind(value)}")
    if len(value) > limit * 4:  # cheap first: never scan (or strip) a megabyte to refuse it
        raise InputError(field, f"is {len(value)} characters long; at most {limit} fit")
    where = find_control(value, multiline=multiline)
    if where is not None:
        allowed = "" if multiline else "; write it on one line, in plain text"
        raise UnsafeTextError(
            field,
            f"holds {describe(value[where])} at character {where + 1}, which text may not hold{allowed}",
        )
    cleaned = value.strip() if strip else value
    if len(cleaned) > limit:
        raise InputError(field, f"is {len(cleaned)} characters long; at most {limit} fit")
    return cleaned


def check_note(value: object, field: str, *, limit: int = MAX_TEXT) -> str:
    """A note: several lines and tabs are fine, control characters are not."""
    return check_text(value, field, multiline=True, limit=limit)


def without_controls(text: str, *, one_line: bool = False) -> str:
    """The text with every character a text field may not hold taken out (newlines and
    tabs too, as spaces, when ``one_line``): how the store cleans an old record."""
    cleaned = _FORBIDDEN_IN_NOTES.sub("", text)
    if one_line:
        cleaned = cleaned.replace("\n", " ").replace("\t", " ")
    return cleaned


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␛ for ESC, ␀ for NUL
    if code == 0x7F:
        return "\N{SYMBOL FOR DELETE}"
    return _REPLACEMENT


def printable(text: str, *, one_line: bool = False) -> str:
    """The text with every character a terminal would obey replaced by a visible mark.

    Each one becomes one character (a control picture such as ␛, or �), so positions
    and lengths stay as they were. ``one_line`` also turns newlines into ' / ' and
    tabs into spaces (for a table cell).
    """
    safe = _FORBIDDEN_IN_NOTES.sub(_picture, text)
    if one_line and ("\n" in safe or "\t" in safe):
        lines = [part.strip() for part in safe.replace("\t", " ").split("\n")]
        safe = " / ".join(part for part in lines if part)
    return safe


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """A bad value as a message quotes it: like repr, at most ``limit`` characters of it.

    repr escapes every control character, bidi override and surrogate, so the quote
    is safe on a terminal; a long value is cut ('…', and how long it was).
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}… ({len(value)} characters)"
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() > 64:  # str() of a huge integer is slow, or refused outright
            return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
        return repr(value)
    if isinstance(value, float):
        return repr(value)
    return _kind(value)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list | tuple):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_JSON_ESCAPE: Final = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_escaped(json_text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the characters a
    terminal would obey written as ``\\uXXXX``.

    json.dumps already escapes C0 controls; DEL, C1, bidi overrides and lone
    surrogates can only stand inside strings, where the escape means the same
    character: nothing is lost, and the output is valid UTF-8.
    """
    return _JSON_ESCAPE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json_text)
