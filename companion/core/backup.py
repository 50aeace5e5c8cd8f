"""The JSON export (format "companion-export", version 1) and reading it back.

Export builds the backup document from records; import validates every record first
and refuses the whole file, naming the record, if any breaks the types, so nothing
is ever half-imported. Unknown keys are kept on sessions and check-ins, ignored
elsewhere.

The course of treatment added three optional lists (``complaints``, ``activities``,
``activity_ratings``) and the optional check-in key ``usual_pain``, still version 1:
a file without them imports as before, and an older companion keeps ``usual_pain``
among a check-in's unknown keys and ignores the new lists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pendulum import DateTime

from companion.core import clock
from companion.core.activities import (
    Activity,
    Rating,
    activity_from_record,
    check_ratings,
    rating_from_record,
)
from companion.core.appointments import Appointment, appointment_from_record
from companion.core.checkins import CheckIn, checkin_from_record
from companion.core.checklist import ChecklistDay, checklist_from_record
from companion.core.complaint import Complaint, complaint_from_record
from companion.core.errors import InputError
from companion.core.exercises import Exercise, exercise_from_record
from companion.core.hydration import HydrationDay, hydration_from_record
from companion.core.intake import Intake, intake_from_record
from companion.core.questions import Question, question_from_record
from companion.core.records import parse_json
from companion.core.sessions import Session, session_from_record
from companion.core.text import shown

EXPORT_FORMAT = "companion-export"
EXPORT_VERSION = 1


@dataclass(frozen=True)
class Backup:
    sessions: list[Session]
    checkins: list[CheckIn]
    hydration: list[HydrationDay]
    checklist: list[ChecklistDay]
    appointments: list[Appointment] = field(default_factory=list)
    exercises: list[Exercise] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    intake: list[Intake] = field(default_factory=list)
    complaints: list[Complaint] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    activity_ratings: list[Rating] = field(default_factory=list)


def build_export(backup: Backup, exported_at: DateTime) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": clock.iso(exported_at),
        "sessions": [s.to_record() for s in sorted(backup.sessions, key=lambda s: s.started_at.timestamp())],
        "checkins": [c.to_record() for c in sorted(backup.checkins, key=lambda c: c.date)],
        "hydration": [h.to_record() for h in sorted(backup.hydration, key=lambda h: h.date)],
        "checklist": [c.to_record() for c in sorted(backup.checklist, key=lambda c: c.date)],
        "appointments": [a.to_record() for a in backup.appointments],
        "exercises": [e.to_record() for e in backup.exercises],
        "questions": [q.to_record() for q in backup.questions],
        "intake": [i.to_record() for i in sorted(backup.intake, key=lambda i: i.at.timestamp())],
        "complaints": [c.to_record() for c in sorted(backup.complaints, key=lambda c: c.set_at.timestamp())],
        "activities": [a.to_record() for a in backup.activities],
        "activity_ratings": [
            r.to_record() for r in sorted(backup.activity_ratings, key=lambda r: (r.date, r.activity_id))
        ],
    }


def parse_export_text(text: str, field: str = "file") -> Backup:
    """Read and validate an export file's text; nothing is written here.

    A number of any length is read (as a HugeNumber, which every numeric field
    refuses by type) rather than failing the whole file with Python's digit limit.
    """
    try:
        data = parse_json(text)
    except RecursionError:
        raise InputError(field, "is nested too deeply to be a companion export") from None
    except json.JSONDecodeError as exc:
        raise InputError(field, f"is not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except ValueError:  # a number too long to convert (Python refuses over 4300 digits)
        raise InputError(field, "holds a number too long to be part of a companion export") from None
    return parse_export(data, field)


def parse_export(data: Any, field: str = "file") -> Backup:
    """Validate a whole export; the first broken record is named in the error."""
    if not isinstance(data, dict):
        raise InputError(field, "is not a companion export (expected a JSON object)")
    if data.get("format") != EXPORT_FORMAT:
        raise InputError(f"{field}: format", f"expected {EXPORT_FORMAT!r}, got {shown(data.get('format'))}")
    version = data.get("version")
    if isinstance(version, bool) or version != EXPORT_VERSION:  # True == 1 in Python
        raise InputError(
            f"{field}: version",
            f"this companion reads export version {EXPORT_VERSION}, the file has {shown(version)}",
        )

    def records(key: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise InputError(f"{field}: {key}", "must be a list")
        return value

    sessions = [session_from_record(r, f"sessions[{i}]") for i, r in enumerate(records("sessions"))]
    checkins = [checkin_from_record(r, f"checkins[{i}]") for i, r in enumerate(records("checkins"))]
    hydration = [hydration_from_record(r, f"hydration[{i}]") for i, r in enumerate(records("hydration"))]
    checklist = [checklist_from_record(r, f"checklist[{i}]") for i, r in enumerate(records("checklist"))]
    appointments = [
        appointment_from_record(r, f"appointments[{i}]") for i, r in enumerate(records("appointments"))
    ]
    exercises = [exercise_from_record(r, f"exercises[{i}]") for i, r in enumerate(records("exercises"))]
    questions = [question_from_record(r, f"questions[{i}]") for i, r in enumerate(records("questions"))]
    intake = [intake_from_record(r, f"intake[{i}]") for i, r in enumerate(records("intake"))]
    complaints = [complaint_from_record(r, f"complaints[{i}]") for i, r in enumerate(records("complaints"))]
    activities = [activity_from_record(r, f"activities[{i}]") for i, r in enumerate(records("activities"))]
    ratings = [
        rating_from_record(r, f"activity_ratings[{i}]") for i, r in enumerate(records("activity_ratings"))
    ]
    for key, items in (
        ("appointments", appointments),
        ("exercises", exercises),
        ("questions", questions),
        ("intake", intake),
        ("complaints", complaints),
        ("activities", activities),
        ("activity_ratings", ratings),
    ):
        _no_duplicates(key, [item.id for item in items])
    _no_duplicates("sessions", [s.id for s in sessions])
    _no_duplicates("checkins", [c.date.isoformat() for c in checkins], what="day")
    _no_duplicates("hydration", [h.date.isoformat() for h in hydration], what="day")
    _no_duplicates("checklist", [c.date.isoformat() for c in checklist], what="day")
    check_ratings(activities, ratings)
    return Backup(
        sessions,
        checkins,
        hydration,
        checklist,
        appointments,
        exercises,
        questions,
        intake,
        complaints,
        activities,
        ratings,
    )


def _no_duplicates(key: str, values: list[str], what: str = "id") -> None:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            raise InputError(f"{key}[{i}]", f"repeats the {what} {shown(value)}")
        seen.add(value)
