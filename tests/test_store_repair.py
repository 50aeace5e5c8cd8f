"""Repairs that cannot finish lose nothing; a vanished file is damage, not a fresh start;
backups follow the order they were taken, not their names, and a backup that cannot be
taken is said. With real faults where this machine allows: a small tmpfs filled up for
a full disk, a real chmod, processes run at a frozen moment."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from companion.core.checkins import CheckIn
from companion.core.ids import new_id
from companion.store import Store, StoreError, atomic_storage
from companion.store import backups as backups_module
from companion.store.backups import Backups
from tests.helpers_store import child_env, snapshot
from tests.seeding import daily_history

D1 = pendulum.datetime(2026, 11, 20, 9, tz="Europe/Berlin")
D2 = pendulum.datetime(2026, 11, 21, 9, tz="Europe/Berlin")
OCTOBER = "days/2026-10.json"

CLI_AT = (
    "import sys, pendulum\n"
    "from companion.cli.main import main\n"
    "with pendulum.travel_to(pendulum.parse(sys.argv[1]), freeze=True):\n"
    "    sys.exit(main(sys.argv[2:]))\n"
)


def cli_at(
    moment: pendulum.DateTime, data_dir: Path, *args: str, prefix: tuple[str, ...] = (), **popen: object
) -> subprocess.CompletedProcess[str]:
    """The real CLI in its own process, at a frozen moment (a test never reads the real date)."""
    command = [*prefix, sys.executable, "-c", CLI_AT, moment.isoformat(), "--data-dir", str(data_dir), *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=child_env(PYTHONDONTWRITEBYTECODE="1"),
        timeout=60,
        cwd="/",
        **popen,  # type: ignore[call-overload]
    )


@pytest.fixture(autouse=True)
def _berlin() -> Iterator[None]:
    pendulum.set_local_timezone(pendulum.timezone("Europe/Berlin"))
    yield
    pendulum.set_local_timezone()


def seed_two_days(data_dir: Path) -> None:
    """Oct and Nov history written on D1; D2's first write takes D2's backup; then a
    check-in for 7 Oct that no backup holds."""
    with pendulum.travel_to(D1, freeze=True):
        Store(data_dir).apply_import(daily_history(dt.date(2026, 10, 1), 50))
    with pendulum.travel_to(D2, freeze=True):
        store = Store(data_dir)
        store.update_hydration(D2.date(), lambda h: h.add(1))
        store.save_checkin(CheckIn(new_id(), dt.date(2026, 10, 7), pendulum.now(), 9, 9, note="after"))


def damaged_files(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob("*") if ".damaged-" in p.name]


# ---------------------------------------------------------------------- a full disk


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB file system (tmpfs): needs root and mount; skipped elsewhere."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a real full disk needs root to mount a small tmpfs")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr[-200:]!r}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(disk: Path) -> Path:
    """Fill the file system to the last byte; returns the filler (delete it to free space)."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 16, 1 << 12, 1 << 8, 1):
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)
    return filler


def test_a_repair_on_a_full_disk_moves_nothing_and_loses_nothing(small_disk: Path) -> None:
    data_dir = small_disk / "data"
    seed_two_days(data_dir)
    path = data_dir / OCTOBER
    path.write_bytes(path.read_bytes()[:100])  # torn
    damaged = path.read_bytes()
    filler = fill(small_disk)

    for _ in range(2):  # and again: the next run does not start empty either
        shown = cli_at(D2, data_dir, "history", "--json", "--days", "60")
        assert shown.returncode == 0, shown.stderr
        assert "could not be repaired: the disk is full. Nothing was moved" in shown.stderr
        assert "the backup from 2026-11-21 is shown meanwhile" in shown.stderr
        rows = {row["date"]: row for row in json.loads(shown.stdout)}
        assert rows["2026-10-05"]["soreness"] is not None  # from the backup
        assert path.read_bytes() == damaged and damaged_files(data_dir) == []
        assert not list(data_dir.rglob("*.tmp"))
        refused = cli_at(D2, data_dir, "checkin", "--soreness", "1", "--fatigue", "1", "--date", "2026-10-09")
        assert refused.returncode == 1 and "could not be repaired" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert path.read_bytes() == damaged

    filler.unlink()  # space again: the next run repairs
    repaired = cli_at(D2, data_dir, "history", "--json", "--days", "60")
    assert repaired.returncode == 0, repaired.stderr
    assert "was damaged" in repaired.stderr and "the backup from 2026-11-21 was restored" in repaired.stderr
    (aside,) = damaged_files(data_dir)
    assert aside.read_bytes() == damaged
    rows = {row["date"]: row for row in json.loads(repaired.stdout)}
    assert rows["2026-10-05"]["soreness"] is not None
    assert cli_at(D2, data_dir, "history", "--days", "3").stderr == ""  # told once


