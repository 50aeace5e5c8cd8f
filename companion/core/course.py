"""The course of treatment: is it helping? One row per session, and the outcomes across the weeks.

Beyond the articles (GUIDANCE.md, "The course of treatment"): physiotherapists follow
a course by what the patient came for, the complaint's usual pain (0-10, asked in the
check-in) and the activities of the Patient-Specific Functional Scale (0-10, see
``core/activities.py``), not by the soreness each session leaves. This module lines
both up with the sessions. It states numbers, marks a change of ``MEANINGFUL_POINTS``
or more as the size studies treat as meaningful (companion's threshold), and says
nothing else about them: no promise, no advice.

A session's *window* runs from its start to the next session's start (the latest
session's is still open). A check-in belongs to the window its moment falls in (its
moment: when it was recorded, or the end of its day when back-dated), as in the alert
rules; so a check-in made the morning before an afternoon session belongs to the
session before.

*Settled*: soreness 1 or less. The hours until it settled are the elapsed hours from
the session's start to the moment of the first check-in of the last unbroken run of
check-ins at 1 or less in the window (a later rise above 1 means it had not settled).
Check-ins are daily, so this is "settled by", not the exact time. It is unknown
(``None``, with the reason in ``settle_unknown``) when:

- ``no-checkins``: no check-in falls in the window;
- ``not-yet``: the latest session's latest check-in is above 1;
- ``not-settled``: the last check-in before the next session was above 1;
- ``gap``: a calendar day with no check-in lies between the settling check-in and the
  reading before it (the previous check-in, or the session's own day), so when it
  settled in between is not known.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pendulum import DateTime

from companion.core import clock
from companion.core.activities import SCORE_ANCHORS, Activity, Rating, ordered, scores_of
from companion.core.alerts import ALERT_ORDER, Alert
from companion.core.checkins import CheckIn
from companion.core.checklist import ChecklistDay
from companion.core.complaint import PAIN_ANCHORS, Complaint
from companion.core.exercises import TICK_PREFIX, Exercise, adherence
from companion.core.history import SessionFinder, judge_checkins
from companion.core.hydration import HydrationDay
from companion.core.intake import Intake, check_intake
from companion.core.protocol import Protocol
from companion.core.sessions import Session

SETTLED_AT_MOST = 1
MEANINGFUL_POINTS = 2
PAIN_LABEL = "usual pain"
THRESHOLD_NOTE = (
    f"* {MEANINGFUL_POINTS} points or more: the size of change studies of 0-10 pain and function "
    "scales treat as meaningful (companion's threshold, after Farrar et al. 2001 and Abbott and "
    "Schmitt 2014)."
)
SCALES_NOTE = (
    "Usual pain: 0 none to 10 worst imaginable. Activities: 0 unable to 10 able as before the problem."
)


# --------------------------------------------------------------------------- settling


@dataclass(frozen=True)
class Settling:
    hours: float | None
    at: DateTime | None = None
    unknown: str | None = None  # no-checkins, not-yet, not-settled, gap (see the module's docstring)

    def label(self) -> str:
        if self.hours is not None:
            return f"{self.hours:.0f} h"
        return {"no-checkins": "-", "not-yet": "not yet", "not-settled": "no", "gap": "gap"}.get(
            self.unknown or "", "-"
        )


def settle_time(session: Session, checkins: Sequence[CheckIn], window_closed: bool) -> Settling:
    """When soreness settled to 1 or less after ``session``.

    ``checkins`` are those of the session's window (see the module's docstring), in
    any order; ``window_closed`` says whether a next session ended the window.
    """
    run = sorted(checkins, key=lambda c: (c.moment.timestamp(), c.date))
    if not run:
        return Settling(None, unknown="no-checkins")
    if run[-1].soreness > SETTLED_AT_MOST:
        return Settling(None, unknown="not-settled" if window_closed else "not-yet")
    first = len(run) - 1
    while first > 0 and run[first - 1].soreness <= SETTLED_AT_MOST:
        first -= 1
    settling = run[first]
    before = run[first - 1].date if first > 0 else clock.to_local(session.started_at).date()
    if (settling.date - before).days > 1:
        return Settling(None, unknown="gap")
    hours = clock.elapsed_seconds(session.started_at, settling.moment) / 3600
    return Settling(round(hours, 1), settling.moment)


# --------------------------------------------------------------------------- one row per session


def session_windows(
    sessions: Sequence[Session], checkins: Sequence[CheckIn]
) -> Iterator[tuple[Session, Session | None, list[CheckIn]]]:
    """Each session (oldest first), the next one (None for the latest) and the check-ins of
    its window (see the module's docstring), oldest first.

    ``checkins`` in any order.
    """
    ordered_sessions = sorted(sessions, key=lambda s: s.started_at.timestamp())
    ordered = sorted(checkins, key=lambda c: (c.moment.timestamp(), c.date))
    stamps = [c.moment.timestamp() for c in ordered]
    for index, session in enumerate(ordered_sessions):
        nxt = ordered_sessions[index + 1] if index + 1 < len(ordered_sessions) else None
        start = session.started_at.timestamp()
        end = nxt.started_at.timestamp() if nxt is not None else float("inf")
        yield session, nxt, ordered[bisect.bisect_left(stamps, start) : bisect.bisect_left(stamps, end)]


@dataclass(frozen=True)
class CourseRow:
    session: Session
    until: DateTime | None  # the next session's start; None for the latest session
    checkins: int
    peak_soreness: int | None
    settling: Settling
    alerts: tuple[Alert, ...]
    took_during_pause: tuple[Intake, ...]
    water_first_day: tuple[int, int] | None  # glasses, goal on the session's day; None: no record that day
    exercise_rounds: int  # home-exercise rounds ticked from the session's day to the day before the next
    exercise_due: int  # rounds the current programme asked for over those days

    @property
    def date(self) -> dt.date:
        return clock.to_local(self.session.started_at).date()

    def cells(self, labels: dict[str, str]) -> dict[str, str]:
        """The row as short texts (for the CLI, the report and the app alike)."""
        water = f"{self.water_first_day[0]}/{self.water_first_day[1]}" if self.water_first_day else "-"
        if self.exercise_due:
            rounds = f"{self.exercise_rounds}/{self.exercise_due}"
        else:
            rounds = str(self.exercise_rounds) if self.exercise_rounds else "-"
        return {
            "date": short_day(self.date),
            "intensity": self.session.intensity,
            "areas": ", ".join(self.session.areas) or "-",
            "peak": "-" if self.peak_soreness is None else str(self.peak_soreness),
            "settled": self.settling.label(),
            "alerts": ", ".join(labels.get(a.id, a.id) for a in self.alerts) or "-",
            "took": ", ".join(i.what.replace("-", " ") for i in self.took_during_pause) or "-",
            "water": water,
            "exercise": rounds,
        }

    def to_json(self) -> dict[str, Any]:
        water = None
        if self.water_first_day is not None:
            water = {
                "date": self.date.isoformat(),
                "glasses": self.water_first_day[0],
                "goal": self.water_first_day[1],
            }
        return {
            "session_id": self.session.id,
            "started_at": clock.iso(self.session.started_at),
            "date": self.date.isoformat(),
            "intensity": self.session.intensity,
            "areas": list(self.session.areas),
            "until": clock.iso(self.until) if self.until is not None else None,
            "checkins": self.checkins,
            "peak_soreness": self.peak_soreness,
            "settled_hours": self.settling.hours,
            "settled_at": clock.iso(self.settling.at) if self.settling.at is not None else None,
            "settle_unknown": self.settling.unknown,
            "alerts": [a.id for a in self.alerts],
            "took_during_pause": [
                {"what": i.what, "at": clock.iso(i.at), "restriction": i.restriction_id}
                for i in self.took_during_pause
            ],
            "water_first_day": water,
            "exercise_rounds": {"done": self.exercise_rounds, "due": self.exercise_due},
        }


COLUMNS: tuple[tuple[str, str], ...] = (
    ("date", "Session"),
    ("intensity", "Type"),
    ("areas", "Areas"),
    ("peak", "Peak"),
    ("settled", "Settled"),
    ("alerts", "Alerts"),
    ("took", "Took"),
    ("water", "Water"),
    ("exercise", "Exer."),
)
"""The session table's columns: (key in ``CourseRow.cells``, heading)."""
FREE_TEXT_COLUMNS = frozenset({"areas", "alerts", "took"})
"""Columns whose cells may run long (the ones to wrap in a narrow table)."""

COLUMNS_NOTE = (
    "Peak: highest soreness after the session (0-10). Settled: hours until soreness was 1 or less "
    "(by the check-in that found it; 'no': not before the next session; 'not yet': still above 1 "
    "at the latest check-in; 'gap': a day without a check-in just before; '-': no check-in). "
    "Took: what was logged while its pause was on (intake log). Water: glasses/goal on the "
    "session's day. Exer.: home-exercise rounds done (/due) until the next session."
)


def day_text(day: dt.date) -> str:
    """'Sat 21 Nov 2026' (a course spans years: the year is always there)."""
    return f"{day.strftime('%a')} {short_day(day)}"


def short_day(day: dt.date) -> str:
    """'21 Nov 2026', for a table's date column."""
    return f"{day.day} {day.strftime('%b %Y')}"


# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: int

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "value": self.value}


