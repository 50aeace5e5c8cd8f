"""Rolling daily backups of the data folder, and restoring one damaged file from them.

The first write of each day copies every store file into ``backups/YYYY-MM-DD/``
(through a temporary folder renamed into place, so a backup is whole or absent).
Files unchanged since the previous backup share its copy (a hard link between two
backup folders).

Backups are ordered by when they were *taken*, never by their folder names: each
holds a stamp (``.taken``) with a sequence number one above the newest before it.
A clock that ran years ahead once (a folder named 2031-...) or went back therefore
neither makes an old copy look newest nor gets each new backup pruned at once.
The newest seven are kept, and an older one too while it holds the only copy of
some file (a file damaged or missing since then must stay restorable).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

from companion.core import clock
from companion.store.atomic_storage import (
    DIR_MODE,
    DamagedFileError,
    crash_point,
    fsync_dir,
    parse_document,
    write_new_file,
)

KEEP_BACKUPS = 7
STAMP = ".taken"
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class Backups:
    def __init__(self, data_dir: Path, keep: int = KEEP_BACKUPS) -> None:
        self.data_dir = data_dir
        self.root = data_dir / "backups"
        self.keep = keep

    @staticmethod
    def sequence(folder: Path) -> int:
        """The folder's place in the order backups were taken; -1 for one without a stamp
        (taken by an older companion: those sort below every stamped one, by name)."""
        try:
            stamp = json.loads((folder / STAMP).read_bytes())
            seq = stamp["seq"]
        except (OSError, ValueError, KeyError, TypeError):
            return -1
        return seq if isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0 else -1

    def folders(self) -> list[Path]:
        """Backup folders, the most recently taken first."""
        if not self.root.is_dir():
            return []
        found = [p for p in self.root.iterdir() if _DAY.match(p.name) and p.is_dir()]
        return sorted(found, key=lambda p: (self.sequence(p), p.name), reverse=True)

    def has(self, day: dt.date) -> bool:
        return (self.root / day.isoformat()).is_dir()

    def _stamp(self, folder: Path, newest: list[Path]) -> None:
        seq = max((self.sequence(f) for f in newest), default=-1) + 1
        payload = {"seq": seq, "taken_at": clock.iso(clock.now())}
        write_new_file(folder / STAMP, json.dumps(payload).encode())

    def take(self, day: dt.date, files: list[Path]) -> tuple[Path | None, list[Path]]:
        """Copy the good store files into today's backup folder (once a day).

        Returns the new folder (None if today's exists) and the store files left out
        because they are damaged (never back up damage over a good copy: the caller
        repairs them).

        A file whose bytes equal its copy in the newest backup is hard-linked to that
        copy instead of written again: backups are never changed in place, so they
        can share it, and ten years of month files cost a few new copies a day rather
        than a hundred fsyncs. The live store files themselves are always *copied*,
        so damage to a live file can never reach its backup.
        """
        target = self.root / day.isoformat()
        if target.is_dir():
            return None, []
        self.root.mkdir(mode=DIR_MODE, exist_ok=True)
        existing = self.folders()
        previous = existing[0] if existing else None
        staging = self.root / f".{day.isoformat()}.partial-{os.getpid()}"
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(mode=DIR_MODE)
        folders = {staging}
        damaged: list[Path] = []
        try:
            self._stamp(staging, existing)
            for src in files:
                try:
                    raw = src.read_bytes()
                except OSError:
                    continue  # unreadable: reading it says why, this backup cannot help
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
                    damaged.append(src)
                    continue
                write_new_file(dest, raw)
            for folder in folders:
                fsync_dir(folder)
            crash_point("backup-before-rename")
            os.replace(staging, target)
            fsync_dir(self.root)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.prune()
        return target, damaged

    def add(self, day: dt.date, files: list[Path]) -> None:
        """Put files that today's backup lacks into it (each whole or absent).

        For files created after the day's backup was taken; a file already in the
        backup is left as it is (backups are never changed in place).
        """
        target = self.root / day.isoformat()
        created = not target.is_dir()
        if created:
            self.root.mkdir(mode=DIR_MODE, exist_ok=True)
            existing = self.folders()
            staging = self.root / f".{day.isoformat()}.partial-{os.getpid()}"
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(mode=DIR_MODE)
            self._stamp(staging, existing)
            fsync_dir(staging)
            os.replace(staging, target)
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
            write_new_file(partial, raw)
            os.replace(partial, dest)
            fsync_dir(dest.parent)
        if created:
            self.prune()

    def prune(self) -> None:
        """Keep the newest ``keep`` backups, and an older one while it holds the only copy of a file."""
        ordered = self.folders()
        kept = ordered[: self.keep]
        kept_files = {rel for folder in kept for rel in _files_in(folder)}
        for old in ordered[self.keep :]:
            if _files_in(old) - kept_files:
                kept.append(old)  # the last copy of a file no newer backup has
                kept_files |= _files_in(old)
                continue
            shutil.rmtree(old, ignore_errors=True)
        self.remove_partials()

    def remove_partials(self) -> None:
        """Remove what a killed process left half-taken (call only under the lock: backups
        are only taken under it, so any partial folder is a leftover)."""
        try:
            entries = list(os.scandir(self.root))
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(".") and ".partial-" in entry.name:
                shutil.rmtree(entry.path, ignore_errors=True)

    def newest_good_copy(self, rel: Path) -> tuple[Path, bytes] | None:
        """The most recently taken backup of one store file that still parses."""
        for folder in self.folders():
            candidate = folder / rel
            try:
                raw = candidate.read_bytes()
                parse_document(candidate, raw)
            except (OSError, DamagedFileError):
                continue
            return folder, raw
        return None

    def holds(self, rel: Path) -> bool:
        """Whether any backup has a copy of this store file (so the file existed)."""
        return any((folder / rel).is_file() for folder in self.folders())


def _files_in(folder: Path) -> set[Path]:
    """The store files a backup folder holds (relative paths; the stamp left out):
    ``companion.json`` and ``days/*.json``, listed without walking the tree."""
    found: set[Path] = set()
    if (folder / "companion.json").is_file():
        found.add(Path("companion.json"))
    with contextlib.suppress(OSError):
        found.update(Path("days", name) for name in os.listdir(folder / "days") if name.endswith(".json"))
    return found


def _same_bytes(path: Path, raw: bytes) -> bool:
    try:
        return path.stat().st_size == len(raw) and path.read_bytes() == raw
    except OSError:
        return False
