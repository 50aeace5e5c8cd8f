"""The app reads the store in a worker thread (History loads older years) while its main
thread saves: one Store object used from two threads at once must neither fail a save nor
lose one."""

from __future__ import annotations

import datetime as dt
import sys
import threading
import traceback
import types
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from companion.store import Store
from tests.seeding import daily_history

NOW = pendulum.datetime(2026, 11, 21, 9, tz="Europe/Berlin")
TODAY = dt.date(2026, 11, 21)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with pendulum.travel_to(NOW, freeze=True):
        yield


@pytest.fixture
def switch_often() -> Iterator[None]:
    """Threads take turns every few bytecodes, not every 5 ms: a race shows in one round."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_a_save_while_another_thread_reads_older_years_is_kept(data_dir: Path, switch_often: None) -> None:
    first_day = dt.date(2024, 11, 1)
    Store(data_dir).apply_import(daily_history(first_day, 750))
    days = [TODAY - dt.timedelta(days=n) for n in range(60)]  # three month files
    before = {day: Store(data_dir).hydration_day(day).glasses for day in days}
    saved = dict.fromkeys(days, 0)
    writes = 0
    for _ in range(8):  # a fresh store each round: its first reads fill its caches
        store = Store(data_dir)
        store.sessions()
        errors: list[str] = []

        def read_back(store: Store = store, errors: list[str] = errors) -> None:
            try:
                first = first_day
                while first < TODAY:
                    store.days_between(first, first + dt.timedelta(days=60))
                    store.intake_between(first, first + dt.timedelta(days=60))
                    first += dt.timedelta(days=61)
            except Exception:
                errors.append(traceback.format_exc())

        reader = threading.Thread(target=read_back)
        reader.start()
        while reader.is_alive():
            try:
                day = days[writes % len(days)]
                store.update_hydration(day, lambda water: water.add(1))
                saved[day] += 1
                writes += 1
                store.revision()
            except Exception:
                errors.append(traceback.format_exc())
        reader.join()
        assert errors == []
    assert writes > 0
    assert {day: Store(data_dir).hydration_day(day).glasses - before[day] for day in days} == saved


def test_every_public_method_holds_the_lock_and_nothing_private_is_wrapped() -> None:
    """Private helpers run inside a public method (already holding the lock)."""
    wrapped = {
        name
        for name, value in vars(Store).items()
        if isinstance(value, types.FunctionType) and hasattr(value, "__wrapped__")
    }
    public = {
        name
        for name, value in vars(Store).items()
        if not name.startswith("_") and callable(value) and not isinstance(value, staticmethod | classmethod)
    }
    assert "days_between" in wrapped and "update_hydration" in wrapped and "write_lock" in wrapped
    assert wrapped == public
