"""One bad value inside a record never takes the store down.

A record that breaks its types (``soreness: "abc"``, an impossible date, a null
timestamp, a string where a record should be, a number of 5000 digits) in
companion.json or a month file is set aside, with its bytes, in quarantine.jsonl
(mode 600); the patient is told which record and where; every command and the app
keep working with everything else.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest
from textual.notifications import Notify

from companion.cli.main import main
from companion.context import open_context
from companion.core.backup import Backup
from companion.core.checkins import CheckIn
from companion.core.hydration import HydrationDay
from companion.core.sessions import Session
from companion.store import Store
from companion.ui.app import create_app
from companion.ui.screens.dashboard import DashboardScreen
from tests.conftest import run_cli
from tests.waiting import wait_for

DAYS = "days/2026-10.json"
META = "companion.json"
HUGE = "9" * 5000


def berlin(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz="Europe/Berlin")


def seed(data_dir: Path) -> None:
    pendulum.set_local_timezone(pendulum.timezone("Europe/Berlin"))
    try:
        with pendulum.travel_to(pendulum.datetime(2026, 10, 20, 9, tz="Europe/Berlin"), freeze=True):
            store = Store(data_dir)
            sessions = [
                Session(f"s{i}", pendulum.datetime(2026, 10, 1 + 7 * i, 10, tz="Europe/Berlin"))
                for i in range(3)
            ]
            checkins = [
                CheckIn(
                    f"c{d}",
                    dt.date(2026, 10, d),
                    pendulum.datetime(2026, 10, d, 20, tz="Europe/Berlin"),
                    3,
                    2,
                )
                for d in range(1, 11)
            ]
            hydration = [HydrationDay(dt.date(2026, 10, d), 5, 8) for d in range(1, 11)]
            store.apply_import(Backup(sessions, checkins, hydration, []))
    finally:
        pendulum.set_local_timezone()


def edit_json(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(path.read_bytes())
    change(data)
    path.write_text(json.dumps(data))


def set_field(table: str, key: str, field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data[table][key][field] = value

    return change


def replace_record(table: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data[table][key] = value

    return change


# (file, change, the words naming the record, what the quarantine keeps)
BAD: dict[str, tuple[str, Callable[[dict[str, Any]], None], str, str]] = {
    "soreness-abc": (
        DAYS,
        set_field("checkins", "20261005", "soreness", "abc"),
        "check-in of 2026-10-05",
        '"abc"',
    ),
    "impossible-date": (
        DAYS,
        set_field("checkins", "20261006", "date", "2026-02-30"),
        "check-in of 2026-10-06",
        "2026-02-30",
    ),
    "null-timestamp": (
        DAYS,
        set_field("checkins", "20261007", "recorded_at", None),
        "check-in of 2026-10-07",
        '"recorded_at":null',
    ),
    "record-is-a-string": (
        DAYS,
        replace_record("hydration", "20261003", "lots"),
        "water record of 2026-10-03",
        '"lots"',
    ),
    "huge-number-in-a-month": (
        DAYS,
        set_field("checkins", "20261008", "fatigue", "HUGE"),
        "check-in of 2026-10-08",
        HUGE,
    ),
    "key-not-a-record-number": (
        DAYS,
        lambda data: data["checkins"].update({"x1": {"id": "odd"}}),
        "check-in (record x1)",
        '"odd"',
    ),
    "session-null-start": (
        META,
        set_field("sessions", "2", "started_at", None),
        "a session (record 2)",
        "null",
    ),
    "session-is-a-string": (META, replace_record("sessions", "2", "abc"), "a session (record 2)", '"abc"'),
    "huge-number-in-companion-json": (
        META,
        set_field("sessions", "2", "intensity", "HUGE"),
        "a session (record 2)",
        HUGE,
    ),
}


def damage(data_dir: Path, kind: str) -> None:
    rel, change, _, _ = BAD[kind]
    path = data_dir / rel
    edit_json(path, change)
    if "HUGE" in path.read_text():  # a number too long for Python's int() as JSON sees it
        path.write_text(path.read_text().replace('"HUGE"', HUGE))


def in_process(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    """The CLI's main() in this process (the first command of each test runs as a real one)."""
    try:
        code = main(["--data-dir", str(data_dir), *args])
    finally:
        pendulum.set_local_timezone()
    out, err = capsys.readouterr()
    return code, out, err


