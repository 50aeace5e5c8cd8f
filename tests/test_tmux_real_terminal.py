"""companion full-screen in a real terminal (tmux): tick water, quit, see it in `status --json`.

The app runs through tests/launch.py (the installed package, its clock starting at a fixed
moment and running on), so the glass ticked and the status read fall on the same day
whatever the time the test runs at; tests/test_cli.py runs the console script itself at
the real time.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.conftest import LAUNCHER, run_cli
from tests.launch import TEST_NOW, TEST_NOW_ENV
from tests.waiting import wait_until

pytestmark = pytest.mark.slow


def _tmux(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False, timeout=30)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed, so no real terminal")
def test_water_ticked_in_the_app_shows_in_status(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    session = f"companion-test-{uuid.uuid4().hex[:8]}"
    settings = {
        "COMPANION_DATA_DIR": str(data_dir),
        "TERM": "xterm-256color",
        "TZ": "Europe/Berlin",
        TEST_NOW_ENV: TEST_NOW.isoformat(),
    }
    command = shlex.join(["env", *(f"{k}={v}" for k, v in settings.items()), *LAUNCHER])
    started = _tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", "-c", str(tmp_path), command)
    assert started.returncode == 0, started.stderr

    def screen() -> str:
        return _tmux("capture-pane", "-p", "-t", session).stdout

    def alive() -> bool:
        return _tmux("has-session", "-t", session).returncode == 0

    try:
        wait_until(lambda: "Water today" in screen() and "0 of 8" in screen(), what="the dashboard")
        _tmux("send-keys", "-t", session, "w")
        wait_until(lambda: "1 of 8" in screen(), what="the ticked glass on the screen")
        _tmux("send-keys", "-t", session, "q")
        wait_until(lambda: not alive(), what="the app to quit")
    finally:
        if alive():
            _tmux("kill-session", "-t", session)

    status = run_cli("status", "--json", data_dir=data_dir)  # also at TEST_NOW, on from there
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["hydration"]["glasses"] == 1
