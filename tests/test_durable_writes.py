"""How a save reaches the disk, step by step, and what the store does when a step fails.

A save that skips the fsync of its folder, swallows the error of one, or leaks a file
descriptor looks fine in every other test: the file is there and reads back. These
tests watch the steps themselves (a spy on the system calls), count the descriptors
over many writes, and take the backup fallbacks one by one: the newest backup damaged,
a damaged file that cannot be given its second name, a restored copy that cannot be
written.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest
from tinydb import TinyDB

from companion.core.checkins import CheckIn
from companion.core.ids import new_id
from companion.store import Store, StoreError, atomic_storage
from companion.store.atomic_storage import (
    AtomicJSONStorage,
    BadEntry,
    DamagedFileError,
    Recovered,
    SavedButNotFlushedError,
    atomic_write_bytes,
    fsync_dir,
    replace_keeping_aside,
    split_entries,
    write_new_file,
)
from companion.store.backups import Backups

BERLIN = "Europe/Berlin"
D1 = pendulum.datetime(2026, 11, 20, 9, tz=BERLIN)
D2 = pendulum.datetime(2026, 11, 21, 9, tz=BERLIN)
D3 = pendulum.datetime(2026, 11, 22, 9, tz=BERLIN)
NOVEMBER = "days/2026-11.json"


@pytest.fixture(autouse=True)
def _berlin(berlin: str) -> None:
    pass


def where(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


class Spy:
    """Records the fsyncs (of which file or folder), renames, links and closes, in order."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.fail: dict[str, Callable[[tuple[Any, ...]], OSError | None]] = {}
        for name in ("fsync", "replace", "link", "close"):
            monkeypatch.setattr(atomic_storage.os, name, self._wrap(name, getattr(os, name)))

    def _wrap(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def spy(*args: Any) -> Any:
            shown = tuple(where(a) if name in ("fsync", "close") else str(a) for a in args)
            self.calls.append((name, *shown))
            failure = self.fail.get(name)
            error = failure(shown) if failure else None
            if error is not None:
                raise error
            return real(*args)

        return spy

    def steps(self, *names: str) -> list[tuple[str, ...]]:
        return [c for c in self.calls if c[0] in names]


def test_a_save_fsyncs_the_temporary_file_then_renames_it_then_fsyncs_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "store.json"
    target.write_bytes(b"{}")
    spy = Spy(monkeypatch)
    atomic_write_bytes(target, b'{"new": {}}')
    steps = spy.steps("fsync", "replace", "close")
    temp = steps[0][1]
    assert Path(temp).parent == tmp_path and Path(temp).name.startswith(".store.json.")
    assert steps == [
        ("fsync", temp),  # the new content is on the disk
        ("close", temp),
        ("replace", temp, str(target)),  # then, and only then, it takes the old one's place
        ("fsync", str(tmp_path)),  # and the rename itself is made durable
        ("close", str(tmp_path)),
    ]
    assert target.read_bytes() == b'{"new": {}}'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["store.json"]


def test_a_folder_that_cannot_be_flushed_is_said_and_the_new_file_is_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "store.json"
    target.write_bytes(b"{}")
    spy = Spy(monkeypatch)
    spy.fail["fsync"] = lambda args: OSError(errno.EIO, "I/O error") if args[0] == str(tmp_path) else None
    with pytest.raises(SavedButNotFlushedError) as caught:
        atomic_write_bytes(target, b'{"new": {}}')
    assert caught.value.path == target
    assert "saved" in str(caught.value) and "could not be flushed" in str(caught.value)
    assert target.read_bytes() == b'{"new": {}}'  # in place: only its durability is in doubt
    assert spy.steps("close")[-1] == ("close", str(tmp_path))  # the folder is closed all the same


def test_the_store_says_a_save_it_could_not_flush_and_reads_the_disk_again(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pendulum.travel_to(D1, freeze=True):
        store = Store(data_dir)
        store.update_hydration(D1.date(), lambda h: h.add(1))
        spy = Spy(monkeypatch)
        days = str(data_dir / "days")
        spy.fail["fsync"] = lambda args: OSError(errno.EIO, "I/O error") if args[0] == days else None
        with pytest.raises(StoreError, match="could not be flushed"):
            store.update_hydration(D1.date(), lambda h: h.add(1))
        monkeypatch.undo()
        assert store.hydration_day(D1.date()).glasses == 2  # what the disk holds
        assert Store(data_dir).hydration_day(D1.date()).glasses == 2


def test_a_folder_fsync_that_fails_for_another_reason_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(monkeypatch)
    spy.fail["fsync"] = lambda args: OSError(errno.EIO, "I/O error")
    with pytest.raises(OSError) as caught:
        fsync_dir(tmp_path)
    assert caught.value.errno == errno.EIO
    for unsupported in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
        spy.fail["fsync"] = lambda args, e=unsupported: OSError(e, os.strerror(e))
        fsync_dir(tmp_path)  # a file system that cannot: not a failed save
    assert [c[0] for c in spy.calls].count("close") == 4


def test_a_new_file_is_flushed_before_it_is_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy(monkeypatch)
    write_new_file(tmp_path / "copy.json", b"{}")
    assert spy.steps("fsync", "close") == [
        ("fsync", str(tmp_path / "copy.json")),
        ("close", str(tmp_path / "copy.json")),
    ]
    assert stat.S_IMODE((tmp_path / "copy.json").stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        write_new_file(tmp_path / "copy.json", b"{}")  # never over an existing file


def test_a_repair_writes_and_flushes_the_replacement_and_the_aside_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = tmp_path / "store.json"
    damaged.write_bytes(b"\x00garbage")
    aside = tmp_path / "store.json.damaged-1"
    spy = Spy(monkeypatch)
    replace_keeping_aside(damaged, b"{}", aside)
    steps = spy.steps("fsync", "replace", "link")
    temp = steps[0][1]
    assert steps == [
        ("fsync", temp),
        ("link", str(damaged), str(aside)),
        ("fsync", str(tmp_path)),  # the second name is durable before the rename
        ("replace", temp, str(damaged)),
        ("fsync", str(tmp_path)),
    ]
    assert damaged.read_bytes() == b"{}" and aside.read_bytes() == b"\x00garbage"


@pytest.mark.parametrize("link", ["linked", "copied"])
def test_a_repair_that_fails_never_removes_a_file_it_did_not_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, link: str
) -> None:
    """Only the second name the repair itself gave is taken back on a failure: a file
    already under the aside's name (an earlier damaged copy) stays, whole."""
    damaged = tmp_path / "store.json"
    damaged.write_bytes(b"\x00garbage")
    aside = tmp_path / "store.json.damaged-1"
    aside.write_bytes(b"an earlier damaged copy")
    spy = Spy(monkeypatch)
    if link == "copied":  # a file system without hard links: the fallback copy is refused too
        spy.fail["link"] = lambda args: OSError(errno.EPERM, os.strerror(errno.EPERM))
    with pytest.raises(FileExistsError):
        replace_keeping_aside(damaged, b"{}", aside)
    assert aside.read_bytes() == b"an earlier damaged copy"
    assert damaged.read_bytes() == b"\x00garbage"  # nothing changed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.json", "store.json.damaged-1"]


def test_a_rename_that_fails_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "store.json"
    target.write_bytes(b'{"old": {}}')
    spy = Spy(monkeypatch)
    spy.fail["replace"] = lambda args: OSError(errno.EACCES, os.strerror(errno.EACCES))
    with pytest.raises(OSError) as caught:
        atomic_write_bytes(target, b'{"new": {}}')
    assert caught.value.errno == errno.EACCES  # the save is not said to have worked
    assert target.read_bytes() == b'{"old": {}}'
    assert [p.name for p in tmp_path.iterdir()] == ["store.json"]


@pytest.mark.parametrize("step", ["folder-fsync", "rename"])
def test_a_repair_that_fails_after_the_second_name_takes_it_back_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """The damaged file already has its second name when the folder cannot be flushed or
    the replacement cannot take its place: that name goes again, the error is raised (the
    store then says the file could not be repaired), and the damaged file stays."""
    damaged = tmp_path / "store.json"
    damaged.write_bytes(b"\x00garbage")
    spy = Spy(monkeypatch)
    if step == "rename":
        spy.fail["replace"] = lambda args: OSError(errno.EIO, "I/O error")
    else:
        spy.fail["fsync"] = lambda args: OSError(errno.EIO, "I/O error") if args[0] == str(tmp_path) else None
    with pytest.raises(OSError) as caught:
        replace_keeping_aside(damaged, b"{}", tmp_path / "store.json.damaged-1")
    assert caught.value.errno == errno.EIO
    assert spy.steps("link")  # it got that far
    assert damaged.read_bytes() == b"\x00garbage"
    assert [p.name for p in tmp_path.iterdir()] == ["store.json"]


def test_a_write_that_fails_on_a_full_disk_says_so_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The error raised is the disk's (the store words it: "the disk is full"), not one
    from cleaning up after it."""
    target = tmp_path / "store.json"
    target.write_bytes(b"{}")

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_storage.os, "write", full)
    with pytest.raises(OSError) as caught:
        write_new_file(tmp_path / "copy.json", b"{}")
    assert caught.value.errno == errno.ENOSPC
    with pytest.raises(OSError) as caught:
        atomic_write_bytes(target, b'{"new": {}}')
    assert caught.value.errno == errno.ENOSPC
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.json"]
    assert target.read_bytes() == b"{}"


def test_files_are_600_even_under_a_umask_that_takes_the_owners_own_rights(tmp_path: Path) -> None:
    """A umask only takes rights away from the mode a file is created with: under one that
    takes the owner's read right, a file left as created could not be read back by the
    next run (an error, not a save). Every write sets its mode itself."""
    target = tmp_path / "store.json"
    old = os.umask(0o377)
    try:
        atomic_write_bytes(target, b"{}")
        write_new_file(tmp_path / "copy.json", b"{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "copy.json").stat().st_mode) == 0o600
    assert target.read_bytes() == b"{}"


# ---------------------------------------------------------------------- descriptors


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_no_descriptor_is_left_open_by_many_writes_failed_ones_included(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "store.json"
    with pendulum.travel_to(D1, freeze=True):
        store = Store(data_dir)
        store.update_hydration(D1.date(), lambda h: h.add(1))  # the store's own files are open
        before = open_descriptors()
        for i in range(150):
            atomic_write_bytes(target, json.dumps({"n": i}).encode())
            write_new_file(tmp_path / f"new-{i}", b"{}")
            fsync_dir(tmp_path)
        for i in range(20):
            (tmp_path / "bad.json").write_bytes(b"garbage")
            replace_keeping_aside(tmp_path / "bad.json", b"{}", tmp_path / f"bad.json.damaged-{i}")
            store.update_hydration(D1.date(), lambda h: h.add(1))
        real_write = os.write

        def full(fd: int, data: bytes) -> int:
            if where(fd).startswith(str(tmp_path)):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_write(fd, data)

        monkeypatch.setattr(atomic_storage.os, "write", full)
        for i in range(50):
            with pytest.raises(OSError):
                atomic_write_bytes(target, b"{}")
            with pytest.raises(OSError):
                write_new_file(tmp_path / f"full-{i}", b"{}")
        monkeypatch.undo()
        assert open_descriptors() == before
    assert json.loads(target.read_bytes()) == {"n": 149}
    assert not list(tmp_path.glob(".*.tmp")) and not list(tmp_path.glob("full-*"))


# ---------------------------------------------------------------------- backup fallbacks


def month_checkins(data_dir: Path) -> set[str]:
    return set(json.loads((data_dir / NOVEMBER).read_bytes())["checkins"])


def three_days_of_backups(data_dir: Path) -> None:
    """A check-in on each of D1, D2, D3: the backups of D2 and D3 hold the month as it was
    the day before (with the check-ins of D1, and of D1 and D2)."""
    for moment in (D1, D2, D3):
        with pendulum.travel_to(moment, freeze=True):
            Store(data_dir).save_checkin(CheckIn(new_id(), moment.date(), pendulum.now(), 3, 2))


def test_when_the_newest_backup_is_damaged_too_the_one_before_is_restored(data_dir: Path) -> None:
    three_days_of_backups(data_dir)
    newest = data_dir / "backups" / "2026-11-22" / NOVEMBER
    newest.unlink()  # its own bytes, not those of a copy it shares with an older backup
    newest.write_bytes(b'{"checkins": ')
    (data_dir / NOVEMBER).write_bytes(b"")
    with pendulum.travel_to(D3.add(hours=1), freeze=True):
        store = Store(data_dir)
        days = store.days_between(D1.date(), D3.date())
        (notice,) = store.take_notices()
    assert [c.date for c in days.checkins] == [D1.date()]  # the backup taken on D2
    assert "backup from 2026-11-21 was restored" in notice
    found = Backups(data_dir).newest_good_copy(Path(NOVEMBER))
    assert found is not None and found[0].name == "2026-11-21"


def test_with_every_backup_damaged_the_file_starts_empty_and_says_so(data_dir: Path) -> None:
    three_days_of_backups(data_dir)
    for copy in (data_dir / "backups").glob("*/" + NOVEMBER):
        copy.unlink()
        copy.write_bytes(b"[]")
    (data_dir / NOVEMBER).write_bytes(b"")
    with pendulum.travel_to(D3.add(hours=1), freeze=True):
        store = Store(data_dir)
        assert store.days_between(D1.date(), D3.date()).checkins == []
        (notice,) = store.take_notices()
    assert "no backup of it exists" in notice
    assert Backups(data_dir).newest_good_copy(Path(NOVEMBER)) is None


@pytest.mark.parametrize("refusal", [errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP])
def test_a_damaged_file_that_cannot_be_linked_is_copied_aside(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, refusal: int
) -> None:
    three_days_of_backups(data_dir)
    (data_dir / NOVEMBER).write_bytes(b"\x00damaged")
    spy = Spy(monkeypatch)
    spy.fail["link"] = lambda args: OSError(refusal, os.strerror(refusal))
    with pendulum.travel_to(D3.add(hours=1), freeze=True):
        store = Store(data_dir)
        assert len(store.days_between(D1.date(), D3.date()).checkins) == 2
        (notice,) = store.take_notices()
    (aside,) = (data_dir / "days").glob("2026-11.json.damaged-*")
    assert aside.read_bytes() == b"\x00damaged" and stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert str(aside) in notice and "was restored" in notice
    assert len(month_checkins(data_dir)) == 2


def test_a_damaged_file_that_can_be_neither_linked_nor_copied_is_left_where_it_is(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    three_days_of_backups(data_dir)
    (data_dir / NOVEMBER).write_bytes(b"\x00damaged")
    spy = Spy(monkeypatch)
    spy.fail["link"] = lambda args: OSError(errno.EIO, "I/O error")
    with pendulum.travel_to(D3.add(hours=1), freeze=True):
        store = Store(data_dir)
        shown = store.days_between(D1.date(), D3.date()).checkins
        (notice,) = store.take_notices()
        with pytest.raises(StoreError, match="could not be repaired"):
            store.save_checkin(CheckIn(new_id(), D3.date(), pendulum.now(), 1, 1))
    assert len(shown) == 2  # the newest backup is shown meanwhile
    assert "could not be repaired" in notice and "backup from 2026-11-22 is shown meanwhile" in notice
    assert (data_dir / NOVEMBER).read_bytes() == b"\x00damaged"
    assert not list((data_dir / "days").glob("*.damaged-*")) and not list((data_dir / "days").glob(".*.tmp"))


def test_a_vanished_file_whose_restored_copy_cannot_be_written_is_shown_and_not_written(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    three_days_of_backups(data_dir)
    (data_dir / NOVEMBER).unlink()
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        if where(fd).startswith(str(data_dir / "days")):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(atomic_storage.os, "write", full)
    with pendulum.travel_to(D3.add(hours=1), freeze=True):
        store = Store(data_dir)
        shown = store.days_between(D1.date(), D3.date()).checkins
        (notice,) = store.take_notices()
        with pytest.raises(StoreError, match="could not be restored"):
            store.save_checkin(CheckIn(new_id(), D3.date(), pendulum.now(), 1, 1))
    assert len(shown) == 2
    assert "is missing and could not be restored" in notice and "the disk is full" in notice
    assert "backup from 2026-11-22 is shown meanwhile" in notice
    assert not (data_dir / NOVEMBER).exists()
    monkeypatch.undo()
    with pendulum.travel_to(D3.add(hours=2), freeze=True):
        store = Store(data_dir)
        assert len(store.days_between(D1.date(), D3.date()).checkins) == 2
        assert "was restored" in store.take_notices()[0]
    assert len(month_checkins(data_dir)) == 2


def test_a_backup_is_flushed_whole_before_it_takes_its_name(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pendulum.travel_to(D1, freeze=True):
        Store(data_dir).save_checkin(CheckIn(new_id(), D1.date(), pendulum.now(), 3, 2))
    spy = Spy(monkeypatch)
    with pendulum.travel_to(D2, freeze=True):
        Store(data_dir).save_checkin(CheckIn(new_id(), D2.date(), pendulum.now(), 3, 2))
    root = str(data_dir / "backups")
    renames = [c for c in spy.steps("replace") if c[2] == f"{root}/2026-11-21"]
    (rename,) = renames
    staging = rename[1]
    at = spy.calls.index(rename)
    flushed = {c[1] for c in spy.calls[:at] if c[0] == "fsync"}
    linked = {c[2] for c in spy.calls[:at] if c[0] == "link"}  # a copy shared with the day before
    assert {staging, f"{staging}/days"} <= flushed
    for name in ("companion.json", "days/2026-11.json"):
        assert f"{staging}/{name}" in flushed | linked
    assert ("fsync", root) in spy.calls[at:]
    stamp = json.loads((data_dir / "backups" / "2026-11-21" / ".taken").read_bytes())
    assert stamp["seq"] == 1 and stamp["taken_at"] == "2026-11-21T09:00:00+01:00"


def test_today_s_backup_gets_a_file_created_after_it_was_taken(data_dir: Path) -> None:
    with pendulum.travel_to(D1, freeze=True):
        store = Store(data_dir)
        store.save_checkin(CheckIn(new_id(), D1.date(), pendulum.now(), 3, 2))
    with pendulum.travel_to(D2, freeze=True):
        store = Store(data_dir)
        store.update_hydration(D2.date(), lambda h: h.add(1))  # takes D2's backup
        store.save_checkin(CheckIn(new_id(), dt.date(2026, 9, 3), pendulum.now(), 3, 2))  # a new month file
    copy = data_dir / "backups" / "2026-11-21" / "days" / "2026-09.json"
    assert copy.read_bytes() == (data_dir / "days" / "2026-09.json").read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert not list((data_dir / "backups").rglob(".*partial*"))


# ---------------------------------------------------------------------- what the errors say


def test_a_folder_in_place_of_a_store_file_is_named_and_not_taken_for_damage(data_dir: Path) -> None:
    three_days_of_backups(data_dir)
    month = data_dir / NOVEMBER
    month.unlink()
    month.mkdir()
    with pendulum.travel_to(D3.add(hours=1), freeze=True), pytest.raises(StoreError) as caught:
        Store(data_dir).days_between(D1.date(), D3.date())
    assert str(caught.value) == (
        f"cannot read {month}: it is a folder, not a file; move it out of the way. Nothing was changed."
    )
    assert month.is_dir() and not list((data_dir / "days").glob("*.damaged-*"))


def test_damage_found_without_a_keeper_says_which_file_and_why(tmp_path: Path) -> None:
    path = tmp_path / "plain.json"
    path.write_bytes(b"")
    with pytest.raises(DamagedFileError) as caught:
        TinyDB(path, storage=AtomicJSONStorage).table("t").all()
    assert str(caught.value) == f"{path} is damaged (the file is empty)"
    assert (caught.value.path, caught.value.reason) == (path, "the file is empty")


def test_a_killed_writers_temporary_files_go_at_the_next_save_a_link_named_like_one_stays(
    data_dir: Path, tmp_path: Path
) -> None:
    """Under the lock any ``.NAME.tmp`` file is a crash's leftover and goes; a symbolic
    link of that name is not one companion writes (it is the patient's), so it stays."""
    with pendulum.travel_to(D1, freeze=True):
        Store(data_dir).update_hydration(D1.date(), lambda h: h.add(1))
    leftovers = [data_dir / ".companion.json.x1y2.tmp", data_dir / "days" / ".2026-11.json.x1y2.tmp"]
    for leftover in leftovers:
        leftover.write_bytes(b'{"half": ')
    target = tmp_path / "notes.txt"
    target.write_text("the patient's own")
    links = [data_dir / ".notes.tmp", data_dir / "days" / ".notes.tmp"]
    for link in links:
        link.symlink_to(target)
    with pendulum.travel_to(D1, freeze=True):
        Store(data_dir).update_hydration(D1.date(), lambda h: h.add(1))
    assert not any(p.exists() for p in leftovers)
    assert all(link.is_symlink() for link in links) and target.read_text() == "the patient's own"


def test_a_file_added_to_a_backup_and_a_backup_made_by_adding_are_flushed_in_order(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Backups.add makes today's folder when it is missing (flushed before and after its
    rename) and puts each file in whole (flushed, renamed, its folder flushed)."""
    (data_dir / "days").mkdir(parents=True)
    october = data_dir / "days" / "2026-10.json"
    october.write_text("{}")
    spy = Spy(monkeypatch)
    with pendulum.travel_to(D1, freeze=True):
        Backups(data_dir).add(D1.date(), [october])
    root = str(data_dir / "backups")
    day = f"{root}/2026-11-20"
    (made,) = [c for c in spy.steps("replace") if c[2] == day]
    at = spy.calls.index(made)
    assert ("fsync", made[1]) in spy.calls[:at] and ("fsync", root) in spy.calls[at:]
    (put,) = [c for c in spy.steps("replace") if c[2] == f"{day}/days/2026-10.json"]
    after = spy.calls.index(put)
    assert ("fsync", put[1]) in spy.calls[:after] and ("fsync", f"{day}/days") in spy.calls[after:]


# ---------------------------------------------------------------------- the storage on its own


def test_the_storage_writes_each_change_at_once_unless_told_to_defer(tmp_path: Path) -> None:
    """Used on its own (no store to commit for it), every change reaches the disk when it is
    made; the first one brings the file into being (the store backs up such files)."""
    path = tmp_path / "plain.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    assert not storage.created and not storage.pending
    db.table("t").insert({"a": 1})
    assert json.loads(path.read_bytes()) == {"t": {"1": {"a": 1}}}
    assert storage.created and not storage.pending and storage.identity is not None
    again = TinyDB(path, storage=AtomicJSONStorage)
    again.table("t").insert({"b": 2})
    assert json.loads(path.read_bytes()) == {"t": {"1": {"a": 1}, "2": {"b": 2}}}
    assert not again.storage.created  # type: ignore[attr-defined]  # it was there already
    on_disk = path.read_bytes()
    storage = again.storage
    assert isinstance(storage, AtomicJSONStorage)
    storage.deferred = True  # what Store.all_or_nothing does
    again.table("t").insert({"c": 3})
    assert path.read_bytes() == on_disk  # kept in memory...
    assert again.table("t").get(doc_id=3) == {"c": 3}  # ...where reads see it
    assert storage.pending and storage.identity is None  # what was built from the file is stale
    storage.flush(storage.encode(storage.pending_data), storage.pending_data)
    assert json.loads(path.read_bytes()) == {"t": {"1": {"a": 1}, "2": {"b": 2}, "3": {"c": 3}}}
    assert not storage.pending and storage.identity is not None


def test_text_is_stored_as_utf_8_and_a_lone_surrogate_is_refused_before_any_write(tmp_path: Path) -> None:
    path = tmp_path / "plain.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.table("t").insert({"note": "Schulter, rechts: Ödem"})
    assert "Ödem".encode() in path.read_bytes()  # readable as it is, not escaped
    before = path.read_bytes()
    with pytest.raises(StoreError, match="cannot be written"):
        db.table("t").insert({"note": "half a pair \udc80"})
    assert path.read_bytes() == before
    assert db.table("t").all() == [{"note": "Schulter, rechts: Ödem"}]  # not in memory either


def test_a_file_that_keeps_changing_while_it_is_read_is_an_error_after_three_tries(tmp_path: Path) -> None:
    class Restless:
        """A keeper that always finds the file restored by someone else meanwhile."""

        def __init__(self) -> None:
            self.asked = 0

        def missing(self, path: Path) -> Recovered:
            self.asked += 1
            return Recovered(None, retry=True)

        def repair(self, damage: DamagedFileError) -> Recovered:
            raise AssertionError("not damaged")

        def set_aside(self, path: Path, raw: bytes, bad: list[BadEntry]) -> Recovered:
            raise AssertionError("nothing to set aside")

    keeper = Restless()
    storage = AtomicJSONStorage(tmp_path / "gone.json", keeper=keeper)
    with pytest.raises(StoreError, match="keeps changing while it is read; try again"):
        storage.read()
    assert keeper.asked == 3


def test_a_file_that_cannot_even_be_looked_at_is_an_error_naming_it(tmp_path: Path) -> None:
    """A link to itself put in its place since it was read: saying so beats an unexpected
    error. (A folder turned into a file is no file here: the store says so about the folder.)"""
    folder = tmp_path / "days"
    folder.mkdir()
    path = folder / "2026-11.json"
    path.write_bytes(b'{"t": {}}')
    storage = AtomicJSONStorage(path)
    assert storage.read() == {"t": {}}
    path.unlink()
    path.symlink_to(path.name)
    with pytest.raises(StoreError) as caught:
        storage.read()
    assert str(caught.value) == f"cannot look at {path}: Too many levels of symbolic links"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"t": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply to be a store file"),
        (b'{"t": [1, 2], "u": {"1": {}}}', "it is not a table of records"),
        (b'{"t": "lots", "u": {"1": {}}}', "it is not a table of records"),
    ],
    ids=["nested-too-deeply", "a-table-that-is-a-list", "a-table-that-is-text"],
)
def test_a_store_file_that_is_not_tables_of_records_is_damage_naming_why(
    tmp_path: Path, raw: bytes, reason: str
) -> None:
    path = tmp_path / "plain.json"
    path.write_bytes(raw)
    with pytest.raises(DamagedFileError) as caught:
        AtomicJSONStorage(path).read()
    assert caught.value.reason == reason


def test_a_table_that_is_not_a_table_is_handed_over_and_the_rest_kept() -> None:
    clean, bad = split_entries({"t": [1, 2], "u": {"1": {"a": 1}}, "v": "lots"})
    assert clean == {"u": {"1": {"a": 1}}}
    assert bad == [
        BadEntry("t", None, [1, 2], "it is not a table of records"),
        BadEntry("v", None, "lots", "it is not a table of records"),
    ]


def test_a_table_whose_every_record_is_not_a_record_is_handed_over_whole() -> None:
    """Not only one bad record among good ones: a table of nothing but strings too."""
    clean, bad = split_entries({"t": {"1": "lots", "2": 7}, "u": {"x": {"a": 1}}})
    assert clean == {"t": {}, "u": {}}
    assert bad == [
        BadEntry("t", "1", "lots", "it is not a record (an object)"),
        BadEntry("t", "2", 7, "it is not a record (an object)"),
        BadEntry("u", "x", {"a": 1}, "'x' is not a record number"),
    ]


def test_a_dropped_deferred_write_leaves_nothing_to_commit_and_the_disk_is_read_again(tmp_path: Path) -> None:
    """What Store.all_or_nothing does when a change inside fails: the storage forgets it.
    Then it holds nothing to commit (a later commit must not write what was dropped) and
    each read sees what other writers did, not a copy kept from before."""
    path = tmp_path / "plain.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    db.table("t").insert({"a": 1})
    storage.deferred = True
    db.table("t").insert({"b": 2})
    storage.invalidate()
    storage.deferred = False
    assert not storage.pending
    other = TinyDB(path, storage=AtomicJSONStorage)
    other.table("t").insert({"c": 3})
    assert storage.read() == {"t": {"1": {"a": 1}, "2": {"c": 3}}}
    other.table("t").insert({"d": 4})
    assert storage.read() == {"t": {"1": {"a": 1}, "2": {"c": 3}, "3": {"d": 4}}}


def test_the_version_kept_is_the_one_read_even_when_another_writer_comes_right_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process replaces the file between this one's read and anything after it: the
    next read must see the new version, not take the old data for it."""
    path = tmp_path / "plain.json"
    path.write_bytes(b'{"t": {"1": {"v": "old"}}}')
    real_read = atomic_storage.read_with_identity

    def read_then_overtaken(target: Path) -> tuple[bytes, tuple[int, int, int]] | None:
        found = real_read(target)
        atomic_write_bytes(target, b'{"t": {"1": {"v": "new"}}}')
        return found

    storage = AtomicJSONStorage(path)
    monkeypatch.setattr(atomic_storage, "read_with_identity", read_then_overtaken)
    assert storage.read() == {"t": {"1": {"v": "old"}}}
    monkeypatch.undo()
    assert storage.read() == {"t": {"1": {"v": "new"}}}


def test_a_file_the_keeper_put_right_is_read_from_memory_afterwards(tmp_path: Path) -> None:
    class Mender:
        def __init__(self) -> None:
            self.repairs = 0

        def repair(self, damage: DamagedFileError) -> Recovered:
            self.repairs += 1
            atomic_write_bytes(damage.path, b'{"t": {}}')
            return Recovered({"t": {}})

        def missing(self, path: Path) -> Recovered:
            raise AssertionError("it is there")

        def set_aside(self, path: Path, raw: bytes, bad: list[BadEntry]) -> Recovered:
            raise AssertionError("nothing to set aside")

    path = tmp_path / "plain.json"
    path.write_bytes(b"")
    keeper = Mender()
    storage = AtomicJSONStorage(path, keeper=keeper)
    assert storage.read() == {"t": {}}
    assert storage.identity is not None and storage.identity == atomic_storage.file_identity(path)
    assert storage.read() == {"t": {}} and keeper.repairs == 1


def test_what_is_not_a_record_goes_to_the_keeper_and_what_it_hands_back_is_served(tmp_path: Path) -> None:
    class Sorter:
        def __init__(self) -> None:
            self.handed: list[BadEntry] = []

        def set_aside(self, path: Path, raw: bytes, bad: list[BadEntry]) -> Recovered:
            self.handed += bad
            return Recovered({"t": {"1": {"a": 1}}})

        def repair(self, damage: DamagedFileError) -> Recovered:
            raise AssertionError("not damaged")

        def missing(self, path: Path) -> Recovered:
            raise AssertionError("it is there")

    path = tmp_path / "plain.json"
    path.write_bytes(b'{"t": {"1": {"a": 1}, "2": "lots"}}')
    keeper = Sorter()
    assert AtomicJSONStorage(path, keeper=keeper).read() == {"t": {"1": {"a": 1}}}
    assert keeper.handed == [BadEntry("t", "2", "lots", "it is not a record (an object)")]


def test_a_refused_write_is_not_shown_as_saved(tmp_path: Path) -> None:
    """A file that could not be repaired is shown (from a backup) and writes to it are
    refused: a refused change must not linger in memory as if it had been saved."""

    class CannotRepair:
        def repair(self, damage: DamagedFileError) -> Recovered:
            return Recovered({"t": {"1": {"a": 1}}}, refuse_writes="plain.json could not be repaired")

        def missing(self, path: Path) -> Recovered:
            raise AssertionError("it is there")

        def set_aside(self, path: Path, raw: bytes, bad: list[BadEntry]) -> Recovered:
            raise AssertionError("nothing to set aside")

    path = tmp_path / "plain.json"
    path.write_bytes(b"\x00damaged")
    db = TinyDB(path, storage=AtomicJSONStorage, keeper=CannotRepair())
    assert db.table("t").all() == [{"a": 1}]
    with pytest.raises(StoreError, match="could not be repaired"):
        db.table("t").insert({"b": 2})
    assert db.table("t").all() == [{"a": 1}]
    with pytest.raises(StoreError, match="could not be repaired"):
        db.table("t").insert({"c": 3})  # still refused: asked again, the keeper still cannot
    assert path.read_bytes() == b"\x00damaged"


@pytest.mark.parametrize("failure", ["full-disk", "interrupted", "folder-not-flushed"])
def test_a_save_that_fails_leaves_memory_as_the_disk_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    """TinyDB changes its tables in memory before it asks the storage to save them: when the
    save fails, the storage forgets them, and what is read next is what the disk holds."""
    path = tmp_path / "plain.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    db.table("t").insert({"a": 1})
    before = storage.identity
    if failure == "folder-not-flushed":
        spy = Spy(monkeypatch)
        spy.fail["fsync"] = lambda args: OSError(errno.EIO, "I/O error") if args[0] == str(tmp_path) else None
        with pytest.raises(SavedButNotFlushedError):
            db.table("t").insert({"b": 2})
        assert storage.identity != before  # never the version it replaced
        monkeypatch.undo()
        assert db.table("t").all() == [{"a": 1}, {"b": 2}]  # saved: only not flushed
        return
    error: BaseException = (
        OSError(errno.ENOSPC, "No space left on device") if failure == "full-disk" else KeyboardInterrupt()
    )

    def failing(fd: int, data: bytes) -> int:
        raise error

    monkeypatch.setattr(atomic_storage.os, "write", failing)
    if failure == "full-disk":
        with pytest.raises(StoreError) as caught:
            db.table("t").insert({"b": 2})
        assert str(caught.value) == f"could not save to {path}: the disk is full. Nothing was changed."
    else:
        with pytest.raises(KeyboardInterrupt):
            db.table("t").insert({"b": 2})
    monkeypatch.undo()
    assert db.table("t").all() == [{"a": 1}]
    assert storage.identity == before