def quarantined(data_dir: Path) -> list[dict[str, Any]]:
    path = data_dir / "quarantine.jsonl"
    assert path.stat().st_mode & 0o777 == 0o600
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("kind", sorted(BAD))
def test_every_command_keeps_working_and_the_bad_record_is_kept_aside(
    data_dir: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    damage(data_dir, kind)
    rel, _, words, kept = BAD[kind]

    first = run_cli("history", "--json", "--days", "36600", data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    (notice,) = [line for line in first.stderr.splitlines() if "could not be read" in line]
    assert words in notice and rel in notice and str(data_dir / "quarantine.jsonl") in notice
    (entry,) = quarantined(data_dir)
    assert entry["file"] == rel and kept in entry["raw"]
    assert "HUGE" not in entry["raw"]

    for args in (
        ["status", "--json"],
        ["session", "list", "--json"],
        ["export", "--format", "json"],
        ["export", "--format", "csv"],
        ["export", "--format", "md"],
        ["checkin", "--soreness", "2", "--fatigue", "1", "--date", "2026-10-12"],
        ["water", "2"],
    ):
        code, _, err = in_process(capsys, data_dir, *args)  # each as its own run of the CLI
        assert code == 0, (args, err)
        assert "could not be read" not in err  # told once, where it happened
    export = json.loads(in_process(capsys, data_dir, "export", "--format", "json")[1])
    # everything else is still there
    bad_session = rel == META
    assert len(export["sessions"]) == (2 if bad_session else 3)
    lost_checkins = 1 if words.startswith("check-in of") else 0
    assert len(export["checkins"]) == 10 - lost_checkins + 1  # + the one made above
    assert len(quarantined(data_dir)) == 1  # set aside once


def test_a_bad_settings_record_is_set_aside_and_the_store_starts_with_defaults(data_dir: Path) -> None:
    seed(data_dir)
    edit_json(data_dir / META, lambda data: data["meta"]["1"].update({"schema_version": "one"}))
    result = run_cli("status", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "the settings record" in result.stderr and "schema_version" in result.stderr
    assert json.loads(run_cli("session", "list", "--json", data_dir=data_dir).stdout)


def test_when_the_bad_record_cannot_be_set_aside_it_is_left_out_and_kept(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(data_dir)
    damage(data_dir, "soreness-abc")
    from companion.store import quarantine

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(quarantine.Quarantine, "add", full)
    store = Store(data_dir)
    days = store.all_days()
    assert len(days.checkins) == 9
    (notice,) = store.take_notices()
    assert "could not be set aside" in notice and "No space left" in notice
    assert '"abc"' in (data_dir / DAYS).read_text()  # still in its file: nothing lost


# ---------------------------------------------------------------------- the app


async def test_the_app_starts_with_a_bad_record_and_says_so(data_dir: Path, monkeypatch) -> None:
    seed(data_dir)
    damage(data_dir, "soreness-abc")
    damage(data_dir, "session-null-start")
    seen: list[str] = []

    def hook(message: object) -> None:
        if isinstance(message, Notify):
            seen.append(message.notification.message)

    monkeypatch.setenv("TZ", "Europe/Berlin")
    pendulum.set_local_timezone(pendulum.timezone("Europe/Berlin"))
    try:
        with pendulum.travel_to(pendulum.datetime(2026, 10, 20, 9, tz="Europe/Berlin"), freeze=True):
            app = create_app(open_context(data_dir))
            async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
                await wait_for(
                    pilot, lambda: sum("could not be read" in m for m in seen) == 2, what="the notices"
                )
                assert isinstance(app.screen, DashboardScreen) and app.is_running
                # another process writes a bad record while the app is open
                damage(data_dir, "null-timestamp")
                app.poll_store()
                await wait_for(
                    pilot, lambda: sum("could not be read" in m for m in seen) == 3, what="the notices"
                )
                assert app.is_running
                await pilot.press("w")
                await wait_for(
                    pilot,
                    lambda: Store(data_dir).hydration_day(dt.date(2026, 10, 20)).glasses == 1,
                    what="the glass saved",
                )
    finally:
        pendulum.set_local_timezone()
    assert len(quarantined(data_dir)) == 3


def test_a_stored_checkin_whose_only_fault_is_its_text_stays_in_view_with_its_alerts(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Control characters or a lone surrogate in a stored note (an older companion imported
    them): setting the check-in aside would hide its alert; its text is cleaned instead."""
    seed(data_dir)

    def hostile(data: dict[str, Any]) -> None:
        data["checkins"]["20261010"].update(note="title\u001b]0;pwned\u0007 ok\ud800", breathing_trouble=True)

    path = data_dir / DAYS
    edit_json(path, hostile)
    with pendulum.travel_to(berlin(2026, 10, 10, 22), freeze=True):
        code, out, err = in_process(capsys, data_dir, "status", "--json")
    assert code == 0, err
    assert [a["id"] for a in json.loads(out)["alerts"]] == ["urgent-breathing"]
    assert "had text that cannot be shown or saved" in err and "the record kept" in err
    stored = json.loads(path.read_text())["checkins"]["20261010"]
    assert stored["note"] == "title]0;pwned ok" and stored["breathing_trouble"] is True
    (entry,) = quarantined(data_dir)
    assert "\\u001b]0;pwned\\u0007" in entry["raw"] and "\\ud800" in entry["raw"]
