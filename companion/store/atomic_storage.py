"""A TinyDB storage that never tears a file and reads from memory.

TinyDB's own JSONStorage rewrites the file in place: a crash half-way leaves a torn
file. This one writes a temporary file in the same folder, fsyncs it, renames it over
the old one with ``os.replace`` and fsyncs the folder, so a reader sees either the
old file or the new one, never a mix.

Reads are served from memory and the file is parsed again only when its identity
(inode, size, modification time) changed, e.g. because another process wrote it.
A zero-length, truncated or garbage file is *damage*, not an empty store: it raises
:class:`DamagedFileError` (or asks its keeper, the store, to repair it). A file that
cannot be read (permission denied) is not damage: it is an error naming the file and
the fix, and nothing is moved. A missing file is asked about too (the store knows
which files existed). Records that are not records (a string in a table, a key that
is not a document id) are handed to the keeper to set aside; the rest is served.

A symbolic link in place of a store file is written *through*: the new version
replaces the file the link points to, and the link stays.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tinydb.storages import Storage

from companion.core.records import json_default, parse_json

FILE_MODE = 0o600
DIR_MODE = 0o700

# Test hook: crash points for the fault tests ("after-temp-write", "after-fsync",
# "after-replace", "repair-before-replace"; "backup-before-rename" in backups.py).
# The named step kills the process with SIGKILL.
CRASH_ENV = "COMPANION_CRASH_AT"


class StoreError(Exception):
    """A store operation failed; the message is one line for the patient."""


class DamagedFileError(StoreError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} is damaged ({reason})")
        self.path = path
        self.reason = reason


class SavedButNotFlushedError(StoreError):
    """The new file is in place but its folder could not be flushed to disk."""

    def __init__(self, path: Path, exc: OSError) -> None:
        super().__init__(
            f"saved {path}, but the folder could not be flushed to disk "
            f"({exc.strerror or exc}); a power cut now could undo this change"
        )
        self.path = path


# With COMPANION_CRASH_COUNT=N the process dies the N-th time it reaches the step
# (the fault tests count their kills instead of timing them).
CRASH_COUNT_ENV = "COMPANION_CRASH_COUNT"
_crash_seen: dict[str, int] = {}


def crash_point(step: str) -> None:
    if os.environ.get(CRASH_ENV) == step:
        _crash_seen[step] = _crash_seen.get(step, 0) + 1
        if _crash_seen[step] >= int(os.environ.get(CRASH_COUNT_ENV) or 1):
            import signal

            os.kill(os.getpid(), signal.SIGKILL)


class UnreadableFileError(StoreError):
    """A store file exists but cannot be opened or read: an error, never damage."""

    def __init__(self, path: Path, exc: OSError) -> None:
        super().__init__(describe_unreadable(path, exc))
        self.path = path


# Some file systems (certain network and FUSE mounts) cannot fsync a folder: that is
# not a failed save, the rename is as durable as that file system makes it.
_DIR_FSYNC_UNSUPPORTED = {errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF}


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _DIR_FSYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


def is_temp_name(name: str) -> bool:
    """A temporary file left by :func:`atomic_write_bytes` (``.NAME.XXXX.tmp``)."""
    return name.startswith(".") and name.endswith(".tmp")


def remove_stale_temps(folder: Path) -> None:
    """Delete temporary files a killed writer left behind; call only under the lock."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if is_temp_name(entry.name) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def user_name(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def owner_fix(path: Path) -> str:
    """How to give back files another user (root, via sudo) left: '' if none is in the way."""
    me = os.geteuid()
    folder = data_folder_of(path)
    owners = set()
    for candidate in (path, path.parent, folder):
        with contextlib.suppress(OSError):
            owners.add(candidate.stat().st_uid)
    if not owners - {me}:
        return ""
    return f"; give the files back to yourself with: sudo chown -R {user_name(me)} {folder}"


