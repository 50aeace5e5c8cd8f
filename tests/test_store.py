"""The store's everyday promises: modes, daily backups, reads from memory, schema, locking."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import threading
from pathlib import Path

import pendulum
import pytest

from companion.core.checkins import CheckIn
from companion.core.ids import new_id
from companion.core.sessions import Session
from companion.store import Store, StoreError, atomic_storage
from companion.store import store as store_module
from companion.store.backups import KEEP_BACKUPS
from tests.conftest import moved_to
from tests.helpers_store import assert_all_parse, store_files
from tests.seeding import seed_history as seed

# Every test runs with the clock frozen at a fixed moment (moved on where a test says so).
pytestmark = pytest.mark.usefixtures("clock_at_test_now")

BERLIN = "Europe/Berlin"


def at(year: int, month: int, day: int, hour: int = 10) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, tz=BERLIN)


def tick(store: Store, n: int = 1) -> int:
    return store.update_hydration(pendulum.now().date(), lambda h: h.add(n)).glasses


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------------- basics


def test_round_trip_of_every_kind_of_record(berlin: str, data_dir: Path) -> None:
    with moved_to(at(2026, 11, 22)):
        store = Store(data_dir)
        records = seed(store, dt.date(2026, 10, 1), 50)
        other = Store(data_dir)
        assert [s.id for s in other.sessions()] == [s.id for s in records.sessions]
        got = other.all_days()
        assert {c.id for c in got.checkins} == {c.id for c in records.checkins}
        assert {(h.date, h.glasses) for h in got.hydration} == {
            (h.date, h.glasses) for h in records.hydration
        }
        assert other.first_day() == dt.date(2026, 10, 1)
        assert other.latest_checkin().date == dt.date(2026, 11, 19)
        assert other.latest_checkin(before=dt.date(2026, 11, 1)).date == dt.date(2026, 10, 31)
        assert other.schema_version() == store_module.SCHEMA_VERSION
        assert other.take_notices() == []


def test_importing_twice_adds_nothing(berlin: str, data_dir: Path) -> None:
    store = Store(data_dir)
    records = seed(store, dt.date(2025, 1, 1), 40)
    before = {p: p.read_bytes() for p in store_files(data_dir) if "backups" not in p.parts}
    counts = store.apply_import(records)
    assert counts.total == 0
    after = {p: p.read_bytes() for p in store_files(data_dir) if "backups" not in p.parts}
    assert before == after


def test_one_file_per_month_and_a_tick_rewrites_only_its_month(berlin: str, data_dir: Path) -> None:
    with moved_to(at(2026, 11, 22)):
        store = Store(data_dir)
        seed(store, dt.date(2025, 11, 1), 380)
        assert len(store.month_keys()) == 13
        tick(store)  # today's backup now exists
        before = {p: p.stat().st_mtime_ns for p in (data_dir / "days").iterdir()}
        tick(store)
        changed = [p.name for p in (data_dir / "days").iterdir() if p.stat().st_mtime_ns != before[p]]
        assert changed == ["2026-11.json"]


# ---------------------------------------------------------------------- modes


def test_folder_700_and_every_file_600_including_backups(berlin: str, tmp_path: Path) -> None:
    old_umask = os.umask(0)  # a careless umask must not leak into the modes
    try:
        data_dir = tmp_path / "data"
        data_dir.mkdir(mode=0o755)
        os.chmod(data_dir, 0o755)
        with moved_to(at(2026, 11, 20)):
            store = Store(data_dir)
            seed(store, dt.date(2026, 9, 1), 60)
            tick(store)
        with moved_to(at(2026, 11, 21)):
            store = Store(data_dir)
            tick(store)
            store.add_session(Session(new_id(), pendulum.now().subtract(hours=1)))
    finally:
        os.umask(old_umask)
    assert (data_dir / "backups" / "2026-11-21").is_dir()
    folders = [data_dir, *(p for p in data_dir.rglob("*") if p.is_dir())]
    files = store_files(data_dir)
    assert {p.name for p in files} >= {"companion.json", "2026-11.json", ".lock"}
    assert any("backups" in p.parts for p in files)
    assert {str(p): oct(mode(p)) for p in folders} == {str(p): "0o700" for p in folders}
    assert {str(p): oct(mode(p)) for p in files} == {str(p): "0o600" for p in files}


def test_a_read_only_folder_is_not_made_writable_again(data_dir: Path) -> None:
    data_dir.mkdir()
    os.chmod(data_dir, 0o555)
    try:
        Store(data_dir)
        assert mode(data_dir) == 0o500  # group/other taken away, owner's choice kept
    finally:
        os.chmod(data_dir, 0o700)


# ---------------------------------------------------------------------- backups


def test_first_write_of_a_day_backs_up_and_only_seven_are_kept(berlin: str, data_dir: Path) -> None:
    states: dict[str, int] = {}
    for offset in range(10):
        day = dt.date(2026, 11, 1) + dt.timedelta(days=offset)
        with moved_to(at(day.year, day.month, day.day)):
            store = Store(data_dir)
            if offset == 0:
                seed(store, dt.date(2026, 10, 1), 31)
                # the files that write created are in the day's backup at once
                first = data_dir / "backups" / "2026-11-01"
                assert sorted(p.name for p in (first / "days").iterdir()) == ["2026-10.json"]
                assert (first / "companion.json").is_file()
            states[day.isoformat()] = store.hydration_day(dt.date(2026, 11, 1)).glasses
            for _ in range(3):  # only the first write of the day backs up
                store.update_hydration(dt.date(2026, 11, 1), lambda h: h.add(1))
    folders = sorted(p.name for p in (data_dir / "backups").iterdir())
    assert len(folders) == KEEP_BACKUPS == 7
    assert folders == [f"2026-11-{d:02d}" for d in range(4, 11)]
    for name in folders:
        backup = data_dir / "backups" / name
        assert sorted(p.name for p in (backup / "days").iterdir()) == ["2026-10.json", "2026-11.json"]
        assert (backup / "companion.json").is_file()
        # the backup holds the state from before that day's first write
        month = json.loads((backup / "days" / "2026-11.json").read_bytes())
        assert month["hydration"]["20261101"]["glasses"] == states[name]
    assert_all_parse(data_dir)


def test_a_damaged_file_is_not_copied_into_the_backup(berlin: str, data_dir: Path) -> None:
    with moved_to(at(2026, 11, 1)):
        store = Store(data_dir)
        seed(store, dt.date(2026, 9, 1), 45)
    (data_dir / "days" / "2026-09.json").write_bytes(b'{"checkins": {"2026')
    with moved_to(at(2026, 11, 2)):
        Store(data_dir).update_hydration(dt.date(2026, 11, 2), lambda h: h.add(1))
    backup = data_dir / "backups" / "2026-11-02"
    assert (backup / "days" / "2026-10.json").is_file()
    assert not (backup / "days" / "2026-09.json").exists()


# ---------------------------------------------------------------------- reads from memory


def test_reads_come_from_memory_until_another_process_writes(
    berlin: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with moved_to(at(2026, 11, 22)):
        seeded = seed(Store(data_dir), dt.date(2026, 10, 1), 50)
        parsed: list[Path] = []
        real = atomic_storage.read_with_identity

        def counting(path: Path):  # type: ignore[no-untyped-def]
            parsed.append(path)
            return real(path)

        monkeypatch.setattr(atomic_storage, "read_with_identity", counting)
        reader = Store(data_dir)
        day = dt.date(2026, 11, 3)
        assert reader.hydration_day(day).glasses == seeded.hydration[33].glasses
        first = len(parsed)
        assert first >= 1
        for _ in range(20):
            reader.hydration_day(day)
            reader.checkin_for(day)
            reader.settings()
        assert len(parsed) == first  # no file was read or parsed again
        revision = reader.revision()

        writer = Store(data_dir)  # stands in for another process
        writer.update_hydration(day, lambda h: h.add(5))
        del parsed[first:]  # the writer's own reads
        assert reader.revision() != revision
        assert reader.hydration_day(day).glasses == seeded.hydration[33].glasses + 5
        assert [p.name for p in parsed[first:]] == ["2026-11.json"]  # only the changed file
        reader.hydration_day(day)
        assert len(parsed) == first + 1


def test_every_read_modify_write_sees_the_other_writers_update(berlin: str, data_dir: Path) -> None:
    a, b = Store(data_dir), Store(data_dir)
    for _ in range(10):
        tick(a)
        tick(b)
    assert Store(data_dir).hydration_day(pendulum.now().date()).glasses == 20


def test_sessions_added_alternately_by_two_instances_do_not_collide(berlin: str, data_dir: Path) -> None:
    # TinyDB tables remember their next document id; a stale one used to make the
    # third insert fail with "Document with ID 2 already exists".
    a, b = Store(data_dir), Store(data_dir)
    ids = []
    for store in (a, b, a, b, a):
        session = Session(new_id(), pendulum.now().subtract(hours=len(ids) + 1))
        store.add_session(session)
        ids.append(session.id)
    assert sorted(s.id for s in Store(data_dir).sessions()) == sorted(ids)
    assert a.remove_session(ids[1])
    b.add_session(Session(new_id(), pendulum.now().subtract(hours=9)))
    assert len(Store(data_dir).sessions()) == 5


def test_threads_of_one_process_take_turns(berlin: str, data_dir: Path) -> None:
    store = Store(data_dir)
    tick(store, 0)

    def worker() -> None:
        for _ in range(25):
            tick(store)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Store(data_dir).hydration_day(pendulum.now().date()).glasses == 50


def test_a_checkin_for_the_same_day_replaces_the_first(berlin: str, data_dir: Path) -> None:
    store = Store(data_dir)
    day = dt.date(2026, 11, 22)
    for soreness in (3, 5):
        store.save_checkin(CheckIn(new_id(), day, at(2026, 11, 22, 20), soreness, 2))
    assert Store(data_dir).checkin_for(day).soreness == 5
    assert len(Store(data_dir).all_days().checkins) == 1


# ---------------------------------------------------------------------- schema


def _write_meta_version(data_dir: Path, version: int) -> None:
    path = data_dir / "companion.json"
    data = json.loads(path.read_bytes())
    data["meta"]["1"]["schema_version"] = version
    path.write_bytes(json.dumps(data).encode())


def test_the_first_write_records_the_schema_version(berlin: str, data_dir: Path) -> None:
    Store(data_dir).save_checkin(CheckIn(new_id(), dt.date(2026, 11, 22), at(2026, 11, 22), 1, 1))
    meta = json.loads((data_dir / "companion.json").read_bytes())
    assert meta["meta"]["1"]["schema_version"] == store_module.SCHEMA_VERSION


def test_a_newer_schema_is_refused_clearly_for_reads_and_writes(berlin: str, data_dir: Path) -> None:
    seed(Store(data_dir), dt.date(2026, 10, 1), 20)
    _write_meta_version(data_dir, store_module.SCHEMA_VERSION + 1)
    before = (data_dir / "days" / "2026-10.json").read_bytes()
    store = Store(data_dir)
    for action in (
        store.settings,
        lambda: store.checkin_for(dt.date(2026, 10, 3)),
        lambda: store.save_checkin(CheckIn(new_id(), dt.date(2026, 10, 3), at(2026, 10, 3), 1, 1)),
        lambda: store.update_hydration(dt.date(2026, 10, 3), lambda h: h.add(1)),
        store.sessions,
    ):
        with pytest.raises(StoreError) as caught:
            action()
        message = str(caught.value)
        assert "newer companion" in message and "please update" in message and "\n" not in message
    assert (data_dir / "days" / "2026-10.json").read_bytes() == before


def test_an_older_schema_is_migrated_once(
    berlin: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded = seed(Store(data_dir), dt.date(2026, 10, 1), 20)
    old = store_module.SCHEMA_VERSION - 1
    _write_meta_version(data_dir, old)
    calls: list[int] = []

    def migrate(store: Store) -> None:
        calls.append(len(store.sessions()))
        store.update_settings(theme="light")

    monkeypatch.setitem(store_module.MIGRATIONS, old, migrate)
    store = Store(data_dir)
    assert store.hydration_day(dt.date(2026, 10, 2)).glasses == seeded.hydration[1].glasses
    assert calls == [2]
    assert store.schema_version() == store_module.SCHEMA_VERSION
    assert store.settings().theme == "light"
    Store(data_dir).settings()
    Store(data_dir).checkin_for(dt.date(2026, 10, 2))
    assert calls == [2]  # never again


def test_an_older_schema_without_a_migration_is_refused(
    berlin: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(Store(data_dir), dt.date(2026, 10, 1), 5)
    _write_meta_version(data_dir, store_module.SCHEMA_VERSION - 1)
    monkeypatch.delitem(store_module.MIGRATIONS, store_module.SCHEMA_VERSION - 1, raising=False)
    store = Store(data_dir)
    for _ in range(2):  # and again: a failed check is not remembered as passed
        with pytest.raises(StoreError, match="cannot convert"):
            store.settings()


def test_unchanged_files_share_the_previous_backup_never_the_live_file(berlin: str, data_dir: Path) -> None:
    with moved_to(at(2026, 11, 20)):
        store = Store(data_dir)
        seed(store, dt.date(2026, 8, 1), 100)
        tick(store)
    for day in (21, 22):
        with moved_to(at(2026, 11, day)):
            tick(Store(data_dir))
    b21, b22 = data_dir / "backups" / "2026-11-21", data_dir / "backups" / "2026-11-22"
    same = b22 / "days" / "2026-09.json"
    assert same.stat().st_ino == (b21 / "days" / "2026-09.json").stat().st_ino  # shared
    changed = b22 / "days" / "2026-11.json"
    assert changed.stat().st_ino != (b21 / "days" / "2026-11.json").stat().st_ino  # a new copy
    live = {p.stat().st_ino for p in [data_dir / "companion.json", *data_dir.glob("days/*.json")]}
    backed = {p.stat().st_ino for p in (data_dir / "backups").rglob("*.json")}
    assert not live & backed  # damage written into a live file cannot reach a backup
    # pruning one folder leaves the other's copy whole
    shutil.rmtree(b21)
    assert json.loads(same.read_bytes())["checkins"]
    # damage in place to a live file: the backups still hold good copies
    (data_dir / "days" / "2026-09.json").write_bytes(b"")
    store = Store(data_dir)
    assert store.checkin_for(dt.date(2026, 9, 3)) is not None
    assert "was restored" in store.take_notices()[0]


def test_sessions_are_parsed_once_per_version_of_the_file(
    berlin: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(Store(data_dir), dt.date(2026, 1, 1), 140)  # ten sessions
    parsed: list[str] = []
    real = store_module.session_from_record

    def counting(data, where="session"):  # type: ignore[no-untyped-def]
        parsed.append(data["id"])
        return real(data, where)

    monkeypatch.setattr(store_module, "session_from_record", counting)
    reader = Store(data_dir)
    first = reader.sessions()
    assert len(first) == 10 and len(parsed) == 10
    first.clear()  # callers get their own list
    assert len(reader.sessions()) == 10 and len(parsed) == 10
    Store(data_dir).add_session(Session(new_id(), pendulum.now().subtract(hours=1)))
    assert len(reader.sessions()) == 11 and len(parsed) == 21
    reader.add_session(Session(new_id(), pendulum.now().subtract(hours=2)))
    assert len(reader.sessions()) == 12


def test_only_the_months_read_last_stay_parsed_and_the_others_read_and_save_as_before(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading thirty years must not keep 360 month files parsed for the app's life (issue
    14): the store keeps the months read last, and one it let go of is read again from disk,
    saved to and read back as before; an import touching more months than that keeps them all."""
    monkeypatch.setattr(store_module, "MONTHS_KEPT", 3)
    store = Store(data_dir)
    first = dt.date(2025, 1, 1)
    seed(store, first, 420)  # 14 months, in one all-or-nothing import
    last = first + dt.timedelta(days=419)
    everything = store.days_between(first, last)
    assert len(everything.checkins) == 420

    def months_parsed() -> int:
        return sum(path.parent == store.days_dir for path in store._dbs)

    assert months_parsed() <= 3
    old_day = dt.date(2025, 2, 10)  # a month let go of
    assert store.checkin_for(old_day) is not None
    store.save_checkin(CheckIn(new_id(), old_day, pendulum.datetime(2025, 2, 10, 20, tz="UTC"), 9, 1))
    store.days_between(first, last)  # let go of it again
    saved = store.checkin_for(old_day)
    assert saved is not None and saved.soreness == 9
    fresh = Store(data_dir).days_between(first, last)
    assert fresh == store.days_between(first, last)
    assert months_parsed() <= 3
