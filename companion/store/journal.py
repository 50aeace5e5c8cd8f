"""All-or-nothing writes of several store files (an import): the journal.

Before the first of several files changes, the new content of every one of them is
written, whole and flushed, to ``import-journal.json``; then each file is replaced
(atomically, one by one); then the journal is deleted. A process killed in between
leaves the journal behind, and the next store to take the lock writes every file in
it again (the same bytes: doing it twice is harmless) before anything else reads or
writes, and tells the patient. So an interrupted import is completed, never left
half-done in silence.

The journal names its files relative to the data folder; only ``companion.json`` and
``days/YYYY-MM.json`` are accepted, so a planted journal cannot write elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

from companion.core.records import json_default
from companion.store.atomic_storage import (
    DamagedFileError,
    UnreadableFileError,
    atomic_write_bytes,
    crash_point,
    fsync_dir,
    parse_document,
    read_with_identity,
)

JOURNAL_FILE = "import-journal.json"
JOURNAL_FORMAT = "companion-journal"
_STORE_FILE = re.compile(r"^(companion\.json|days/[0-9]{4}-[0-9]{2}\.json)$")


class Journal:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / JOURNAL_FILE

    def exists(self) -> bool:
        return self.path.exists()

    def write(self, files: dict[Path, dict[str, Any]]) -> None:
        """Record the new content of every file, durably, before any of them changes."""
        document = {
            "format": JOURNAL_FORMAT,
            "files": {str(path.relative_to(self.data_dir)): data for path, data in files.items()},
        }
        payload = json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=json_default)
        atomic_write_bytes(self.path, payload.encode("utf-8"))
        crash_point("journal-written")

    def done(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        fsync_dir(self.data_dir)

    def replay(self) -> tuple[list[Path], str | None]:
        """Write every file of an interrupted import again and delete the journal.

        Returns the files written, and a problem if the journal could not be used
        (it is then kept, renamed, for a look later). Call only under the lock.
        """
        try:
            found = read_with_identity(self.path)
        except UnreadableFileError as exc:
            return [], str(exc)
        if found is None:
            return [], None
        try:
            document = parse_document(self.path, found[0])
            files = document.get("files")
            if document.get("format") != JOURNAL_FORMAT or not isinstance(files, dict):
                raise DamagedFileError(self.path, "not a companion journal")
            for rel, data in files.items():
                if not isinstance(rel, str) or not _STORE_FILE.match(rel) or not isinstance(data, dict):
                    raise DamagedFileError(self.path, f"it names {str(rel)[:40]!r}, not a store file")
        except DamagedFileError as damage:
            aside = self.path.with_name(f"{self.path.name}.damaged")
            with contextlib.suppress(OSError):
                self.path.replace(aside)
            return [], f"{damage}; it is kept as {aside}"
        written = []
        for rel, data in files.items():
            target = self.data_dir / rel
            target.parent.mkdir(mode=0o700, exist_ok=True)
            payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=json_default)
            atomic_write_bytes(target, payload.encode("utf-8"))
            written.append(target)
        self.done()
        return written, None
