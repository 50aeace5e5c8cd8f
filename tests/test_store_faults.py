"""Fault tests that really do it: SIGKILLed writers, crashes between write steps,
concurrent processes, damaged files, a full disk and a read-only folder."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pendulum
import pytest
from tinydb import TinyDB

from companion.core.checkins import CheckIn
from companion.core.ids import new_id
from companion.core.sessions import Session
from companion.store import Store, StoreError, atomic_storage
from companion.store.atomic_storage import CRASH_ENV
from tests.conftest import moved_to
from tests.helpers_store import HERE, assert_all_parse, child_env, snapshot, temp_files
from tests.seeding import seed_history as seed

CHILD = [sys.executable, str(HERE)]


# This process's clock stands where the children's clocks start (tests/launch.py).
pytestmark = pytest.mark.usefixtures("clock_at_test_now")


def today() -> dt.date:
    return pendulum.now().date()


def tick(store: Store, n: int = 1) -> int:
    return store.update_hydration(today(), lambda h: h.add(n)).glasses


def read_everything(store: Store) -> None:
    store.sessions()
    store.settings()
    store.all_days()


def damaged_files(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob("*") if ".damaged-" in p.name]


@pytest.fixture
def year_store(berlin: str, data_dir: Path) -> Store:
    """About 14 months of daily history ending yesterday, today's backup taken."""
    store = Store(data_dir)
    seed(store, today() - dt.timedelta(days=425), 425)
    tick(store, 2)  # today's first write: the daily backup exists from here on
    return store


# ---------------------------------------------------------------------- kill -9


KILLS_MID_WRITE = 25
"""Kills that must land after a child began a write and before it acknowledged it."""
ACKNOWLEDGED = 25
"""Acknowledged ticks, and acknowledged check-ins, that must then be found whole."""
KILL_LOOP_CEILING = 300.0
"""Seconds: a wall-clock ceiling far above what the loop needs (a few seconds), even loaded."""


@dataclass
class KillLoop:
    """What the kill loop saw: acknowledged writes, and the writes a kill interrupted."""

    ticks: dict[str, int] = field(default_factory=dict)
    checkins: dict[str, str] = field(default_factory=dict)
    interrupted_ticks: list[str] = field(default_factory=list)
    interrupted_checkins: dict[str, str] = field(default_factory=dict)
    kills: int = 0
    caught_in_the_file_write: int = 0
    """Kills after which a writer's temporary file was left: they landed inside the atomic write."""

    def enough(self) -> bool:
        mid_write = len(self.interrupted_ticks) + len(self.interrupted_checkins)
        return min(len(self.ticks), len(self.checkins)) >= ACKNOWLEDGED and mid_write >= KILLS_MID_WRITE

    def __str__(self) -> str:
        return (
            f"{self.kills} kills, {len(self.interrupted_ticks)} + {len(self.interrupted_checkins)} of them "
            f"mid-write ({self.caught_in_the_file_write} inside the file write), "
            f"{len(self.ticks)} ticks and {len(self.checkins)} check-ins acknowledged"
        )


