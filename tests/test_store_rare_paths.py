"""The store's rarer paths, each through what a patient or another process can bring about:
a folder written by this schema's companion, folders that cannot be listed, a folder from
before the manifest, a race met while waiting for the lock, an import whose journal or
one of whose files cannot be written, an import a killed process left that the open app
completes, text that only needs cleaning, the older clinic protocol record, and notices
that name the record they are about."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from companion.core.backup import Backup
from companion.core.checkins import CheckIn
from companion.core.exercises import Exercise
from companion.core.intake import Intake
from companion.core.questions import Question
from companion.core.sessions import Session
from companion.store import Store, StoreError, atomic_storage
from companion.store import journal as journal_module
from companion.store import store as store_module
from tests.helpers_store import snapshot
from tests.seeding import daily_history

D1 = pendulum.datetime(2026, 11, 20, 9, tz="Europe/Berlin")
D2 = pendulum.datetime(2026, 11, 21, 9, tz="Europe/Berlin")
OCTOBER = "days/2026-10.json"


@pytest.fixture(autouse=True)
def _berlin() -> Iterator[None]:
    pendulum.set_local_timezone(pendulum.timezone("Europe/Berlin"))
    with pendulum.travel_to(D2, freeze=True):
        yield
    pendulum.set_local_timezone()


def seed(data_dir: Path) -> Backup:
    """October and November history written on D1 (D1's backup holds both month files)."""
    history = daily_history(dt.date(2026, 10, 1), 50)
    with pendulum.travel_to(D1, freeze=True):
        Store(data_dir).apply_import(history)
    pendulum.travel_to(D2, freeze=True)
    return history


def edit_json(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(path.read_bytes())
    change(data)
    path.write_text(json.dumps(data))


def without_manifest(data_dir: Path) -> None:
    """companion.json as a companion from before the manifest (``months``) left it."""
    edit_json(data_dir / "companion.json", lambda data: data["meta"]["1"].pop("months"))


def live_files(data_dir: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(data_dir).items() if not k.startswith("backups") and k != ".lock"}


class LockMeanwhile:
    """The store's lock, with another process's work done the first time the store waits
    for it with ``with`` (as if that process held the lock and finished meanwhile)."""

    def __init__(self, lock: Any, meanwhile: Callable[[], None]) -> None:
        self._real = lock
        self._meanwhile: Callable[[], None] | None = meanwhile

    def __enter__(self) -> Any:
        if self._meanwhile is not None:
            work, self._meanwhile = self._meanwhile, None
            work()
        return self._real.__enter__()

    def __exit__(self, *exc: object) -> Any:
        return self._real.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


# ---------------------------------------------------------------------- the schema


def test_a_folder_written_at_schema_1_opens_as_it_is_and_stays_at_schema_1(data_dir: Path) -> None:
    """Every patient's folder so far says schema 1: it must open without a migration."""
    data_dir.mkdir(mode=0o700)
    session = Session("s1", pendulum.datetime(2026, 11, 20, 16, 30, tz="Europe/Berlin"))
    written = {"meta": {"1": {"schema_version": 1, "months": []}}, "sessions": {"1": session.to_record()}}
    (data_dir / "companion.json").write_text(json.dumps(written))
    os.chmod(data_dir / "companion.json", 0o600)
    store = Store(data_dir)
    assert [s.id for s in store.sessions()] == ["s1"]
    store.update_settings(theme="light")
    assert json.loads((data_dir / "companion.json").read_bytes())["meta"]["1"]["schema_version"] == 1
    assert Store(data_dir).schema_version() == 1


def test_a_write_after_the_settings_record_was_set_aside_records_the_schema_again(data_dir: Path) -> None:
    """Another process found the settings record unreadable and set it aside; this store,
    open since before, writes the schema version again with its next session or import."""
    seed(data_dir)
    store = Store(data_dir)
    store.add_session(Session("mine-1", D2.subtract(hours=3)))  # this store has written already
    edit_json(data_dir / "companion.json", lambda data: data["meta"]["1"].update(schema_version="x"))
    other = Store(data_dir)
    other.settings()
    assert "the settings record" in other.take_notices()[0]
    assert json.loads((data_dir / "companion.json").read_bytes())["meta"] == {}

    store.add_session(Session("mine-2", D2.subtract(hours=2)))
    assert Store(data_dir).schema_version() == store_module.SCHEMA_VERSION

    edit_json(data_dir / "companion.json", lambda data: data.update(meta={}))  # set aside again
    store.apply_import(Backup([Session("imported", D2.subtract(hours=1))], [], [], []))
    assert Store(data_dir).schema_version() == store_module.SCHEMA_VERSION
    assert {"mine-1", "mine-2", "imported"} <= {s.id for s in Store(data_dir).sessions()}


# ---------------------------------------------------------------------- folders


def test_a_data_folder_whose_name_is_too_long_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"cannot use the data folder .*: File name too long"):
        Store(tmp_path / ("x" * 300))


def test_a_days_folder_that_cannot_be_listed_is_an_error_naming_it(data_dir: Path) -> None:
    """Root cannot be denied a listing: a symbolic link to itself stands for a folder
    that cannot be read."""
    seed(data_dir)
    days = data_dir / "days"
    days.rename(data_dir / "days-elsewhere")
    days.symlink_to("days")  # a loop
    store = Store(data_dir)
    with pytest.raises(StoreError, match=f"cannot read the folder {days}: Too many levels"):
        store.month_keys()
    with pytest.raises(StoreError, match=f"cannot read the folder {days}: Too many levels"):
        store.revision()


def test_group_and_other_access_is_taken_away_whatever_the_owners_own_bits(data_dir: Path) -> None:
    data_dir.mkdir()
    os.chmod(data_dir, 0o675)
    Store(data_dir)
    assert data_dir.stat().st_mode & 0o777 == 0o600


def test_a_notice_is_given_once_however_often_the_store_is_read(data_dir: Path) -> None:
    """The app reads the store again and again: the patient is told once."""
    seed(data_dir)
    (data_dir / "days").rename(data_dir / "days-moved")
    (data_dir / "days").write_text("in the way")
    store = Store(data_dir)
    for _ in range(3):
        assert store.all_days().checkins == []
        assert store.month_keys() == []
    (notice,) = store.take_notices()
    assert "is a file, not a folder" in notice
    store.all_days()
    assert store.take_notices() == []


def test_a_days_folder_that_is_a_file_can_be_read_again_and_again(data_dir: Path) -> None:
    """The open app reads today's month on every poll: the second read of a month under a
    days/ that is a file used to fail ("cannot look at ...: Not a directory")."""
    seed(data_dir)
    (data_dir / "days").rename(data_dir / "days-moved")
    (data_dir / "days").write_text("in the way")
    store = Store(data_dir)
    for _ in range(3):
        assert store.checkin_for(dt.date(2026, 11, 5)) is None
        assert store.hydration_day(dt.date(2026, 11, 5)).glasses == 0
    (data_dir / "days").unlink()
    (data_dir / "days-moved").rename(data_dir / "days")  # moved back: shown again
    assert store.checkin_for(dt.date(2026, 11, 5)) is not None


def test_a_month_another_process_created_and_that_vanished_is_still_listed(data_dir: Path) -> None:
    """The app has read the manifest; the CLI then creates December, whose file is lost:
    the app lists December (and restores it), it does not keep the manifest it read first."""
    seed(data_dir)
    reader = Store(data_dir)
    assert reader.month_keys() == ["2026-10", "2026-11"]
    Store(data_dir).save_checkin(CheckIn("dec", dt.date(2026, 12, 1), D2, 3, 3))
    (data_dir / "days" / "2026-12.json").unlink()
    assert reader.month_keys() == ["2026-10", "2026-11", "2026-12"]
    assert reader.checkin_for(dt.date(2026, 12, 1)) is not None
    assert any("2026-12.json is missing (it existed before)" in n for n in reader.take_notices())


def test_the_lock_wait_can_be_shortened_and_is_kept(data_dir: Path) -> None:
    holder, waiter = Store(data_dir), Store(data_dir)
    waiter.lock_timeout = 0.2
    assert waiter.lock_timeout == 0.2
    with holder.write_lock(), pytest.raises(StoreError, match="busy"):
        waiter.update_settings(theme="light")


# ---------------------------------------------------------------------- a folder from before the manifest


def test_upgrading_a_folder_from_before_the_manifest_with_a_backup_of_companion_json_alone(
    data_dir: Path,
) -> None:
    """The backups say which month files existed: October, lost before the upgrade, comes
    back; a backup folder holding only companion.json (taken before any month file) is fine."""
    with pendulum.travel_to(D1.subtract(days=1), freeze=True):
        Store(data_dir).add_session(Session("first", D1.subtract(days=1, hours=2)))
    seed(data_dir)
    assert not (data_dir / "backups" / "2026-11-19" / "days").exists()
    without_manifest(data_dir)
    (data_dir / OCTOBER).unlink()

    store = Store(data_dir)
    store.update_hydration(D2.date(), lambda h: h.add(1))
    assert json.loads((data_dir / "companion.json").read_bytes())["meta"]["1"]["months"] == [
        "2026-10",
        "2026-11",
    ]
    assert store.checkin_for(dt.date(2026, 10, 5)) is not None
    assert any("2026-10.json is missing (it existed before)" in n for n in store.take_notices())


def test_a_month_file_gone_while_open_in_a_folder_from_before_the_manifest_is_restored(
    data_dir: Path,
) -> None:
    """No manifest yet (nothing written since the upgrade): its backups say the file existed."""
    seed(data_dir)
    without_manifest(data_dir)
    reader = Store(data_dir)
    assert reader.checkin_for(dt.date(2026, 10, 5)) is not None
    (data_dir / OCTOBER).unlink()
    assert reader.checkin_for(dt.date(2026, 10, 5)) is not None
    (notice,) = reader.take_notices()
    assert "2026-10.json is missing (it existed before)" in notice and "was restored" in notice


# ---------------------------------------------------------------------- races met under the lock


def test_a_missing_file_another_process_restored_meanwhile_is_read_not_restored_again(
    data_dir: Path,
) -> None:
    seed(data_dir)
    good = (data_dir / OCTOBER).read_bytes()
    (data_dir / OCTOBER).unlink()

    def other_process_restores() -> None:
        data = json.loads(good)
        data["checkins"]["20261005"]["note"] = "restored by the other process"
        (data_dir / OCTOBER).write_text(json.dumps(data))

    reader = Store(data_dir)
    reader._lock = LockMeanwhile(reader._lock, other_process_restores)
    checkin = reader.checkin_for(dt.date(2026, 10, 5))
    assert checkin is not None and checkin.note == "restored by the other process"
    assert reader.take_notices() == []


def test_a_bad_entry_another_process_set_aside_meanwhile_is_read_again(data_dir: Path) -> None:
    seed(data_dir)
    path = data_dir / OCTOBER
    clean = json.loads(path.read_bytes())
    edit_json(path, lambda data: data["checkins"].update(junk={"not": "a record number"}))

    def other_process_sets_it_aside() -> None:
        clean["checkins"]["20261005"]["note"] = "written by the other process"
        path.write_text(json.dumps(clean))

    reader = Store(data_dir)
    reader._lock = LockMeanwhile(reader._lock, other_process_sets_it_aside)
    checkin = reader.checkin_for(dt.date(2026, 10, 5))
    assert checkin is not None and checkin.note == "written by the other process"
    assert not (data_dir / "quarantine.jsonl").exists()  # the other process's business
    assert reader.take_notices() == []


def test_a_bad_entry_that_cannot_be_set_aside_is_left_out_and_saving_that_file_refused(
    data_dir: Path,
) -> None:
    seed(data_dir)
    path = data_dir / OCTOBER
    edit_json(path, lambda data: data["checkins"].update(junk={"not": "a record number"}))
    (data_dir / "quarantine.jsonl").mkdir()  # the quarantine cannot be written
    before = path.read_bytes()
    store = Store(data_dir)
    assert store.checkin_for(dt.date(2026, 10, 5)) is not None
    (notice,) = store.take_notices()
    assert "could not be set aside" in notice and "kept in the file" in notice
    with pytest.raises(StoreError, match="could not be read nor set aside"):
        store.update_hydration(dt.date(2026, 10, 5), lambda h: h.add(1))
    assert path.read_bytes() == before


def test_two_repairs_in_the_same_second_keep_both_damaged_files(data_dir: Path) -> None:
    seed(data_dir)
    path = data_dir / OCTOBER
    damaged = [b'{"checkins": {"2026', b"\x00\x00 not json"]
    for raw in damaged:
        path.write_bytes(raw)
        assert Store(data_dir).checkin_for(dt.date(2026, 10, 5)) is not None  # repaired
    stamp = D2.format("YYYYMMDDTHHmmss")
    kept = {p.name: p.read_bytes() for p in (data_dir / "days").iterdir() if ".damaged-" in p.name}
    assert kept == {
        f"2026-10.json.damaged-{stamp}": damaged[0],
        f"2026-10.json.damaged-{stamp}-2": damaged[1],
    }


def test_damage_whose_file_is_gone_by_the_time_the_lock_is_held_is_restored(data_dir: Path) -> None:
    """The keeper is told of damage; before it holds the lock, the file vanished (another
    process's repair failed half-way in an older companion): it is restored, not emptied."""
    seed(data_dir)
    path = data_dir / OCTOBER
    path.write_bytes(b'{"checkins": {"2026')
    store = Store(data_dir)
    store._lock = LockMeanwhile(store._lock, path.unlink)
    assert store.checkin_for(dt.date(2026, 10, 5)) is not None
    (notice,) = store.take_notices()
    assert "2026-10.json is missing (it existed before)" in notice and "was restored" in notice
    assert json.loads(path.read_bytes())["checkins"]


# ---------------------------------------------------------------------- imports


def two_months_and_a_session() -> Backup:
    """New records for companion.json and two month files (October exists, December is new)."""
    session = Session("imported-session", pendulum.datetime(2026, 9, 1, 10, tz="Europe/Berlin"))
    checkins = [
        CheckIn(f"imported-{day}", day, pendulum.datetime(day.year, day.month, day.day, 20, tz="UTC"), 4, 4)
        for day in (dt.date(2026, 9, 3), dt.date(2026, 12, 3))
    ]
    return Backup([session], checkins, [], [])


def imported_anything(data_dir: Path) -> bool:
    store = Store(data_dir)
    ids = {s.id for s in store.sessions()} | {c.id for c in store.all_days().checkins}
    return bool(ids & {"imported-session", "imported-2026-09-03", "imported-2026-12-03"})


def fail_nth_file_write(monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    """The n-th store file written from now on meets a full disk (the journal is not one)."""
    real = atomic_storage.atomic_write_bytes
    calls = []

    def writing(path: Path, payload: bytes) -> None:
        calls.append(path)
        if len(calls) == n:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, payload)

    monkeypatch.setattr(atomic_storage, "atomic_write_bytes", writing)


def test_an_import_whose_journal_cannot_be_written_changes_nothing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(data_dir)
    Store(data_dir).update_settings(theme="light")  # today's backup taken
    before = live_files(data_dir)

    def full_disk(path: Path, payload: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(journal_module, "atomic_write_bytes", full_disk)
    with pytest.raises(StoreError, match=r"import-journal\.json: the disk is full"):
        Store(data_dir).apply_import(two_months_and_a_session())
    monkeypatch.undo()
    assert live_files(data_dir) == before
    assert not imported_anything(data_dir)


def test_an_import_whose_first_file_cannot_be_written_changes_nothing_now_or_later(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(data_dir)
    Store(data_dir).update_settings(theme="light")  # today's backup taken
    before = live_files(data_dir)
    fail_nth_file_write(monkeypatch, 1)
    with pytest.raises(StoreError, match="the disk is full") as caught:
        Store(data_dir).apply_import(two_months_and_a_session())
    assert "written in part" not in str(caught.value)
    monkeypatch.undo()
    assert live_files(data_dir) == before  # the journal is gone too
    later = Store(data_dir)
    assert not imported_anything(data_dir)
    assert later.take_notices() == []  # nothing for the next command to complete


def test_an_import_stopped_after_its_first_file_is_completed_by_the_next_command(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(data_dir)
    Store(data_dir).update_settings(theme="light")
    fail_nth_file_write(monkeypatch, 2)
    with pytest.raises(StoreError, match=r"written in part.*will complete it"):
        Store(data_dir).apply_import(two_months_and_a_session())
    assert (data_dir / "import-journal.json").exists()
    monkeypatch.undo()
    later = Store(data_dir)
    later.sessions()
    assert any("has now been completed (3 files written)" in n for n in later.take_notices())
    store = Store(data_dir)
    assert "imported-session" in {s.id for s in store.sessions()}
    assert {"imported-2026-09-03", "imported-2026-12-03"} <= {c.id for c in store.all_days().checkins}


def test_an_import_counts_each_kind_and_their_total(data_dir: Path) -> None:
    seed(data_dir)
    history = daily_history(dt.date(2026, 12, 1), 3)
    backup = Backup(
        history.sessions[:1],
        history.checkins[:2],
        history.hydration[:3],
        history.checklist[:3],
        exercises=[Exercise(f"e{n}", f"stretch {n}") for n in range(4)],
    )
    counts = Store(data_dir).apply_import(backup)
    by_kind = (counts.sessions, counts.checkins, counts.hydration, counts.checklist, counts.other)
    assert by_kind == (1, 2, 3, 3, 4)
    assert counts.total == 13


def test_a_failure_inside_all_or_nothing_writes_nothing_and_forgets_it(data_dir: Path) -> None:
    seed(data_dir)
    store = Store(data_dir)
    store.update_settings(theme="light")
    before = live_files(data_dir)
    day = dt.date(2026, 11, 21)
    with pytest.raises(RuntimeError, match="stopped"), store.all_or_nothing():
        store.save_checkin(CheckIn("half", day, D2, 7, 7))
        store.add_session(Session("half-session", D2.subtract(hours=1)))
        assert store.checkin_for(day) is not None  # seen inside, before the commit
        raise RuntimeError("stopped")
    assert store.checkin_for(day) is None
    assert "half-session" not in {s.id for s in store.sessions()}
    assert live_files(data_dir) == before


def test_the_open_app_completes_an_import_another_process_left_when_it_polls(data_dir: Path) -> None:
    seed(data_dir)
    reader = Store(data_dir)
    revision = reader.revision()
    month = json.loads((data_dir / OCTOBER).read_bytes())
    month["checkins"]["20261005"]["note"] = "from the interrupted import"
    journal = {"format": "companion-journal", "files": {OCTOBER: month}}
    (data_dir / "import-journal.json").write_text(json.dumps(journal))  # killed just after this

    assert reader.revision() != revision
    assert not (data_dir / "import-journal.json").exists()
    assert reader.checkin_for(dt.date(2026, 10, 5)).note == "from the interrupted import"
    assert any("has now been completed (1 file written)" in n for n in reader.take_notices())


def test_an_interrupted_import_that_cannot_be_completed_yet_is_said(data_dir: Path) -> None:
    seed(data_dir)
    month = json.loads((data_dir / OCTOBER).read_bytes())
    journal = {"format": "companion-journal", "files": {"days/2026-12.json": month}}
    (data_dir / "import-journal.json").write_text(json.dumps(journal))
    (data_dir / "days").rename(data_dir / "days-moved")
    (data_dir / "days").write_text("a file in the way")
    store = Store(data_dir)
    assert [s.id for s in store.sessions()]  # companion.json is still read
    notices = store.take_notices()
    assert any("an import was interrupted and could not be completed yet" in n for n in notices), notices
    assert (data_dir / "import-journal.json").exists()  # kept for when it can be


def test_a_journal_that_is_not_a_journal_is_kept_aside_and_said(data_dir: Path) -> None:
    seed(data_dir)
    (data_dir / "import-journal.json").write_text('{"format": "something else"}')
    store = Store(data_dir)
    store.sessions()
    (notice,) = store.take_notices()
    assert notice.startswith("an interrupted import could not be completed:")
    assert "not a companion journal" in notice
    assert (data_dir / "import-journal.json.damaged").exists()


# ---------------------------------------------------------------------- records


def test_exercises_and_questions_are_removed_by_id(data_dir: Path) -> None:
    store = Store(data_dir)
    for n in (1, 2):
        store.add_exercise(Exercise(f"e{n}", f"stretch {n}"))
        store.add_question(Question(f"q{n}", f"question {n}?", D2.subtract(hours=n)))
    assert store.remove_exercise("e1") and not store.remove_exercise("e1")
    assert store.remove_question("q2") and not store.remove_question("q2")
    again = Store(data_dir)
    assert [e.id for e in again.exercises()] == ["e2"]
    assert [q.id for q in again.questions()] == ["q1"]


def test_a_stored_area_split_over_two_lines_is_kept_on_one(data_dir: Path) -> None:
    store = Store(data_dir)
    store.add_session(Session("s1", D2.subtract(hours=1), areas=("calf",)))
    edit_json(data_dir / "companion.json", lambda d: d["sessions"]["1"].update(areas=["upper\ntrapezius"]))
    reader = Store(data_dir)
    assert [s.areas for s in reader.sessions()] == [("upper trapezius",)]
    (notice,) = reader.take_notices()
    assert "had text that cannot be shown or saved" in notice and "the record kept" in notice


def test_a_record_with_bad_text_and_a_bad_value_is_set_aside_and_said(data_dir: Path) -> None:
    store = Store(data_dir)
    for n in (1, 2):
        store.add_session(Session(f"s{n}", D2.subtract(hours=n)))
    edit_json(
        data_dir / "companion.json",
        lambda d: d["sessions"]["1"].update(id="s\u001b1", started_at="not a time"),
    )
    reader = Store(data_dir)
    assert [s.id for s in reader.sessions()] == ["s2"]
    (notice,) = reader.take_notices()
    assert "a session (record 1)" in notice and "started_at" in notice and "set aside" in notice
    (line,) = (data_dir / "quarantine.jsonl").read_text().splitlines()
    assert "not a time" in json.loads(line)["raw"]


def test_a_record_that_trips_an_unexpected_error_is_set_aside_naming_the_error(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not an InputError (a reader's own bug, say): the record is still set aside, not the store."""
    store = Store(data_dir)
    for n in (1, 2):
        store.add_session(Session(f"s{n}", D2.subtract(hours=n)))
    real = store_module.session_from_record

    def tripping(data: dict[str, Any], where: str = "session") -> Session:
        if data["id"] == "s1":
            raise TypeError("unsupported operand type(s)")
        return real(data, where)

    monkeypatch.setattr(store_module, "session_from_record", tripping)
    reader = Store(data_dir)
    assert [s.id for s in reader.sessions()] == ["s2"]
    (notice,) = reader.take_notices()
    assert (
        "a session (record 1) in companion.json could not be read (TypeError: unsupported operand" in notice
    )


def test_a_table_that_is_not_a_table_is_named_in_the_notice(data_dir: Path) -> None:
    Store(data_dir).add_session(Session("s1", D2.subtract(hours=1)))
    edit_json(data_dir / "companion.json", lambda d: d.update(appointments="junk"))
    reader = Store(data_dir)
    assert [s.id for s in reader.sessions()] == ["s1"]
    (notice,) = reader.take_notices()
    assert notice.startswith("the table 'appointments' in companion.json could not be read")


def test_a_bad_intake_entry_is_named_by_its_day(data_dir: Path) -> None:
    store = Store(data_dir)
    store.add_intake(Intake("i1", "coffee", pendulum.datetime(2026, 11, 3, 9, tz="Europe/Berlin")))
    store.add_intake(Intake("i2", "tea", pendulum.datetime(2026, 11, 3, 15, tz="Europe/Berlin")))
    edit_json(data_dir / "days" / "2026-11.json", lambda d: d["intake"]["20261103001"].update(at="soon"))
    reader = Store(data_dir)
    assert [i.id for i in reader.all_intake()] == ["i2"]
    (notice,) = reader.take_notices()
    assert notice.startswith("an intake entry of 2026-11-03 in days/2026-11.json could not be read (at:")


# ---------------------------------------------------------------------- clinic protocols


def with_meta(data_dir: Path, **values: Any) -> None:
    edit_json(data_dir / "companion.json", lambda d: d["meta"]["1"].update(values))


def two_sessions(data_dir: Path) -> Store:
    store = Store(data_dir)
    store.add_session(Session("s1", pendulum.datetime(2026, 11, 1, 10, tz="Europe/Berlin")))
    store.add_session(Session("s2", pendulum.datetime(2026, 11, 15, 10, tz="Europe/Berlin")))
    return store


def test_a_folder_without_any_clinic_protocol_has_none(data_dir: Path) -> None:
    store = two_sessions(data_dir)
    assert store.clinic_entries() == [] and store.clinic_text() is None
    store.set_clinic_text("[rules]\n", "clinic.toml")
    assert [e.source for e in Store(data_dir).clinic_entries()] == ["clinic.toml"]


def test_a_clinic_protocol_kept_by_an_older_companion_applies_from_its_session(data_dir: Path) -> None:
    two_sessions(data_dir)
    imported = "2026-11-10T12:00:00+01:00"
    legacy = {"text": "[rules]\n", "source": "clinic.toml", "imported_at": imported}
    with_meta(data_dir, clinic_protocol=legacy)
    (entry,) = Store(data_dir).clinic_entries()
    assert entry.text == "[rules]\n" and entry.source == "clinic.toml"
    assert entry.imported_at == pendulum.parse(imported)
    assert entry.applies_from == pendulum.datetime(2026, 11, 1, 10, tz="Europe/Berlin")  # not s2


def test_an_older_clinic_protocol_without_source_or_text(data_dir: Path) -> None:
    two_sessions(data_dir)
    with_meta(data_dir, clinic_protocol={"text": "[rules]\n"})
    (entry,) = Store(data_dir).clinic_entries()
    assert entry.source == "" and entry.imported_at is None
    assert entry.applies_from == pendulum.datetime(2026, 11, 15, 10, tz="Europe/Berlin")  # the latest
    with_meta(data_dir, clinic_protocol={"text": "   ", "source": "clinic.toml"})
    assert Store(data_dir).clinic_entries() == []


def test_a_stored_clinic_protocol_that_cannot_be_read_is_left_out_and_said(data_dir: Path) -> None:
    two_sessions(data_dir)
    good = {"text": "[rules]\n", "source": "b.toml", "imported_at": None, "applies_from": None}
    with_meta(data_dir, clinic_protocols=["junk", good])
    store = Store(data_dir)
    assert [e.source for e in store.clinic_entries()] == ["b.toml"]
    (notice,) = store.take_notices()
    assert notice.startswith("stored clinic protocol 1")
    assert notice.endswith("; that clinic protocol is left out.")


# ---------------------------------------------------------------------- reads only what it needs


def test_reading_back_in_time_opens_no_later_month(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten years are 120 month files: a question about September opens September only."""
    seed(data_dir)
    store = Store(data_dir)
    store.save_checkin(CheckIn("sept", dt.date(2026, 9, 20), D2, 2, 2))
    reader = Store(data_dir)
    reader.sessions()
    opened: list[str] = []
    real = atomic_storage.read_with_identity

    def counting(path: Path) -> Any:
        opened.append(path.name)
        return real(path)

    monkeypatch.setattr(atomic_storage, "read_with_identity", counting)
    assert reader.latest_checkin(before=dt.date(2026, 9, 30)).id == "sept"
    assert reader.last_day(dt.date(2026, 9, 30)) == dt.date(2026, 9, 20)
    assert opened == ["2026-09.json"]


def test_a_poll_stats_the_settings_the_days_folder_and_the_two_newest_months(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the idle app pays every 2 s, whatever the years stored; an edit in place (not
    a new file) of either of the two newest months is noticed."""
    seed(data_dir)
    Store(data_dir).save_checkin(CheckIn("sept", dt.date(2026, 9, 20), D2, 2, 2))
    store = Store(data_dir)
    looked: list[str] = []
    real = store_module.file_identity

    def counting(path: Path) -> Any:
        looked.append(path.name)
        return real(path)

    monkeypatch.setattr(store_module, "file_identity", counting)
    revision = store.revision()
    assert sorted(looked) == ["2026-10.json", "2026-11.json", "companion.json", "days"]
    for name in ("2026-11.json", "2026-10.json"):
        path = data_dir / "days" / name
        with path.open("r+b") as same_file:  # in place: same inode, same folder listing
            same_file.seek(0, os.SEEK_END)
            same_file.write(b" ")
        assert store.revision() != revision
        revision = store.revision()


def test_history_across_the_new_year_keeps_every_month(data_dir: Path) -> None:
    history = daily_history(dt.date(2026, 12, 20), 45)  # 20 Dec 2026 to 2 Feb 2027
    with pendulum.travel_to(pendulum.datetime(2027, 2, 3, 9, tz="Europe/Berlin"), freeze=True):
        store = Store(data_dir)
        store.apply_import(history)
        assert store.month_keys() == ["2026-12", "2027-01", "2027-02"]
        assert {c.date for c in store.all_days().checkins} == {c.date for c in history.checkins}
        span = store.days_between(dt.date(2026, 12, 31), dt.date(2027, 2, 1))
        assert [c.date for c in sorted(span.checkins, key=lambda c: c.date)] == [
            dt.date(2026, 12, 31) + dt.timedelta(days=n) for n in range(33)
        ]


# ---------------------------------------------------------------------- months


def test_a_span_across_new_year_reads_every_month_in_it(data_dir: Path) -> None:
    """December, January and February are three month files: a span from one to the other
    reads each of them (no month skipped at the turn of the year, none read twice)."""
    history = daily_history(dt.date(2025, 12, 20), 60)  # 20 Dec 2025 to 17 Feb 2026
    Store(data_dir).apply_import(history)
    records = Store(data_dir).days_between(dt.date(2025, 12, 1), dt.date(2026, 2, 28))
    assert sorted(c.date for c in records.checkins) == sorted(c.date for c in history.checkins)
    assert sorted(h.date for h in records.hydration) == sorted(h.date for h in history.hydration)
    assert len(history.checkins) == 60
    january = Store(data_dir).days_between(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert len(january.checkins) == 31


def at_berlin(day: dt.date, hour: int = 9) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, hour, tz="Europe/Berlin")


def test_the_first_and_last_days_and_the_latest_check_in_come_from_every_month(data_dir: Path) -> None:
    """Two records in the first month (the earlier one is the first day), a later month, and a
    session before any record: each question is answered from the right month and day."""
    store = Store(data_dir)
    days = [dt.date(2026, 9, 3), dt.date(2026, 9, 10), dt.date(2026, 10, 20)]
    for day in days:
        store.save_checkin(CheckIn(f"c{day}", day, at_berlin(day, 20), 2, 2))
    assert store.first_day() == dt.date(2026, 9, 3)
    assert store.last_day(dt.date(2026, 10, 20)) == dt.date(2026, 10, 20)  # up to and with that day
    assert store.last_day(dt.date(2026, 10, 19)) == dt.date(2026, 9, 10)
    assert store.last_day(dt.date(2026, 9, 30)) == dt.date(2026, 9, 10)
    assert store.last_day(dt.date(2026, 9, 2)) is None
    latest = store.latest_checkin(before=dt.date(2026, 10, 20))  # before: that day left out
    assert latest is not None and latest.date == dt.date(2026, 9, 10)
    latest = store.latest_checkin()
    assert latest is not None and latest.date == dt.date(2026, 10, 20)
    store.add_session(Session("early", at_berlin(dt.date(2026, 8, 15))))
    assert Store(data_dir).first_day() == dt.date(2026, 8, 15)


def test_what_was_taken_on_the_last_day_of_a_span_is_in_it(data_dir: Path) -> None:
    store = Store(data_dir)
    first, last = dt.date(2026, 11, 18), dt.date(2026, 11, 20)
    for day in (first, last):
        for n in range(2):
            store.add_intake(Intake(f"i{day}-{n}", "wine", at_berlin(day, 12 + n)))
    assert [i.id for i in Store(data_dir).intake_between(last, last)] == [f"i{last}-0", f"i{last}-1"]
    assert len(Store(data_dir).intake_between(first, last)) == 4
    assert Store(data_dir).intake_between(dt.date(2026, 11, 19), dt.date(2026, 11, 19)) == []


def test_marking_questions_asked_counts_what_it_changed(data_dir: Path) -> None:
    store = Store(data_dir)
    for n in range(3):
        store.add_question(Question(f"q{n}", f"question {n}", D1))
    assert store.mark_questions_done(["q0", "q1"], D2) == 2
    assert store.mark_questions_done(["q0"], D2) == 0  # already asked
    assert store.mark_questions_done(None, D2) == 1
    assert store.mark_questions_done(None, D2) == 0
