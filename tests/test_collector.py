"""A `companion` process holds the garbage collector while it starts, and collects as usual
once its start is done: before a command runs, once the app's first screen is drawn."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from companion import collector
from companion.cli import status_command
from companion.cli.main import main
from companion.context import open_context
from companion.store import Store
from companion.ui.app import create_app
from companion.ui.screens.dashboard import DashboardScreen
from tests.waiting import wait_for


@pytest.fixture
def held() -> Iterator[None]:
    """Collection held as at a `companion` process's first line; as before afterwards."""
    assert gc.isenabled()
    collector.hold()
    try:
        yield
    finally:
        collector.resume()
        gc.unfreeze()  # the test process's objects, frozen by resume(): scanned again
        gc.enable()


def test_resume_undoes_only_hold() -> None:
    gc.disable()  # a program importing companion turned collection off itself
    try:
        collector.resume()
        assert not gc.isenabled()
        collector.hold()
        collector.resume()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_command_runs_with_collection_on(
    held: None, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not gc.isenabled()
    seen: list[tuple[bool, int]] = []
    real = status_command.status

    def status(ctx: object, args: object) -> int:
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        return real(ctx, args)  # type: ignore[arg-type]

    monkeypatch.setattr(status_command, "status", status)
    try:
        assert main(["--data-dir", str(data_dir), "status", "--json"]) == 0
    finally:
        pendulum.set_local_timezone()
    [(enabled, frozen)] = seen
    assert enabled and frozen > 0
    assert '"checkin_done"' in capsys.readouterr().out


async def test_the_app_collects_once_its_first_screen_is_drawn(held: None, store: Store) -> None:
    app = create_app(open_context(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen), what="the dashboard")
        await wait_for(pilot, gc.isenabled, what="collection resumed")
        assert gc.get_freeze_count() > 0


@pytest.mark.parametrize(
    ("argv0", "held_at_start"), [("-m", True), ("/usr/bin/companion", True), ("a-script", False)]
)
def test_only_a_companion_process_holds_collection(argv0: str, held_at_start: bool) -> None:
    """`python -m companion` (argv[0] is "-m" while the package is imported for it) and the console
    script start with collection held; a program that imports companion does not."""
    code = f"import sys; sys.argv = [{argv0!r}]; import gc, companion; print(gc.isenabled())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == str(not held_at_start)
