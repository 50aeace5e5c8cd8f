"""Issue 11: a second session at about the same time, and a check-in dated before any
session, are recorded as before (scripts rely on it) but said, with the way to undo."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from companion.core.sessions import DUPLICATE_WINDOW_HOURS
from tests.conftest import run_cli


def _ok(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    result = run_cli(*args, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def _sessions(data_dir: Path) -> list[str]:
    return [s["id"] for s in json.loads(_ok("session", "list", "--json", data_dir=data_dir).stdout)]


def test_patient_records_the_same_session_twice_and_is_told(data_dir: Path) -> None:
    first = _ok("session", "add", "--at", "2026-11-21T16:30", data_dir=data_dir)
    assert "Warning" not in first.stderr
    again = _ok("session", "add", "--at", "2026-11-21T17:10", data_dir=data_dir)
    second = again.stdout.strip()
    assert len(second) == 32  # still recorded, its id printed as the contract says
    assert sorted(_sessions(data_dir)) == sorted([first.stdout.strip(), second])
    warning = again.stderr.splitlines()[-1]
    assert warning.startswith(
        "Warning: A session is already recorded for Sat 21 Nov 2026 16:30 (40 min apart)"
    )
    assert f"companion's own rule: sessions less than {DUPLICATE_WINDOW_HOURS} h apart" in warning
    assert warning.endswith(f"If it is, remove this one: companion session remove {second[:8]}")
    _ok("session", "remove", second[:8], data_dir=data_dir)
    assert _sessions(data_dir) == [first.stdout.strip()]


def test_a_duplicate_is_named_in_the_json_too(data_dir: Path) -> None:
    first = _ok("session", "add", "--at", "2026-11-21T16:30", "--json", data_dir=data_dir)
    assert json.loads(first.stdout)["likely_duplicate_of"] is None
    twin = _ok("session", "add", "--at", "2026-11-21T16:30", "--json", data_dir=data_dir)
    assert json.loads(twin.stdout)["likely_duplicate_of"] == json.loads(first.stdout)["id"]
    assert "(at the same time)" in twin.stderr


def test_sessions_far_enough_apart_are_not_called_duplicates(data_dir: Path) -> None:
    _ok("session", "add", "--at", "2026-11-21T09:00", data_dir=data_dir)
    later = _ok("session", "add", "--at", "2026-11-21T11:00", data_dir=data_dir)  # 2 h: not < 2 h
    assert "Warning" not in later.stderr


def test_a_check_in_before_the_first_session_is_saved_and_said(data_dir: Path) -> None:
    _ok("session", "add", "--at", "2026-11-21T16:30", data_dir=data_dir)
    early = _ok("checkin", "--soreness", "3", "--fatigue", "2", "--date", "2026-11-20", data_dir=data_dir)
    assert "Check-in saved for Fri 20 Nov" in early.stdout
    assert early.stderr.startswith(
        "Note: This check-in (Fri 20 Nov 2026) comes before your first recorded session "
        "(Sat 21 Nov 2026 16:30)."
    )
    assert "run 'companion checkin' again with the right --date" in early.stderr
    history = json.loads(_ok("history", "--json", "--days", "3", data_dir=data_dir).stdout)
    assert any(row["date"] == "2026-11-20" and row["soreness"] == 3 for row in history)
    after = _ok("checkin", "--soreness", "3", "--fatigue", "2", "--json", data_dir=data_dir)
    assert after.stderr == "" and json.loads(after.stdout)["before_any_session"] is False


def test_a_check_in_with_no_session_at_all_says_what_judges_it(data_dir: Path) -> None:
    alone = _ok("checkin", "--soreness", "3", "--fatigue", "2", "--json", data_dir=data_dir)
    assert json.loads(alone.stdout)["before_any_session"] is True
    assert alone.stderr.startswith("Note: No needling session is recorded yet.")
    assert "(severe pain, heavy bruising, trouble breathing)" in alone.stderr
