"""What every command writes: exit codes, JSON on stdout, notices on stderr, export files.

Everything a command prints passes through :func:`companion.core.text.printable` (the
streams are wrapped while it runs, see :class:`PrintableStream`): whatever a record, a
clinic file or an argument holds, no control sequence reaches the terminal. JSON is
escaped losslessly instead.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from companion.core.errors import InputError

if TYPE_CHECKING:
    from companion.store import Store

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class PrintableStream:
    """A text stream that writes only what a terminal shows as text (control characters
    made visible): the CLI's stdout and stderr while a command runs."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        from companion.core.text import printable

        return self.stream.write(printable(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def print_json(data: Any) -> None:
    """JSON on stdout; the characters a terminal would obey are \\u escapes (same JSON)."""
    from companion.core.text import json_escaped

    sys.stdout.write(json_escaped(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")


def print_notices(store: Store) -> None:
    """Damage found and repaired on the way: one line each, on stderr."""
    for notice in store.take_notices():
        print(f"companion: {notice}", file=sys.stderr)


def output_target(path: Path) -> Path:
    """The regular file an export replaces: ``path``, or the file a link at ``path`` points to.

    Anything else that exists is refused: replacing a device (``/dev/null`` when run as
    root), a pipe or a socket with a regular file would break whatever uses it. A link
    is followed, so the link stays and the file it points to gets the export (what
    the patient meant by naming it); a link to nothing, or to anything but a regular
    file, is refused.
    """
    import stat

    target = path
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise InputError(
                "--output", f"{path} is a link to something that does not exist; give a file name"
            ) from None
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise InputError("--output", f"cannot look at {target}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise InputError("--output", f"{path} is a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise InputError(
            "--output",
            f"{path} is not a regular file (a device, a pipe or a socket); companion only "
            "replaces regular files. Use --output - to print the export instead",
        )
    return target


def write_output(path: Path, payload: bytes, data_dir: Path) -> Path:
    """Write an export atomically; returns the file written (a link's target)."""
    from companion.store import StoreError
    from companion.store.atomic_storage import atomic_write_bytes, describe_os_error

    if path.parent.exists() and not path.parent.is_dir():
        raise InputError("--output", f"{path.parent} is a file, not a folder")
    if not path.parent.is_dir():
        raise InputError("--output", f"the folder {path.parent} does not exist")
    target = output_target(path)
    if target.resolve().is_relative_to(data_dir.resolve()):
        raise InputError("--output", f"{path} is inside your data folder; write the export somewhere else")
    try:
        atomic_write_bytes(target, payload)
    except OSError as exc:
        raise StoreError(describe_os_error(exc, target, verb="write")) from exc
    return target
