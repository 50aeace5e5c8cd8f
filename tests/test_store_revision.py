"""The store's revision, which the app polls every 2 s: it changes with every write, of any
month, by another process, and it costs a few system calls however many years are stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from companion.store import Store
from companion.store import store as store_module
from tests.seeding import seed_history

pytestmark = pytest.mark.usefixtures("clock_at_test_now")

FIRST = dt.date(2023, 1, 1)
DAYS = 3 * 365


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    seed_history(Store(data_dir), FIRST, DAYS)
    return data_dir


@pytest.mark.parametrize("day", [FIRST + dt.timedelta(days=40), FIRST + dt.timedelta(days=DAYS - 1)])
def test_a_write_to_any_month_by_another_process_changes_the_revision(seeded: Path, day: dt.date) -> None:
    reader = Store(seeded)
    before = reader.revision()
    assert reader.revision() == before  # nothing written: the same
    Store(seeded).update_hydration(day, lambda h: h.add(1))  # another process
    assert reader.revision() != before


def test_two_writes_in_a_row_to_an_old_month_each_change_the_revision(seeded: Path) -> None:
    reader = Store(seeded)
    writer = Store(seeded)
    day = FIRST + dt.timedelta(days=100)
    seen = {reader.revision()}
    for _ in range(3):
        writer.update_hydration(day, lambda h: h.add(1))
        revision = reader.revision()
        assert revision not in seen
        seen.add(revision)


def test_a_new_session_or_setting_changes_the_revision(seeded: Path) -> None:
    reader = Store(seeded)
    before = reader.revision()
    Store(seeded).update_settings(theme="nord")
    assert reader.revision() != before


def test_the_revision_does_not_stat_every_month_file(seeded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(seeded)
    months = len(list((seeded / "days").glob("*.json")))
    assert months >= 36
    looked: list[Path] = []
    real = store_module.file_identity

    def counting(path: Path) -> Any:
        looked.append(path)
        return real(path)

    monkeypatch.setattr(store_module, "file_identity", counting)
    store.revision()
    assert len(looked) <= 2 + store_module.REVISION_STATS, looked
