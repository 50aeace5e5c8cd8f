"""What the patient reads when a store file cannot be read or written (store/atomic_storage.py).

Each message names the file, says why in plain words, and says what to do; the real
permission cases (other users, sudo) run in tests/test_store_permissions.py, these
take the errors the system can give one by one.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from companion.store.atomic_storage import describe_os_error, describe_unreadable

UNKNOWN_UID = 4_242_424  # no user has it


def month_file(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "days" / "2026-11.json"
    path.parent.mkdir(parents=True)
    path.write_text("{}")
    return path


def error(code: int) -> OSError:
    return OSError(code, os.strerror(code))


def test_a_file_of_a_user_that_no_longer_exists_is_named_by_its_uid(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a file to another uid needs root")
    path = month_file(tmp_path)
    os.chown(path, UNKNOWN_UID, UNKNOWN_UID)
    message = describe_unreadable(path, error(errno.EACCES))
    assert f"it belongs to uid {UNKNOWN_UID}," in message
    assert message.endswith(f"give the files back to yourself with: sudo chown -R root {tmp_path / 'data'}")


def test_an_unreadable_file_of_ones_own_points_at_the_data_folders_permissions(tmp_path: Path) -> None:
    path = month_file(tmp_path)
    message = describe_unreadable(path, error(errno.EACCES))
    assert message.startswith(f"cannot read {path}: permission denied (it belongs to ")
    assert message.endswith(f"Nothing was moved or restored; check the permissions of {tmp_path / 'data'}")


def test_a_file_that_cannot_even_be_looked_at_names_no_owner(tmp_path: Path) -> None:
    path = tmp_path / "data" / "companion.json"  # not there: its owner cannot be found
    message = describe_unreadable(path, error(errno.EPERM))
    assert message.startswith(f"cannot read {path}: permission denied (companion runs as ")
    assert "belongs" not in message


def test_a_folder_where_a_file_should_be_says_move_it(tmp_path: Path) -> None:
    path = month_file(tmp_path)
    assert describe_unreadable(path, error(errno.EISDIR)) == (
        f"cannot read {path}: it is a folder, not a file; move it out of the way. Nothing was changed."
    )


def test_any_other_read_error_is_said_with_the_systems_reason(tmp_path: Path) -> None:
    path = month_file(tmp_path)
    assert describe_unreadable(path, error(errno.EIO)) == (
        f"cannot read {path}: {os.strerror(errno.EIO)}. Nothing was moved or restored."
    )


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "the folder is on a read-only file system"),
        (errno.EDQUOT, "the disk quota is used up"),
        (errno.EIO, os.strerror(errno.EIO)),
    ],
)
def test_a_failed_save_says_why_and_that_nothing_changed(tmp_path: Path, code: int, why: str) -> None:
    path = month_file(tmp_path)
    assert describe_os_error(error(code), path) == f"could not save to {path}: {why}. Nothing was changed."
