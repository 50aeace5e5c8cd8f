"""Rolling daily backups of the data folder, and restoring one damaged file from them.

The first write of each day copies every store file into ``backups/YYYY-MM-DD/``
(through a temporary folder renamed into place, so a backup is whole or absent).
The newest seven are kept. Files unchanged since the previous backup share its copy
(a hard link between two backup folders).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
from pathlib import Path

from companion.store.atomic_storage import (
    DIR_MODE,
    FILE_MODE,
    DamagedFileError,
    crash_point,
    fsync_dir,
    parse_document,
)

KEEP_BACKUPS = 7
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Backups:
    def __init__(self, data_dir: Path, keep: int = KEEP_BACKUPS) -> None:
        self.data_dir = data_dir
        self.root = data_dir / "backups"
        self.keep = keep

    def folders(self) -> list[Path]:
        """Backup folders, newest first."""
        if not self.root.is_dir():
            return []
        return sorted(
            (p for p in self.root.iterdir() if p.is_dir() and _DAY.match(p.name)),
            key=lambda p: p.name,
            reverse=True,
        )

    def has(self, day: dt.date) -> bool:
        return (self.root / day.isoformat()).is_dir()

    def take(self, day: dt.date, files: list[Path]) -> Path | None:
        """Copy the good store files into today's backup folder (once a day).

        A file whose bytes equal its copy in the newest earlier backup is hard-linked
        to that copy instead of written again: backups are never changed in place, so
        they can share it, and ten years of month files cost a few new copies a day
        rather than a hundred fsyncs. The live store files themselves are always
        *copied*, so damage to a live file can never reach its backup.
        """
        target = self.root / day.isoformat()
        if target.is_dir():
            return None
        self.root.mkdir(mode=DIR_MODE, exist_ok=True)
        previous = next((f for f in self.folders() if f.name < day.isoformat()), None)
        staging = self.root / f".{day.isoformat()}.partial-{os.getpid()}"
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(mode=DIR_MODE)
        folders = {staging}
        try:
            for src in files:
                try:
                    raw = src.read_bytes()
                except OSError:
                    continue
                rel = src.relative_to(self.data_dir)
                dest = staging / rel
                if dest.parent not in folders:
                    dest.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
                    folders.add(dest.parent)
                if previous is not None and _same_bytes(previous / rel, raw):
                    try:
                        os.link(previous / rel, dest)
                        continue
                    except OSError:
                        pass  # no hard links here: copy
                try:
                    parse_document(src, raw)
                except DamagedFileError:
                    continue  # never back up damage over a good copy
                _write_new(dest, raw)
            for folder in folders:
                fsync_dir(folder)
            crash_point("backup-before-rename")
            os.replace(staging, target)
            fsync_dir(self.root)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.prune()
        return target

    def add(self, day: dt.date, files: list[Path]) -> None:
        """Put files that today's backup lacks into it (each whole or absent).

        For files created after the day's backup was taken; a file already in the
        backup is left as it is (backups are never changed in place).
        """
        target = self.root / day.isoformat()
        created = not target.is_dir()
        if created:
            self.root.mkdir(mode=DIR_MODE, exist_ok=True)
            target.mkdir(mode=DIR_MODE, exist_ok=True)
            fsync_dir(self.root)
        for src in files:
            dest = target / src.relative_to(self.data_dir)
            if dest.exists():
                continue
            try:
                raw = src.read_bytes()
                parse_document(src, raw)
            except (OSError, DamagedFileError):
                continue  # never back up damage
            dest.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
            _write_new(partial, raw)
            os.replace(partial, dest)
            fsync_dir(dest.parent)
        if created:
            self.prune()

    def prune(self) -> None:
        for old in self.folders()[self.keep :]:
            shutil.rmtree(old, ignore_errors=True)
        for stale in self.root.glob(".*.partial-*"):
            with contextlib.suppress(OSError):
                if not _pid_alive(int(stale.name.rsplit("-", 1)[1])):
                    shutil.rmtree(stale, ignore_errors=True)

    def newest_good_copy(self, rel: Path) -> tuple[Path, bytes] | None:
        """The newest backup of one store file that still parses."""
        for folder in self.folders():
            candidate = folder / rel
            try:
                raw = candidate.read_bytes()
                parse_document(candidate, raw)
            except (OSError, DamagedFileError):
                continue
            return folder, raw
        return None


def _same_bytes(path: Path, raw: bytes) -> bool:
    try:
        return path.stat().st_size == len(raw) and path.read_bytes() == raw
    except OSError:
        return False


def _write_new(dest: Path, raw: bytes) -> None:
    """Write a new file durably, mode 600 (inside the staging folder: no rename needed)."""
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        view = memoryview(raw)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
