"""Nothing is half-imported: a record a write would refuse is refused before anything is
written, with the same limits the CLI sets, and an import killed half-way is completed
by the next command, which says so."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pendulum
import pytest

from companion.cli.main import main
from companion.core.backup import Backup, build_export
from companion.store import Store
from tests.helpers_store import child_env, snapshot
from tests.seeding import daily_history

FROZEN = pendulum.datetime(2026, 11, 22, 10, tz="Europe/Berlin")


def export_of(first: dt.date, days: int) -> dict[str, Any]:
    return build_export(daily_history(first, days), FROZEN)


def in_process(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    try:
        with pendulum.travel_to(FROZEN, freeze=True):
            code = main(["--data-dir", str(data_dir), *args])
    finally:
        pendulum.set_local_timezone()
    out, err = capsys.readouterr()
    return code, out, err


def everything(data_dir: Path) -> dict[str, Any]:
    """What the store holds, as an export without its date (to compare two folders)."""
    pendulum.set_local_timezone(pendulum.timezone("Europe/Berlin"))
    try:
        store = Store(data_dir)
        days = store.all_days()
        backup = Backup(
            store.sessions(),
            days.checkins,
            days.hydration,
            days.checklist,
            store.appointments(),
            store.exercises(),
            store.questions(),
            store.all_intake(),
        )
        document = build_export(backup, FROZEN)
    finally:
        pendulum.set_local_timezone()
    del document["exported_at"]
    return document


def seeded(data_dir: Path) -> None:
    pendulum.set_local_timezone(pendulum.timezone("Europe/Berlin"))
    try:
        with pendulum.travel_to(FROZEN, freeze=True):
            Store(data_dir).apply_import(daily_history(dt.date(2026, 9, 1), 60))
    finally:
        pendulum.set_local_timezone()


# ---------------------------------------------------------------------- refused before writing


def test_a_lone_surrogate_in_a_later_record_is_refused_and_nothing_is_written(
    data_dir: Path, tmp_path: Path
) -> None:
    seeded(data_dir)
    before = snapshot(data_dir)
    document = export_of(dt.date(2025, 1, 1), 200)  # sessions and months the store lacks
    document["checkins"][150]["note"] = "\ud800"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))  # "\ud800" as JSON writes it: an escape
    assert "\\ud800" in path.read_text()
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "import", str(path)],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=60,
        cwd=tempfile.gettempdir(),
    )
    assert result.returncode == 2, result.stderr
    assert "checkins[150].note" in result.stderr and "surrogate" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(data_dir) == before


def _session(document: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = document["sessions"][0]
    return record


CASES = {
    "timestamp without offset": (
        lambda d: _session(d).update(started_at="2026-11-21T16:30:00"),
        "sessions[0].started_at",
    ),
    "version true": (lambda d: d.update(version=True), "FILE: version"),
    "100,000 areas": (lambda d: _session(d).update(areas=["neck"] * 100_000), "sessions[0].areas"),
    "an area longer than the CLI takes": (
        lambda d: _session(d).update(areas=["n" * 101]),
        "sessions[0].areas[0]",
    ),
    "NUL in a note": (lambda d: d["checkins"][3].update(note="ok\x00"), "checkins[3].note"),
    "5000-digit soreness": (lambda d: d["checkins"][2].update(soreness="HUGE"), "checkins[2].soreness"),
    "5000-digit version": (lambda d: d.update(version="HUGE"), "FILE: version"),
    "an id of 200 characters": (lambda d: _session(d).update(id="a" * 200), "sessions[0].id"),
    "a question longer than the CLI takes": (
        lambda d: d.update(
            questions=[{"id": "q1", "text": "?" * 1001, "asked_at": "2026-11-20T10:00:00+01:00"}]
        ),
        "questions[0].text",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_import_has_the_limits_of_the_cli_each_refusal_naming_the_field(
    case: str, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded(data_dir)
    before = snapshot(data_dir)
    document = export_of(dt.date(2025, 1, 1), 30)
    change, field = CASES[case]
    change(document)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document).replace('"HUGE"', "7" * 5000))
    code, _, err = in_process(capsys, data_dir, "import", str(path))
    assert code == 2, err
    assert field in err
    assert len(err) < 400  # the message names the field; it does not echo the value
    assert snapshot(data_dir) == before


def test_an_unknown_key_that_could_not_be_written_back_is_ignored_not_fatal(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = export_of(dt.date(2025, 1, 1), 3)
    _session(document)["from_another_app"] = "HUGE"
    _session(document)["kept"] = {"colour": "blue"}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document).replace('"HUGE"', "7" * 5000))
    code, _, err = in_process(capsys, data_dir, "import", str(path))
    assert code == 0, err
    raw = (data_dir / "companion.json").read_text()
    assert '"kept":{"colour":"blue"}' in raw and "from_another_app" not in raw


# ---------------------------------------------------------------------- kill -9 half-way


def _run_import(data_dir: Path, path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys, pendulum\n"
        "from companion.cli.main import main\n"
        "with pendulum.travel_to(pendulum.parse(sys.argv[1]), freeze=True):\n"
        "    sys.exit(main(sys.argv[2:]))\n"
    )
    command = [
        sys.executable,
        "-c",
        code,
        FROZEN.isoformat(),
        "--data-dir",
        str(data_dir),
        "import",
        str(path),
    ]
    return subprocess.run(command, capture_output=True, text=True, env=child_env(**env), timeout=120)


@pytest.mark.slow
def test_an_import_killed_at_any_write_is_completed_by_the_next_command(tmp_path: Path) -> None:
    template = tmp_path / "template"
    seeded(template)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export_of(dt.date(2025, 3, 1), 400)))  # 14 new months, sessions
    reference = tmp_path / "reference"
    shutil.copytree(template, reference, symlinks=True)
    done = _run_import(reference, path)
    assert done.returncode == 0, done.stderr
    wanted = everything(reference)
    assert wanted != everything(template)

    kills = 0
    count = 1
    while True:  # kill at the 1st, 2nd, ... completed file replacement until none is left
        folder = tmp_path / f"kill-{count}"
        shutil.copytree(template, folder, symlinks=True)
        proc = _run_import(folder, path, COMPANION_CRASH_AT="after-replace", COMPANION_CRASH_COUNT=str(count))
        if proc.returncode == 0:
            break
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        kills += 1
        assert (folder / "import-journal.json").exists()  # the first replacement is the journal
        store = Store(folder)
        store.sessions()  # the next command, whatever it reads
        notices = store.take_notices()
        assert any("import was interrupted" in n and "completed" in n for n in notices), notices
        assert not (folder / "import-journal.json").exists()
        assert everything(folder) == wanted
        assert Store(folder).take_notices() == []  # said once
        shutil.rmtree(folder)
        count += 1
        assert count < 100
    assert kills >= 10  # the journal and every month file and companion.json: each kill landed


@pytest.mark.slow
def test_an_import_killed_before_its_journal_is_whole_changes_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    seeded(data_dir)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export_of(dt.date(2025, 3, 1), 400)))
    before = everything(data_dir)
    # The import's first atomic write is its journal: die with the journal's temporary
    # file written and flushed, before it is renamed into place.
    proc = _run_import(data_dir, path, COMPANION_CRASH_AT="after-fsync")
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert [p for p in os.listdir(data_dir) if p.startswith(".import-journal.json.")]
    assert not (data_dir / "import-journal.json").exists()
    store = Store(data_dir)
    store.sessions()
    assert store.take_notices() == []
    assert everything(data_dir) == before
    with pendulum.travel_to(FROZEN, freeze=True):
        store.update_settings(theme="light")  # the next write clears the leftover
    assert not [p for p in os.listdir(data_dir) if p.endswith(".tmp")]


def test_a_value_that_slips_past_validation_fails_its_write_cleanly(data_dir: Path) -> None:
    """The last line of defence: the encoder's refusal is a clear error, nothing is
    written and nothing stays in memory (TinyDB had put it into its cached tables)."""
    from companion.core.sessions import Session
    from companion.store import StoreError

    seeded(data_dir)
    before = snapshot(data_dir)
    store = Store(data_dir)
    count = len(store.sessions())
    with pendulum.travel_to(FROZEN, freeze=True), pytest.raises(StoreError, match="cannot be written"):
        store.add_session(Session("s-bad", FROZEN, note="\ud800"))  # built without validation
    assert len(store.sessions()) == count
    assert snapshot(data_dir) == before