@dataclass(frozen=True)
class Measure:
    """One outcome over time: the usual pain, or one activity's score."""

    key: str  # "usual_pain" or "activity:<id>"
    label: str
    points: tuple[Point, ...]  # oldest first, one per day
    activity: Activity | None = None

    @property
    def anchors(self) -> str:
        """What 0 and 10 mean on this scale (pain: 0 none; an activity: 0 unable)."""
        return PAIN_ANCHORS if self.activity is None else SCORE_ANCHORS

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "label": self.label, "anchors": self.anchors}
        if self.activity is not None:
            data.update(
                id=self.activity.id,
                added_at=clock.iso(self.activity.added_at),
                retired_on=self.activity.retired_on.isoformat() if self.activity.retired_on else None,
            )
        data["points"] = [p.to_json() for p in self.points]
        return data


def measure_headings(measures: Sequence[Measure]) -> list[str]:
    """Short column headings: 'Pain' for the usual pain, 'A1', 'A2'... for the activities
    (which a key below the table names)."""
    out, number = [], 0
    for measure in measures:
        if measure.activity is None:
            out.append("Pain")
        else:
            number += 1
            out.append(f"A{number}")
    return out


@dataclass(frozen=True)
class Change:
    """A measure from its baseline to its latest value."""

    measure: Measure
    first: Point | None
    latest: Point | None

    @property
    def points(self) -> int | None:
        if self.first is None or self.latest is None or self.first == self.latest:
            return None
        return self.latest.value - self.first.value

    @property
    def meaningful(self) -> bool:
        return self.points is not None and abs(self.points) >= MEANINGFUL_POINTS

    def phrase(self) -> str:
        """'usual pain 7 to 4, 3 points lower*' (numbers and plain direction words only)."""
        name = self.measure.label
        if self.first is None or self.latest is None:
            return f"{name} not rated yet"
        if self.points is None:
            return f"{name} {self.first.value}, rated once so far"
        if self.points == 0:
            return f"{name} {self.first.value} to {self.latest.value}, no change"
        size = abs(self.points)
        unit = "point" if size == 1 else "points"
        direction = "higher" if self.points > 0 else "lower"
        mark = "*" if self.meaningful else ""
        return f"{name} {self.first.value} to {self.latest.value}, {size} {unit} {direction}{mark}"

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.measure.key,
            "label": self.measure.label,
            "first": self.first.to_json() if self.first else None,
            "latest": self.latest.to_json() if self.latest else None,
            "points": self.points,
            "meaningful": self.meaningful,
        }


