"""companion full-screen in a real terminal (tmux): tick water, quit, see it in `status --json`.

The app runs through tests/launch.py (the installed package, its clock starting at a fixed
moment and running on), so the glass ticked and the status read fall on the same day
whatever the time the test runs at; tests/test_cli.py runs the console script itself at
the real time.
"""

from __future__ import annotations

import json
import re
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


def _start_app(tmp_path: Path, data_dir: Path) -> str:
    """companion in a new 80x24 tmux session, its clock at TEST_NOW; the session's name."""
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
    return session


def _screen(session: str) -> str:
    return _tmux("capture-pane", "-p", "-t", session).stdout


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed, so no real terminal")
def test_water_ticked_in_the_app_shows_in_status(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    session = _start_app(tmp_path, data_dir)

    def screen() -> str:
        return _screen(session)

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


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed, so no real terminal")
def test_a_burst_of_keys_with_tabs_fills_each_box_in_a_real_terminal(tmp_path: Path) -> None:
    """tmux writes a burst in one go, as a quick typist or a busy machine does: each Tab and
    F-key moves on before the keys typed after it land (they once went to the box it left)."""
    session = _start_app(tmp_path, tmp_path / "data")

    def screen() -> str:
        return _screen(session)

    def shows(*patterns: str) -> bool:
        text = screen()
        return all(re.search(pattern, text) for pattern in patterns)

    try:
        wait_until(lambda: "Water today" in screen(), what="the dashboard")
        _tmux("send-keys", "-t", session, "c", "3", "Tab", "2", "Tab", "1")
        wait_until(
            lambda: shows(r"Soreness\s+3\s", r"Fatigue\s+2\s", r"Stiffness\s+1\s"),
            what="3, 2 and 1 in their boxes",
        )
        _tmux("send-keys", "-t", session, "Escape")
        wait_until(lambda: "You have not saved" in screen(), what="the unsaved-changes question")
        _tmux("send-keys", "-t", session, "d")
        wait_until(lambda: "Water today" in screen(), what="the dashboard again")
        _tmux("send-keys", "-t", session, "p", "F3", "w", "a", "l", "l", "Tab", "3")
        wait_until(lambda: shows(r"Exercise\s+wall\s", r"Sets\s+3\s"), what="the exercise's name and sets")
    finally:
        _tmux("kill-session", "-t", session)
