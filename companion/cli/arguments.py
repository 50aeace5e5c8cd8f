"""What the patient gave on the command line: refusals, file and folder names, field names.

The core names a refused value by its record key (``soreness``, ``started_at``); the
parser knows which option or argument fills each key (its ``dest``), so a refusal is
said with what the patient typed (``--soreness``, ``--at``, ``FILE``): see
:func:`field_name`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from companion.core.errors import InputError

DATA_DIR_ENV = "COMPANION_DATA_DIR"
MAX_NAME_BYTES, MAX_PATH_BYTES = 255, 4096
"""The longest file name and path Linux and macOS take: longer ones are the patient's typo."""


class UsageError(Exception):
    """Bad usage found by the parser or a command; exit code 2."""


def field_name(args: Any, key: str) -> str:
    """What the patient typed for a record key: its option (``--at``) or argument (``FILE``)
    in the command that ran; the key itself when no argument fills it."""
    for names in (getattr(args, "field_names", {}), getattr(args, "global_field_names", {})):
        if key in names:
            return str(names[key])
    return key


@contextmanager
def fields_named(**names: str) -> Iterator[None]:
    """Inside: a refusal naming one of these record keys names what is given instead, where
    one argument holds several values (``activity rate 1 7 2 4``: 'SCORE for ...')."""
    try:
        yield
    except InputError as exc:
        if exc.field not in names:
            raise
        raise InputError(names[exc.field], exc.message) from None


def check_arguments(args: Any) -> None:
    """Refuse an argument that is not UTF-8 (the shell passed bytes Python kept as
    surrogates): nothing could store or print it. Names the option."""
    from companion.core.text import has_surrogates

    for dest, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and has_surrogates(item):
                raise InputError(
                    field_name(args, dest),
                    "is not valid UTF-8 text; type it again, or check the terminal's encoding",
                )


def path_argument(raw: str, field: str) -> Path:
    """A file or folder named by the patient; one too long for any file system is refused
    (exit 2, a short quote) before the OS says 'File name too long'."""
    from companion.core.text import has_surrogates, shown

    if has_surrogates(raw):
        raise InputError(field, "is not valid UTF-8 text; give the name in UTF-8")
    path = Path(raw).expanduser()
    too_long = len(os.fsencode(path)) > MAX_PATH_BYTES or any(
        len(os.fsencode(part)) > MAX_NAME_BYTES for part in path.parts
    )
    if too_long:
        raise InputError(field, f"{shown(raw)} is too long to be the name of a file or folder")
    return path


def data_dir_argument(given: str | None) -> Path:
    """The data folder: --data-dir, else the environment's, else the user data folder."""
    if given is not None:
        if not given.strip():
            raise InputError("--data-dir", "is empty; give the folder for your data")
        return path_argument(given, "--data-dir")
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return path_argument(env, DATA_DIR_ENV)
    from platformdirs import user_data_dir

    return Path(user_data_dir("companion", appauthor=False))


def read_text_file(path: Path, kind: str, field: str = "FILE") -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(field, f"{path} does not exist") from None
    except UnicodeDecodeError:
        raise InputError(field, f"{path} is not a text ({kind}) file") from None
    except OSError as exc:
        raise InputError(field, f"cannot read {path}: {exc.strerror}") from None