def baseline(points: Sequence[Point], start: dt.date) -> Point | None:
    """The value at the start of the course: the last one on or before the first session's
    day, else the first one after it."""
    if not points:
        return None
    before = [p for p in points if p.date <= start]
    return before[-1] if before else points[0]


def change_since(measure: Measure, start: dt.date) -> Change:
    return Change(measure, baseline(measure.points, start), measure.points[-1] if measure.points else None)


def change_sentence(changes: Sequence[Change], first_session: dt.date | None) -> str:
    """One plain sentence of what changed since the first session, numbers only."""
    if first_session is None:
        return "No session recorded yet: changes are counted from the first session."
    if not changes:
        return (
            f"Since the first session ({day_text(first_session)}): nothing to compare yet. Name the "
            "problem with 'companion complaint' and rate its usual pain in the check-in, and name "
            "activities it makes hard with 'companion activity add'."
        )
    sentence = f"Since the first session ({day_text(first_session)}): " + "; ".join(
        c.phrase() for c in changes
    )
    sentence += "."
    if any(c.meaningful for c in changes):
        sentence += " " + THRESHOLD_NOTE
    return sentence


# --------------------------------------------------------------------------- weeks


@dataclass(frozen=True)
class Week:
    """A calendar week (Monday to Sunday): the last value of each measure rated in it."""

    monday: dt.date
    values: dict[str, int | None]  # by Measure.key
    sessions: int

    def to_json(self) -> dict[str, Any]:
        return {"week_of": self.monday.isoformat(), "values": dict(self.values), "sessions": self.sessions}


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weeks_of(measures: Sequence[Measure], session_days: Iterable[dt.date]) -> list[Week]:
    """Weeks with a session or a rating, oldest first."""
    sessions: dict[dt.date, int] = {}
    for day in session_days:
        sessions[monday_of(day)] = sessions.get(monday_of(day), 0) + 1
    values: dict[dt.date, dict[str, int | None]] = {}
    for measure in measures:
        for point in measure.points:  # oldest first: the week keeps its last value
            values.setdefault(monday_of(point.date), {})[measure.key] = point.value
    mondays = sorted(set(sessions) | set(values))
    return [
        Week(m, {ms.key: values.get(m, {}).get(ms.key) for ms in measures}, sessions.get(m, 0))
        for m in mondays
    ]