def test_a_replacement_that_cannot_be_written_moves_nothing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same with a patched write (runs everywhere, also without root)."""
    seed_two_days(data_dir)
    path = data_dir / OCTOBER
    path.write_bytes(b"")
    real = os.write

    def full(fd: int, data: bytes) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(data_dir)):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(atomic_storage.os, "write", full)
    with pendulum.travel_to(D2, freeze=True):
        store = Store(data_dir)
        assert store.checkin_for(dt.date(2026, 10, 5)) is not None  # the backup, shown
        (notice,) = store.take_notices()
        assert "Nothing was moved" in notice
        with pytest.raises(StoreError, match="could not be repaired"):
            store.save_checkin(CheckIn(new_id(), dt.date(2026, 10, 9), pendulum.now(), 1, 1))
    assert path.read_bytes() == b"" and damaged_files(data_dir) == []
    monkeypatch.undo()
    with pendulum.travel_to(D2, freeze=True):
        store = Store(data_dir)
        assert store.checkin_for(dt.date(2026, 10, 5)) is not None
        assert "was restored" in store.take_notices()[0]
    assert json.loads(path.read_bytes())["checkins"]


# ---------------------------------------------------------------------- files that vanished


def test_a_month_file_that_vanished_is_restored_not_taken_as_empty(data_dir: Path) -> None:
    seed_two_days(data_dir)
    (data_dir / OCTOBER).unlink()
    with pendulum.travel_to(D2, freeze=True):
        store = Store(data_dir)
        assert store.checkin_for(dt.date(2026, 10, 5)) is not None
        (notice,) = store.take_notices()
    assert "days/2026-10.json is missing (it existed before)" in notice
    assert "the backup from 2026-11-21 was restored" in notice
    later = Store(data_dir).checkin_for(dt.date(2026, 10, 7))
    assert later is not None and later.note != "after"  # replaced after that backup: said


def test_companion_json_that_vanished_is_restored(data_dir: Path) -> None:
    seed_two_days(data_dir)
    sessions = len(Store(data_dir).sessions())
    (data_dir / "companion.json").unlink()
    with pendulum.travel_to(D2, freeze=True):
        store = Store(data_dir)
        assert len(store.sessions()) == sessions
        (notice,) = store.take_notices()
    assert "companion.json is missing (it existed before)" in notice


def test_the_whole_days_folder_deleted_comes_back_from_the_backups(data_dir: Path) -> None:
    seed_two_days(data_dir)
    shutil.rmtree(data_dir / "days")
    with pendulum.travel_to(D2, freeze=True):
        store = Store(data_dir)
        assert len(store.all_days().checkins) == 50
        notices = store.take_notices()
    assert len(notices) == 2 and all("is missing (it existed before)" in n for n in notices)


def test_a_vanished_month_without_any_backup_is_said_and_recreated_empty(data_dir: Path) -> None:
    seed_two_days(data_dir)
    shutil.rmtree(data_dir / "backups")
    (data_dir / OCTOBER).unlink()
    with pendulum.travel_to(D2, freeze=True):
        store = Store(data_dir)
        assert store.checkin_for(dt.date(2026, 10, 5)) is None
        (notice,) = store.take_notices()
        assert "no backup of it exists" in notice and "starts empty" in notice
        assert (data_dir / OCTOBER).read_bytes() == b"{}"
        again = Store(data_dir)
        again.all_days()
        assert again.take_notices() == []


def test_a_vanished_month_nobody_reads_is_restored_with_the_next_days_backup(data_dir: Path) -> None:
    """A tick reads only this month: the next day's first write notices the loss anyway,
    before daily backups without that month could roll the good copies out."""
    seed_two_days(data_dir)
    (data_dir / OCTOBER).unlink()
    for day in range(22, 31):
        with pendulum.travel_to(pendulum.datetime(2026, 11, day, 9, tz="Europe/Berlin"), freeze=True):
            store = Store(data_dir)
            store.update_hydration(pendulum.now().date(), lambda h: h.add(1))
            notices = store.take_notices()
            if day == 22:
                assert len(notices) == 1 and "days/2026-10.json is missing" in notices[0]
            else:
                assert notices == []
    with pendulum.travel_to(pendulum.datetime(2026, 11, 30, 9, tz="Europe/Berlin"), freeze=True):
        assert Store(data_dir).checkin_for(dt.date(2026, 10, 5)) is not None


# ---------------------------------------------------------------------- backups by time


def backup_names(data_dir: Path) -> list[str]:
    return [p.name for p in Backups(data_dir).folders()]


def test_a_clock_once_in_2031_does_not_make_its_backup_the_newest(data_dir: Path) -> None:
    seed_two_days(data_dir)
    with pendulum.travel_to(pendulum.datetime(2031, 5, 1, 9, tz="Europe/Berlin"), freeze=True):
        Store(data_dir).update_hydration(pendulum.now().date(), lambda h: h.add(1))  # backup "2031-05-01"
    day3 = pendulum.datetime(2026, 11, 22, 9, tz="Europe/Berlin")
    with pendulum.travel_to(day3, freeze=True):
        Store(data_dir).update_hydration(day3.date(), lambda h: h.add(1))  # backup "2026-11-22" has 7 Oct
    assert backup_names(data_dir)[:2] == ["2026-11-22", "2031-05-01"]  # by when they were taken
    path = data_dir / OCTOBER
    path.write_bytes(b"garbage")
    with pendulum.travel_to(day3, freeze=True):
        store = Store(data_dir)
        restored = store.checkin_for(dt.date(2026, 10, 7))
        (notice,) = store.take_notices()
    assert "the backup from 2026-11-22 was restored" in notice
    assert restored is not None and restored.note == "after"


def test_seven_future_dated_backups_neither_stop_nor_outlive_new_ones(data_dir: Path) -> None:
    seed_two_days(data_dir)
    for day in range(1, 8):
        with pendulum.travel_to(pendulum.datetime(2031, 1, day, 9, tz="Europe/Berlin"), freeze=True):
            Store(data_dir).update_hydration(pendulum.now().date(), lambda h: h.add(1))
    for day in range(22, 30):
        moment = pendulum.datetime(2026, 11, day, 9, tz="Europe/Berlin")
        with pendulum.travel_to(moment, freeze=True):
            Store(data_dir).update_hydration(moment.date(), lambda h: h.add(1))
        assert moment.date().isoformat() in backup_names(data_dir)  # not pruned the moment it is taken
    assert backup_names(data_dir) == [f"2026-11-{d}" for d in range(29, 22, -1)]


def test_an_older_backup_holding_the_only_copy_of_a_file_is_not_pruned(data_dir: Path) -> None:
    data_dir.mkdir()
    backups = Backups(data_dir, keep=2)
    files = []
    for name in ("companion.json", "days/2026-09.json"):
        path = data_dir / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("{}")
        files.append(path)
    with pendulum.travel_to(D1, freeze=True):
        backups.take(D1.date(), files)
    (data_dir / "days/2026-09.json").unlink()  # say it could not be read since
    for day in (21, 22, 23):
        with pendulum.travel_to(pendulum.datetime(2026, 11, day, tz="Europe/Berlin"), freeze=True):
            backups.take(pendulum.now().date(), files[:1])
    assert backup_names(data_dir) == ["2026-11-23", "2026-11-22", "2026-11-20"]
    assert backups.newest_good_copy(Path("days/2026-09.json")) is not None


def test_backups_from_before_stamps_count_as_older_than_any_stamped_one(data_dir: Path) -> None:
    seed_two_days(data_dir)
    legacy = data_dir / "backups" / "2030-01-01"
    shutil.copytree(data_dir / "backups" / "2026-11-21", legacy)
    (legacy / backups_module.STAMP).unlink()
    assert backup_names(data_dir)[0] == "2026-11-21"


# ---------------------------------------------------------------------- a backup that cannot be taken


def test_a_backup_that_cannot_be_taken_is_said_once_a_day(data_dir: Path) -> None:
    seed_two_days(data_dir)
    shutil.rmtree(data_dir / "backups")
    (data_dir / "backups").write_text("not a folder")
    day3 = pendulum.datetime(2026, 11, 22, 9, tz="Europe/Berlin")
    first = cli_at(day3, data_dir, "water")
    assert first.returncode == 0, first.stderr
    assert "today's backup could not be taken" in first.stderr and "is a file, not a folder" in first.stderr
    second = cli_at(day3.add(hours=2), data_dir, "water")
    assert second.returncode == 0 and second.stderr == ""
    next_day = cli_at(day3.add(days=1), data_dir, "water")
    assert "today's backup could not be taken" in next_day.stderr


@pytest.mark.slow
def test_a_backups_folder_that_is_not_writable_is_said(data_dir: Path) -> None:
    """A real chmod 500 (as root the child drops the capabilities that bypass it)."""
    seed_two_days(data_dir)
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: chmod cannot stop root")
        caps = "-dac_override,-dac_read_search,-fowner"
        prefix = ("setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}")
    os.chmod(data_dir / "backups", 0o500)
    try:
        result = cli_at(
            pendulum.datetime(2026, 11, 22, 9, tz="Europe/Berlin"), data_dir, "water", prefix=prefix
        )
    finally:
        os.chmod(data_dir / "backups", 0o700)
    assert result.returncode == 0, result.stderr
    assert "today's backup could not be taken" in result.stderr and "permission denied" in result.stderr


# ---------------------------------------------------------------------- the folder itself


def test_parents_of_a_new_data_folder_are_700_whatever_the_umask(tmp_path: Path) -> None:
    data_dir = tmp_path / "a" / "b" / "data"
    result = cli_at(D1, data_dir, "water", umask=0)  # set in the child (preexec_fn is unsafe beside threads)
    assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "a", tmp_path / "a" / "b", data_dir, data_dir / "days"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder


def test_a_symlinked_companion_json_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    seed_two_days(data_dir)
    synced = tmp_path / "synced"
    synced.mkdir()
    target = synced / "companion.json"
    shutil.move(data_dir / "companion.json", target)
    (data_dir / "companion.json").symlink_to(target)
    result = cli_at(D2, data_dir, "session", "add", "--at", "2026-11-21T08:00")
    assert result.returncode == 0, result.stderr
    assert (data_dir / "companion.json").is_symlink()
    assert result.stdout.strip() in target.read_text()
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_days_folder_that_is_a_file_is_said(data_dir: Path) -> None:
    seed_two_days(data_dir)
    before = snapshot(data_dir)
    shutil.rmtree(data_dir / "days")
    (data_dir / "days").write_text("in the way")
    shown = cli_at(D2, data_dir, "history", "--days", "3")
    assert shown.returncode == 0
    assert f"{data_dir / 'days'} is a file, not a folder" in shown.stderr
    saved = cli_at(D2, data_dir, "water")
    assert saved.returncode == 1 and "a file of that name is in the way" in saved.stderr
    assert before  # the seed existed: the history above is empty because of the file, and says so


def test_files_in_days_named_like_no_real_month_are_ignored(data_dir: Path) -> None:
    """A hostile or stray file: '2026-13' used to break the date arithmetic of every history."""
    seed_two_days(data_dir)
    for name in ("2026-13.json", "2026-00.json", "\uff12\uff10\uff12\uff16-10.json"):
        (data_dir / "days" / name).write_text("{}")
    shown = cli_at(D2, data_dir, "export", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert len(json.loads(shown.stdout)["checkins"]) == 50
