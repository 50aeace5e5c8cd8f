"""What I want to do again: the Patient-Specific Functional Scale (PSFS).

The patient names activities the problem makes hard ("turn my head to reverse the
car") and rates each from 0 (unable to do it) to 10 (able to do it as before the
problem): first when naming it (the baseline, ideally at the first session), then
about once a week (GUIDANCE.md, "The course of treatment").

How many: at most ``MAX_ACTIVITIES`` (3) followed at a time, as in the original
PSFS and the issue; PSFS 2.0 allows five, but every extra one lengthens the weekly
question and widens the course table past 80 columns. An activity the patient no
longer follows is *retired*: its ratings stay in the course, and it frees a place.

Records: an activity ``{id, name, added_at, retired_on}``; a rating ``{id,
activity_id, date, rated_at, score}``, one per activity and calendar day (rating the
same activity again that day replaces the score).

When a rating is due (``ratings_due``), in calendar days of the patient's zone, so a
DST change or a month end moves nothing: an activity followed on ``today`` is due
when it has no rating yet (the baseline), or when its latest rating is
``RATE_EVERY_DAYS`` (7) or more calendar days before ``today`` (rated on a Monday: due
again from the next Monday). A rating dated after ``today`` (an import from a device
with a clock ahead) counts as recent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pendulum import DateTime

from companion.core import clock
from companion.core.checkins import validate_scale
from companion.core.errors import InputError
from companion.core.ids import new_id, resolve_id
from companion.core.records import (
    require_day,
    require_id,
    require_object,
    require_text,
    require_timestamp,
)
from companion.core.text import check_text

MAX_ACTIVITIES = 3
RATE_EVERY_DAYS = 7
MAX_NAME = 80
SCORE_ANCHORS = "0 unable to do it - 10 able to do it as before the problem"
_INDEX = re.compile(r"[0-9]{1,2}")


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    added_at: DateTime
    retired_on: dt.date | None = None

    @property
    def active(self) -> bool:
        return self.retired_on is None

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "added_at": clock.iso(self.added_at),
            "retired_on": self.retired_on.isoformat() if self.retired_on else None,
        }


@dataclass(frozen=True)
class Rating:
    id: str
    activity_id: str
    date: dt.date
    rated_at: DateTime
    score: int

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "activity_id": self.activity_id,
            "date": self.date.isoformat(),
            "rated_at": clock.iso(self.rated_at),
            "score": self.score,
        }


# --------------------------------------------------------------------------- validation


def validate_name(text: str, field: str = "name") -> str:
    cleaned = check_text(text, field, limit=MAX_NAME)
    if not cleaned:
        raise InputError(field, "is empty: name an activity the problem makes hard, e.g. 'reversing the car'")
    if any(ch in "\n\t" for ch in cleaned):
        raise InputError(field, "must be one line (no line breaks or tabs)")
    return cleaned


def validate_score(value: str | int | None, field: str = "score") -> int:
    return validate_scale(value, field, anchors=SCORE_ANCHORS)


def ordered(activities: Iterable[Activity]) -> list[Activity]:
    """In the order they were named (times are kept to the second: two named within the
    same second keep the order they were stored in)."""
    return sorted(activities, key=lambda a: a.added_at.timestamp())


def followed(activities: Iterable[Activity]) -> list[Activity]:
    """The activities still followed, numbered 1, 2, 3 in this order."""
    return [a for a in ordered(activities) if a.active]


def new_activity(name: str, existing: Iterable[Activity]) -> Activity:
    field = "name"
    cleaned = validate_name(name, field)
    current = followed(existing)
    if any(a.name.casefold() == cleaned.casefold() for a in current):
        raise InputError(field, f"you already follow {cleaned!r}")
    if len(current) >= MAX_ACTIVITIES:
        raise InputError(
            field,
            f"you follow {MAX_ACTIVITIES} activities already, the most the scale asks about; "
            "retire one first with 'companion activity remove N'",
        )
    return Activity(new_id()[:8], cleaned, clock.now())


def retired(activity: Activity, day: dt.date) -> Activity:
    return Activity(activity.id, activity.name, activity.added_at, day)


def find_activity(activities: Iterable[Activity], ref: str, field: str = "activity_id") -> Activity:
    """An activity by its number in the followed list (1, 2, 3) or by (the start of) its id."""
    text = ref.strip()
    current = followed(activities)
    if _INDEX.fullmatch(text):
        number = int(text)
        if 1 <= number <= len(current):
            return current[number - 1]
        if not current:
            raise InputError(field, "no activity is followed yet; add one with 'companion activity add NAME'")
        raise InputError(field, f"there is no activity number {number}; the numbers are 1 to {len(current)}")
    if not text:
        raise InputError(field, "is empty: give the activity's number or id")
    by_id = {a.id: a for a in ordered(activities)}
    return by_id[
        resolve_id(
            text, by_id, field=field, kind="activity", kinds="activities", see="companion activity list"
        )
    ]


def new_rating(activity: Activity, score: str | int | None, day: dt.date | None = None) -> Rating:
    """Validate a rating made now, for today or (back-dated) an earlier day."""
    if not activity.active:
        raise InputError("activity_id", f"{activity.name!r} is retired; it is no longer rated")
    now = clock.now()
    target = now.date() if day is None else day
    if target > now.date():
        raise InputError("date", f"{target.isoformat()} is in the future; rate today or an earlier day")
    return Rating(new_id()[:12], activity.id, target, now, validate_score(score))


# --------------------------------------------------------------------------- records


def activity_from_record(data: Any, where: str = "activity") -> Activity:
    record = require_object(data, where)
    activity_id = require_id(record, where)
    name = validate_name(require_text(record, "name", where, default=None, limit=MAX_NAME), f"{where}.name")
    added_at = require_timestamp(record, "added_at", where)
    retired_on = require_day(record, "retired_on", where) if record.get("retired_on") is not None else None
    return Activity(activity_id, name, added_at, retired_on)


def rating_from_record(data: Any, where: str = "rating") -> Rating:
    record = require_object(data, where)
    rating_id = require_id(record, where)
    activity_id = record.get("activity_id")
    if not isinstance(activity_id, str) or not activity_id:
        raise InputError(f"{where}.activity_id", "must be the id of an activity")
    score = record.get("score")
    if isinstance(score, bool) or not isinstance(score, int):
        raise InputError(f"{where}.score", f"must be a whole number from 0 to 10 ({SCORE_ANCHORS})")
    return Rating(
        rating_id,
        activity_id,
        require_day(record, "date", where),
        require_timestamp(record, "rated_at", where),
        validate_score(score, f"{where}.score"),
    )


def check_ratings(activities: list[Activity], ratings: list[Rating], key: str = "activity_ratings") -> None:
    """Ratings of a backup: each names an activity of the backup, at most one per activity and day."""
    known = {a.id for a in activities}
    seen: set[tuple[str, dt.date]] = set()
    for i, rating in enumerate(ratings):
        if rating.activity_id not in known:
            raise InputError(
                f"{key}[{i}].activity_id", f"names no activity of this file ({rating.activity_id!r})"
            )
        pair = (rating.activity_id, rating.date)
        if pair in seen:
            raise InputError(f"{key}[{i}]", f"repeats the day {rating.date.isoformat()} for its activity")
        seen.add(pair)


# --------------------------------------------------------------------------- over time


def scores_of(activity: Activity, ratings: Iterable[Rating]) -> list[Rating]:
    """An activity's ratings, oldest day first."""
    return sorted((r for r in ratings if r.activity_id == activity.id), key=lambda r: r.date)


def latest_rating(activity: Activity, ratings: Iterable[Rating]) -> Rating | None:
    mine = scores_of(activity, ratings)
    return mine[-1] if mine else None


@dataclass(frozen=True)
class RatingDue:
    activity: Activity
    last: Rating | None  # None: never rated yet (the baseline is due)

    def days_since(self, today: dt.date) -> int | None:
        return None if self.last is None else (today - self.last.date).days


def ratings_due(activities: Iterable[Activity], ratings: Iterable[Rating], today: dt.date) -> list[RatingDue]:
    """The followed activities whose rating is due on ``today`` (see the module's docstring)."""
    rating_list = list(ratings)
    due = []
    for activity in followed(activities):
        last = latest_rating(activity, rating_list)
        if last is None or (today - last.date).days >= RATE_EVERY_DAYS:
            due.append(RatingDue(activity, last))
    return due