# --------------------------------------------------------------------------- the course


@dataclass(frozen=True)
class Course:
    now: DateTime
    complaint: Complaint | None
    rows: list[CourseRow]  # oldest session first
    measures: list[Measure]  # usual pain first (when rated or a complaint is named), then activities
    weeks: list[Week]
    changes: list[Change]
    sentence: str
    labels: dict[str, str] = field(default_factory=dict)  # alert id -> short label

    @property
    def first_session(self) -> dt.date | None:
        return self.rows[0].date if self.rows else None

    def to_json(self) -> dict[str, Any]:
        return {
            "now": clock.iso(self.now),
            "complaint": self.complaint.to_json() if self.complaint else None,
            "sessions": [row.to_json() for row in self.rows],
            "measures": [m.to_json() for m in self.measures],
            "weeks": [w.to_json() for w in self.weeks],
            "changes": [c.to_json() for c in self.changes],
            "sentence": self.sentence,
            "meaningful_points": MEANINGFUL_POINTS,
            "threshold_note": THRESHOLD_NOTE,
        }


def _pain_points(checkins: Iterable[CheckIn]) -> tuple[Point, ...]:
    by_day = {c.date: c.usual_pain for c in checkins if c.usual_pain is not None}
    return tuple(Point(day, value) for day, value in sorted(by_day.items()))


def build_measures(
    complaint: Complaint | None,
    checkins: Iterable[CheckIn],
    activities: Iterable[Activity],
    ratings: Iterable[Rating],
) -> list[Measure]:
    rating_list = list(ratings)
    measures: list[Measure] = []
    pain = _pain_points(checkins)
    if pain or complaint is not None:
        measures.append(Measure("usual_pain", PAIN_LABEL, pain))
    for activity in ordered(activities):
        points = tuple(Point(r.date, r.score) for r in scores_of(activity, rating_list))
        label = activity.name if activity.active else f"{activity.name} (retired)"
        measures.append(Measure(f"activity:{activity.id}", label, points, activity))
    return measures


