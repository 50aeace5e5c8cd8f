"""A TinyDB storage that never tears a file and reads from memory.

TinyDB's own JSONStorage rewrites the file in place: a crash half-way leaves a torn
file. This one writes a temporary file in the same folder, fsyncs it, renames it over
the old one with ``os.replace`` and fsyncs the folder, so a reader sees either the
old file or the new one, never a mix.

Reads are served from memory and the file is parsed again only when its identity
(inode, size, modification time) changed, e.g. because another process wrote it.
A zero-length, truncated or garbage file is *damage*, not an empty store: it raises
:class:`DamagedFileError` (or calls the repair hook, which can restore a backup).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

FILE_MODE = 0o600
DIR_MODE = 0o700

# Test hook: crash points for the fault tests ("after-temp-write", "after-fsync",
# "after-replace"; and "backup-before-rename" in backups.py). The named step kills
# the process with SIGKILL.
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


def crash_point(step: str) -> None:
    if os.environ.get(CRASH_ENV) == step:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


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


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete temporary files a killed writer left behind; call only under the lock."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if is_temp_name(entry.name) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def describe_os_error(exc: OSError, path: Path, verb: str = "save") -> str:
    if exc.errno == errno.ENOSPC:
        why = "the disk is full"
    elif exc.errno in (errno.EROFS,):
        why = "the folder is on a read-only file system"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        why = "permission denied (the folder may be read-only)"
    elif exc.errno == errno.EDQUOT:
        why = "the disk quota is used up"
    else:
        why = exc.strerror or str(exc)
    return f"could not {verb} to {path}: {why}. Nothing was changed."


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` atomically and durably, mode 600.

    On any failure before the rename the old file is left as it was and no temporary
    file remains (an OSError is raised). A failure to flush the folder *after* the
    rename raises :class:`SavedButNotFlushedError`: the new content is in place.
    """
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        try:
            os.fchmod(fd, FILE_MODE)
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            crash_point("after-temp-write")
            os.fsync(fd)
        finally:
            os.close(fd)
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


def file_identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot look at {path}: {exc.strerror or exc}") from exc
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def read_with_identity(path: Path) -> tuple[bytes, tuple[int, int, int]] | None:
    """The bytes of ``path`` and the identity of exactly the file that was read.

    None when the file does not exist; an unreadable file is damage.
    """
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            raw = handle.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DamagedFileError(path, f"it could not be read: {exc.strerror or exc}") from exc
    return raw, (st.st_ino, st.st_size, st.st_mtime_ns)


def parse_document(path: Path, raw: bytes) -> dict[str, Any]:
    """Parse a store file, treating anything but a JSON object of tables as damage."""
    if not raw:
        raise DamagedFileError(path, "the file is empty")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DamagedFileError(path, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DamagedFileError(path, "not a table of records")
    return data


class AtomicJSONStorage(Storage):
    """TinyDB storage: atomic durable writes, cached reads, damage detection."""

    def __init__(
        self,
        path: str | Path,
        repair: Callable[[DamagedFileError], dict[str, Any] | None] | None = None,
    ) -> None:
        self.path = Path(path)
        self._repair = repair
        self._cache: dict[str, Any] | None = None
        self._identity: tuple[int, int, int] | None = None
        self._valid = False
        self.created = False
        """Set when a write brought the file into being (the store backs such files up)."""

    @property
    def identity(self) -> tuple[int, int, int] | None:
        """(inode, size, mtime) of the version last read or written: callers keep what they
        built from it (e.g. parsed sessions) while it stays the same."""
        return self._identity if self._valid else None

    def invalidate(self) -> None:
        """Forget the cache; the next read parses the file again."""
        self._valid = False
        self._cache = None
        self._identity = None

    def changed_on_disk(self) -> bool:
        return file_identity(self.path) != self._identity

    def read(self) -> dict[str, Any] | None:
        if self._valid and file_identity(self.path) == self._identity:
            return self._cache
        try:
            found = read_with_identity(self.path)
            if found is None:
                self._cache, self._identity, self._valid = None, None, True
                return None
            raw, identity = found
            data = parse_document(self.path, raw)
        except DamagedFileError as damage:
            if self._repair is None:
                raise
            data_or_none = self._repair(damage)
            self._cache = data_or_none
            self._identity = file_identity(self.path)
            self._valid = True
            return data_or_none
        self._cache, self._identity, self._valid = data, identity, True
        return data

    def write(self, data: dict[str, Any]) -> None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
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
        self.created = self.created or new_file

    def close(self) -> None:
        pass
