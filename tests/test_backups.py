"""The daily backups themselves (store/backups.py): which folders count as backups, in
what order, and what taking one leaves behind when something goes wrong.

A patient's damaged file is restored from the newest good backup: a folder wrongly taken
for a backup, or ordered wrongly, restores the wrong copy or prunes the right one.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from companion.core.checkins import CheckIn
from companion.core.ids import new_id
from companion.store import Store
from companion.store import backups as backups_module
from companion.store.backups import Backups

D1 = pendulum.datetime(2026, 11, 20, 9, tz="Europe/Berlin")
D2 = pendulum.datetime(2026, 11, 21, 9, tz="Europe/Berlin")
OCTOBER = Path("days/2026-10.json")


@pytest.fixture(autouse=True)
def _berlin() -> Iterator[None]:
    pendulum.set_local_timezone(pendulum.timezone("Europe/Berlin"))
    yield
    pendulum.set_local_timezone()


def store_files(data_dir: Path, october: dict[str, object]) -> list[Path]:
    """A companion.json and an October month file holding ``october``."""
    (data_dir / "days").mkdir(parents=True, exist_ok=True)
    meta = data_dir / "companion.json"
    meta.write_text("{}")
    month = data_dir / OCTOBER
    month.write_text(json.dumps(october))
    return [meta, month]


def backup_folder(data_dir: Path, name: str, october: dict[str, object], stamp: object | None) -> Path:
    """A backup folder written by hand (as an older companion, or damage, leaves one)."""
    folder = data_dir / "backups" / name
    (folder / "days").mkdir(parents=True)
    (folder / "companion.json").write_text("{}")
    (folder / OCTOBER).write_text(json.dumps(october))
    if stamp is not None:
        (folder / backups_module.STAMP).write_text(json.dumps({"seq": stamp}))
    return folder


def restored_from(data_dir: Path) -> tuple[str, dict[str, object]]:
    found = Backups(data_dir).newest_good_copy(OCTOBER)
    assert found is not None
    return found[0].name, json.loads(found[1])


# ---------------------------------------------------------------------- which backup is the newest


@pytest.mark.parametrize("stamp", [True, -3, "7", 2.0], ids=["bool", "negative", "text", "float"])
def test_a_stamp_companion_never_writes_counts_as_no_stamp(data_dir: Path, stamp: object) -> None:
    """A stamped backup (sequence 0) is newer than any folder whose stamp is not a
    sequence number, whatever that folder is named: damage must not make it the one
    restored."""
    data_dir.mkdir()
    with pendulum.travel_to(D1, freeze=True):
        Backups(data_dir).take(D1.date(), store_files(data_dir, {"good": 1}))
    backup_folder(data_dir, "2026-11-25", {"odd": 1}, stamp)
    assert restored_from(data_dir) == ("2026-11-20", {"good": 1})


@pytest.mark.parametrize(
    ("older", "newer"),
    [(None, -1), (None, -3), (None, True), (-3, None), (True, None), (None, None)],
    ids=["minus-one", "negative", "bool", "after-negative", "after-bool", "both-unstamped"],
)
def test_folders_with_no_real_stamp_are_ordered_by_name(data_dir: Path, older: object, newer: object) -> None:
    """Among backups without a real stamp (an older companion's, or a damaged stamp),
    the one named for the later day is the newer."""
    backup_folder(data_dir, "2026-11-24", {"older": 1}, older)
    backup_folder(data_dir, "2026-11-25", {"newer": 1}, newer)
    assert restored_from(data_dir) == ("2026-11-25", {"newer": 1})


def test_the_first_backup_ever_taken_is_newer_than_an_unstamped_one(data_dir: Path) -> None:
    """Sequence numbers start at 0: the very first stamped backup already outranks an
    older companion's folder, even one named for a later day."""
    data_dir.mkdir()
    backup_folder(data_dir, "2030-01-01", {"legacy": 1}, None)
    with pendulum.travel_to(D1, freeze=True):
        Backups(data_dir).take(D1.date(), store_files(data_dir, {"stamped": 1}))
    assert restored_from(data_dir) == ("2026-11-20", {"stamped": 1})


def test_a_folder_of_the_patients_own_in_backups_is_neither_restored_nor_pruned(data_dir: Path) -> None:
    data_dir.mkdir()
    own = backup_folder(data_dir, "my copies", {"mine": 1}, 99)
    (data_dir / "backups" / "2026-11-30").write_text("a file named like a day")
    backups = Backups(data_dir, keep=2)
    files = store_files(data_dir, {"live": 1})
    for day in (20, 21, 22):
        with pendulum.travel_to(pendulum.datetime(2026, 11, day, 9, tz="Europe/Berlin"), freeze=True):
            backups.take(pendulum.now().date(), files)
    assert [f.name for f in backups.folders()] == ["2026-11-22", "2026-11-21"]
    assert json.loads((own / OCTOBER).read_text()) == {"mine": 1}
    assert restored_from(data_dir) == ("2026-11-22", {"live": 1})


# ---------------------------------------------------------------------- taking one


def test_a_second_backup_the_same_day_changes_nothing(data_dir: Path) -> None:
    data_dir.mkdir()
    backups = Backups(data_dir)
    files = store_files(data_dir, {"morning": 1})
    assert not backups.has(D1.date())
    with pendulum.travel_to(D1, freeze=True):
        folder, damaged = backups.take(D1.date(), files)
        assert folder is not None and damaged == []
        assert backups.has(D1.date())
        (data_dir / OCTOBER).write_text(json.dumps({"evening": 1}))
        assert backups.take(D1.date(), files) == (None, [])
    assert restored_from(data_dir) == ("2026-11-20", {"morning": 1})


def test_a_damaged_store_file_is_left_out_of_the_backup_and_named(data_dir: Path) -> None:
    data_dir.mkdir()
    files = store_files(data_dir, {"good": 1})
    with pendulum.travel_to(D1, freeze=True):
        Backups(data_dir).take(D1.date(), files)
    (data_dir / OCTOBER).write_bytes(b"\0\0garbage")
    with pendulum.travel_to(D2, freeze=True):
        folder, damaged = Backups(data_dir).take(D2.date(), files)
    assert folder is not None and damaged == [data_dir / OCTOBER]
    assert not (folder / OCTOBER).exists()
    assert restored_from(data_dir) == ("2026-11-20", {"good": 1})


def test_a_stale_half_taken_backup_of_the_same_name_does_not_stop_todays(data_dir: Path) -> None:
    """A process killed mid-backup whose pid comes round again: its leftover folder is
    cleared, not taken for today's backup nor in its way."""
    data_dir.mkdir()
    stale = data_dir / "backups" / f".{D1.date().isoformat()}.partial-{os.getpid()}"
    (stale / "days").mkdir(parents=True)
    (stale / OCTOBER).write_text(json.dumps({"half": 1}))
    other = data_dir / "backups" / ".2026-11-19.partial-99999999"  # another killed process's
    other.mkdir()
    own = data_dir / "backups" / ".notes" / "mine.txt"  # a hidden folder of the patient's
    own.parent.mkdir()
    own.write_text("the patient's own")
    with pendulum.travel_to(D1, freeze=True):
        folder, _ = Backups(data_dir).take(D1.date(), store_files(data_dir, {"whole": 1}))
    assert folder is not None and not stale.exists() and not other.exists()
    assert own.read_text() == "the patient's own"
    assert restored_from(data_dir) == ("2026-11-20", {"whole": 1})


def test_a_backup_that_fails_halfway_leaves_nothing_and_is_said(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills while the copies are written: no half backup is left to be taken
    for a whole one, and the patient is told (the save itself went through)."""
    with pendulum.travel_to(D1, freeze=True):
        Store(data_dir).update_hydration(D1.date(), lambda h: h.add(1))
        Store(data_dir).update_hydration(D1.date(), lambda h: h.add(1))  # unlike D1's backup now
    real_write = backups_module.write_new_file
    writes: list[Path] = []

    def full_after_the_stamp(dest: Path, raw: bytes) -> None:
        writes.append(dest)
        if len(writes) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dest))
        real_write(dest, raw)

    monkeypatch.setattr(backups_module, "write_new_file", full_after_the_stamp)
    with pendulum.travel_to(D2, freeze=True):
        store = Store(data_dir)
        store.update_hydration(D2.date(), lambda h: h.add(2))
        notices = store.take_notices()
    assert len(writes) >= 2  # the stamp, then a copy that could not be written
    assert len(notices) == 1 and "today's backup could not be taken" in notices[0]
    assert sorted(p.name for p in (data_dir / "backups").iterdir()) == ["2026-11-20"]
    monkeypatch.undo()
    with pendulum.travel_to(D2, freeze=True):
        assert Store(data_dir).hydration_day(D2.date()).glasses == 2


def test_a_damaged_month_nobody_reads_is_repaired_with_the_next_days_backup(data_dir: Path) -> None:
    """Damage found while backing up is repaired then, not left until someone opens that
    month (by then the good copies may have rolled out of the backups)."""
    with pendulum.travel_to(D1, freeze=True):
        store = Store(data_dir)
        store.save_checkin(CheckIn(new_id(), dt.date(2026, 10, 7), pendulum.now(), 4, 3, note="kept"))
        store.update_hydration(D1.date(), lambda h: h.add(1))
    with pendulum.travel_to(D2, freeze=True):
        Store(data_dir).update_hydration(D2.date(), lambda h: h.add(1))  # D2's backup holds October
    (data_dir / OCTOBER).write_bytes(b"\0\0garbage")
    day3 = pendulum.datetime(2026, 11, 22, 9, tz="Europe/Berlin")
    with pendulum.travel_to(day3, freeze=True):
        store = Store(data_dir)
        store.update_hydration(day3.date(), lambda h: h.add(1))  # touches November only
        notices = store.take_notices()
    assert len(notices) == 1 and "days/2026-10.json was damaged" in notices[0]
    assert "the backup from 2026-11-21 was restored" in notices[0]
    assert b"kept" in (data_dir / OCTOBER).read_bytes()
    assert [p.name for p in (data_dir / "days").iterdir() if ".damaged-" in p.name]


# ---------------------------------------------------------------------- sharing and pruning


def test_an_unchanged_file_shares_yesterdays_copy_a_changed_one_of_the_same_length_does_not(
    data_dir: Path,
) -> None:
    data_dir.mkdir()
    backups = Backups(data_dir)
    files = store_files(data_dir, {"day": 1})
    with pendulum.travel_to(D1, freeze=True):
        first, _ = backups.take(D1.date(), files)
    (data_dir / OCTOBER).write_text(json.dumps({"day": 2}))  # same length, other bytes
    with pendulum.travel_to(D2, freeze=True):
        second, _ = backups.take(D2.date(), files)
    assert first is not None and second is not None
    assert os.path.samefile(first / "companion.json", second / "companion.json")
    assert json.loads((second / OCTOBER).read_text()) == {"day": 2}
    assert json.loads((first / OCTOBER).read_text()) == {"day": 1}


def test_of_two_old_backups_holding_the_same_lone_copy_only_the_newer_stays(data_dir: Path) -> None:
    """An old backup is kept while it holds the only copy of a file; a still older one
    holding that same file adds nothing and goes."""
    data_dir.mkdir()
    files = store_files(data_dir, {"october": 1})
    for day in (17, 18):
        with pendulum.travel_to(pendulum.datetime(2026, 11, day, 9, tz="Europe/Berlin"), freeze=True):
            Backups(data_dir).take(pendulum.now().date(), files)
            (data_dir / OCTOBER).write_text(json.dumps({"october": day}))
    (data_dir / OCTOBER).unlink()  # lost since: only the two old backups have it
    backups = Backups(data_dir, keep=1)
    with pendulum.travel_to(pendulum.datetime(2026, 11, 19, 9, tz="Europe/Berlin"), freeze=True):
        backups.take(pendulum.now().date(), files[:1])
    assert [f.name for f in backups.folders()] == ["2026-11-19", "2026-11-18"]
    assert restored_from(data_dir) == ("2026-11-18", {"october": 17})


def test_an_old_backup_that_cannot_be_removed_does_not_fail_todays(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir.mkdir()
    backups = Backups(data_dir, keep=1)
    files = store_files(data_dir, {"october": 1})
    with pendulum.travel_to(D1, freeze=True):
        backups.take(D1.date(), files)
    (data_dir / "backups" / ".2026-11-19.partial-99999999").mkdir()  # a killed process's leftover
    refused: list[object] = []

    def busy(path: object, *args: object, **kwargs: object) -> None:
        refused.append(path)
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(path))

    monkeypatch.setattr(backups_module.os, "rmdir", busy)
    with pendulum.travel_to(D2, freeze=True):
        folder, damaged = backups.take(D2.date(), files)
    monkeypatch.undo()
    assert refused and folder is not None and damaged == []
    assert restored_from(data_dir) == ("2026-11-21", {"october": 1})


def test_an_old_backup_holding_the_only_companion_json_is_kept(data_dir: Path) -> None:
    data_dir.mkdir()
    files = store_files(data_dir, {"october": 1})
    with pendulum.travel_to(D1, freeze=True):
        Backups(data_dir).take(D1.date(), files)
    with pendulum.travel_to(D2, freeze=True):
        Backups(data_dir, keep=1).take(D2.date(), files[1:])  # companion.json unreadable meanwhile
    assert [f.name for f in Backups(data_dir).folders()] == ["2026-11-21", "2026-11-20"]
    assert Backups(data_dir).newest_good_copy(Path("companion.json")) is not None


def test_a_store_file_that_cannot_be_read_is_left_out_of_the_backup(data_dir: Path) -> None:
    data_dir.mkdir()
    files = store_files(data_dir, {"october": 1})
    (data_dir / OCTOBER).unlink()
    (data_dir / OCTOBER).mkdir()  # a folder in its place cannot be read
    with pendulum.travel_to(D1, freeze=True):
        folder, damaged = Backups(data_dir).take(D1.date(), files)
    assert folder is not None and damaged == []
    assert (folder / "companion.json").read_text() == "{}" and not (folder / OCTOBER).exists()


def test_holds_says_whether_any_backup_has_a_copy(data_dir: Path) -> None:
    backup_folder(data_dir, "2026-11-20", {"october": 1}, 0)
    newer = backup_folder(data_dir, "2026-11-21", {"october": 2}, 1)
    (newer / OCTOBER).unlink()
    backups = Backups(data_dir)
    assert backups.holds(OCTOBER) is True
    assert backups.holds(Path("days/2026-09.json")) is False


# ---------------------------------------------------------------------- adding to today's backup


def test_a_file_created_later_the_same_day_joins_todays_backup_without_changing_it(data_dir: Path) -> None:
    data_dir.mkdir()
    files = store_files(data_dir, {"october": 1})
    with pendulum.travel_to(D1, freeze=True):
        Backups(data_dir).take(D1.date(), files)
    (data_dir / OCTOBER).write_text(json.dumps({"october": 2}))
    november = data_dir / "days" / "2026-11.json"
    november.write_text(json.dumps({"november": 1}))
    damaged = data_dir / "days" / "2026-12.json"
    damaged.write_bytes(b"\0\0garbage")
    stale = data_dir / "backups" / "2026-11-20" / "days" / f".2026-11.json.partial-{os.getpid()}"
    stale.write_text("half")
    with pendulum.travel_to(D1, freeze=True):
        Backups(data_dir).add(D1.date(), [data_dir / OCTOBER, november, damaged])
    folder = data_dir / "backups" / "2026-11-20"
    assert json.loads((folder / OCTOBER).read_text()) == {"october": 1}  # never changed in place
    assert json.loads((folder / "days" / "2026-11.json").read_text()) == {"november": 1}
    assert not (folder / "days" / "2026-12.json").exists()  # never back up damage
    assert not stale.exists()


def test_adding_to_a_day_without_a_backup_takes_one_and_prunes(data_dir: Path) -> None:
    data_dir.mkdir()
    files = store_files(data_dir, {"october": 1})
    with pendulum.travel_to(D1, freeze=True):
        Backups(data_dir).take(D1.date(), files)
    stale = data_dir / "backups" / f".{D2.date().isoformat()}.partial-{os.getpid()}"
    stale.mkdir()
    with pendulum.travel_to(D2, freeze=True):
        Backups(data_dir, keep=1).add(D2.date(), files)
    assert [f.name for f in Backups(data_dir).folders()] == ["2026-11-21"]
    assert restored_from(data_dir) == ("2026-11-21", {"october": 1}) and not stale.exists()
