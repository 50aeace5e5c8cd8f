"""Numbers typed by the patient or read from a file: ASCII digits, within a range.

``str.isdigit()`` accepts '²', '①', Arabic-Indic and fullwidth digits, and ``int()``
and ``float()`` accept some of those (and '1_000', ' 5 ', '+5', 'nan', '1e3'); so no
field parses a number itself: each one calls :func:`parse_whole` or
:func:`parse_decimal`, which take the digits 0-9 only, refuse a value too long to be a
number before converting it, and name the field in every refusal.
"""

from __future__ import annotations

import math
import re
from typing import Final

from companion.core.errors import InputError
from companion.core.text import shown

MAX_DIGITS: Final = 9
"""More digits than any field allows: checked before int(), so 5000 digits cost nothing."""
_WHOLE: Final = re.compile(r"[0-9]+")
_DECIMAL: Final = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_SPACES: Final = " \t"


def parse_whole(value: object, field: str, *, minimum: int, maximum: int, hint: str = "") -> int:
    """A whole number from ``minimum`` to ``maximum``, written with the digits 0-9.

    An int (from a JSON file) is taken as it is; text may have spaces around it. A
    minus sign is read only to say the number is out of range.
    """
    extra = f" ({hint})" if hint else ""
    allowed = f"a whole number from {minimum} to {maximum}{extra}"
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InputError(field, f"must be {allowed}; got {shown(value)}")
    if isinstance(value, str):
        text = value.strip(_SPACES)
        negative = text.startswith("-")
        digits = text[1:] if negative else text
        if not _WHOLE.fullmatch(digits):
            raise InputError(field, f"must be {allowed}, written with the digits 0-9; got {shown(value)}")
        if len(digits.lstrip("0")) > MAX_DIGITS:
            raise InputError(field, f"must be {allowed}; got a number {len(digits)} digits long")
        number = -int(digits) if negative else int(digits)
    else:
        number = value
    if not minimum <= number <= maximum:
        raise InputError(field, f"must be from {minimum} to {maximum}{extra}; got {shown(number)}")
    return number


def parse_decimal(value: object, field: str, *, above: float, maximum: float, hint: str = "") -> float:
    """A number above ``above`` and at most ``maximum``, such as 1.5 (digits 0-9, a dot)."""
    extra = f" ({hint})" if hint else ""
    allowed = f"a number above {above:g} and at most {maximum:g}{extra}"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError(field, f"must be {allowed}; got {shown(value)}")
    if isinstance(value, str):
        text = value.strip(_SPACES)
        if not _DECIMAL.fullmatch(text):
            raise InputError(field, f"must be {allowed}, written like 1.5; got {shown(value)}")
        if len(text.split(".")[0].lstrip("0")) > MAX_DIGITS:
            raise InputError(field, f"must be {allowed}; got a number {len(text)} characters long")
        number = float(text)
    elif isinstance(value, int):
        if value.bit_length() > 64:
            raise InputError(field, f"must be {allowed}; got {shown(value)}")
        number = float(value)
    else:
        number = value
    if not math.isfinite(number) or not above < number <= maximum:
        raise InputError(
            field, f"must be above {above:g} and at most {maximum:g}{extra}; got {shown(number)}"
        )
    return number
