"""The clinician's plan for one patient, beyond the protocol: follow-ups, home
exercises, questions to ask, and the log of what was taken."""

from __future__ import annotations

from dataclasses import dataclass, field

from companion.core.appointments import Appointment
from companion.core.exercises import Exercise
from companion.core.intake import Intake
from companion.core.questions import Question


@dataclass(frozen=True)
class CarePlan:
    appointments: list[Appointment] = field(default_factory=list)
    exercises: list[Exercise] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    intake: list[Intake] = field(default_factory=list)
