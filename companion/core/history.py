"""Daily history rows: one per day, grouped under the session before it."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from companion.core import clock
from companion.core.alerts import Alert, judge_checkin
from companion.core.checkins import CheckIn
from companion.core.checklist import ChecklistDay
from companion.core.exercises import TICK_PREFIX
from companion.core.hydration import HydrationDay
from companion.core.protocol import Protocol
from companion.core.sessions import Session


@dataclass(frozen=True)
class HistoryRow:
    date: dt.date
    session: Session | None
    session_day: int | None  # days since the session's calendar day (day 0 = session day)
    checkin: CheckIn | None
    glasses: int
    goal: int
    checklist_done: tuple[str, ...]
    alerts: tuple[Alert, ...]

    @property
    def checklist_items(self) -> tuple[str, ...]:
        """The checklist items ticked, without the home-exercise rounds."""
        return tuple(item for item in self.checklist_done if not item.startswith(TICK_PREFIX))

    @property
    def exercise_rounds(self) -> int:
        """Home-exercise rounds ticked that day."""
        return len(self.checklist_done) - len(self.checklist_items)

    @property
    def empty(self) -> bool:
        return self.checkin is None and self.glasses == 0 and not self.checklist_done

    def to_json(self) -> dict[str, Any]:
        c = self.checkin
        return {
            "date": self.date.isoformat(),
            "session_id": self.session.id if self.session else None,
            "session_day": self.session_day,
            "soreness": c.soreness if c else None,
            "fatigue": c.fatigue if c else None,
            "stiffness": c.stiffness if c else None,
            "bruising": c.bruising if c else None,
            "flare_up": c.flare_up if c else None,
            "sharp_pain": c.sharp_pain if c else None,
            "breathing_trouble": c.breathing_trouble if c else None,
            "note": c.note if c else None,
            "usual_pain": c.usual_pain if c else None,
            "glasses": self.glasses,
            "goal": self.goal,
            "checklist": list(self.checklist_done),
            "alerts": [a.id for a in self.alerts],
        }


def session_day(session: Session, day: dt.date) -> int:
    return (day - clock.to_local(session.started_at).date()).days


class SessionFinder:
    """The latest session started at or before a moment (as ``latest_before``, in O(log n))."""

    def __init__(self, sessions: Iterable[Session]) -> None:
        self.sessions = sorted(sessions, key=lambda s: s.started)
        self.stamps = [s.started for s in self.sessions]

    def at(self, stamp: float) -> Session | None:
        index = bisect.bisect_right(self.stamps, stamp)
        if not index:
            return None
        first_equal = bisect.bisect_left(self.stamps, self.stamps[index - 1])
        return self.sessions[first_equal]


def judge_checkins(
    protocol: Protocol,
    finder: SessionFinder,
    checkins: Iterable[CheckIn],
    earlier: Iterable[CheckIn] = (),
) -> dict[dt.date, tuple[Alert, ...]]:
    """The alerts of each check-in (by its day), each judged against the latest session
    before its moment and the check-ins since that session (``earlier``: check-ins
    before the first of ``checkins`` that those rules may need)."""
    checkin_list = list(checkins)
    # Sorted once: each check-in's alerts look only at the check-ins since its session.
    pool = sorted([*earlier, *checkin_list], key=lambda c: c.moment.timestamp())
    pool_stamps = [c.moment.timestamp() for c in pool]
    judged: dict[dt.date, tuple[Alert, ...]] = {}
    for checkin in checkin_list:
        stamp = checkin.moment.timestamp()
        session = finder.at(stamp)
        start = session.started if session else float("-inf")
        lo = bisect.bisect_left(pool_stamps, start)
        hi = bisect.bisect_left(pool_stamps, stamp)
        judged[checkin.date] = tuple(judge_checkin(protocol, checkin, pool[lo:hi], session))
    return judged


def build_history(
    protocol: Protocol,
    *,
    first: dt.date,
    last: dt.date,
    sessions: list[Session],
    checkins: Iterable[CheckIn],
    hydration: Iterable[HydrationDay],
    checklist: Iterable[ChecklistDay],
    default_goal: int,
    earlier_checkins: Iterable[CheckIn] = (),
    include_empty: bool = True,
) -> list[HistoryRow]:
    """Rows from ``last`` back to ``first``, newest first.

    ``earlier_checkins`` are check-ins before ``first`` that the alert rules of the
    first rows may need (those since the session before ``first``).
    """
    checkin_list = list(checkins)
    by_day_checkin = {c.date: c for c in checkin_list}
    by_day_water = {h.date: h for h in hydration}
    by_day_list = {c.date: c for c in checklist}
    finder = SessionFinder(sessions)
    alerts_by_day = judge_checkins(protocol, finder, checkin_list, earlier_checkins)

    rows: list[HistoryRow] = []
    day = last
    while day >= first:
        checkin = by_day_checkin.get(day)
        water = by_day_water.get(day)
        ticked = by_day_list.get(day)
        end = clock.end_of_day(day)
        session = finder.at(end.timestamp())
        alerts = alerts_by_day.get(day, ()) if checkin is not None else ()
        row = HistoryRow(
            date=day,
            session=session,
            session_day=session_day(session, day) if session else None,
            checkin=checkin,
            glasses=water.glasses if water else 0,
            goal=water.goal if water else default_goal,
            checklist_done=tuple(ticked.ordered(protocol)) if ticked else (),
            alerts=alerts,
        )
        if include_empty or not row.empty:
            rows.append(row)
        day -= dt.timedelta(days=1)
    return rows
