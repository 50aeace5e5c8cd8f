"""Records set aside: kept, with their bytes, in ``quarantine.jsonl`` next to the store.

A record that cannot be read (``soreness: "abc"``, an impossible date, a string where
a record should be, a number of 5000 digits) must not take the whole store down, and
must not be lost either. The store moves it here (one JSON line per record, mode 600,
flushed before the record leaves its file) and tells the patient which one and where.

Each line holds the file and table it came from, its record number, why it could not
be read, when it was set aside, and ``raw``: the record's JSON text exactly as found
(ASCII, numbers digit for digit). Appending the same record twice adds one line.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion.core import clock
from companion.core.records import exact_json
from companion.store.atomic_storage import FILE_MODE, fsync_dir

QUARANTINE_FILE = "quarantine.jsonl"


@dataclass(frozen=True)
class SetAside:
    file: str  # relative to the data folder
    table: str
    key: str | None
    value: Any
    reason: str

    def line(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "table": self.table,
            "record": self.key,
            "reason": self.reason,
            "set_aside_at": clock.iso(clock.now()),
            "raw": exact_json(self.value),
        }


class Quarantine:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / QUARANTINE_FILE

    def _known(self) -> set[tuple[Any, ...]]:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return set()
        known = set()
        for line in text.splitlines():
            try:
                entry = json.loads(line)
                known.add((entry["file"], entry["table"], entry["record"], entry["raw"]))
            except (ValueError, KeyError, TypeError):
                continue  # a torn line from a crash: the entry is written again
        return known

    def add(self, entries: list[SetAside]) -> None:
        """Append the entries (durably) that are not here yet; raises OSError on failure."""
        known = self._known()
        lines = []
        for entry in entries:
            line = entry.line()
            if (line["file"], line["table"], line["record"], line["raw"]) in known:
                continue
            lines.append(json.dumps(line, ensure_ascii=True))
        if not lines:
            return
        existed = self.path.exists()
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)
            size = os.fstat(fd).st_size
            payload = "\n".join(lines) + "\n"
            if size and not _ends_with_newline(self.path):
                payload = "\n" + payload  # after a torn last line
            view = memoryview(payload.encode("ascii"))
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if not existed:
            fsync_dir(self.path.parent)


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"
