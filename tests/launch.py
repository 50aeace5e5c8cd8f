"""Start companion's command line with its clock at a fixed moment, for the subprocess tests.

    python tests/launch.py ARGS...      (what `companion ARGS...` does)

With COMPANION_TEST_NOW set (an ISO 8601 moment with offset) the process's clock starts
at that moment and runs on from there (pendulum.travel_to with freeze=False, through
time-machine, a test dependency), so a test's dates mean the same on any machine, on any
day. Only this launcher and the store's test child read that variable: companion itself
never does, and the installed `companion` script knows nothing of it.

This file is run as a script from outside the checkout, so it imports nothing from tests/.
"""

from __future__ import annotations

import os
import sys

import pendulum

TEST_NOW_ENV = "COMPANION_TEST_NOW"
TEST_NOW = pendulum.datetime(2026, 11, 22, 10, 0, tz="Europe/Berlin")
"""Sun 22 Nov 2026 10:00 in Berlin: the moment the subprocess tests start at (the app tests'
frozen moment too)."""


def travel_from_env() -> None:
    """Move this process's clock to COMPANION_TEST_NOW, if it is set; time runs on from there."""
    moment = os.environ.get(TEST_NOW_ENV)
    if moment:
        # time-machine imports pytest, for its plugin, when it can: half its import time,
        # in every CLI call of the suite. A child process has no use for it.
        sys.modules.setdefault("pytest", None)  # type: ignore[arg-type]
        start = pendulum.parse(moment)
        assert isinstance(start, pendulum.DateTime), f"{TEST_NOW_ENV} must be a moment: {moment!r}"
        pendulum.travel_to(start, freeze=False)


if __name__ == "__main__":
    travel_from_env()
    from companion.cli.main import main

    sys.exit(main())
