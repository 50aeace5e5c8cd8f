"""Helpers for the store tests: the files of a data folder, and a child writer process
(the history they seed comes from tests/seeding.py).

Run as a script it is the *child* of the fault tests (started with ``sys.executable``):

    python helpers_store.py tick DATA_DIR COUNT [--wait]
        tick one glass of water for today COUNT times, printing ``tick <glasses>``
        after each write has returned; with --wait, print ``ready`` and wait for a
        line on stdin first (so two children really run at the same time).
    python helpers_store.py mixed DATA_DIR FIRST_DAY START_INDEX
        for the days FIRST_DAY + START_INDEX, + 1, ...: tick a glass of water on that
        day, then save its check-in. Before each write it prints what it begins
        (``begin tick <day>``, ``begin checkin <day> <id>``), after it the
        acknowledgement (``tick <day> <glasses>``, ``checkin <day> <id>``), and then
        waits for a line on stdin before the next write: the test decides when to
        kill, and the child never runs ahead of it.
    python helpers_store.py session DATA_DIR
        add one session, print ``session <id>``.

Every line is flushed at once: an acknowledgement is a finished write. With
COMPANION_TEST_NOW in the environment the child's clock starts at that moment
(tests/launch.py); the product never reads it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import pendulum

from companion.core.checkins import CheckIn
from companion.core.ids import new_id
from companion.core.sessions import Session
from companion.store import Store

if __package__:
    from tests.launch import TEST_NOW, TEST_NOW_ENV, travel_from_env
else:  # run as a script by the fault tests: this folder is first on sys.path
    from launch import TEST_NOW, TEST_NOW_ENV, travel_from_env  # type: ignore[no-redef]

HERE = Path(__file__).resolve()


def store_files(data_dir: Path) -> list[Path]:
    """Every regular file under the data folder (store files, backups, lock)."""
    return sorted(p for p in data_dir.rglob("*") if p.is_file())


def temp_files(data_dir: Path) -> list[Path]:
    return [p for p in store_files(data_dir) if p.name.startswith(".") and p.name.endswith(".tmp")]


def assert_all_parse(data_dir: Path) -> None:
    """Every store and backup JSON file is a whole JSON object of tables."""
    for path in store_files(data_dir):
        if path.suffix == ".json":
            data = json.loads(path.read_bytes())
            assert isinstance(data, dict), path
            assert all(isinstance(t, dict) for t in data.values()), path


def snapshot(data_dir: Path) -> dict[str, bytes]:
    """The bytes of every file (paths relative to the data folder)."""
    return {str(p.relative_to(data_dir)): p.read_bytes() for p in store_files(data_dir)}


def child_env(**extra: str) -> dict[str, str]:
    """The child's environment: Berlin, no crash hook, its clock started at the tests' moment."""
    env = {k: v for k, v in os.environ.items() if k != "COMPANION_CRASH_AT"}
    env["TZ"] = "Europe/Berlin"
    env[TEST_NOW_ENV] = TEST_NOW.isoformat()
    env.update(extra)
    return env


# ---------------------------------------------------------------------- the child


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _tick(store: Store) -> None:
    today = pendulum.now().date()
    updated = store.update_hydration(today, lambda h: h.add(1))
    _say(f"tick {updated.glasses}")


def _next() -> None:
    """Wait for the test's go-ahead (a line on stdin); stop when it closes stdin."""
    if not sys.stdin.readline():
        raise SystemExit(0)


def main(argv: list[str]) -> int:
    travel_from_env()
    mode, data_dir = argv[0], Path(argv[1])
    store = Store(data_dir)
    if mode == "tick":
        count = int(argv[2])
        if "--wait" in argv[3:]:
            _say("ready")
            _next()
        for _ in range(count):
            _tick(store)
        return 0
    if mode == "mixed":
        first = dt.date.fromisoformat(argv[2])
        index = int(argv[3])
        _say("ready")
        while True:
            day = first + dt.timedelta(days=index)
            _say(f"begin tick {day.isoformat()}")
            updated = store.update_hydration(day, lambda h: h.add(1))
            _say(f"tick {day.isoformat()} {updated.glasses}")
            _next()
            checkin = CheckIn(new_id(), day, pendulum.now(), soreness=index % 11, fatigue=3)
            _say(f"begin checkin {day.isoformat()} {checkin.id}")
            store.save_checkin(checkin)
            _say(f"checkin {day.isoformat()} {checkin.id}")
            _next()
            index += 1
    if mode == "session":
        session = Session(new_id(), pendulum.now().subtract(hours=1))
        store.add_session(session)
        _say(f"session {session.id}")
        return 0
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
