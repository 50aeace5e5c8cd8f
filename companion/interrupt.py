"""Ctrl+C at any moment of a `companion` process: one calm line and exit 130, never a traceback.

A KeyboardInterrupt is raised wherever the signal lands; during the imports (the first tenth
of a second) nothing of companion's is there yet to catch it, and Python prints a traceback.
So as soon as the package is imported *as the program* (the console script `companion`, or
``python -m companion``: see companion/__init__.py), Ctrl+C exits calmly wherever it lands.
While a command runs, the CLI lets it raise KeyboardInterrupt again (see cli/main.py), so
``finally`` blocks and the app's own clean-up (asyncio cancels it, the terminal is restored)
run as usual, and the command says the same line.

Left: the few milliseconds before the package's first line runs (the interpreter starting,
the console script's own ``import re, sys``), which no package can reach.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import suppress
from types import FrameType

INTERRUPTED = 130
"""The exit code of a program stopped by Ctrl+C (128 + SIGINT), as shells expect."""
LINE = "companion: interrupted"


def say_interrupted() -> int:
    """Print the one line (if stderr is there to print on) and give the exit code."""
    with suppress(OSError, ValueError):  # stderr closed or gone
        print(LINE, file=sys.stderr, flush=True)
    return INTERRUPTED


def _calm_exit(_signum: int, _frame: FrameType | None) -> None:
    with suppress(ValueError):  # a second Ctrl+C while leaving changes nothing
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise SystemExit(say_interrupted())


def started_as_program(argv: list[str]) -> bool:
    """Whether this process is `companion` itself: the console script, or ``python -m companion``
    (argv[0] is "-m" while the package is imported for it), not a program importing it."""
    if not argv:
        return False
    name = os.path.basename(argv[0]).lower().removesuffix(".exe")
    return argv[0] == "-m" or name in ("companion", "companion-script.py")


def exit_calmly_on_interrupt() -> None:
    """From now on Ctrl+C exits with one line and code 130, wherever it lands (main thread only)."""
    with suppress(ValueError):  # not the main thread: signals are not ours to handle
        signal.signal(signal.SIGINT, _calm_exit)
