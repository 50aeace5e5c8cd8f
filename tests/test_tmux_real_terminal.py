"""The installed `companion` in a real terminal (tmux): tick water, quit, see it in `status --json`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

COMPANION = Path(sys.executable).parent / "companion"


def _tmux(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False)


def _wait_for(check: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed, so no real terminal")
@pytest.mark.skipif(not COMPANION.exists(), reason=f"the console script {COMPANION} is not installed")
def test_water_ticked_in_the_app_shows_in_status(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    session = f"companion-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "COMPANION_DATA_DIR": str(data_dir), "TERM": "xterm-256color"}
    env.pop("PYTHONPATH", None)
    command = f"env COMPANION_DATA_DIR={data_dir} TERM=xterm-256color {COMPANION}"
    started = _tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    assert started.returncode == 0, started.stderr

    def screen() -> str:
        return _tmux("capture-pane", "-p", "-t", session).stdout

    def alive() -> bool:
        return _tmux("has-session", "-t", session).returncode == 0

    try:
        _wait_for(lambda: "Water today" in screen(), "the dashboard")
        assert "0 of 8" in screen()
        _tmux("send-keys", "-t", session, "w")
        _wait_for(lambda: "1 of 8" in screen(), "the ticked glass")
        _tmux("send-keys", "-t", session, "q")
        _wait_for(lambda: not alive(), "the app to quit")
    finally:
        if alive():
            _tmux("kill-session", "-t", session)

    status = subprocess.run(
        [str(COMPANION), "status", "--json"], capture_output=True, text=True, env=env, timeout=30, check=False
    )
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["hydration"]["glasses"] == 1