def data_folder_of(path: Path) -> Path:
    """The data folder a store file lives in (month files are in its ``days/``)."""
    return path.parent.parent if path.parent.name == "days" else path.parent


def describe_os_error(exc: OSError, path: Path, verb: str = "save") -> str:
    if exc.errno == errno.ENOSPC:
        why = "the disk is full"
    elif exc.errno in (errno.EROFS,):
        why = "the folder is on a read-only file system"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        why = f"permission denied (the folder may be read-only{owner_fix(path)})"
    elif exc.errno == errno.EDQUOT:
        why = "the disk quota is used up"
    else:
        why = exc.strerror or str(exc)
    return f"could not {verb} to {path}: {why}. Nothing was changed."


def describe_unreadable(path: Path, exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        try:
            owner = f"it belongs to {user_name(path.stat().st_uid)}, "
        except OSError:
            owner = ""
        fix = owner_fix(path) or f"; check the permissions of {data_folder_of(path)}"
        return (
            f"cannot read {path}: permission denied ({owner}companion runs as "
            f"{user_name(os.geteuid())}). Nothing was moved or restored{fix}"
        )
    if exc.errno == errno.EISDIR:
        return f"cannot read {path}: it is a folder, not a file; move it out of the way. Nothing was changed."
    return f"cannot read {path}: {exc.strerror or exc}. Nothing was moved or restored."


def resolve_link(path: Path) -> Path:
    """The file a store path stands for: itself, or the file its symbolic link points to."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def write_temp(folder: Path, name: str, payload: bytes) -> Path:
    """A new temporary file ``.name.*.tmp`` in ``folder`` holding ``payload``, mode 600,
    flushed to disk: what every durable write renames or links into place. If it cannot
    be written whole, it is removed again and the OSError raised."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        try:
            os.fchmod(fd, FILE_MODE)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            crash_point("after-temp-write")
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` atomically and durably, mode 600.

    On any failure before the rename the old file is left as it was and no temporary
    file remains (an OSError is raised). A failure to flush the folder *after* the
    rename raises :class:`SavedButNotFlushedError`: the new content is in place.
    """
    path = resolve_link(path)  # a symlinked store file is written through, the link kept
    folder = path.parent
    tmp = write_temp(folder, path.name, payload)
    try:
        crash_point("after-fsync")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    crash_point("after-replace")
    try:
        fsync_dir(folder)
    except OSError as exc:
        raise SavedButNotFlushedError(path, exc) from exc


def replace_keeping_aside(path: Path, payload: bytes, aside: Path) -> None:
    """Put ``payload`` in place of a damaged ``path``, keeping the damaged bytes as ``aside``.

    The replacement is written and flushed first; the damaged file gets its second
    name (a hard link, else a flushed copy) only then, and the rename that puts the
    replacement in place comes last. Until that rename nothing has changed: any
    failure (a full disk) leaves the damaged file where it was, no temporary file and
    no ``aside``, and raises the OSError. ``path`` is never missing at any moment.
    """
    path = resolve_link(path)
    folder = path.parent
    tmp = write_temp(folder, path.name, payload)
    kept = False
    try:
        try:
            os.link(path, aside)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
                raise
            write_new_file(aside, path.read_bytes())
        kept = True
        fsync_dir(folder)
        crash_point("repair-before-replace")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if kept:
            with contextlib.suppress(OSError):
                aside.unlink()
        raise
    fsync_dir(folder)


def write_new_file(dest: Path, raw: bytes) -> None:
    """Create ``dest`` (it must not exist) with ``raw``, mode 600, flushed to disk."""
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        view = memoryview(raw)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            dest.unlink()
        raise
    os.close(fd)


def file_identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):  # no file there (days/ may be a file: said elsewhere)
        return None
    except OSError as exc:
        raise StoreError(f"cannot look at {path}: {exc.strerror or exc}") from exc
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def read_with_identity(path: Path) -> tuple[bytes, tuple[int, int, int]] | None:
    """The bytes of ``path`` and the identity of exactly the file that was read.

    None when the file does not exist. A file that exists but cannot be read
    (permission denied, a folder in its place) raises :class:`UnreadableFileError`:
    that is not damage, and nothing may be moved or restored because of it.
    """
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            raw = handle.read()
    except (FileNotFoundError, NotADirectoryError):  # also: its folder is a file
        return None
    except OSError as exc:
        raise UnreadableFileError(path, exc) from exc
    return raw, (st.st_ino, st.st_size, st.st_mtime_ns)


def parse_document(path: Path, raw: bytes) -> dict[str, Any]:
    """Parse a store file, treating anything but a JSON object as damage.

    What is inside the object is sorted out record by record (:func:`split_entries`).
    """
    if not raw:
        raise DamagedFileError(path, "the file is empty")
    try:
        data = parse_json(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DamagedFileError(path, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise DamagedFileError(path, "nested too deeply to be a store file") from None
    if not isinstance(data, dict):
        raise DamagedFileError(path, "not a table of records")
    return data


@dataclass(frozen=True)
class BadEntry:
    """Something in a store file that TinyDB cannot hold as a record."""

    table: str
    key: str | None  # None: the whole table is not a table
    value: Any
    reason: str


_DOC_ID = re.compile(r"[0-9]{1,18}")


def split_entries(data: dict[str, Any]) -> tuple[dict[str, Any], list[BadEntry]]:
    """The tables with only what TinyDB can hold (objects under numeric ids), and the rest.

    Costs one pass over the keys; the data is copied only when something is wrong.
    """
    bad: list[BadEntry] = []
    for name, table in data.items():
        if not isinstance(table, dict):
            bad.append(BadEntry(name, None, table, "it is not a table of records"))
            continue
        if all(map(_DOC_ID.fullmatch, table)) and all(type(doc) is dict for doc in table.values()):
            continue  # the usual case, checked at C speed
        for key, doc in table.items():
            if not _DOC_ID.fullmatch(key):
                bad.append(BadEntry(name, key, doc, f"{key[:20]!r} is not a record number"))
            elif not isinstance(doc, dict):
                bad.append(BadEntry(name, key, doc, "it is not a record (an object)"))
    if not bad:
        return data, bad
    dropped = {(b.table, b.key) for b in bad}
    clean = {
        name: {k: v for k, v in table.items() if (name, k) not in dropped}
        for name, table in data.items()
        if (name, None) not in dropped
    }
    return clean, bad


def encode_document(data: dict[str, Any]) -> bytes:
    """The bytes of a store file (a lone surrogate raises UnicodeEncodeError here, before any write)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=json_default).encode("utf-8")


@dataclass(frozen=True)
class Recovered:
    """What the keeper hands back for a file it repaired, restored or cleaned.

    ``refuse_writes``: set when the file on disk could not be put right (a full
    disk): the data is served for reading, and a write is refused with this message
    rather than overwrite what is on disk.
    """

    data: dict[str, Any] | None
    refuse_writes: str | None = None
    retry: bool = False
    """The file changed meanwhile (another process repaired it): read it again."""
    identity: tuple[int, int, int] | None = None
    """Of exactly the bytes that were read (set for a file read as it is)."""


class Keeper(Protocol):
    """What the store does for its files (see Store): repair, restore, set aside."""

    def repair(self, damage: DamagedFileError) -> Recovered: ...

    def missing(self, path: Path) -> Recovered: ...

    def set_aside(self, path: Path, raw: bytes, bad: list[BadEntry]) -> Recovered: ...


class AtomicJSONStorage(Storage):
    """TinyDB storage: atomic durable writes, cached reads, damage detection.

    With ``deferred`` set, writes stay in memory (reads see them) until the store
    commits them all together (see Store.all_or_nothing).
    """

    def __init__(self, path: str | Path, keeper: Keeper | None = None) -> None:
        self.path = Path(path)
        self._keeper = keeper
        self._cache: dict[str, Any] | None = None
        self._identity: tuple[int, int, int] | None = None
        self._valid = False
        self._refusal: str | None = None
        self.created = False
        """Set when a write brought the file into being (the store backs such files up)."""
        self.deferred = False
        self.pending = False
        """A deferred write is waiting to be committed."""

    @property
    def identity(self) -> tuple[int, int, int] | None:
        """(inode, size, mtime) of the version last read or written: callers keep what they
        built from it (e.g. parsed sessions) while it stays the same."""
        return self._identity if self._valid and not self.pending else None

    def invalidate(self) -> None:
        """Forget the cache (and any deferred write); the next read parses the file again."""
        self._valid = False
        self._cache = None
        self._identity = None
        self._refusal = None
        self.pending = False

    @property
    def pending_data(self) -> dict[str, Any]:
        """What a deferred write holds for this file."""
        return self._cache or {}

    def read(self) -> dict[str, Any] | None:
        if self._valid and (self.pending or file_identity(self.path) == self._identity):
            return self._cache
        for _ in range(3):
            recovered = self._read_once()
            if not recovered.retry:
                identity = recovered.identity
                if identity is None and recovered.data is not None:
                    identity = file_identity(self.path)  # the file as the keeper left it
                self._keep(recovered.data, identity)
                self._refusal = recovered.refuse_writes
                return recovered.data
        raise StoreError(f"{self.path} keeps changing while it is read; try again")

    def _read_once(self) -> Recovered:
        self._refusal = None
        keeper = self._keeper
        try:
            found = read_with_identity(self.path)
            if found is None:
                return keeper.missing(self.path) if keeper is not None else Recovered(None)
            raw, identity = found
            data, bad = split_entries(parse_document(self.path, raw))
            if not bad:
                return Recovered(data, identity=identity)
            if keeper is None:
                raise DamagedFileError(self.path, bad[0].reason)
            return keeper.set_aside(self.path, raw, bad)
        except DamagedFileError as damage:
            if keeper is None:
                raise
            return keeper.repair(damage)

    def _keep(self, data: dict[str, Any] | None, identity: tuple[int, int, int] | None) -> None:
        self._cache, self._identity, self._valid = data, identity, True

    def write(self, data: dict[str, Any]) -> None:
        if self._refusal is not None:
            refusal = self._refusal
            self.invalidate()
            raise StoreError(refusal)
        if self.deferred:
            self._cache, self._valid, self.pending = data, True, True
            return
        self.flush(self.encode(data), data)

    def encode(self, data: dict[str, Any]) -> bytes:
        """The file's bytes; a value that cannot be written is refused here, before any write.

        (Records are validated before they reach the store; this is the last line.)
        """
        try:
            return encode_document(data)
        except (UnicodeEncodeError, ValueError, TypeError) as exc:
            self.invalidate()  # TinyDB already put the value into the cached tables
            raise StoreError(
                f"could not save to {self.path}: a value in it cannot be written ({exc}). "
                "Nothing was changed."
            ) from exc

    def flush(self, payload: bytes, data: dict[str, Any]) -> None:
        """Write ``payload`` (the encoding of ``data``) to disk now."""
        new_file = not self.path.exists()
        try:
            atomic_write_bytes(self.path, payload)
        except SavedButNotFlushedError:
            self.invalidate()
            raise
        except OSError as exc:
            # TinyDB mutated the cached tables before calling us: drop them so the
            # next read shows what is really on disk.
            self.invalidate()
            raise StoreError(describe_os_error(exc, self.path)) from exc
        except BaseException:
            self.invalidate()
            raise
        self._cache = data
        self._identity = file_identity(self.path)
        self._valid = True
        self.pending = False
        self.created = self.created or new_file

    def close(self) -> None:
        pass
