"""The usual dry-needling sites, completed as the patient types a session's treated areas.

The names live in ``assets/treated_areas.toml`` (shipped inside the package, like
guidance.toml): data, not code. They are suggestions only; any area may still be typed.
Several areas are separated by commas, and only the part after the last comma is completed.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from companion.core.sessions import MAX_AREA

SEPARATOR = ","


def treated_areas_path() -> Path:
    """Beside guidance.toml: inside the installed package, or the source tree."""
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "assets" / "treated_areas.toml"
    if packaged.is_file():
        return packaged
    return here.parents[2] / "assets" / "treated_areas.toml"


@cache
def usual_areas() -> tuple[str, ...]:
    """The shipped names, in the order they are offered; none if the file cannot be read
    (completion is a convenience: the form works without it)."""
    try:
        data = tomllib.loads(treated_areas_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ()
    names = data.get("areas")
    if not isinstance(names, list):
        return ()
    return tuple(
        name.strip()
        for name in names
        if isinstance(name, str) and name.strip() and name.isprintable() and len(name) <= MAX_AREA
    )


def complete_areas(typed: str, areas: tuple[str, ...]) -> str | None:
    """`typed` with the area being typed (after the last comma) completed from `areas`, or
    None: 'neck, lev' -> 'neck, levator scapulae'. Matching ignores case; what was typed is
    kept as typed; an area already listed earlier is not offered again."""
    head, _, last = typed.rpartition(SEPARATOR)
    word = last.lstrip()
    if not word:
        return None
    listed = {part.strip().casefold() for part in head.split(SEPARATOR)} if head else set()
    wanted = word.casefold()
    for area in areas:
        folded = area.casefold()
        if folded.startswith(wanted) and folded != wanted and folded not in listed:
            return typed + area[len(word) :]
    return None