def _pause_hours(protocol: Protocol, intensity: str) -> float:
    """The longest timed pause after a session of this intensity: nothing logged later
    than this after the session's start can fall inside one of its pauses."""
    return max((r.hours_for(intensity) or 0.0 for r in protocol.restrictions), default=0.0)


def build_course(
    protocol: Protocol,
    *,
    now: DateTime,
    sessions: Iterable[Session],
    checkins: Iterable[CheckIn],
    hydration: Iterable[HydrationDay] = (),
    checklist: Iterable[ChecklistDay] = (),
    intake: Iterable[Intake] = (),
    exercises: Sequence[Exercise] = (),
    complaint: Complaint | None = None,
    activities: Iterable[Activity] = (),
    ratings: Iterable[Rating] = (),
) -> Course:
    """The course from the stored records (in any order).

    Each check-in's alerts are judged as the history judges them (``judge_checkins``).
    """
    finder = SessionFinder(sessions)
    ordered_sessions = finder.sessions
    checkin_list = sorted(checkins, key=lambda c: (c.moment.timestamp(), c.date))
    alerts_by_day = judge_checkins(protocol, finder, checkin_list)
    water_by_day = {h.date: h for h in hydration}
    rounds_by_day = {d.date: sum(1 for item in d.done if item.startswith(TICK_PREFIX)) for d in checklist}
    taken = sorted(intake, key=lambda i: i.at.timestamp())
    taken_stamps = [i.at.timestamp() for i in taken]
    today = clock.to_local(now).date()

    course_rows: list[CourseRow] = []
    for session, nxt, window in session_windows(ordered_sessions, checkin_list):
        start = session.started_at.timestamp()
        end = nxt.started_at.timestamp() if nxt is not None else float("inf")
        fired = {a.id: a for c in window for a in alerts_by_day.get(c.date, ())}
        alerts = tuple(fired[i] for i in ALERT_ORDER if i in fired) + tuple(
            a for i, a in fired.items() if i not in ALERT_ORDER
        )
        pause_end = min(end, start + _pause_hours(protocol, session.intensity) * 3600)
        lo, hi = bisect.bisect_left(taken_stamps, start), bisect.bisect_left(taken_stamps, pause_end)
        paused = tuple(i for i in taken[lo:hi] if check_intake(protocol, [session], i).during_restriction)
        first_day = clock.to_local(session.started_at).date()
        last_day = clock.to_local(nxt.started_at).date() - dt.timedelta(days=1) if nxt is not None else today
        water = water_by_day.get(first_day)
        span_days = max(0, (last_day - first_day).days + 1)
        rounds = sum(rounds_by_day.get(first_day + dt.timedelta(days=n), 0) for n in range(span_days))
        due = sum(a.due for a in adherence(list(exercises), (), first_day, last_day)) if exercises else 0
        course_rows.append(
            CourseRow(
                session=session,
                until=nxt.started_at if nxt is not None else None,
                checkins=len(window),
                peak_soreness=max((c.soreness for c in window), default=None),
                settling=settle_time(session, window, window_closed=nxt is not None),
                alerts=alerts,
                took_during_pause=paused,
                water_first_day=(water.glasses, water.goal) if water is not None else None,
                exercise_rounds=rounds,
                exercise_due=due,
            )
        )

    measures = build_measures(complaint, checkin_list, activities, ratings)
    first_session = course_rows[0].date if course_rows else None
    changes = [change_since(m, first_session) for m in measures] if first_session is not None else []
    return Course(
        now=now,
        complaint=complaint,
        rows=course_rows,
        measures=measures,
        weeks=weeks_of(measures, (r.date for r in course_rows)),
        changes=changes,
        sentence=change_sentence(changes, first_session),
        labels={flag.id: flag.label for flag in protocol.red_flags},
    )
