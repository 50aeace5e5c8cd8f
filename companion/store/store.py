"""The store: TinyDB files in the data folder, split so a write rewrites only what changed.

Layout of the data folder (mode 700, files 600):

- ``companion.json``: ``meta`` (schema version, settings) and ``sessions``;
- ``days/YYYY-MM.json``: one file per month with the ``checkins``, ``hydration``
  and ``checklist`` tables, one document per day (doc id ``YYYYMMDD``);
- ``backups/YYYY-MM-DD/``: the rolling daily backups;
- ``.lock``: the cross-process lock.

Ten years of daily history are about 120 small month files: ticking a glass of water
rewrites one of them, and ``status`` reads two or three.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pendulum
from tinydb import TinyDB
from tinydb.table import Document

from companion.core import clock
from companion.core.appointments import Appointment, appointment_from_record
from companion.core.checkins import CheckIn, checkin_from_record
from companion.core.checklist import ChecklistDay, checklist_from_record
from companion.core.hydration import HydrationDay, empty_day, hydration_from_record
from companion.core.sessions import Session, session_from_record
from companion.core.settings import Settings, settings_from_record
from companion.store.atomic_storage import (
    DIR_MODE,
    AtomicJSONStorage,
    DamagedFileError,
    StoreError,
    atomic_write_bytes,
    file_identity,
    parse_document,
    read_with_identity,
    remove_stale_temps,
)
from companion.store.backups import Backups
from companion.store.process_lock import ProcessLock

if TYPE_CHECKING:
    from companion.core.activities import Activity, Rating
    from companion.core.backup import Backup
    from companion.core.complaint import Complaint
    from companion.core.exercises import Exercise
    from companion.core.intake import Intake
    from companion.core.questions import Question

# Exercises, questions and intake are read from their modules when first used:
# the app's first screen needs none of them, and each import costs start-up time.

SCHEMA_VERSION = 1
META_FILE = "companion.json"
DAYS_DIR = "days"
DAY_TABLES = ("checkins", "hydration", "checklist")

# Migrations from an older schema: {from_version: function(store)}; each brings the
# data folder one version forward, under the lock, before anything else reads it.
MIGRATIONS: dict[int, Callable[[Store], None]] = {}


def _doc_id(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


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


class Store:
    """All reads and writes of the patient's data."""

    def __init__(self, data_dir: Path, default_goal: int = 8) -> None:
        self.data_dir = Path(data_dir).expanduser()
        self._default_goal = default_goal
        self.notices: list[str] = []
        self._ensure_dir(self.data_dir)
        self.days_dir = self.data_dir / DAYS_DIR
        self.backups = Backups(self.data_dir)
        self._lock = ProcessLock(self.data_dir / ".lock")
        self._dbs: dict[Path, TinyDB] = {}
        self._storages: dict[Path, AtomicJSONStorage] = {}
        self._checked_schema = False
        self._meta_ensured = False
        self._sessions_cache: tuple[tuple[int, int, int] | None, list[Session]] | None = None

    # ------------------------------------------------------------------ plumbing

    @staticmethod
    def _ensure_dir(folder: Path) -> None:
        """Create the folder mode 700; take away group and other access if it has any.

        Only those bits: a folder the patient made read-only stays read-only, so
        saving reports that instead of quietly making it writable again.
        """
        try:
            folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            mode = folder.stat().st_mode & 0o777
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

    def _db(self, path: Path) -> TinyDB:
        db = self._dbs.get(path)
        if db is None:
            db = TinyDB(path, storage=AtomicJSONStorage, repair=self._repair)
            db.default_table_name = "_unused"
            self._dbs[path] = db
            self._storages[path] = db.storage  # type: ignore[assignment]
        return db

    @property
    def meta_path(self) -> Path:
        return self.data_dir / META_FILE

    def _meta(self) -> TinyDB:
        db = self._db(self.meta_path)
        if not self._checked_schema:
            self._checked_schema = True
            self._check_schema(db)
        return db

    def _month(self, key: str) -> TinyDB:
        if not self._checked_schema:
            self._meta()  # a newer or older schema must be handled before day files are read
        return self._db(self.days_dir / f"{key}.json")

    def month_keys(self) -> list[str]:
        """Months that have a file, oldest first."""
        if not self.days_dir.is_dir():
            return []
        return sorted(p.stem for p in self.days_dir.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9].json"))

    def store_files(self) -> list[Path]:
        files = [self.meta_path] if self.meta_path.exists() else []
        return files + [self.days_dir / f"{k}.json" for k in self.month_keys()]

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
                self._forget_caches()
                self._remove_stale_temps()
                self._daily_backup()
                self._ensure_meta()
            yield
            if outermost:
                self._back_up_new_files()
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
            db.clear_cache()
            for table in db._tables.values():
                table._next_id = None

    def _remove_stale_temps(self) -> None:
        """Under the lock nobody else is writing: any temporary file is a crash's leftover."""
        remove_stale_temps(self.data_dir)
        remove_stale_temps(self.days_dir)

    def _ensure_meta(self) -> None:
        """Record the schema version before the first write of a fresh data folder."""
        if self._meta_ensured:
            return
        meta = self._meta()
        if meta.table("meta").get(doc_id=1) is None:
            self._write_meta(meta, {})
        self._meta_ensured = True

    def _daily_backup(self) -> None:
        today = clock.today()
        if self.backups.has(today):
            return
        files = self.store_files()
        if not files:
            return
        # A backup that cannot be written must not block the patient's save; the
        # save itself reports a full disk or read-only folder clearly.
        with contextlib.suppress(OSError, StoreError):
            self.backups.take(today, files)

    def _back_up_new_files(self) -> None:
        """Files this write created (a new month, a fresh folder) join today's backup at once.

        Otherwise a file created after the day's backup would have no copy until
        tomorrow, and damage to it the same day could not be repaired.
        """
        new = [storage.path for storage in self._storages.values() if storage.created]
        if not new:
            return
        for storage in self._storages.values():
            storage.created = False
        with contextlib.suppress(OSError, StoreError):
            self.backups.add(clock.today(), new)

    def revision(self) -> tuple[Any, ...]:
        """Changes whenever any store file changes on disk (cheap: one stat each)."""
        return tuple((p.name, file_identity(p)) for p in self.store_files())

    def refresh_if_changed(self) -> bool:
        """True when another process changed a file we had read."""
        return any(s.changed_on_disk() for s in self._storages.values())

    def take_notices(self) -> list[str]:
        notices, self.notices = self.notices, []
        return notices

    # ------------------------------------------------------------------ damage

    def _repair(self, damage: DamagedFileError) -> dict[str, Any] | None:
        """Move a damaged file aside, restore the newest good backup, tell the patient.

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
                    return None  # another process moved it aside and had no backup
                return parse_document(path, found[0])
            except DamagedFileError as still:
                return self._repair_locked(still)

    def _repair_locked(self, damage: DamagedFileError) -> dict[str, Any] | None:
        path = damage.path
        stamp = pendulum.now().format("YYYYMMDDTHHmmss")
        aside = path.with_name(f"{path.name}.damaged-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        try:
            os.replace(path, aside)
        except OSError as exc:
            raise StoreError(
                f"{path} is damaged ({damage.reason}) and could not be moved aside: {exc.strerror}"
            ) from exc
        rel = path.relative_to(self.data_dir)
        found = self.backups.newest_good_copy(rel)
        if found is None:
            self.notices.append(
                f"{rel} was damaged ({damage.reason}); it is kept as {aside} and no backup "
                "of it exists, so that part of your data starts empty."
            )
            return None
        folder, raw = found
        try:
            atomic_write_bytes(path, raw)
        except (OSError, StoreError) as exc:
            raise StoreError(
                f"{path} was damaged and is kept as {aside}; the backup from {folder.name} "
                f"could not be restored: {exc}"
            ) from exc
        self.notices.append(
            f"{rel} was damaged ({damage.reason}); it is kept as {aside} and the backup "
            f"from {folder.name} was restored (changes made after that are missing)."
        )
        data: dict[str, Any] = json.loads(raw)
        return data

    # ------------------------------------------------------------------ schema

    def _stored_version(self, db: TinyDB) -> int | None:
        doc = db.table("meta").get(doc_id=1)
        if doc is None:
            return None
        version = doc.get("schema_version", SCHEMA_VERSION)
        if not isinstance(version, int) or isinstance(version, bool):
            raise StoreError(f"{self.meta_path} has an unreadable schema version {version!r}")
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
        doc = self._meta().table("meta").get(doc_id=1)
        return None if doc is None else doc.get("schema_version")

    def _write_meta(self, db: TinyDB, changes: dict[str, Any]) -> None:
        table = db.table("meta")
        current = dict(table.get(doc_id=1) or {"schema_version": SCHEMA_VERSION})
        current.update(changes)
        table.upsert(Document(current, doc_id=1))

    # ------------------------------------------------------------------ settings

    def settings(self) -> Settings:
        doc = self._meta().table("meta").get(doc_id=1)
        return settings_from_record((doc or {}).get("settings"), self._default_goal)

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
        sessions = [session_from_record(dict(d), "stored session") for d in table.all()]
        sessions.sort(key=lambda s: s.started_at.timestamp())
        self._sessions_cache = (version, sessions)
        return list(sessions)

    def add_session(self, session: Session) -> None:
        with self.write_lock():
            meta = self._meta()
            if meta.table("meta").get(doc_id=1) is None:
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
        found = [appointment_from_record(r, "stored appointment") for r in self._records("appointments")]
        return sorted(found, key=lambda a: a.at.timestamp())

    def add_appointment(self, appointment: Appointment) -> None:
        self._add_record("appointments", appointment.to_record())

    def remove_appointment(self, appointment_id: str) -> bool:
        return self._remove_record("appointments", appointment_id)

    def exercises(self) -> list[Exercise]:
        from companion.core.exercises import exercise_from_record

        return [exercise_from_record(r, "stored exercise") for r in self._records("exercises")]

    def add_exercise(self, exercise: Exercise) -> None:
        self._add_record("exercises", exercise.to_record())

    def remove_exercise(self, exercise_id: str) -> bool:
        return self._remove_record("exercises", exercise_id)

    def questions(self) -> list[Question]:
        from companion.core.questions import question_from_record

        found = [question_from_record(r, "stored question") for r in self._records("questions")]
        return sorted(found, key=lambda q: q.asked_at.timestamp())

    def add_question(self, question: Question) -> None:
        self._add_record("questions", question.to_record())

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

    def clinic_text(self) -> str | None:
        doc = self._meta().table("meta").get(doc_id=1)
        clinic = (doc or {}).get("clinic_protocol")
        text = clinic.get("text") if isinstance(clinic, dict) else None
        return text if isinstance(text, str) and text.strip() else None

    def set_clinic_text(self, text: str | None, source: str = "") -> None:
        """Store a validated clinic protocol (None goes back to the general guidance)."""
        with self.write_lock():
            value = (
                None
                if text is None
                else {"text": text, "source": source, "imported_at": clock.iso(clock.now())}
            )
            self._write_meta(self._meta(), {"clinic_protocol": value})

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

        present = set(self.month_keys())
        lo, hi = _doc_id(first) * 1000, _doc_id(last) * 1000 + 999
        found = []
        for key in _months_between(first, last):
            if key in present:
                for doc in self._month(key).table("activity_ratings").all():
                    if lo <= doc.doc_id <= hi:
                        found.append(rating_from_record(dict(doc), f"stored activity rating {key}"))
        return sorted(found, key=lambda r: (r.date, r.rated_at.timestamp()))

    def all_ratings(self) -> list[Rating]:
        keys = self.month_keys()
        if not keys:
            return []
        first = dt.date(int(keys[0][:4]), int(keys[0][5:]), 1)
        last = dt.date(int(keys[-1][:4]), int(keys[-1][5:]), 28) + dt.timedelta(days=4)
        return self.ratings_between(first, last)

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
                    if rating.rated_at.timestamp() <= stored_at.timestamp():
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
        meta = self._meta()
        added = 0
        for table, items in (("complaints", backup.complaints), ("activities", backup.activities)):
            known = {r.get("id") for r in self._records(table)}
            fresh = [item.to_record() for item in items if item.id not in known]
            if fresh:
                meta.table(table).insert_multiple(fresh)
            added += len(fresh)
        # An activity retired on the other device is retired here too (the earlier day wins).
        stored = {a.id: a for a in self.activities()}
        for activity in backup.activities:
            mine = stored.get(activity.id)
            if (
                mine is not None
                and activity.retired_on is not None
                and (mine.retired_on is None or activity.retired_on < mine.retired_on)
            ):
                self.update_activity(activity)
                added += 1
        return added

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

        present = set(self.month_keys())
        lo, hi = _doc_id(first) * 1000, _doc_id(last) * 1000 + 999
        found = []
        for key in _months_between(first, last):
            if key in present:
                for doc in self._month(key).table("intake").all():
                    if lo <= doc.doc_id <= hi:
                        found.append(intake_from_record(dict(doc), f"stored intake {key}"))
        return sorted(found, key=lambda i: i.at.timestamp())

    def all_intake(self) -> list[Intake]:
        keys = self.month_keys()
        if not keys:
            return []
        first = dt.date(int(keys[0][:4]), int(keys[0][5:]), 1)
        last = dt.date(int(keys[-1][:4]), int(keys[-1][5:]), 28) + dt.timedelta(days=4)
        return self.intake_between(first, last)

    # ------------------------------------------------------------------ day records

    def _day_doc(self, table: str, day: dt.date) -> dict[str, Any] | None:
        path = self.days_dir / f"{_month_key(day)}.json"
        if not path.exists() and path not in self._dbs:
            return None
        doc = self._month(_month_key(day)).table(table).get(doc_id=_doc_id(day))
        return None if doc is None else dict(doc)

    def _put_day_doc(self, table: str, day: dt.date, record: dict[str, Any]) -> None:
        self._ensure_dir(self.days_dir)
        self._month(_month_key(day)).table(table).upsert(Document(record, doc_id=_doc_id(day)))

    def hydration_day(self, day: dt.date) -> HydrationDay:
        doc = self._day_doc("hydration", day)
        if doc is None:
            return empty_day(day, self.settings().default_goal)
        return hydration_from_record(doc, f"stored hydration {day}")

    def update_hydration(self, day: dt.date, change: Callable[[HydrationDay], HydrationDay]) -> HydrationDay:
        """Apply a core rule to a day's hydration under the lock (read-modify-write)."""
        with self.write_lock():
            updated = change(self.hydration_day(day))
            self._put_day_doc("hydration", day, updated.to_record())
            return updated

    def set_default_goal(self, goal: int, day: dt.date) -> HydrationDay:
        """The new daily goal, from ``day`` on (today's record keeps its ticks)."""
        with self.write_lock():
            self.update_settings(default_goal=goal)
            return self.update_hydration(day, lambda h: h.with_goal(goal))

    def checkin_for(self, day: dt.date) -> CheckIn | None:
        doc = self._day_doc("checkins", day)
        return None if doc is None else checkin_from_record(doc, f"stored check-in {day}")

    def save_checkin(self, checkin: CheckIn) -> None:
        """Store a day's check-in, replacing any earlier one for that day: the whole record,
        so a key the new one leaves out (the optional usual pain) does not linger from the old."""
        with self.write_lock():
            self._ensure_dir(self.days_dir)
            doc = Document(checkin.to_record(), doc_id=_doc_id(checkin.date))
            self._bulk_upsert(_month_key(checkin.date), {"checkins": [doc]})

    def checklist_day(self, day: dt.date) -> ChecklistDay:
        doc = self._day_doc("checklist", day)
        if doc is None:
            return ChecklistDay(day)
        return checklist_from_record(doc, f"stored checklist {day}")

    def update_checklist(self, day: dt.date, change: Callable[[ChecklistDay], ChecklistDay]) -> ChecklistDay:
        with self.write_lock():
            updated = change(self.checklist_day(day))
            self._put_day_doc("checklist", day, updated.to_record())
            return updated

    def days_between(self, first: dt.date, last: dt.date) -> DayRecords:
        """Every day record from ``first`` to ``last`` inclusive."""
        checkins: list[CheckIn] = []
        hydration: list[HydrationDay] = []
        checklist: list[ChecklistDay] = []
        present = set(self.month_keys())
        lo, hi = _doc_id(first), _doc_id(last)
        for key in _months_between(first, last):
            if key not in present:
                continue
            db = self._month(key)
            for doc in db.table("checkins").all():
                if lo <= doc.doc_id <= hi:
                    checkins.append(checkin_from_record(dict(doc), f"stored check-in {key}"))
            for doc in db.table("hydration").all():
                if lo <= doc.doc_id <= hi:
                    hydration.append(hydration_from_record(dict(doc), f"stored hydration {key}"))
            for doc in db.table("checklist").all():
                if lo <= doc.doc_id <= hi:
                    checklist.append(checklist_from_record(dict(doc), f"stored checklist {key}"))
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

    def latest_checkin(self, before: dt.date | None = None) -> CheckIn | None:
        """The check-in of the latest day (before ``before`` when given)."""
        limit = _doc_id(before) if before is not None else None
        for key in reversed(self.month_keys()):
            if limit is not None and int(key.replace("-", "")) * 100 > limit:
                continue
            docs = self._month(key).table("checkins").all()
            eligible = [d for d in docs if limit is None or d.doc_id < limit]
            if eligible:
                doc = max(eligible, key=lambda d: d.doc_id)
                return checkin_from_record(dict(doc), f"stored check-in {key}")
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
        db.clear_cache()

    def all_days(self) -> DayRecords:
        keys = self.month_keys()
        if not keys:
            return DayRecords([], [], [])
        first = dt.date(int(keys[0][:4]), int(keys[0][5:]), 1)
        last_key = keys[-1]
        last = dt.date(int(last_key[:4]), int(last_key[5:]), 28) + dt.timedelta(days=4)
        return self.days_between(first, last)

    def apply_import(self, backup: Backup) -> ImportCounts:
        """Merge a validated backup; idempotent (records are matched by id or day).

        Sessions, check-ins and the id-keyed lists are matched by id; a check-in for a
        day that already has a different one wins only if it was recorded later.
        Hydration keeps the larger count of the two; checklist days are merged.
        """
        sessions, checkins, hydration, checklist = (
            backup.sessions,
            backup.checkins,
            backup.hydration,
            backup.checklist,
        )
        with self.write_lock():
            meta = self._meta()
            if meta.table("meta").get(doc_id=1) is None:
                self._write_meta(meta, {})
            extra = 0
            for table, items in (
                ("appointments", backup.appointments),
                ("exercises", backup.exercises),
                ("questions", backup.questions),
            ):
                known = {r.get("id") for r in self._records(table)}
                fresh = [item.to_record() for item in items if item.id not in known]
                if fresh:
                    meta.table(table).insert_multiple(fresh)
                extra += len(fresh)
            if backup.intake:
                first = min(i.date for i in backup.intake)
                last = max(i.date for i in backup.intake)
                known_intake = {i.id for i in self.intake_between(first, last)}
                fresh_intake = [item for item in backup.intake if item.id not in known_intake]
                self._insert_intake(fresh_intake)
                extra += len(fresh_intake)
            extra += self._import_course(backup)
            known_sessions = {s.id for s in self.sessions()}
            new_sessions = [s for s in sessions if s.id not in known_sessions]
            if new_sessions:
                meta.table("sessions").insert_multiple(s.to_record() for s in new_sessions)
            by_month: dict[str, dict[str, list[Document]]] = {}

            def queue(table: str, day: dt.date, record: dict[str, Any]) -> None:
                tables = by_month.setdefault(_month_key(day), {t: [] for t in DAY_TABLES})
                tables[table].append(Document(record, doc_id=_doc_id(day)))

            counts = {"checkins": 0, "hydration": 0, "checklist": 0}
            for c in checkins:
                mine = self.checkin_for(c.date)
                if mine is None or (
                    mine.id != c.id and c.recorded_at.timestamp() > mine.recorded_at.timestamp()
                ):
                    queue("checkins", c.date, c.to_record())
                    counts["checkins"] += 1
            for h in hydration:
                mine_h = self._day_doc("hydration", h.date)
                if mine_h is None or h.glasses > mine_h.get("glasses", 0):
                    queue("hydration", h.date, h.to_record())
                    counts["hydration"] += 1
            for day_list in checklist:
                mine_l = self.checklist_day(day_list.date)
                merged = ChecklistDay(day_list.date, mine_l.done | day_list.done)
                if merged.done != mine_l.done:
                    queue("checklist", day_list.date, merged.to_record())
                    counts["checklist"] += 1
            for key, docs in self._rating_docs(backup.activity_ratings, keep_later=True).items():
                by_month.setdefault(key, {t: [] for t in DAY_TABLES})["activity_ratings"] = docs
                extra += len(docs)
            if by_month:
                self._ensure_dir(self.days_dir)
            for key, tables in by_month.items():
                self._bulk_upsert(key, tables)
            return ImportCounts(sessions=len(new_sessions), other=extra, **counts)
