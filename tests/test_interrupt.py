"""Issue 11: Ctrl+C lands at any moment, during the imports too: one calm line, exit 130,
never a traceback.

The real programs (the console script and ``python -m companion``) get a real SIGINT while
they are held at a chosen import: a sitecustomize, put on the child's PYTHONPATH by these
tests only, holds the import named in COMPANION_TEST_HOLD_IMPORT, writes a file to say so
and waits for a signal; the test waits for that file (a condition, not a time), then sends the signal,
which lands in the held import.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import INSTALLED_SCRIPT, PYTHON_M
from tests.waiting import wait_until

HOLD = '''
import os, signal, sys

_target = os.environ.get("COMPANION_TEST_HOLD_IMPORT")
_ready = os.environ.get("COMPANION_TEST_HOLD_READY")


class _Hold:
    """Holds the import of one module (once) until a signal arrives."""

    def find_spec(self, name, path=None, target=None):
        if name == _target:
            sys.meta_path.remove(self)
            with open(_ready, "w") as ready:
                ready.write(name)
            signal.pause()
        return None


if _target and _ready:
    sys.meta_path.insert(0, _Hold())
'''


def _interrupted_at(
    module: str, program: list[str], args: list[str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOLD)
    ready = tmp_path / "held"
    env = {
        **os.environ,
        "PYTHONPATH": str(hook),
        "COMPANION_TEST_HOLD_IMPORT": module,
        "COMPANION_TEST_HOLD_READY": str(ready),
        "COMPANION_DATA_DIR": str(tmp_path / "data"),
        "TZ": "Europe/Berlin",
    }
    child = subprocess.Popen(
        [*program, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    try:
        wait_until(lambda: ready.exists() or child.poll() is not None, what=f"the import of {module}")
        assert child.poll() is None, f"ended before importing {module}: {child.communicate()}"
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    return subprocess.CompletedProcess(child.args, child.returncode, out, err)


SCRIPT = [str(INSTALLED_SCRIPT)]

MOMENTS = [
    # right after start: the first import after the package's own
    pytest.param("companion.cli", SCRIPT, ["status"], id="script-first-import"),
    # in the middle of the command line's imports
    pytest.param("companion.cli.output", SCRIPT, ["status"], id="script-cli-imports"),
    pytest.param("companion.cli.main", PYTHON_M, ["status"], id="python-m-cli-imports"),
    # the parser, then the command itself, running
    pytest.param("companion.cli.parser", SCRIPT, ["status"], id="script-parsing"),
    pytest.param("companion.queries", SCRIPT, ["status"], id="script-command-running"),
    # `companion` alone: while Textual is imported for the app
    pytest.param("textual.app", SCRIPT, [], id="script-app-start"),
]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
@pytest.mark.parametrize(("module", "program", "args"), MOMENTS)
def test_ctrl_c_at_any_moment_says_one_calm_line(
    module: str, program: list[str], args: list[str], tmp_path: Path
) -> None:
    result = _interrupted_at(module, program, args, tmp_path)
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr
    assert result.stderr == "companion: interrupted\n"
    assert result.returncode == 130
    assert result.stdout == ""
