"""A cross-process lock around every read-modify-write of the store.

Two running instances (a CLI call while the app is open, two scripts) take turns, so
neither loses the other's update. ``fcntl.flock`` is released by the kernel when a
process dies, so a killed writer never leaves the store locked.

Within one process the same lock keeps threads apart: :func:`one_thread_at_a_time` makes
every public method of a class hold it, reads too (the app reads in a worker thread
while its main thread saves).
"""

from __future__ import annotations

import _thread
import errno
import fcntl
import functools
import os
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from companion.store.atomic_storage import FILE_MODE, StoreError, owner_fix

LOCK_TIMEOUT_SECONDS = 30.0


class ProcessLock:
    """Re-entrant within one thread; exclusive across threads and processes.

    The thread lock matters for the full-screen app, whose workers may save from
    other threads: without it a second thread would see the depth counter of the
    first and walk in without the lock.
    """

    def __init__(self, path: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0
        self._thread_lock = _thread.RLock()  # threading.RLock itself (threading is not needed to start)

    @property
    def held(self) -> bool:
        return self._depth > 0

    @property
    def thread_lock(self) -> Any:
        """The re-entrant lock that keeps this process's threads apart (held while locked)."""
        return self._thread_lock

    def acquire(self) -> bool:
        """Take the lock; returns True when this call took it (outermost level)."""
        if not self._thread_lock.acquire(timeout=self.timeout):
            raise StoreError("the data folder is busy (another part of companion is saving); try again")
        if self._depth:
            self._depth += 1
            return False
        try:
            fd = self._open()
            deadline = time.monotonic() + self.timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        os.close(fd)
                        raise StoreError(
                            f"the data folder is busy (another companion holds {self.path.name} "
                            f"for over {self.timeout:.0f} s); try again"
                        ) from None
                    time.sleep(0.005)
        except BaseException:
            self._thread_lock.release()
            raise
        self._fd = fd
        self._depth = 1
        return True

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        except OSError as exc:
            first = exc
        # A read-only folder: an existing lock file can still be locked read-only, so
        # the save itself reports the read-only folder clearly.
        if first.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            try:
                return os.open(self.path, os.O_RDONLY)
            except OSError:
                pass
        fix = owner_fix(self.path) if first.errno in (errno.EACCES, errno.EPERM) else ""
        if fix:  # e.g. a lock file an earlier run with sudo left, mode 600, root's
            why = f"permission denied (it belongs to another user){fix}"
        elif first.errno in (errno.EACCES, errno.EROFS):
            why = "the folder is read-only"
        else:
            why = first.strerror or str(first)
        raise StoreError(f"could not open the lock file {self.path}: {why}. Nothing was changed.")

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self._thread_lock.release()

    def __enter__(self) -> ProcessLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class Locked(Protocol):
    _lock: ProcessLock


C = TypeVar("C", bound=type)


def one_thread_at_a_time(cls: C) -> C:
    """Make each public method of `cls` run holding its ``_lock``'s thread lock.

    The store keeps parsed files and their caches in dictionaries that a read fills and a
    write empties: the History screen reads older years in a worker thread while the main
    thread saves a glass of water, and without this the save failed with "dictionary
    changed size during iteration" (or read a cache half emptied). Taking the lock that a
    write takes anyway, and no other, means no order of two locks can deadlock.
    """
    for name, method in list(vars(cls).items()):
        if not name.startswith("_") and isinstance(method, types.FunctionType):
            setattr(cls, name, _holding_the_lock(method))
    return cls


def _holding_the_lock(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def holding(self: Locked, *args: Any, **kwargs: Any) -> Any:
        with self._lock.thread_lock:
            return method(self, *args, **kwargs)

    return holding