def kill_one_writer(data_dir: Path, first_day: dt.date, index: int, target: int, seen: KillLoop) -> int:
    """Start a writer on day `first_day + index`, let it go write by write, and SIGKILL it the
    moment it announces its `target`-th write. Returns the index of the next unused day."""
    proc = subprocess.Popen(
        [*CHILD, "mixed", str(data_dir), first_day.isoformat(), str(index)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    assert proc.stdin is not None and proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    begun = 0
    last_day = first_day + dt.timedelta(days=index)
    while True:
        line = proc.stdout.readline()
        assert line, f"the writer stopped by itself (exit {proc.wait()})"
        kind, *rest = line.split()
        if kind == "begin":
            begun += 1
            last_day = dt.date.fromisoformat(rest[1])
            if begun == target:
                proc.send_signal(signal.SIGKILL)  # at once: the write is under way
                in_flight = rest
                break
        else:
            _acknowledged(seen, kind, rest)
            proc.stdin.write("next\n")
            proc.stdin.flush()
    after = proc.stdout.read().split("\n")
    assert proc.wait() == -signal.SIGKILL
    seen.kills += 1
    if temp_files(data_dir) or list(data_dir.rglob(".*partial*")):
        seen.caught_in_the_file_write += 1
    acknowledged = [line.split() for line in after if line]
    for line in acknowledged:
        _acknowledged(seen, line[0], line[1:])
    if not acknowledged:  # killed after the write began and before it was acknowledged
        if in_flight[0] == "tick":
            seen.interrupted_ticks.append(in_flight[1])
        else:
            seen.interrupted_checkins[in_flight[1]] = in_flight[2]
    # The next writer starts the day after the one in flight, which stays as the kill left it.
    return (last_day - first_day).days + 1


def _acknowledged(seen: KillLoop, kind: str, rest: list[str]) -> None:
    if kind == "tick":
        seen.ticks[rest[0]] = int(rest[1])
    elif kind == "checkin":
        seen.checkins[rest[0]] = rest[1]
    else:
        raise AssertionError(f"the writer said {kind} {rest}")


@pytest.mark.slow
def test_sigkill_in_a_loop_never_loses_an_acknowledged_write(year_store: Store, data_dir: Path) -> None:
    """Writers are killed until enough kills landed mid-write and enough writes were acknowledged.

    Each writer announces a write before it starts it and acknowledges it once the store
    returned, then waits for the test before the next one; the test kills it the moment it
    announces the write chosen for it. A kill counts as mid-write when no acknowledgement
    of that write came: it landed inside the store's write (or in the instant between the
    write's return and its acknowledgement). A kill that still left a writer's temporary
    file is counted too, as proof that kills land inside the file write itself. The number
    of kills, not their timing, decides when the loop ends; a wall-clock ceiling fails it.
    """
    rng = random.Random(20261122)
    first_day = today() - dt.timedelta(days=400)
    # Start without today's backup so the first kill lands in the middle of taking it.
    shutil.rmtree(data_dir / "backups")
    seeded_glasses = {h.date.isoformat(): h.glasses for h in year_store.all_days().hydration}
    seeded_checkins = {c.date.isoformat(): c.id for c in year_store.all_days().checkins}
    seen = KillLoop()
    index, target = 0, 1
    deadline = time.monotonic() + KILL_LOOP_CEILING
    while not seen.enough():
        assert time.monotonic() < deadline, f"after {KILL_LOOP_CEILING:g} s, only {seen}"
        assert index < 395, f"the seeded days ran out, with only {seen}"
        index = kill_one_writer(data_dir, first_day, index, target, seen)
        target = rng.randint(1, 8)

    store = Store(data_dir)
    read_everything(store)
    assert store.take_notices() == []
    assert damaged_files(data_dir) == []
    assert_all_parse(data_dir)
    for day, glasses in seen.ticks.items():
        assert glasses == seeded_glasses.get(day, 0) + 1
        assert store.hydration_day(dt.date.fromisoformat(day)).glasses == glasses
    for day, checkin_id in seen.checkins.items():
        assert store.checkin_for(dt.date.fromisoformat(day)).id == checkin_id
    # an interrupted write is there entirely or not at all
    for day in seen.interrupted_ticks:
        before = seeded_glasses.get(day, 0)
        assert store.hydration_day(dt.date.fromisoformat(day)).glasses in (before, before + 1)
    for day, checkin_id in seen.interrupted_checkins.items():
        assert store.checkin_for(dt.date.fromisoformat(day)).id in (seeded_checkins[day], checkin_id)
    assert len(store.sessions()) == len(year_store.sessions())
    # the next write cleans up after the killed writers and still works
    before = store.hydration_day(today()).glasses
    assert tick(store) == before + 1
    assert temp_files(data_dir) == []
    assert not list((data_dir / "backups").glob(".*partial*"))
    assert (data_dir / "backups" / today().isoformat()).is_dir()


# ---------------------------------------------------------------------- crash between steps


@pytest.mark.slow
@pytest.mark.parametrize(
    ("step", "new_state"),
    [("after-temp-write", False), ("after-fsync", False), ("after-replace", True)],
)
def test_a_crash_between_write_steps_leaves_old_or_new_entirely(
    year_store: Store, data_dir: Path, step: str, new_state: bool
) -> None:
    month = data_dir / "days" / f"{today():%Y-%m}.json"
    meta = data_dir / "companion.json"
    old_month, old_meta = month.read_bytes(), meta.read_bytes()
    sessions_before = len(year_store.sessions())

    for mode, path, old in (("tick", month, old_month), ("session", meta, old_meta)):
        args = [*CHILD, mode, str(data_dir)] + (["1"] if mode == "tick" else [])
        proc = subprocess.run(args, capture_output=True, text=True, env=child_env(**{CRASH_ENV: step}))
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        assert proc.stdout == ""  # it died before acknowledging
        if new_state:
            assert path.read_bytes() != old
        else:
            assert path.read_bytes() == old
        json.loads(path.read_bytes())
        # a killed writer may leave its temporary file (the next writer under the lock
        # removes it: the session child cleaned up the tick child's)
        leftovers = [p.name for p in temp_files(data_dir)]
        if new_state:
            assert leftovers == []
        else:
            assert len(leftovers) == 1 and leftovers[0].startswith(f".{path.name}.")

    store = Store(data_dir)
    read_everything(store)
    assert store.take_notices() == []
    assert store.hydration_day(today()).glasses == (3 if new_state else 2)
    assert len(store.sessions()) == sessions_before + (1 if new_state else 0)
    assert month.name in [p.name for p in (data_dir / "days").iterdir()]
    assert store.month_keys() == sorted(store.month_keys())  # temp files are not months
    # the next write removes a killed writer's temporary files
    tick(store)
    assert temp_files(data_dir) == []
    assert Store(data_dir).hydration_day(today()).glasses == (4 if new_state else 3)
    assert_all_parse(data_dir)


@pytest.mark.slow
def test_a_crash_while_taking_the_daily_backup(year_store: Store, data_dir: Path) -> None:
    shutil.rmtree(data_dir / "backups")
    proc = subprocess.run(
        [*CHILD, "tick", str(data_dir), "1"], env=child_env(**{CRASH_ENV: "backup-before-rename"})
    )
    assert proc.returncode == -signal.SIGKILL
    assert not (data_dir / "backups" / today().isoformat()).exists()  # whole or absent
    assert list((data_dir / "backups").glob(".*partial-*"))  # the dead writer's staging
    store = Store(data_dir)
    assert store.hydration_day(today()).glasses == 2
    assert tick(store) == 3
    assert (data_dir / "backups" / today().isoformat()).is_dir()
    assert not list((data_dir / "backups").glob(".*partial-*"))
    assert_all_parse(data_dir)


@pytest.mark.slow
def test_a_crash_in_the_middle_of_a_repair_loses_nothing(year_store: Store, data_dir: Path) -> None:
    """Killed when the damaged file has its second name and the replacement is flushed but not
    yet in place: the damaged file is still where it was (never missing), its bytes are kept,
    and the next run repairs it as if nothing had happened."""
    month = data_dir / "days" / f"{today():%Y-%m}.json"
    damaged = b"\x00\xff garbage \x13" * 10
    month.write_bytes(damaged)
    proc = subprocess.run(
        [*CHILD, "tick", str(data_dir), "1"],
        capture_output=True,
        text=True,
        env=child_env(**{CRASH_ENV: "repair-before-replace"}),
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr  # it died inside the repair
    assert proc.stdout == ""
    assert month.read_bytes() == damaged
    (kept,) = damaged_files(data_dir)
    assert kept.read_bytes() == damaged
    assert len(temp_files(data_dir)) == 1  # the replacement that never took its place

    store = Store(data_dir)
    glasses = store.hydration_day(today()).glasses
    (notice,) = store.take_notices()
    assert f"backup from {today().isoformat()} was restored" in notice
    copy = data_dir / "backups" / today().isoformat() / "days" / month.name
    assert month.read_bytes() == copy.read_bytes()
    assert all(p.read_bytes() == damaged for p in damaged_files(data_dir))
    assert tick(store) == glasses + 1
    assert temp_files(data_dir) == []
    assert Store(data_dir).take_notices() == []
    assert_all_parse(data_dir)


# ---------------------------------------------------------------------- two processes


@pytest.mark.slow
def test_two_processes_ticking_25_times_each_store_50(berlin: str, data_dir: Path) -> None:
    seed(Store(data_dir), today() - dt.timedelta(days=60), 60)
    procs = [
        subprocess.Popen(
            [*CHILD, "tick", str(data_dir), "25", "--wait"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        for _ in range(2)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    for proc in procs:  # both are running: start them together
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [proc.communicate(timeout=120)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0]
    acked = sorted(int(line.split()[1]) for out in outputs for line in out.splitlines())
    assert acked == list(range(1, 51))  # every tick saw the other's ticks
    assert Store(data_dir).hydration_day(today()).glasses == 50


# ---------------------------------------------------------------------- damage


DAMAGE = {
    "zero-length": lambda raw: b"",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "garbage": lambda raw: b"\x00\xff garbage \x13" * 10,
    "not-a-table": lambda raw: b"[1, 2, 3]",
}


def test_stock_tinydb_would_read_a_zero_length_file_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    path.write_bytes(b"")
    assert TinyDB(path).tables() == set()  # the trap our storage must not fall into
    with pytest.raises(atomic_storage.DamagedFileError):
        atomic_storage.AtomicJSONStorage(path).read()


@pytest.mark.parametrize("kind", sorted(DAMAGE))
@pytest.mark.parametrize("which", ["month", "meta"])
def test_damage_is_moved_aside_and_the_backup_restored(
    berlin: str, data_dir: Path, kind: str, which: str
) -> None:
    with moved_to(pendulum.datetime(2026, 11, 20, 9, tz="Europe/Berlin")):
        store = Store(data_dir)
        seed(store, dt.date(2026, 10, 1), 50)
        store.save_checkin(CheckIn(new_id(), dt.date(2026, 11, 20), pendulum.now(), 2, 2))
    with moved_to(pendulum.datetime(2026, 11, 21, 9, tz="Europe/Berlin")):
        store = Store(data_dir)
        store.update_hydration(dt.date(2026, 11, 21), lambda h: h.add(1))  # backup of the 20th's state
        store.update_hydration(dt.date(2026, 11, 21), lambda h: h.add(1))  # after the backup
        path = data_dir / ("companion.json" if which == "meta" else "days/2026-11.json")
        raw = path.read_bytes()
        path.write_bytes(DAMAGE[kind](raw))
        damaged_bytes = path.read_bytes()

        store = Store(data_dir)
        sessions = store.sessions()
        day = store.hydration_day(dt.date(2026, 11, 21))
        notices = store.take_notices()
    assert len(notices) == 1
    notice = notices[0]
    aside = damaged_files(data_dir)
    assert len(aside) == 1 and aside[0].parent == path.parent
    assert aside[0].name.startswith(f"{path.name}.damaged-20261121T")
    assert aside[0].read_bytes() == damaged_bytes  # kept as it was, for a look later
    assert "\n" not in notice
    assert "damaged" in notice and str(aside[0]) in notice
    assert "backup from 2026-11-21 was restored" in notice
    if kind == "zero-length":
        assert "empty" in notice
    json.loads(path.read_bytes())
    if which == "meta":
        assert len(sessions) == 4  # restored
    else:
        assert day.glasses == 0  # the backup predates today's ticks: said in the notice
        assert Store(data_dir).checkin_for(dt.date(2026, 11, 20)) is not None
        assert "changes made after that are missing" in notice
    assert Store(data_dir).take_notices() == []  # repaired once, not every time


def test_a_file_created_after_the_days_backup_joins_it_and_can_be_restored_that_day(
    berlin: str, data_dir: Path
) -> None:
    with moved_to(pendulum.datetime(2026, 11, 21, 9, tz="Europe/Berlin")):
        store = Store(data_dir)
        seed(store, dt.date(2026, 10, 1), 40)
        store.update_hydration(dt.date(2026, 11, 21), lambda h: h.add(1))
        backup = data_dir / "backups" / "2026-11-21"
        copy = backup / "days" / "2026-09.json"
        assert not copy.exists()
        # a back-dated check-in creates the September file after the day's backup
        store.save_checkin(CheckIn(new_id(), dt.date(2026, 9, 30), pendulum.now(), 3, 2))
        assert copy.is_file() and copy.stat().st_mode & 0o777 == 0o600
        first_copy = copy.read_bytes()
        store.save_checkin(CheckIn(new_id(), dt.date(2026, 9, 29), pendulum.now(), 4, 2))
        assert copy.read_bytes() == first_copy  # a backup copy is never changed in place
        assert not list(backup.rglob("*partial*"))
        path = data_dir / "days" / "2026-09.json"
        path.write_bytes(path.read_bytes()[:25])  # torn the same day
        store = Store(data_dir)
        restored = store.checkin_for(dt.date(2026, 9, 30))
        (notice,) = store.take_notices()
    assert restored is not None and restored.soreness == 3
    assert Store(data_dir).checkin_for(dt.date(2026, 9, 29)) is None  # made after the copy
    assert "backup from 2026-11-21 was restored" in notice and "changes made after that are missing" in notice


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damage_without_a_backup_starts_empty_and_says_so(berlin: str, data_dir: Path, kind: str) -> None:
    store = Store(data_dir)
    seed(store, dt.date(2026, 10, 1), 20)
    shutil.rmtree(data_dir / "backups")  # say the backups were deleted
    path = data_dir / "days" / "2026-10.json"
    path.write_bytes(DAMAGE[kind](path.read_bytes()))
    store = Store(data_dir)
    assert store.checkin_for(dt.date(2026, 10, 5)) is None
    notices = store.take_notices()
    assert len(notices) == 1
    assert "no backup" in notices[0] and "starts empty" in notices[0]
    assert str(damaged_files(data_dir)[0]) in notices[0]
    assert path.read_bytes() == b"{}"  # an empty file replaces it: it is never missing
    assert len(store.sessions()) == 2  # the other files are untouched
    store.save_checkin(CheckIn(new_id(), dt.date(2026, 10, 5), pendulum.now(), 1, 1))
    assert Store(data_dir).checkin_for(dt.date(2026, 10, 5)) is not None


def test_an_unreadable_file_is_an_error_not_damage(
    berlin: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(Store(data_dir), dt.date(2026, 10, 1), 20)
    path = data_dir / "days" / "2026-10.json"
    before = snapshot(data_dir)
    real_open = open

    def refusing_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(file) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(atomic_storage, "open", refusing_open, raising=False)
    store = Store(data_dir)
    with pytest.raises(StoreError) as caught:
        store.checkin_for(dt.date(2026, 10, 5))
    assert str(path) in str(caught.value) and "permission denied" in str(caught.value)
    assert "Nothing was moved or restored" in str(caught.value)
    monkeypatch.undo()
    assert snapshot(data_dir) == before  # nothing moved aside, nothing restored
    assert damaged_files(data_dir) == []


def test_two_instances_finding_the_same_damage_move_it_aside_once(berlin: str, data_dir: Path) -> None:
    seed(Store(data_dir), dt.date(2026, 10, 1), 20)
    shutil.rmtree(data_dir / "backups")  # no copy to fall back on: the file starts empty
    a, b = Store(data_dir), Store(data_dir)
    a.sessions(), b.sessions()
    path = data_dir / "days" / "2026-10.json"
    path.write_bytes(b"")
    assert a.checkin_for(dt.date(2026, 10, 5)) is None
    a.save_checkin(CheckIn(new_id(), dt.date(2026, 10, 5), pendulum.now(), 1, 1))
    # b's repair hook sees a file that is fine by now and leaves it alone
    damage = atomic_storage.DamagedFileError(path, "the file is empty")
    assert b.repair(damage).data["checkins"]
    assert len(damaged_files(data_dir)) == 1
    assert b.checkin_for(dt.date(2026, 10, 5)) is not None


# ---------------------------------------------------------------------- full disk, read-only


def _prepared(data_dir: Path) -> tuple[Store, dict[str, bytes]]:
    store = Store(data_dir)
    seed(store, today() - dt.timedelta(days=40), 40)
    tick(store, 3)
    return Store(data_dir), snapshot(data_dir)


def _assert_nothing_changed(store: Store, data_dir: Path, before: dict[str, bytes]) -> None:
    assert snapshot(data_dir) == before
    assert temp_files(data_dir) == []
    assert not list(data_dir.rglob("*partial*"))
    assert store.hydration_day(today()).glasses == 3  # the failed change is not in memory either
    assert Store(data_dir).hydration_day(today()).glasses == 3


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_a_full_disk_is_a_clear_error_and_changes_nothing(
    berlin: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    store, before = _prepared(data_dir)
    shutil.rmtree(data_dir / "backups")  # so the daily backup runs into the full disk too
    before = snapshot(data_dir)
    real = getattr(os, call)

    def full(fd: int, *args):  # type: ignore[no-untyped-def]
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(data_dir)):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, *args)

    monkeypatch.setattr(atomic_storage.os, call, full)
    for action in (
        lambda: tick(store),
        lambda: store.save_checkin(CheckIn(new_id(), today(), pendulum.now(), 1, 1)),
        lambda: store.update_settings(theme="light"),
    ):
        with pytest.raises(StoreError) as caught:
            action()
        message = str(caught.value)
        assert "the disk is full" in message and "Nothing was changed" in message
        assert "\n" not in message
    monkeypatch.undo()
    _assert_nothing_changed(store, data_dir, {k: v for k, v in before.items() if "backups" not in k})


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        (OSError(errno.EROFS, "Read-only file system"), "read-only"),
    ],
)
def test_a_read_only_folder_is_a_clear_error_and_changes_nothing(
    berlin: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, words: str
) -> None:
    # As root chmod does not stop writes, so the refusal is simulated where the
    # temporary file is created; the real chmod version runs below.
    store, before = _prepared(data_dir)

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise error

    monkeypatch.setattr(atomic_storage.tempfile, "mkstemp", refuse)
    with pytest.raises(StoreError) as caught:
        tick(store)
    assert words in str(caught.value) and "Nothing was changed" in str(caught.value)
    with pytest.raises(StoreError, match=words):
        store.add_session(Session(new_id(), pendulum.now().subtract(hours=1)))
    monkeypatch.undo()
    _assert_nothing_changed(store, data_dir, before)


READ_ONLY_CHILD = """
import sys
from pathlib import Path
import pendulum
sys.path.insert(0, sys.argv[2])
from launch import travel_from_env  # the clock at the tests' moment
travel_from_env()
from companion.store import Store, StoreError
store = Store(Path(sys.argv[1]))
try:
    store.update_hydration(pendulum.now().date(), lambda h: h.add(1))
except StoreError as exc:
    print("StoreError:", exc)
    sys.exit(1)
print("saved")
"""


@pytest.mark.slow
def test_a_really_read_only_folder(berlin: str, data_dir: Path) -> None:
    """chmod 500 on the data folder and its days folder, for a writer chmod really stops."""
    _, before = _prepared(data_dir)
    command = [sys.executable, "-c", READ_ONLY_CHILD, str(data_dir), str(HERE.parent)]
    if os.geteuid() == 0:
        # root passes permission checks through capabilities: the child drops them
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: chmod cannot stop root")
        caps = "-dac_override,-dac_read_search,-fowner"
        command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
        probe = subprocess.run([*command[:3], "true"], capture_output=True, timeout=60)
        if probe.returncode != 0:
            pytest.skip(f"cannot drop root's capabilities here: {probe.stderr[-200:]!r}")
    os.chmod(data_dir / "days", 0o500)
    os.chmod(data_dir, 0o500)
    try:
        proc = subprocess.run(command, capture_output=True, text=True, env=child_env(), timeout=60)
    finally:
        os.chmod(data_dir, 0o700)
        os.chmod(data_dir / "days", 0o700)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout.startswith("StoreError:") and "Nothing was changed" in proc.stdout
    assert "permission denied" in proc.stdout
    assert proc.stdout.count("\n") == 1 and "Traceback" not in proc.stderr
    assert snapshot(data_dir) == before
    assert temp_files(data_dir) == []


def test_a_folder_fsync_the_file_system_does_not_support_is_not_a_failed_save(
    berlin: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = _prepared(data_dir)
    real = os.fsync

    def no_dir_fsync(fd: int) -> None:
        if os.path.isdir(os.readlink(f"/proc/self/fd/{fd}")):
            raise OSError(errno.EINVAL, "Invalid argument")
        real(fd)

    monkeypatch.setattr(atomic_storage.os, "fsync", no_dir_fsync)
    assert tick(store) == 4
    monkeypatch.undo()
    assert Store(data_dir).hydration_day(today()).glasses == 4
