"""A permission error is an error, never damage; a run as another user leaves nothing the
folder's owner cannot read. With real users: the patient is an unprivileged uid, the
"sudo" run is root (these tests need root to switch users, and skip elsewhere)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from tests.helpers_store import child_env

PATIENT = 65534  # nobody
MOMENT = pendulum.datetime(2026, 11, 21, 9, tz="Europe/Berlin")
CLI_AT = (
    "import sys, pendulum\n"
    "from companion.cli.main import main\n"
    "with pendulum.travel_to(pendulum.parse(sys.argv[1]), freeze=True):\n"
    "    sys.exit(main(sys.argv[2:]))\n"
)

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None, reason="switching users needs root and setpriv"
)


def run(
    uid: int, data_dir: Path, *args: str, moment: pendulum.DateTime = MOMENT
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", CLI_AT, moment.isoformat(), "--data-dir", str(data_dir), *args]
    if uid != os.geteuid():
        command = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", *command]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=child_env(PYTHONDONTWRITEBYTECODE="1", HOME="/nonexistent"),
        timeout=60,
        cwd="/",
    )


@pytest.fixture
def patients_folder() -> Iterator[Path]:
    """A data folder the patient (uid 65534) made with their own companion runs."""
    base = Path(tempfile.mkdtemp(prefix="companion-owner-"))  # under /tmp: every user can reach it
    os.chmod(base, 0o755)
    os.chown(base, PATIENT, PATIENT)
    data_dir = base / "data"
    try:
        for args in (
            ("session", "add", "--at", "2026-11-20T10:00"),
            ("checkin", "--soreness", "3", "--fatigue", "2"),
            ("water", "2"),
        ):
            done = run(PATIENT, data_dir, *args)
            if done.returncode != 0 and "No module named" in done.stderr:
                pytest.skip(f"the patient's uid cannot import companion here: {done.stderr[-200:]}")
            assert done.returncode == 0, done.stderr
        yield data_dir
    finally:
        shutil.rmtree(base, ignore_errors=True)


def state(data_dir: Path) -> dict[str, tuple[int, int, bytes | None]]:
    """Every path with its owner, mode and bytes."""
    found = {}
    for path in sorted(data_dir.rglob("*")):
        st = path.lstat()
        raw = path.read_bytes() if stat.S_ISREG(st.st_mode) else None
        found[str(path.relative_to(data_dir))] = (st.st_uid, stat.S_IMODE(st.st_mode), raw)
    return found


def test_a_sudo_run_is_refused_and_leaves_nothing_of_roots(patients_folder: Path) -> None:
    before = state(patients_folder)
    assert {uid for uid, _, _ in before.values()} == {PATIENT}
    for args in (("water",), ("status",), ("checkin", "--soreness", "1", "--fatigue", "1")):
        result = run(0, patients_folder, *args)
        assert result.returncode == 1, result.stderr
        assert f"{patients_folder} belongs to nobody" in result.stderr
        assert "run it as nobody, without sudo" in result.stderr and "Traceback" not in result.stderr
    assert state(patients_folder) == before


def test_a_file_root_left_behind_is_an_error_naming_it_and_the_fix(patients_folder: Path) -> None:
    """What an older companion run with sudo left: a month file root owns, mode 600."""
    month = patients_folder / "days" / "2026-11.json"
    os.chown(month, 0, 0)
    before = state(patients_folder)
    for args in (("status",), ("water",), ("history", "--days", "3")):
        result = run(PATIENT, patients_folder, *args)
        assert result.returncode == 1, (args, result.stderr)
        message = result.stderr
        assert f"cannot read {month}: permission denied (it belongs to root" in message
        assert "Nothing was moved or restored" in message
        assert f"sudo chown -R nobody {patients_folder}" in message
        assert "Traceback" not in message and message.count("\n") == 1
    assert state(patients_folder) == before  # nothing moved aside, no backup rolled back
    assert not [p for p in patients_folder.rglob("*") if ".damaged-" in p.name]
    os.chown(month, PATIENT, PATIENT)  # the fix the message gives
    assert run(PATIENT, patients_folder, "water").returncode == 0


def test_a_lock_file_root_left_behind_names_the_fix(patients_folder: Path) -> None:
    lock = patients_folder / ".lock"
    os.chown(lock, 0, 0)
    before = state(patients_folder)
    result = run(PATIENT, patients_folder, "water")
    assert result.returncode == 1
    assert str(lock) in result.stderr and f"sudo chown -R nobody {patients_folder}" in result.stderr
    assert state(patients_folder) == before


def test_a_sudo_run_does_not_create_a_data_folder_inside_the_patients_home(tmp_path: Path) -> None:
    """sudo keeping HOME: the first run ever would make a root-owned folder in the patient's home."""
    home = Path(tempfile.mkdtemp(prefix="companion-home-"))
    os.chown(home, PATIENT, PATIENT)
    try:
        data_dir = home / ".local" / "share" / "companion"
        result = run(0, data_dir, "water")
        assert result.returncode == 1, result.stderr
        assert f"inside {home}, which belongs to nobody" in result.stderr
        assert list(home.iterdir()) == []
        assert run(PATIENT, data_dir, "water").returncode == 0  # the patient's own first run
        assert data_dir.stat().st_uid == PATIENT
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_a_patients_run_on_another_users_folder_is_refused_naming_both() -> None:
    """A folder that is not the patient's (here one root made): nothing is read or written."""
    base = Path(tempfile.mkdtemp(prefix="companion-other-"))
    os.chmod(base, 0o755)
    data_dir = base / "data"
    try:
        assert run(0, data_dir, "water").returncode == 0  # root's own folder
        before = state(data_dir)
        result = run(PATIENT, data_dir, "status")
        if "No module named" in result.stderr:
            pytest.skip(f"the patient's uid cannot import companion here: {result.stderr[-200:]}")
        assert result.returncode == 1, result.stderr
        said = f"the data folder {data_dir} belongs to root, not nobody: run companion as root"
        assert said in result.stderr
        assert "choose a folder of your own with --data-dir" in result.stderr
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
        assert state(data_dir) == before
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_patient_may_keep_a_data_folder_inside_a_shared_folder_of_another_user() -> None:
    """A sticky, world-writable folder another (unprivileged) user owns, like /tmp: the
    patient's first run makes a folder of their own there."""
    shared = Path(tempfile.mkdtemp(prefix="companion-shared-"))
    os.chmod(shared, 0o1777)
    os.chown(shared, 12345, 12345)
    data_dir = shared / "data"
    try:
        result = run(PATIENT, data_dir, "water")
        if "No module named" in result.stderr:
            pytest.skip(f"the patient's uid cannot import companion here: {result.stderr[-200:]}")
        assert result.returncode == 0, result.stderr
        assert data_dir.stat().st_uid == PATIENT
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_root_creates_no_data_folder_inside_any_other_users_folder() -> None:
    """Whoever owns the folder (here uid 1, a system user): what root made inside is root's."""
    home = Path(tempfile.mkdtemp(prefix="companion-home-"))
    os.chown(home, 1, 1)
    try:
        result = run(0, home / "data", "water")
        assert result.returncode == 1, result.stderr
        assert (
            f"would create its data folder {home / 'data'} inside {home}, which belongs to" in result.stderr
        )
        assert list(home.iterdir()) == []
    finally:
        shutil.rmtree(home, ignore_errors=True)
