"""Rolling daily backups of the data folder, and restoring one damaged file from them.

The first write of each day copies every store file into ``backups/YYYY-MM-DD/``
(through a temporary folder renamed into place, so a backup is whole or absent).
The newest seven are kept.
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
    DamagedFileError,
    atomic_write_bytes,
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
        """Copy the good store files into today's backup folder (once a day)."""
        target = self.root / day.isoformat()
        if target.is_dir():
            return None
        self.root.mkdir(mode=DIR_MODE, exist_ok=True)
        staging = self.root / f".{day.isoformat()}.partial-{os.getpid()}"
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(mode=DIR_MODE)
        try:
            for src in files:
                try:
                    raw = src.read_bytes()
                    parse_document(src, raw)
                except (OSError, DamagedFileError):
                    continue  # never back up damage over a good copy
                rel = src.relative_to(self.data_dir)
                dest = staging / rel
                dest.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
                atomic_write_bytes(dest, raw)
            os.replace(staging, target)
            fsync_dir(self.root)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.prune()
        return target

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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
