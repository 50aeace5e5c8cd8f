"""Build a ten-year store: the history a patient would have after ~3,650 days of use.

Every day has a check-in, a hydration record and a checklist day; a session every two
weeks. Written with ``Store.apply_import`` from core objects: one write per month file.

Run: python benchmarks/seed.py DATA_DIR [--days 3650]
Import: ``from seed import seed_store`` (benchmarks/ on sys.path).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import pendulum

from companion.core.backup import Backup
from companion.core.checkins import CheckIn
from companion.core.checklist import ChecklistDay
from companion.core.hydration import HydrationDay
from companion.core.ids import new_id
from companion.core.sessions import Session
from companion.store import ImportCounts, Store

TEN_YEARS = 3650
CHECKLIST = ("rest", "hydrate", "gentle-movement", "stretch", "soothe", "monitor", "nourish")
AREAS = (("upper trapezius",), ("lower back", "gluteus medius"), ("calf",), ())
NOTES = ("", "", "a bit stiff in the morning", "slept well", "long day at work, shoulder tight")


def build_history(days: int = TEN_YEARS, last: dt.date | None = None) -> dict[str, list]:
    """Core objects for ``days`` days ending ``last`` (default: yesterday)."""
    zone = pendulum.local_timezone()
    last = last or pendulum.now().date() - dt.timedelta(days=1)
    first = last - dt.timedelta(days=days - 1)
    sessions: list[Session] = []
    checkins: list[CheckIn] = []
    hydration: list[HydrationDay] = []
    checklist: list[ChecklistDay] = []
    for i in range(days):
        day = first + dt.timedelta(days=i)
        evening = pendulum.datetime(day.year, day.month, day.day, 20, 15, tz=zone)
        since = i % 14  # days since this fortnight's session
        if since == 0:
            sessions.append(
                Session(
                    id=new_id(),
                    started_at=pendulum.datetime(day.year, day.month, day.day, 16, 30, tz=zone),
                    intensity="intense" if i % 28 == 0 else "standard",
                    areas=AREAS[(i // 14) % len(AREAS)],
                    note="follow-up in two weeks" if i % 56 == 0 else "",
                )
            )
        soreness = max(0, 6 - 2 * since + (i % 3 == 0))
        checkins.append(
            CheckIn(
                id=new_id(),
                date=day,
                recorded_at=evening,
                soreness=soreness,
                fatigue=max(0, 4 - since),
                stiffness=max(0, 5 - since),
                bruising=("mild", "none", "none")[min(since, 2)],
                note=NOTES[i % len(NOTES)],
            )
        )
        hydration.append(HydrationDay(day, 5 + (i * 7) % 6, 8 if since > 2 else 10))
        checklist.append(ChecklistDay(day, frozenset(CHECKLIST[: 2 + (i * 5) % (len(CHECKLIST) - 1)])))
    return {"sessions": sessions, "checkins": checkins, "hydration": hydration, "checklist": checklist}


def seed_store(data_dir: Path, days: int = TEN_YEARS, last: dt.date | None = None) -> ImportCounts:
    store = Store(data_dir)
    return store.apply_import(Backup(**build_history(days, last)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--days", type=int, default=TEN_YEARS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = seed_store(args.data_dir, args.days)
    took = time.perf_counter() - started
    months = len(list((args.data_dir / "days").glob("*.json")))
    print(
        f"seeded {args.data_dir}: {counts.sessions} sessions, {counts.checkins} check-ins, "
        f"{counts.hydration} hydration days, {counts.checklist} checklist days "
        f"in {months} month files ({took:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
