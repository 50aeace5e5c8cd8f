"""The store: TinyDB files in the data folder, split so a write rewrites only what changed.

Layout of the data folder (mode 700, files 600):

- ``companion.json``: ``meta`` (schema version, settings) and ``sessions``;
- ``days/YYYY-MM.json``: one file per month with the ``checkins``, ``hydration``
  and ``checklist`` tables, one document per day (doc id ``YYYYMMDD``);
- ``backups/YYYY-MM-DD/``: the rolling daily backups;
- ``quarantine.jsonl``: records that could not be read, set aside with their bytes;
- ``import-journal.json``: only while an import writes several files (see journal.py);
- ``.lock``: the cross-process lock.

Ten years of daily history are about 120 small month files: ticking a glass of water
rewrites one of them, and ``status`` reads two or three.

No fault loses or hides data, and each is told to the patient (``notices``: the CLI
prints them on stderr, the app shows them):

- a damaged file is replaced by its newest good backup (or an empty file if it has
  none) written *before* the damaged one is renamed aside, so the file is never
  missing; if the replacement cannot be written (a full disk), nothing is moved, the
  backup is shown, and writes to that file are refused until it can be;
- a file the store knows existed (``companion.json`` lists the month files in
  ``months``; backups hold copies) and that is now missing is restored the same way,
  never taken for a fresh start;
- a file that cannot be read (permission denied) is an error naming the file and the
  fix: nothing is moved or restored;
- a record that cannot be read is set aside in the quarantine file and left out;
  everything else keeps working;
- an import writes all its files or, if killed half-way, is completed by the next
  store that takes the lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pendulum
from tinydb import TinyDB
from tinydb.table import Document

from companion.core import clock
from companion.core.appointments import Appointment, appointment_from_record
from companion.core.checkins import CheckIn, checkin_from_record
from companion.core.checklist import ChecklistDay, checklist_from_record
from companion.core.errors import InputError
from companion.core.hydration import HydrationDay, empty_day, hydration_from_record
from companion.core.import_merge import (
    Keyed,
    merged_activity,
    merged_checkin,
    merged_checklist,
    merged_hydration,
    rating_wins,
    unseen,
)
from companion.core.records import clean_text, exact_json
from companion.core.sessions import Session, record_start, session_from_record
from companion.core.settings import Settings, settings_from_record
from companion.core.text import UnsafeTextError
from companion.core.wording import count
from companion.store.atomic_storage import (
    DIR_MODE,
    AtomicJSONStorage,
    BadEntry,
    DamagedFileError,
    Recovered,
    StoreError,
    atomic_write_bytes,
    describe_os_error,
    encode_document,
    file_identity,
    parse_document,
    read_with_identity,
    remove_stale_temps,
    replace_keeping_aside,
    split_entries,
    user_name,
)
from companion.store.backups import Backups
from companion.store.journal import Journal
from companion.store.process_lock import ProcessLock, one_thread_at_a_time
from companion.store.quarantine import Quarantine, SetAside

if TYPE_CHECKING:
    from companion.core.activities import Activity, Rating
    from companion.core.backup import Backup
    from companion.core.complaint import Complaint
    from companion.core.exercises import Exercise
    from companion.core.intake import Intake
    from companion.core.protocol_versions import ClinicEntry
    from companion.core.questions import Question

# Exercises, questions and intake are read from their modules when first used:
# the app's first screen needs none of them, and each import costs start-up time.

SCHEMA_VERSION = 1
REVISION_STATS = 2
"""The newest month files whose every change (an edit in place too) :meth:`Store.revision` sees."""
MONTHS_KEPT = 12
"""Month files kept parsed in memory, the most recently read (the dashboard reads a few; a
look through thirty years of history must not keep all 360 of them: issue 14)."""
META_FILE = "companion.json"
DAYS_DIR = "days"
DAY_TABLES = ("checkins", "hydration", "checklist")
_MONTH_FILE = re.compile(r"^([0-9]{4}-[0-9]{2})\.json$")
_MONTH_KEY = re.compile(r"^[0-9]{4}-[0-9]{2}$")
# What reading a record that breaks its types can raise (the record is set aside).
_UNREADABLE_RECORD = (InputError, ValueError, TypeError, ArithmeticError, RecursionError)
T = TypeVar("T")
Day = TypeVar("Day", HydrationDay, ChecklistDay)

# Migrations from an older schema: {from_version: function(store)}; each brings the
# data folder one version forward, under the lock, before anything else reads it.
MIGRATIONS: dict[int, Callable[[Store], None]] = {}


def _doc_id(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _month_start(key: str) -> dt.date:
    """'2026-11' -> 1 Nov 2026."""
    return dt.date(int(key[:4]), int(key[5:]), 1)


def _months_between(first: dt.date, last: dt.date) -> list[str]:
    keys = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        keys.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return keys


@dataclass(frozen=True)
class DayRecords:
    checkins: list[CheckIn]
    hydration: list[HydrationDay]
    checklist: list[ChecklistDay]


@dataclass(frozen=True)
class ImportCounts:
    sessions: int = 0
    checkins: int = 0
    hydration: int = 0
    checklist: int = 0
    other: int = 0  # appointments, exercises, questions, intake entries

    @property
    def total(self) -> int:
        return self.sessions + self.checkins + self.hydration + self.checklist + self.other


@one_thread_at_a_time
class Store:
    """All reads and writes of the patient's data (one thread at a time)."""

    def __init__(self, data_dir: Path, default_goal: int = 8) -> None:
        self.data_dir = Path(data_dir).expanduser()
        self._default_goal = default_goal
        self._notices: list[str] = []
        self._said: set[str] = set()
        self._ensure_dir(self.data_dir, mine=True)
        self.days_dir = self.data_dir / DAYS_DIR
        self.backups = Backups(self.data_dir)
        self.quarantine = Quarantine(self.data_dir)
        self.journal = Journal(self.data_dir)
        self._lock = ProcessLock(self.data_dir / ".lock")
        self._dbs: dict[Path, TinyDB] = {}
        self._storages: dict[Path, AtomicJSONStorage] = {}
        self._checked_schema = False
        self._meta_ensured = False
        self._deferring = False
        self._sessions_cache: tuple[tuple[int, int, int] | None, list[Session]] | None = None
        self._session_starts_cache: tuple[tuple[int, int, int] | None, list[_SessionStart]] | None = None
        self._manifest_cache: tuple[tuple[int, int, int] | None, frozenset[str] | None] | None = None

    # ------------------------------------------------------------------ plumbing

    @staticmethod
    def _ensure_dir(folder: Path, mine: bool = False) -> None:
        """Create the folder (and any missing parents) mode 700; take away group and other
        access if it has any. With ``mine``, refuse a folder that belongs to another user.

        Only those bits: a folder the patient made read-only stays read-only, so
        saving reports that instead of quietly making it writable again.
        """
        try:
            missing: list[Path] = []
            probe = folder
            while not probe.exists() and probe != probe.parent:
                missing.append(probe)
                probe = probe.parent
            if mine and missing and probe.is_dir():
                Store._check_owner(probe, probe.stat().st_uid, creating=folder)
            for new in reversed(missing):  # parents too get 700 (mkdir -p would give 777 - umask)
                with contextlib.suppress(FileExistsError):
                    new.mkdir(mode=DIR_MODE)
            if folder.exists() and not folder.is_dir():
                raise FileExistsError(errno.EEXIST, "File exists", str(folder))
            st = folder.stat()
            if mine:
                Store._check_owner(folder, st.st_uid)
            mode = st.st_mode & 0o777
            if mode & 0o077:
                os.chmod(folder, mode & 0o700)
        except FileExistsError as exc:
            raise StoreError(
                f"cannot use the data folder {folder}: a file of that name is in the way"
            ) from exc
        except NotADirectoryError as exc:
            raise StoreError(
                f"cannot use the data folder {folder}: part of that path is a file, not a folder"
            ) from exc
        except OSError as exc:
            raise StoreError(f"cannot use the data folder {folder}: {exc.strerror}") from exc

    @staticmethod
    def _check_owner(folder: Path, uid: int, creating: Path | None = None) -> None:
        """A run as another user (root included) must not leave files the owner cannot read.

        With ``creating``: root is about to make a data folder inside ``folder``; one
        inside a user's own folder (sudo keeping HOME) would be root's, not theirs.
        """
        me = os.geteuid()
        if uid == me or (creating is not None and (me != 0 or uid == 0)):
            return
        owner = user_name(uid)
        if creating is not None:
            raise StoreError(
                f"companion runs as root and would create its data folder {creating} inside "
                f"{folder}, which belongs to {owner}: run it as {owner}, without sudo"
            )
        if me == 0:
            raise StoreError(
                f"the data folder {folder} belongs to {owner}: companion does not run on it as root "
                f"(what it saved would belong to root, and {owner} could not read it); "
                f"run it as {owner}, without sudo"
            )
        raise StoreError(
            f"the data folder {folder} belongs to {owner}, not {user_name(me)}: run companion as "
            f"{owner}, or choose a folder of your own with --data-dir"
        )

    def _db(self, path: Path) -> TinyDB:
        db = self._dbs.get(path)
        if db is None:
            db = TinyDB(path, storage=AtomicJSONStorage, keeper=self)
            db.default_table_name = "_unused"
            self._dbs[path] = db
            storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
            storage.deferred = self._deferring
            self._storages[path] = storage
        return db

    @property
    def meta_path(self) -> Path:
        return self.data_dir / META_FILE

    def _meta(self) -> TinyDB:
        db = self._db(self.meta_path)
        if not self._checked_schema:
            self._checked_schema = True
            self._finish_interrupted_import_on_open()
            self._check_schema(db)
        return db

    def _month(self, key: str) -> TinyDB:
        if not self._checked_schema:
            self._meta()  # a newer or older schema must be handled before day files are read
        path = self.days_dir / f"{key}.json"
        db = self._dbs.pop(path, None)
        if db is not None:
            self._dbs[path] = db  # the most recently read last
        if len(self._dbs) > MONTHS_KEPT:
            self._forget_old_months(keep=path)
        return db if db is not None else self._db(path)

    def _forget_old_months(self, keep: Path) -> None:
        """Let go of the least recently read month files beyond MONTHS_KEPT, `keep` aside (read
        again from disk when asked for). Never while writing (under the lock, or an import's
        deferred writes), nor a file with a write waiting or a new file not yet in the manifest."""
        if self._lock.held or self._deferring:
            return
        months = [path for path in self._dbs if path.parent == self.days_dir and path != keep]
        for path in months[: max(0, len(months) - MONTHS_KEPT + 1)]:
            storage = self._storages[path]
            if storage.pending or storage.created:
                continue
            del self._dbs[path]
            del self._storages[path]

    def _rel(self, path: Path) -> str:
        return str(path.relative_to(self.data_dir))

    def notice(self, text: str) -> None:
        """Tell the patient, once per process (the app reads the store again and again): the
        CLI prints what :meth:`take_notices` returns on stderr, the app shows it."""
        if text not in self._said:
            self._said.add(text)
            self._notices.append(text)

    def present_month_keys(self) -> list[str]:
        """Months that have a file in ``days/``, oldest first."""
        try:
            names = os.listdir(self.days_dir)
        except FileNotFoundError:
            return []
        except NotADirectoryError:
            self.notice(
                f"{self.days_dir} is a file, not a folder: your check-ins, water and checklists "
                "cannot be shown or saved until it is moved out of the way."
            )
            return []
        except OSError as exc:
            raise StoreError(f"cannot read the folder {self.days_dir}: {exc.strerror or exc}") from exc
        return sorted(m.group(1) for m in map(_MONTH_FILE.match, names) if m and _real_month(m.group(1)))

    def month_keys(self) -> list[str]:
        """Months that have a file, or had one (the manifest in companion.json), oldest first.

        A month in the manifest whose file is gone is read like any other: its file is
        then restored from a backup (and the patient told), never taken as empty.
        """
        present = self.present_month_keys()
        manifest = self._manifest()
        if not manifest or (self.days_dir.exists() and not self.days_dir.is_dir()):
            return present
        return sorted(manifest.union(present))

    def _manifest(self) -> frozenset[str] | None:
        """The month files the store has created (``months`` in companion.json), None if not known."""
        db = self._meta()
        storage = self._storages[self.meta_path]
        storage.read()
        version = storage.identity
        cached = self._manifest_cache
        if cached is not None and version is not None and cached[0] == version:
            return cached[1]
        months = _meta_value(db, "months")
        manifest = (
            frozenset(m for m in months if isinstance(m, str) and _MONTH_KEY.match(m) and _real_month(m))
            if isinstance(months, list)
            else None
        )
        self._manifest_cache = (version, manifest)
        return manifest

    def store_files(self) -> list[Path]:
        files = [self.meta_path] if self.meta_path.exists() else []
        return files + [self.days_dir / f"{k}.json" for k in self.present_month_keys()]

    @property
    def lock_timeout(self) -> float:
        """How long a save waits for another process's save before saying the folder is busy."""
        return self._lock.timeout

    @lock_timeout.setter
    def lock_timeout(self, seconds: float) -> None:
        self._lock.timeout = seconds

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the cross-process lock; caches are re-read once it is taken."""
        outermost = self._lock.acquire()
        try:
            if outermost:
                self._finish_interrupted_import()
                self._forget_caches()
                self._remove_stale_temps()
                self._daily_backup()
                self._ensure_meta()
            yield
            if outermost:
                self._note_new_files()
        finally:
            self._lock.release()

    def _forget_caches(self) -> None:
        """Another process may have written since we last looked: drop every cache.

        TinyDB's tables remember the next free document id; a stale one would make
        an insert collide with a document another process added meanwhile.
        """
        for storage in self._storages.values():
            storage.invalidate()
        for db in self._dbs.values():
            _forget_tables(db)

    def _remove_stale_temps(self) -> None:
        """Under the lock nobody else is writing: any temporary file (or half-taken
        backup) is a crash's leftover."""
        remove_stale_temps(self.data_dir)
        remove_stale_temps(self.days_dir)
        self.backups.remove_partials()

    def _ensure_meta(self) -> None:
        """Record the schema version (and which month files exist) before the first write.

        A data folder from before the manifest gets one: the month files present, and
        those its backups hold (a file lost before the upgrade is restored too).
        """
        if self._meta_ensured:
            return
        meta = self._meta()
        doc = _meta_doc(meta)
        changes: dict[str, Any] = {}
        if doc is None or not isinstance(doc.get("months"), list):
            held = {
                m.group(1)
                for folder in self.backups.folders()
                for m in map(_MONTH_FILE.match, _names(folder / DAYS_DIR))
                if m
            }
            changes["months"] = sorted(held.union(self.present_month_keys()))
        if doc is None or changes:
            self._write_meta(meta, changes)
        self._meta_ensured = True

    def _daily_backup(self) -> None:
        """Today's backup, once a day; a backup that cannot be taken is said once a day.

        It must not block the patient's save (the save itself reports a full disk or a
        read-only folder). Files found damaged while backing up are repaired now.
        """
        today = clock.today()
        try:
            if self.backups.has(today):
                return
            self._restore_missing_months()  # before the backup, so that it holds them again
            files = self.store_files()
            if not files:
                return
            _, damaged = self.backups.take(today, files)
        except (OSError, StoreError) as exc:
            self._backup_failed(today, exc)
            return
        for path in damaged:
            self._db(path)
            with contextlib.suppress(StoreError):
                self._storages[path].read()  # the keeper repairs it, and says so

    def _restore_missing_months(self) -> None:
        """Month files the manifest lists that are gone: restore them now (once a day, with
        the backup), not only when someone happens to read that month."""
        manifest = self._manifest()
        if not manifest or not self.days_dir.is_dir():
            return
        for key in sorted(manifest.difference(self.present_month_keys())):
            path = self.days_dir / f"{key}.json"
            self._db(path)
            with contextlib.suppress(StoreError):
                self._storages[path].read()  # the keeper restores it, and says so

    def _backup_failed(self, today: dt.date, exc: Exception) -> None:
        root = self.backups.root
        if root.exists() and not root.is_dir():
            why = f"{root} is a file, not a folder; move it out of the way"
        elif isinstance(exc, OSError):
            why = describe_os_error(exc, root, verb="write the backup").split(": ", 1)[-1]
            why = why.removesuffix(" Nothing was changed.").rstrip(".")
        else:
            why = str(exc)
        meta = self._meta()
        if _meta_value(meta, "backup_problem_noticed") == today.isoformat():
            return
        self.notice(
            f"today's backup could not be taken ({why}). Your changes are saved, but the newest "
            "backup is older than today; companion will try again with each change."
        )
        with contextlib.suppress(StoreError, OSError):
            self._write_meta(meta, {"backup_problem_noticed": today.isoformat()})

    def _note_new_files(self) -> None:
        """Month files this write created join the manifest and today's backup at once.

        Otherwise a file created after the day's backup would have no copy until
        tomorrow, and damage to it the same day could not be repaired; and a month the
        manifest does not list could vanish without a word.
        """
        new = [storage.path for storage in self._storages.values() if storage.created]
        if not new:
            return
        for storage in self._storages.values():
            storage.created = False
        self._add_to_manifest(new)
        with contextlib.suppress(OSError, StoreError):
            self.backups.add(clock.today(), new)

    def _add_to_manifest(self, paths: Iterable[Path]) -> None:
        months = {p.stem for p in paths if p.parent == self.days_dir and _MONTH_KEY.match(p.stem)}
        manifest = self._manifest() or frozenset()
        if months - manifest:
            self._write_meta(self._meta(), {"months": sorted(manifest | months)})

    def revision(self) -> tuple[Any, ...]:
        """Changes whenever a store file changes on disk; the app asks every 2 s, so cheaply.

        Every write replaces its file (a new inode, which the folder's listing gives
        without a stat per file) and so touches the folder: the month files' names and
        inodes and the folder's identity tell any write, in a few system calls however
        many years are stored (a stat of each of 120 month files was the idle app's
        largest cost). The settings file and the newest months are stat-ed as well, so an
        edit in place there shows too.
        """
        if self.journal.exists():
            self._finish_interrupted_import_on_open()
        try:
            with os.scandir(self.days_dir) as listing:
                files = sorted((e.name, e.inode()) for e in listing if e.name.endswith(".json"))
        except (FileNotFoundError, NotADirectoryError):
            files = []
        except OSError as exc:
            raise StoreError(f"cannot read the folder {self.days_dir}: {exc.strerror or exc}") from exc
        months = (name for name, _ in reversed(files) if _MONTH_FILE.match(name))
        newest = list(itertools.islice(months, REVISION_STATS))
        stats = tuple((name, file_identity(self.days_dir / name)) for name in newest)
        return (file_identity(self.meta_path), file_identity(self.days_dir), tuple(files), stats)

    def take_notices(self) -> list[str]:
        notices, self._notices = self._notices, []
        return notices

    # ------------------------------------------------------------------ interrupted imports

    def _finish_interrupted_import_on_open(self) -> None:
        """At open (and when the app polls): complete an import a killed process left."""
        if not self.journal.exists():
            return
        try:
            with self.write_lock():
                pass  # taking the lock completes it
        except StoreError as exc:
            self.notice(
                f"an import was interrupted and could not be completed yet ({exc}); "
                "what is shown may lack part of it until it is."
            )

    def _finish_interrupted_import(self) -> None:
        """Under the lock, before anything is read: write every file of an interrupted import."""
        if not self.journal.exists():
            return
        try:
            written, problem = self.journal.replay()
        except OSError as exc:
            raise StoreError(
                describe_os_error(exc, self.journal.path, verb="complete the interrupted import")
            ) from exc
        for path in written:
            storage = self._storages.get(path)
            if storage is not None:
                storage.invalidate()
        self._manifest_cache = None
        self._sessions_cache = None
        self._session_starts_cache = None
        if problem:
            self.notice(f"an interrupted import could not be completed: {problem}")
        elif written:
            self.notice(
                f"an import was interrupted before it finished (the program was stopped); it has "
                f"now been completed ({count(len(written), 'file')} written)."
            )

    @contextmanager
    def all_or_nothing(self) -> Iterator[None]:
        """Writes inside reach the disk together at the end, or not at all.

        They are kept in memory (reads see them) and then committed: every file is
        encoded first (a value that cannot be written fails here, before anything
        changed), several files go through the journal.
        """
        with self.write_lock():
            if self._deferring:
                yield
                return
            self._deferring = True
            for storage in self._storages.values():
                storage.deferred = True
            try:
                yield
                self._commit()
            except BaseException:
                for path, storage in self._storages.items():
                    if storage.pending:
                        storage.invalidate()
                        _forget_tables(self._dbs[path])
                self._sessions_cache = None
                self._session_starts_cache = None
                self._manifest_cache = None
                raise
            finally:
                self._deferring = False
                for storage in self._storages.values():
                    storage.deferred = False

    def _commit(self) -> None:
        new_months = [s.path for s in self._storages.values() if s.pending and not s.path.exists()]
        self._add_to_manifest(new_months)  # in the same commit: a new month is never unlisted
        dirty = [s for s in self._storages.values() if s.pending]
        if not dirty:
            return
        payloads = [(s, s.encode(s.pending_data), s.pending_data) for s in dirty]
        if len(dirty) == 1:
            storage, payload, data = payloads[0]
            storage.flush(payload, data)
            return
        try:
            self.journal.write({s.path: data for s, _, data in payloads})
        except OSError as exc:
            with contextlib.suppress(OSError):
                self.journal.done()
            raise StoreError(describe_os_error(exc, self.journal.path)) from exc
        for i, (storage, payload, data) in enumerate(payloads):
            try:
                storage.flush(payload, data)
            except StoreError as exc:
                if i == 0:
                    with contextlib.suppress(OSError):
                        self.journal.done()
                    raise
                raise StoreError(
                    f"{exc} The import was written in part; it is recorded in full and the next "
                    "companion command will complete it once saving works again."
                ) from exc
        self.journal.done()

    # ------------------------------------------------------------------ damage (the keeper)

    def repair(self, damage: DamagedFileError) -> Recovered:
        """Replace a damaged file by its newest good backup, keep it aside, tell the patient.

        Under the cross-process lock, and only if the file is still damaged once we
        hold it: two processes finding the same damage must not both move files
        aside (the second would move away the first one's restored, maybe already
        updated, copy).
        """
        with self._lock:
            path = damage.path
            try:
                found = read_with_identity(path)
                if found is None:
                    return self.missing(path)
                data = parse_document(path, found[0])
            except DamagedFileError as still:
                return self._repair_locked(still)
            clean, bad = split_entries(data)
            return self.set_aside(path, found[0], bad) if bad else Recovered(clean)

    def _replacement(self, path: Path) -> tuple[str | None, bytes]:
        """The newest good backup of a file (its folder name and bytes), else an empty file."""
        found = self.backups.newest_good_copy(path.relative_to(self.data_dir))
        if found is None:
            return None, b"{}"
        return found[0].name, found[1]

    def _repair_locked(self, damage: DamagedFileError) -> Recovered:
        path = damage.path
        rel = self._rel(path)
        stamp = pendulum.now().format("YYYYMMDDTHHmmss")
        aside = path.with_name(f"{path.name}.damaged-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        source, raw = self._replacement(path)
        restored: dict[str, Any] = split_entries(parse_document(path, raw))[0] if source else {}
        try:
            replace_keeping_aside(path, raw, aside)
        except OSError as exc:
            why = describe_os_error(exc, path, verb="write the repaired file").split(": ", 1)[-1]
            why = why.removesuffix(" Nothing was changed.").rstrip(".")
            refusal = (
                f"{rel} is damaged ({damage.reason}) and could not be repaired: {why}. Nothing was "
                "moved; changes to it cannot be saved until it is repaired (companion tries again "
                "each time it starts)"
            )
            shown = f"the backup from {source} is shown meanwhile" if source else "its records are left out"
            self.notice(f"{refusal}; {shown}.")
            return Recovered(restored, refuse_writes=refusal + ".")
        if source is None:
            self.notice(
                f"{rel} was damaged ({damage.reason}); it is kept as {aside} and no backup "
                "of it exists, so that part of your data starts empty."
            )
        else:
            self.notice(
                f"{rel} was damaged ({damage.reason}); it is kept as {aside} and the backup "
                f"from {source} was restored (changes made after that are missing)."
            )
        return Recovered(restored)

    def _should_exist(self, path: Path) -> bool:
        """Whether a file that is not there was there before (then it is damage, not a fresh start)."""
        if path == self.meta_path:
            # Every write records companion.json first: month files or a backup of it say it existed.
            return bool(self.present_month_keys()) or self.backups.holds(Path(META_FILE))
        manifest = self._manifest()
        if manifest is not None:
            return path.stem in manifest
        return self.backups.holds(path.relative_to(self.data_dir))

    def missing(self, path: Path) -> Recovered:
        """A store file is not there: a fresh start, or a file that existed and is gone."""
        folder = path.parent
        if (folder.exists() and not folder.is_dir()) or not self._should_exist(path):
            return Recovered(None)  # a fresh start (or days/ is a file: said where it is listed)
        with self._lock:
            if path.exists():
                return Recovered(None, retry=True)  # another process restored it meanwhile
            rel = self._rel(path)
            source, raw = self._replacement(path)
            restored: dict[str, Any] = split_entries(parse_document(path, raw))[0] if source else {}
            try:
                folder.mkdir(mode=DIR_MODE, exist_ok=True)  # the whole days/ folder may be gone
                atomic_write_bytes(path, raw)
            except OSError as exc:
                why = describe_os_error(exc, path, verb="restore it").split(": ", 1)[-1]
                refusal = f"{rel} is missing and could not be restored: {why}"
                shown = f"the backup from {source} is shown meanwhile" if source else "it is shown empty"
                self.notice(f"{refusal} ({shown}).")
                return Recovered(restored, refuse_writes=refusal)
            if source is None:
                self.notice(
                    f"{rel} is missing (it existed before) and no backup of it exists, so that "
                    "part of your data starts empty."
                )
            else:
                self.notice(
                    f"{rel} is missing (it existed before); the backup from {source} was restored "
                    "(changes made after that are missing)."
                )
            return Recovered(restored)

    # ------------------------------------------------------------------ records set aside

    def set_aside(self, path: Path, raw: bytes, bad: list[BadEntry]) -> Recovered:
        """Entries of a file that are not records at all: into the quarantine, out of the file."""
        rel = self._rel(path)
        entries = [SetAside(rel, b.table, b.key, b.value, b.reason) for b in bad]
        clean = split_entries(parse_document(path, raw))[0]
        try:
            with self._lock:
                found = read_with_identity(path)
                if found is None or found[0] != raw:
                    return Recovered(None, retry=True)  # changed meanwhile: read it again
                self.quarantine.add(entries)
                atomic_write_bytes(path, encode_document(clean))
        except (OSError, StoreError) as exc:
            refusal = self._not_set_aside(entries, exc)
            return Recovered(clean, refuse_writes=refusal)
        for entry in entries:
            self._said_set_aside(entry)
        return Recovered(clean)

    def _parse_each(
        self,
        path: Path,
        table: str,
        docs: Iterable[Document],
        convert: Callable[[Any, str], T],
        what: str,
    ) -> list[T]:
        """Read stored records; one that breaks its types is set aside, the rest returned.

        A record whose only fault is its text (a control character, a lone surrogate:
        possible in what an older companion imported) stays in view with that text
        cleaned: setting aside a check-in would hide its alerts. Its original is kept.
        """
        found: list[T] = []
        bad: list[tuple[Document, Exception, dict[str, Any] | None]] = []
        for doc in docs:
            label = f"stored {what} {doc.doc_id}"
            try:
                found.append(convert(dict(doc), label))
            except UnsafeTextError as exc:
                fixed = clean_text(dict(doc))
                try:
                    try:
                        found.append(convert(fixed, label))
                    except UnsafeTextError:  # a newline where one line belongs
                        fixed = clean_text(dict(doc), one_line=True)
                        found.append(convert(fixed, label))
                except _UNREADABLE_RECORD as still:
                    bad.append((doc, still, None))
                else:
                    bad.append((doc, exc, fixed))
            except _UNREADABLE_RECORD as exc:
                bad.append((doc, exc, None))
        if bad:
            self._set_aside_records(path, table, bad, what)
        return found

    def _set_aside_records(
        self, path: Path, table: str, bad: list[tuple[Document, Exception, dict[str, Any] | None]], what: str
    ) -> None:
        """Each bad record into the quarantine file (flushed), then out of its file, or, for
        one whose text was cleaned, replaced there by the cleaned record."""
        rel = self._rel(path)
        entries = [
            SetAside(rel, table, str(doc.doc_id), dict(doc), _reason(exc, what)) for doc, exc, _ in bad
        ]
        replacements = {str(doc.doc_id): fixed for doc, _, fixed in bad}
        try:
            with self._lock:
                storage = self._storages[path]
                data = storage.read() or {}
                rows = data.get(table, {})
                # Still there as it was (compared as text: a NaN is not == itself)?
                still = [e for e in entries if e.key in rows and _same(rows[e.key], e.value)]
                if still:
                    self.quarantine.add(still)
                    cleaned = {name: dict(docs) for name, docs in data.items()}
                    for entry in still:
                        fixed = replacements.get(str(entry.key))
                        if fixed is None:
                            cleaned[table].pop(str(entry.key), None)
                        else:
                            cleaned[table][str(entry.key)] = fixed
                    storage.write(cleaned)
                    _forget_tables(self._dbs[path])
        except (OSError, StoreError) as exc:
            self._not_set_aside(entries, exc)
            return
        for entry in still:  # the others changed meanwhile: they are read again next time
            if replacements.get(str(entry.key)) is None:
                self._said_set_aside(entry)
            else:
                self.notice(
                    f"{_describe(entry)} in {entry.file} had text that cannot be shown or saved "
                    f"({entry.reason}); it was taken out and the record kept. The record as it was "
                    f"is in {self.quarantine.path}."
                )

    def _said_set_aside(self, entry: SetAside) -> None:
        self.notice(
            f"{_describe(entry)} in {entry.file} could not be read ({entry.reason}); it was set "
            f"aside, as it was, in {self.quarantine.path} and is left out. Everything else is as before."
        )

    def _not_set_aside(self, entries: list[SetAside], exc: Exception) -> str:
        why = str(exc)
        for entry in entries:
            self.notice(
                f"{_describe(entry)} in {entry.file} could not be read ({entry.reason}) and could not "
                f"be set aside ({why}); it is left out, and kept in the file."
            )
        return (
            f"{entries[0].file} holds a record that could not be read nor set aside ({why}); "
            "nothing was saved"
        )

    # ------------------------------------------------------------------ schema

    def _stored_version(self, db: TinyDB) -> int | None:
        doc = _meta_doc(db)
        if doc is None:
            return None
        version = doc.get("schema_version", SCHEMA_VERSION)
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            # An unreadable version is a damaged record: set aside (with the settings in
            # it, kept in the quarantine file), the folder then starts with fresh settings.
            problem = InputError("schema_version", f"must be a whole number; found {version!r}")
            self._set_aside_records(self.meta_path, "meta", [(doc, problem, None)], "settings record")
            return None
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the data in {self.data_dir} was written by a newer companion "
                f"(schema {version}; this one knows {SCHEMA_VERSION}): please update companion"
            )
        return version

    def _check_schema(self, db: TinyDB) -> None:
        """Refuse a newer schema; migrate an older one (once, under the lock).

        ``_checked_schema`` is set while checking (migrations may read the store) and
        cleared again when the check fails, so every later call refuses too.
        """
        try:
            version = self._stored_version(db)
            if version is not None and version < SCHEMA_VERSION:
                with self.write_lock():
                    # Another process may have migrated while we waited for the lock.
                    version = self._stored_version(db)
                    while version is not None and version < SCHEMA_VERSION:
                        step = MIGRATIONS.get(version)
                        if step is None:
                            raise StoreError(
                                f"the data in {self.data_dir} has schema {version}, "
                                "which this companion cannot convert"
                            )
                        step(self)
                        version += 1
                        self._write_meta(db, {"schema_version": version})
        except BaseException:
            self._checked_schema = False
            raise

    def schema_version(self) -> int | None:
        doc = _meta_doc(self._meta())
        return None if doc is None else doc.get("schema_version")

    def _write_meta(self, db: TinyDB, changes: dict[str, Any]) -> None:
        table = db.table("meta")
        current = dict(table.get(doc_id=1) or {"schema_version": SCHEMA_VERSION})
        version = current.get("schema_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            current["schema_version"] = SCHEMA_VERSION  # an unreadable one was set aside
        current.update(changes)
        table.upsert(Document(current, doc_id=1))

    # ------------------------------------------------------------------ settings

    def settings(self) -> Settings:
        return settings_from_record(_meta_value(self._meta(), "settings"), self._default_goal)

    def update_settings(self, **changes: Any) -> Settings:
        with self.write_lock():
            updated = self.settings().changed(**changes)
            self._write_meta(self._meta(), {"settings": updated.to_record()})
            return updated

    # ------------------------------------------------------------------ sessions

    def sessions(self) -> list[Session]:
        """All sessions, oldest first.

        Parsed once per version of the file: ``status`` asks twice, and a patient
        with years of fortnightly sessions has hundreds of them.
        """
        table = self._meta().table("sessions")
        storage = self._storages[self.meta_path]
        storage.read()  # notices another process's write (the file's identity moves)
        version = storage.identity
        cached = self._sessions_cache
        if cached is not None and version is not None and cached[0] == version:
            return list(cached[1])
        sessions = self._parse_each(self.meta_path, "sessions", table.all(), session_from_record, "session")
        sessions.sort(key=lambda s: s.started)
        self._sessions_cache = (storage.identity, sessions)
        return list(sessions)

    def sessions_from(self, moment: pendulum.DateTime) -> list[Session]:
        """The session in effect at ``moment`` (the latest started at or before it) and every
        later one, oldest first: all that a rule about ``moment`` or after looks at (status:
        the latest session, and the one its latest check-in was made under). Each is the
        one :meth:`sessions` gives, in the same order.

        Every record is checked as :meth:`sessions` checks it (one that breaks its types is
        set aside, and the patient told, just the same); only those returned are built: a
        patient of decades has hundreds of sessions, and `status` runs often.
        """
        stamp = moment.timestamp()
        self._meta()  # the schema checked, an interrupted import finished
        storage = self._storages[self.meta_path]
        # What TinyDB's table reads (objects under numeric ids: see split_entries), as stored.
        rows: dict[str, dict[str, Any]] = (storage.read() or {}).get("sessions", {})
        version = storage.identity
        cached = self._sessions_cache
        if cached is not None and version is not None and cached[0] == version:
            every: list[_SessionStart] = [(s.started, i, s) for i, s in enumerate(cached[1])]
            return [s for _, _, s in _in_effect_from(every, stamp) if isinstance(s, Session)]
        starts = self._session_starts_cache
        if starts is None or version is None or starts[0] != version:
            starts = (version, self._session_starts(rows))
            self._session_starts_cache = starts
        candidates = starts[1]
        while True:
            chosen = _in_effect_from(candidates, stamp)
            built: list[Session] = []
            for entry in chosen:
                _, position, item = entry
                if isinstance(item, Session):
                    built.append(item)
                    continue
                found = self._parse_each(
                    self.meta_path, "sessions", [_document(*item)], session_from_record, "session"
                )
                if not found:  # checked as sound, yet not built: set aside; choose again
                    candidates.remove(entry)
                    break
                candidates[candidates.index(entry)] = (found[0].started, position, found[0])
                built.append(found[0])
            else:
                return built

    def _session_starts(self, rows: dict[str, dict[str, Any]]) -> list[_SessionStart]:
        """(start, position in the file, the record) of each session record, sorted as
        :meth:`sessions` sorts them; a record that is not sound as it is goes through
        :meth:`_parse_each` at once (set aside, or kept with its text cleaned: built)."""
        starts: list[_SessionStart] = []
        for position, (key, record) in enumerate(rows.items()):
            try:
                starts.append((record_start(record), position, (key, record)))
            except _UNREADABLE_RECORD:
                found = self._parse_each(
                    self.meta_path, "sessions", [_document(key, record)], session_from_record, "session"
                )
                if found:
                    starts.append((found[0].started, position, found[0]))
        starts.sort(key=lambda entry: entry[:2])
        return starts

    def add_session(self, session: Session) -> None:
        with self.write_lock():
            meta = self._meta()
            if _meta_doc(meta) is None:
                self._write_meta(meta, {})
            meta.table("sessions").insert(session.to_record())

    def remove_session(self, session_id: str) -> bool:
        with self.write_lock():
            table = self._meta().table("sessions")
            ids = [d.doc_id for d in table.all() if d.get("id") == session_id]
            if ids:
                table.remove(doc_ids=ids)
            return bool(ids)

    # ------------------------------------------------------------------ id-keyed lists

    def _records(self, table: str) -> list[dict[str, Any]]:
        return [dict(d) for d in self._meta().table(table).all()]

    def _parsed(self, table: str, convert: Callable[[Any, str], T], what: str) -> list[T]:
        return self._parse_each(self.meta_path, table, self._meta().table(table).all(), convert, what)

    def _add_record(self, table: str, record: dict[str, Any]) -> None:
        with self.write_lock():  # which records the schema version first
            self._meta().table(table).insert(record)

    def _remove_record(self, table: str, record_id: str) -> bool:
        with self.write_lock():
            t = self._meta().table(table)
            ids = [d.doc_id for d in t.all() if d.get("id") == record_id]
            if ids:
                t.remove(doc_ids=ids)
            return bool(ids)

    def appointments(self) -> list[Appointment]:
        found = self._parsed("appointments", appointment_from_record, "appointment")
        return sorted(found, key=lambda a: a.at.timestamp())

    def add_appointment(self, appointment: Appointment) -> None:
        self._add_record("appointments", appointment.to_record())

    def remove_appointment(self, appointment_id: str) -> bool:
        return self._remove_record("appointments", appointment_id)

    def exercises(self) -> list[Exercise]:
        from companion.core.exercises import exercise_from_record

        return self._parsed("exercises", exercise_from_record, "exercise")

    def add_exercise(self, exercise: Exercise) -> None:
        self._add_record("exercises", exercise.to_record())

    def remove_exercise(self, exercise_id: str) -> bool:
        return self._remove_record("exercises", exercise_id)

    def questions(self) -> list[Question]:
        from companion.core.questions import question_from_record

        found = self._parsed("questions", question_from_record, "question")
        return sorted(found, key=lambda q: q.asked_at.timestamp())

    def add_question(self, question: Question) -> None:
        self._add_record("questions", question.to_record())

    def remove_question(self, question_id: str) -> bool:
        return self._remove_record("questions", question_id)

    def mark_questions_done(self, ids: list[str] | None, when: Any) -> int:
        """Mark the given questions (all open ones when ``ids`` is None) as asked."""
        with self.write_lock():
            table = self._meta().table("questions")
            changed = 0
            for doc in table.all():
                if doc.get("done_at") is None and (ids is None or doc.get("id") in ids):
                    table.update({"done_at": clock.iso(when)}, doc_ids=[doc.doc_id])
                    changed += 1
            return changed

    def clinic_entries(self) -> list[ClinicEntry]:
        """Each change of protocol, oldest first (see core.protocol_versions).

        A stored entry that cannot be read is left out (with a notice): its sessions
        fall back to the protocol before it, never to no rules at all.
        """
        from companion.core.protocol_versions import ClinicEntry, entry_from_record

        doc: dict[str, Any] = dict(_meta_doc(self._meta()) or {})
        raw = doc.get("clinic_protocols")
        entries: list[ClinicEntry] = []
        if isinstance(raw, list):
            for i, record in enumerate(raw):
                try:
                    entries.append(entry_from_record(record, f"stored clinic protocol {i + 1}"))
                except InputError as exc:
                    self.notice(f"{exc}; that clinic protocol is left out.")
            return entries
        legacy = doc.get("clinic_protocol")
        if not isinstance(legacy, dict):
            return entries
        text = legacy.get("text")
        if isinstance(text, str) and text.strip():
            # Kept by an older companion, for every session: it applies from the session
            # that was the latest when it was imported.
            imported = None
            with contextlib.suppress(InputError, ValueError, TypeError):
                imported = clock.parse_stored(str(legacy.get("imported_at")))
            started = self._latest_session_start(imported)
            entries.append(ClinicEntry(text, str(legacy.get("source") or ""), imported, started))
        return entries

    def _latest_session_start(self, at: pendulum.DateTime | None) -> pendulum.DateTime | None:
        """The start of the latest session started at or before `at` (now when None)."""
        moment = (at or clock.now()).timestamp()
        starts = [s.started_at for s in self.sessions() if s.started <= moment]
        return max(starts, key=lambda d: d.timestamp()) if starts else None

    def clinic_text(self) -> str | None:
        """The clinic file in effect for the latest and new sessions (None: the general guidance)."""
        entries = self.clinic_entries()
        return entries[-1].text if entries else None

    def set_clinic_text(self, text: str | None, source: str = "") -> None:
        """A validated clinic protocol (None: back to the general guidance), from the latest
        session onwards; earlier sessions keep theirs."""
        from companion.core.protocol_versions import ClinicEntry, with_entry

        with self.write_lock():
            now = clock.now()
            entry = ClinicEntry(text, source, now, self._latest_session_start(now))
            entries = with_entry(self.clinic_entries(), entry)
            self._write_meta(
                self._meta(),
                {"clinic_protocols": [e.to_record() for e in entries], "clinic_protocol": None},
            )

    # ------------------------------------------------------------------ the course of treatment
    # The complaint's wordings and the activities live in companion.json (a few records);
    # activity ratings in the month files (table ``activity_ratings``, doc id day * 1000 + n),
    # so ten years of weekly ratings do not weigh on every start.

    def complaints(self) -> list[Complaint]:
        from companion.core.complaint import by_time, complaint_from_record

        return by_time(complaint_from_record(r, "stored complaint") for r in self._records("complaints"))

    def add_complaint(self, complaint: Complaint) -> None:
        self._add_record("complaints", complaint.to_record())

    def activities(self) -> list[Activity]:
        from companion.core.activities import activity_from_record, ordered

        return ordered(activity_from_record(r, "stored activity") for r in self._records("activities"))

    def add_activity(self, activity: Activity) -> None:
        self._add_record("activities", activity.to_record())

    def update_activity(self, activity: Activity) -> bool:
        """Replace the stored activity with the same id (to retire it)."""
        with self.write_lock():
            table = self._meta().table("activities")
            ids = [d.doc_id for d in table.all() if d.get("id") == activity.id]
            if ids:
                table.update(activity.to_record(), doc_ids=ids)
            return bool(ids)

    def remove_activity(self, activity_id: str) -> bool:
        return self._remove_record("activities", activity_id)

    def ratings_between(self, first: dt.date, last: dt.date) -> list[Rating]:
        from companion.core.activities import rating_from_record

        lo, hi = _doc_id(first) * 1000, _doc_id(last) * 1000 + 999
        found = []
        for key in self._months_with_files(first, last):
            for doc in self._month(key).table("activity_ratings").all():
                if lo <= doc.doc_id <= hi:
                    found.append(rating_from_record(dict(doc), f"stored activity rating {key}"))
        return sorted(found, key=lambda r: (r.date, r.rated_at.timestamp()))

    def all_ratings(self) -> list[Rating]:
        span = self._stored_span()
        return self.ratings_between(*span) if span else []

    def save_ratings(self, ratings: list[Rating]) -> None:
        """Store ratings; one for the same activity and day replaces it (one write per month)."""
        with self.write_lock():
            self._ensure_dir(self.days_dir)
            for key, docs in self._rating_docs(ratings, keep_later=False).items():
                self._bulk_upsert(key, {"activity_ratings": docs})

    def _rating_docs(self, ratings: list[Rating], *, keep_later: bool) -> dict[str, list[Document]]:
        """The documents that put ``ratings`` into their month files, by month (call under the lock).

        A rating replaces the one stored for the same activity and day; with ``keep_later``
        (an import) the stored one stays unless the new one was made later, so importing
        the same file twice writes nothing.
        """
        by_month: dict[str, list[Rating]] = {}
        for rating in ratings:
            by_month.setdefault(_month_key(rating.date), []).append(rating)
        present = set(self.month_keys())
        planned: dict[str, list[Document]] = {}
        for key, month_ratings in by_month.items():
            stored = self._month(key).table("activity_ratings").all() if key in present else []
            docs = {d.doc_id: dict(d) for d in stored}
            fresh: list[Document] = []
            for rating in month_ratings:
                base = _doc_id(rating.date) * 1000
                same_day = {i: d for i, d in docs.items() if base <= i < base + 1000}
                mine = next(
                    (i for i, d in same_day.items() if d.get("activity_id") == rating.activity_id), None
                )
                if mine is not None and keep_later:
                    stored_at = clock.parse_stored(str(same_day[mine].get("rated_at")))
                    if not rating_wins(stored_at, rating):
                        continue
                doc_id = mine if mine is not None else max(same_day, default=base) + 1
                docs[doc_id] = rating.to_record()
                fresh.append(Document(rating.to_record(), doc_id=doc_id))
            if fresh:
                planned[key] = fresh
        return planned

    def _import_course(self, backup: Backup) -> int:
        """The complaint's wordings and the activities of a backup (under the write lock);
        its ratings go into the month files with the day records."""
        stored = {a.id: a for a in self.activities()}
        added = self._insert_unseen("complaints", backup.complaints)
        added += self._insert_unseen("activities", backup.activities)
        for activity in backup.activities:
            retired = merged_activity(stored.get(activity.id), activity)
            if retired is not None:
                self.update_activity(retired)
                added += 1
        return added

    def _insert_unseen(self, table: str, items: Sequence[Keyed]) -> int:
        """Add the records whose id the table does not hold yet; how many were added."""
        known = {r.get("id") for r in self._records(table)}
        fresh = unseen(items, known)
        if fresh:
            self._meta().table(table).insert_multiple(item.to_record() for item in fresh)
        return len(fresh)

    # ------------------------------------------------------------------ intake

    def add_intake(self, intake: Intake) -> None:
        self._insert_intake([intake])

    def _insert_intake(self, entries: list[Intake]) -> None:
        """Entries into their month files, one write per month; a day's entries get the ids
        after the ones it already has (day * 1000 + 1, + 2, ...)."""
        by_month: dict[str, list[Intake]] = {}
        for entry in entries:
            by_month.setdefault(_month_key(entry.date), []).append(entry)
        with self.write_lock():
            self._ensure_dir(self.days_dir)
            for key, month_entries in by_month.items():
                taken = [d.doc_id for d in self._month(key).table("intake").all()]
                docs = []
                for entry in month_entries:
                    base = _doc_id(entry.date) * 1000
                    doc_id = max((i for i in taken if base <= i < base + 1000), default=base) + 1
                    taken.append(doc_id)
                    docs.append(Document(entry.to_record(), doc_id=doc_id))
                self._bulk_upsert(key, {"intake": docs})

    def intake_between(self, first: dt.date, last: dt.date) -> list[Intake]:
        from companion.core.intake import intake_from_record

        lo, hi = _doc_id(first) * 1000, _doc_id(last) * 1000 + 999
        found = []
        for key in self._months_with_files(first, last):
            path = self.days_dir / f"{key}.json"
            docs = [d for d in self._month(key).table("intake").all() if lo <= d.doc_id <= hi]
            found.extend(self._parse_each(path, "intake", docs, intake_from_record, "intake entry"))
        return sorted(found, key=lambda i: i.at.timestamp())

    def all_intake(self) -> list[Intake]:
        span = self._stored_span()
        return self.intake_between(*span) if span else []

    # ------------------------------------------------------------------ day records

    def _months_with_files(self, first: dt.date, last: dt.date) -> list[str]:
        """The months from ``first`` to ``last`` that have (or had) a file."""
        known = set(self.month_keys())
        return [key for key in _months_between(first, last) if key in known]

    def _stored_span(self) -> tuple[dt.date, dt.date] | None:
        """From the first day of the first month with a file to the last day of the last one."""
        keys = self.month_keys()
        if not keys:
            return None
        return _month_start(keys[0]), _month_start(keys[-1]) + dt.timedelta(days=31)

    def _day_doc(self, table: str, day: dt.date) -> Document | None:
        key = _month_key(day)
        path = self.days_dir / f"{key}.json"
        if path not in self._dbs and not path.exists() and key not in (self._manifest() or ()):
            return None  # a month never written: nothing to read (nothing to restore either)
        doc = self._month(key).table(table).get(doc_id=_doc_id(day))
        return doc if isinstance(doc, Document) else None

    def _day_record(self, table: str, day: dt.date, convert: Callable[[Any, str], T], what: str) -> T | None:
        doc = self._day_doc(table, day)
        if doc is None:
            return None
        found = self._parse_each(self.days_dir / f"{_month_key(day)}.json", table, [doc], convert, what)
        return found[0] if found else None

    def _update_day(
        self, table: str, day: dt.date, read: Callable[[dt.date], Day], change: Callable[[Day], Day]
    ) -> Day:
        """Read a day's record, apply a core rule, write the result: one step under the lock."""
        with self.write_lock():
            updated = change(read(day))
            self._ensure_dir(self.days_dir)
            doc = Document(updated.to_record(), doc_id=_doc_id(day))
            self._month(_month_key(day)).table(table).upsert(doc)
            return updated

    def hydration_day(self, day: dt.date) -> HydrationDay:
        found = self._day_record("hydration", day, hydration_from_record, "water day")
        return found if found is not None else empty_day(day, self.settings().default_goal)

    def update_hydration(self, day: dt.date, change: Callable[[HydrationDay], HydrationDay]) -> HydrationDay:
        """Apply a core rule to a day's hydration under the lock (read-modify-write)."""
        return self._update_day("hydration", day, self.hydration_day, change)

    def set_default_goal(self, goal: int, day: dt.date) -> HydrationDay:
        """The new daily goal, from ``day`` on (today's record keeps its ticks)."""
        with self.write_lock():
            self.update_settings(default_goal=goal)
            return self.update_hydration(day, lambda h: h.with_goal(goal))

    def checkin_for(self, day: dt.date) -> CheckIn | None:
        return self._day_record("checkins", day, checkin_from_record, "check-in")

    def save_checkin(self, checkin: CheckIn) -> None:
        """Store a day's check-in, replacing any earlier one for that day: the whole record,
        so a key the new one leaves out (the optional usual pain) does not linger from the old."""
        with self.write_lock():
            self._ensure_dir(self.days_dir)
            doc = Document(checkin.to_record(), doc_id=_doc_id(checkin.date))
            self._bulk_upsert(_month_key(checkin.date), {"checkins": [doc]})

    def checklist_day(self, day: dt.date) -> ChecklistDay:
        found = self._day_record("checklist", day, checklist_from_record, "checklist day")
        return found if found is not None else ChecklistDay(day)

    def update_checklist(self, day: dt.date, change: Callable[[ChecklistDay], ChecklistDay]) -> ChecklistDay:
        return self._update_day("checklist", day, self.checklist_day, change)

    def days_between(self, first: dt.date, last: dt.date) -> DayRecords:
        """Every day record from ``first`` to ``last`` inclusive."""
        checkins: list[CheckIn] = []
        hydration: list[HydrationDay] = []
        checklist: list[ChecklistDay] = []
        lo, hi = _doc_id(first), _doc_id(last)
        for key in self._months_with_files(first, last):
            db = self._month(key)
            path = self.days_dir / f"{key}.json"

            def within(table: str) -> list[Document]:
                return [d for d in db.table(table).all() if lo <= d.doc_id <= hi]  # noqa: B023

            checkins += self._parse_each(
                path, "checkins", within("checkins"), checkin_from_record, "check-in"
            )
            hydration += self._parse_each(
                path, "hydration", within("hydration"), hydration_from_record, "water day"
            )
            checklist += self._parse_each(
                path, "checklist", within("checklist"), checklist_from_record, "checklist day"
            )
        return DayRecords(checkins, hydration, checklist)

    def first_day(self) -> dt.date | None:
        """The earliest day with any record (or session), None for an empty store."""
        candidates: list[dt.date] = []
        keys = self.month_keys()
        for key in keys:
            db = self._month(key)
            ids = [d.doc_id for t in DAY_TABLES for d in db.table(t).all()]
            if ids:
                first = min(ids)
                candidates.append(dt.date(first // 10000, first // 100 % 100, first % 100))
                break
        sessions = self.sessions()
        if sessions:
            candidates.append(clock.to_local(sessions[0].started_at).date())
        return min(candidates) if candidates else None

    def last_day(self, upto: dt.date) -> dt.date | None:
        """The latest day up to ``upto`` with any day record (check-in, water, checklist)."""
        limit = _doc_id(upto)
        for key in reversed(self.month_keys()):
            if int(key.replace("-", "")) * 100 > limit:
                continue
            db = self._month(key)
            ids = [d.doc_id for t in DAY_TABLES for d in db.table(t).all() if d.doc_id <= limit]
            if ids:
                last = max(ids)
                return dt.date(last // 10000, last // 100 % 100, last % 100)
        return None

    def latest_checkin(self, before: dt.date | None = None) -> CheckIn | None:
        """The check-in of the latest day (before ``before`` when given)."""
        limit = _doc_id(before) if before is not None else None
        for key in reversed(self.month_keys()):
            if limit is not None and int(key.replace("-", "")) * 100 > limit:
                continue
            docs = self._month(key).table("checkins").all()
            eligible = sorted(
                (d for d in docs if limit is None or d.doc_id < limit), key=lambda d: d.doc_id, reverse=True
            )
            path = self.days_dir / f"{key}.json"
            for doc in eligible:  # the latest one that can be read (one that cannot is set aside)
                found = self._parse_each(path, "checkins", [doc], checkin_from_record, "check-in")
                if found:
                    return found[0]
        return None

    # ------------------------------------------------------------------ bulk

    def _bulk_upsert(self, key: str, tables: dict[str, list[Document]]) -> None:
        """Upsert many day documents into one month file with a single write."""
        db = self._month(key)
        storage = self._storages[self.days_dir / f"{key}.json"]
        data = {name: dict(rows) for name, rows in (storage.read() or {}).items()}
        for table, docs in tables.items():
            rows = data.setdefault(table, {})
            for doc in docs:
                rows[str(doc.doc_id)] = dict(doc)
        storage.write(data)
        _forget_tables(db)

    def all_days(self) -> DayRecords:
        span = self._stored_span()
        return self.days_between(*span) if span else DayRecords([], [], [])

    def apply_import(self, backup: Backup) -> ImportCounts:
        """Merge a validated backup by the rules of ``core.import_merge``; importing the same
        file twice adds nothing.

        All or nothing: every file is written at the end, together (a process killed
        half-way leaves a journal the next store completes).
        """
        with self.all_or_nothing():
            meta = self._meta()
            if _meta_doc(meta) is None:
                self._write_meta(meta, {})
            extra = sum(
                self._insert_unseen(table, items)
                for table, items in (
                    ("appointments", backup.appointments),
                    ("exercises", backup.exercises),
                    ("questions", backup.questions),
                )
            )
            if backup.intake:
                # An entry's day is taken in the zone of the day: look two days wider, so
                # entries stored while in another zone are still recognised.
                slack = dt.timedelta(days=2)
                first = min(i.date for i in backup.intake) - slack
                last = max(i.date for i in backup.intake) + slack
                fresh_intake = unseen(backup.intake, {i.id for i in self.intake_between(first, last)})
                self._insert_intake(fresh_intake)
                extra += len(fresh_intake)
            extra += self._import_course(backup)
            new_sessions = unseen(backup.sessions, {s.id for s in self.sessions()})
            if new_sessions:
                meta.table("sessions").insert_multiple(s.to_record() for s in new_sessions)
            by_month: dict[str, dict[str, list[Document]]] = {}

            def queue(table: str, merged: CheckIn | HydrationDay | ChecklistDay | None) -> int:
                if merged is None:
                    return 0
                tables = by_month.setdefault(_month_key(merged.date), {t: [] for t in DAY_TABLES})
                tables[table].append(Document(merged.to_record(), doc_id=_doc_id(merged.date)))
                return 1

            counts = {
                "checkins": sum(
                    queue("checkins", merged_checkin(self.checkin_for(c.date), c)) for c in backup.checkins
                ),
                "hydration": sum(
                    queue(
                        "hydration",
                        merged_hydration(
                            self._day_record("hydration", h.date, hydration_from_record, "water day"), h
                        ),
                    )
                    for h in backup.hydration
                ),
                "checklist": sum(
                    queue("checklist", merged_checklist(self.checklist_day(d.date), d))
                    for d in backup.checklist
                ),
            }
            for key, docs in self._rating_docs(backup.activity_ratings, keep_later=True).items():
                by_month.setdefault(key, {t: [] for t in DAY_TABLES})["activity_ratings"] = docs
                extra += len(docs)
            if by_month:
                self._ensure_dir(self.days_dir)
            for key, tables in by_month.items():
                self._bulk_upsert(key, tables)
            return ImportCounts(sessions=len(new_sessions), other=extra, **counts)


_SessionStart = tuple[float, int, Session | tuple[str, dict[str, Any]]]
"""A session record's start (POSIX seconds), its position in the file, and the session built,
or its record (key, fields) not built yet."""


def _document(key: str, record: dict[str, Any]) -> Document:
    """A stored record as TinyDB's table gives it (a copy, under its record number)."""
    return Document(record, doc_id=int(key))


def _in_effect_from(starts: list[_SessionStart], stamp: float) -> list[_SessionStart]:
    """Of sessions sorted by start: the one in effect at ``stamp`` (the latest started at or
    before it; with others started at that same second, all of them: the first of them is the
    one in effect) and every later one; all of them when none had started."""
    before = [entry for entry in starts if entry[0] <= stamp]
    if not before:
        return list(starts)
    threshold = before[-1][0]
    return [entry for entry in starts if entry[0] >= threshold]


def _meta_doc(db: TinyDB) -> Document | None:
    """The settings record of companion.json (doc 1 of its meta table), None before the first write."""
    doc = db.table("meta").get(doc_id=1)
    return doc if isinstance(doc, Document) else None


def _meta_value(db: TinyDB, key: str) -> Any:
    doc = _meta_doc(db)
    return doc.get(key) if doc is not None else None


def _forget_tables(db: TinyDB) -> None:
    """Drop what TinyDB holds in memory of a file's tables, its next free document id too
    (a stale one would make an insert collide with a document another process added).
    The one place that touches TinyDB's private attributes."""
    db.clear_cache()
    for table in db._tables.values():
        table._next_id = None


def _real_month(key: str) -> bool:
    """'2026-10' yes; '2026-13' (a file someone put there) no: it would break date arithmetic."""
    year, month = int(key[:4]), int(key[5:])
    return clock.EARLIEST.year <= year <= clock.LATEST.year and 1 <= month <= 12


def _same(a: Any, b: Any) -> bool:
    return bool(a == b) or exact_json(a) == exact_json(b)


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


_RECORD_NAMES = {
    "checkins": "the check-in",
    "hydration": "the water record",
    "checklist": "the checklist",
    "intake": "an intake entry",
    "sessions": "a session",
    "appointments": "an appointment",
    "exercises": "an exercise",
    "questions": "a question",
    "meta": "the settings record",
}


def _describe(entry: SetAside) -> str:
    """Which record, in words: 'the check-in of 2026-11-21', 'a session (record 3)'."""
    if entry.key is None:
        return f"the table {entry.table[:40]!r}"
    name = _RECORD_NAMES.get(entry.table, f"a record of {entry.table[:40]!r}")
    key = entry.key
    if entry.table in DAY_TABLES and len(key) == 8 and key.isascii() and key.isdigit():
        return f"{name} of {key[:4]}-{key[4:6]}-{key[6:]}"
    if entry.table == "intake" and len(key) == 11 and key.isascii() and key.isdigit():
        return f"{name} of {key[:4]}-{key[4:6]}-{key[6:8]}"
    return f"{name} (record {key[:20]})"


def _reason(exc: Exception, what: str) -> str:
    """Why a stored record could not be read, naming its field (without the record label)."""
    if isinstance(exc, InputError):
        prefix = f"stored {what} "
        name = exc.field
        if name.startswith(prefix):  # "stored check-in 20261005.soreness" -> "soreness"
            rest = name[len(prefix) :]
            name = rest.split(".", 1)[1] if "." in rest else "the record"
        return f"{name}: {exc.message}"
    return f"{type(exc).__name__}: {str(exc)[:120]}"
