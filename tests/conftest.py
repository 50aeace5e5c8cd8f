"""Shared fixtures: no test touches the real data dir; the local zone is pinned; the clock
can be frozen at the moment the subprocess tests start at."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pendulum
import pytest
from hypothesis import settings

from companion.store import Store
from tests.launch import TEST_NOW, TEST_NOW_ENV

# The suite draws the same examples on every run (a red CI is a change, never a lucky draw);
# HYPOTHESIS_PROFILE=explore draws new ones, many more, to hunt for bugs before a release.
settings.register_profile("suite", derandomize=True)
settings.register_profile("explore", max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every data location at a temporary folder, whatever a test forgets."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("COMPANION_DATA_DIR", str(home / "companion-data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("COMPANION_REPORT_DIR", str(home / "reports"))  # never the real documents folder
    monkeypatch.delenv("COMPANION_CRASH_AT", raising=False)


@pytest.fixture
def berlin() -> Iterator[str]:
    """Local time zone Europe/Berlin for the test (it has DST changes)."""
    pendulum.set_local_timezone(pendulum.timezone("Europe/Berlin"))
    yield "Europe/Berlin"
    pendulum.set_local_timezone()


@pytest.fixture
def clock_at_test_now() -> Iterator[pendulum.DateTime]:
    """This process's clock frozen at TEST_NOW, where the subprocess tests' clocks start."""
    with pendulum.travel_to(TEST_NOW, freeze=True):
        yield TEST_NOW


@contextmanager
def moved_to(moment: pendulum.DateTime) -> Iterator[None]:
    """Inside `clock_at_test_now`: the frozen clock at `moment`, then back at TEST_NOW (a
    nested `with pendulum.travel_to` would end at the real time)."""
    pendulum.travel_to(moment, freeze=True)
    try:
        yield
    finally:
        pendulum.travel_to(TEST_NOW, freeze=True)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Store:
    return Store(data_dir)


LAUNCHER = [sys.executable, str(Path(__file__).with_name("launch.py"))]
"""`companion` with its clock starting at a given moment (tests/launch.py)."""
PYTHON_M = [sys.executable, "-m", "companion"]
INSTALLED_SCRIPT = Path(sys.executable).parent / "companion"


def run_cli(
    *args: str,
    data_dir: Path,
    tz: str = "Europe/Berlin",
    env: dict[str, str] | None = None,
    input: str | None = None,
    now: pendulum.DateTime = TEST_NOW,
    program: list[str] = LAUNCHER,
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess on a temp data dir, its clock starting at `now`
    (Sun 22 Nov 2026 10:00 Berlin unless a test says otherwise) and running on from there."""
    full_env = {**os.environ, "TZ": tz, "COMPANION_DATA_DIR": str(data_dir), **(env or {})}
    full_env.pop("PYTHONPATH", None)
    if program is LAUNCHER:
        full_env[TEST_NOW_ENV] = now.isoformat()
    else:
        full_env.pop(TEST_NOW_ENV, None)  # the program runs at the real time
    # Run from outside the checkout so the *installed* package (and its assets) is used.
    cwd = tempfile.gettempdir()
    return subprocess.run(
        [*program, *args], capture_output=True, text=True, env=full_env, timeout=60, input=input, cwd=cwd
    )
