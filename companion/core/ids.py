"""Record ids: random, so exports from two devices merge without clashes; any unique start
of one names it (as git takes a commit's), and lists show a short unique start."""

from __future__ import annotations

import os
from collections.abc import Iterable

from companion.core.errors import InputError
from companion.core.text import shown

SHORT_ID = 8
"""Lists show this much of an id (more where two ids start alike): enough to type back."""
MAX_CANDIDATES = 5
"""An ambiguous start lists at most this many of the ids it starts."""


def new_id() -> str:
    """128 random bits as 32 hex digits (like uuid4().hex, without importing uuid)."""
    return os.urandom(16).hex()


def resolve_id(
    given: str, ids: Iterable[str], *, field: str, kind: str, kinds: str = "", see: str = ""
) -> str:
    """The one id among `ids` that `given` is, or starts (case and surrounding spaces aside).

    Refuses, naming `field`: an empty id, one no record has, and a start shared by several
    (listing them, shortened). `kind` names the records ('session'; `kinds` if its plural is
    not kind + 's'); `see` is where the
    patient finds the ids ('companion session list')."""
    wanted = given.strip().lower()
    where = f"; see '{see}'" if see else ""
    if not wanted:
        raise InputError(field, f"is empty: give the {kind}'s id (its first characters are enough){where}")
    known = list(dict.fromkeys(ids))
    if wanted in known:
        return wanted
    matches = [i for i in known if i.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise InputError(field, f"no {kind} has an id starting {shown(given)}{where}")
    short = short_ids(matches, minimum=len(wanted) + 1)
    listed = ", ".join(short[i] for i in matches[:MAX_CANDIDATES])
    more = f" and {len(matches) - MAX_CANDIDATES} more" if len(matches) > MAX_CANDIDATES else ""
    raise InputError(
        field,
        f"{shown(given)} starts the ids of {len(matches)} {kinds or kind + 's'} ({listed}{more}); "
        "give more of it",
    )


def short_ids(ids: Iterable[str], minimum: int = SHORT_ID) -> dict[str, str]:
    """Each id -> its shortest start of at least `minimum` characters that no other id shares."""
    known = list(dict.fromkeys(ids))
    result: dict[str, str] = {}
    for current in known:
        length = min(minimum, len(current))
        while length < len(current) and any(
            other != current and other.startswith(current[:length]) for other in known
        ):
            length += 1
        result[current] = current[:length]
    return result
