"""How an import merges with what is stored: importing the same file twice adds nothing.

Each rule takes the record stored (None when there is none) and the one imported, and
returns what to store, or None to keep the stored one. The store only reads, asks
these rules, and writes.

- A check-in for a day that has a different one wins only if it was recorded later.
- A water day keeps the larger count of the two.
- A checklist day holds what was ticked on either side.
- An activity rating for the same activity and day wins only if it was made later.
- An activity retired on the other device is retired here too (the earlier day wins).
- Records matched by id (sessions, appointments, exercises, questions, intake,
  complaint wordings, activities) are added when their id is new, never changed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any, TypeVar
from typing import Protocol as Shape

from companion.core.checklist import ChecklistDay

if TYPE_CHECKING:  # the store imports this module at start-up: activities are read only when used
    from pendulum import DateTime

    from companion.core.activities import Activity, Rating
    from companion.core.checkins import CheckIn
    from companion.core.hydration import HydrationDay


class _KeyedRecord(Shape):
    @property
    def id(self) -> str: ...

    def to_record(self) -> dict[str, Any]: ...


Keyed = TypeVar("Keyed", bound=_KeyedRecord)


def unseen(items: Iterable[Keyed], known_ids: Collection[object]) -> list[Keyed]:
    """The imported records whose id is not stored yet."""
    return [item for item in items if item.id not in known_ids]


def merged_checkin(stored: CheckIn | None, imported: CheckIn) -> CheckIn | None:
    if stored is None:
        return imported
    if stored.id != imported.id and imported.recorded_at.timestamp() > stored.recorded_at.timestamp():
        return imported
    return None


def merged_hydration(stored: HydrationDay | None, imported: HydrationDay) -> HydrationDay | None:
    if stored is None or imported.glasses > stored.glasses:
        return imported
    return None


def merged_checklist(stored: ChecklistDay | None, imported: ChecklistDay) -> ChecklistDay | None:
    mine = stored.done if stored is not None else frozenset()
    merged = ChecklistDay(imported.date, mine | imported.done)
    return merged if merged.done != mine else None


def rating_wins(stored_rated_at: DateTime | None, imported: Rating) -> bool:
    """Whether an imported rating replaces the one stored for its activity and day."""
    return stored_rated_at is None or imported.rated_at.timestamp() > stored_rated_at.timestamp()


def merged_activity(stored: Activity | None, imported: Activity) -> Activity | None:
    """The stored activity retired as the other device retired it, or None (nothing to change;
    a new activity is added by id, see :func:`unseen`)."""
    if stored is None or imported.retired_on is None:
        return None
    if stored.retired_on is None or imported.retired_on < stored.retired_on:
        return imported
    return None
