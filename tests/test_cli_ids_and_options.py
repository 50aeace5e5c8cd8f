"""Issue 11: any unique start of an id is taken wherever an id is (as git takes a commit's),
lists show a short unique start, and the global options work after the command too."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pendulum

from companion.core.appointments import Appointment
from companion.core.exercises import new_exercise
from companion.core.sessions import Session
from companion.store import Store
from tests.conftest import run_cli

BERLIN = "Europe/Berlin"


def _ok(*args: str, data_dir: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    result = run_cli(*args, data_dir=data_dir, **kw)  # type: ignore[arg-type]
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def _refused(*args: str, data_dir: Path) -> str:
    result = run_cli(*args, data_dir=data_dir)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr


def _two_sessions_alike(data_dir: Path) -> tuple[str, str]:
    """Two sessions whose ids share their first 9 characters."""
    first, second = "abcdef012" + "3" * 23, "abcdef012" + "4" * 23
    store = Store(data_dir)
    store.add_session(Session(first, pendulum.datetime(2026, 11, 14, 16, 30, tz=BERLIN)))
    store.add_session(Session(second, pendulum.datetime(2026, 11, 21, 16, 30, tz=BERLIN)))
    return first, second


def _session_ids(data_dir: Path) -> list[str]:
    return [s["id"] for s in json.loads(_ok("session", "list", "--json", data_dir=data_dir).stdout)]


def test_patient_removes_a_session_by_the_start_of_its_id(data_dir: Path) -> None:
    _ok("session", "add", "--at", "2026-11-21T16:30", data_dir=data_dir)
    kept = _ok("session", "add", "--at", "2026-11-14T16:30", data_dir=data_dir).stdout.strip()
    listed = _ok("session", "list", data_dir=data_dir).stdout
    gone = next(i for i in _session_ids(data_dir) if i != kept)
    assert gone[:8] in listed and gone not in listed  # a short id in the list, to type back
    removed = _ok("session", "remove", gone[:6].upper(), data_dir=data_dir)
    assert f"Session {gone[:8]} removed." in removed.stdout
    assert _session_ids(data_dir) == [kept]


def test_a_start_two_ids_share_is_refused_listing_both(data_dir: Path) -> None:
    first, second = _two_sessions_alike(data_dir)
    listed = _ok("session", "list", data_dir=data_dir).stdout
    assert first[:10] in listed and second[:10] in listed  # 8 would not tell them apart
    message = _refused("session", "remove", "abcdef", data_dir=data_dir)
    assert message.startswith("companion: ID: 'abcdef' starts the ids of 2 sessions")
    assert first[:7] in message and second[:7] in message and "give more of it" in message
    assert len(_session_ids(data_dir)) == 2  # nothing removed
    _ok("session", "remove", second[:10], data_dir=data_dir)
    assert _session_ids(data_dir) == [first]


def test_an_unknown_id_is_refused_naming_the_field(data_dir: Path) -> None:
    _two_sessions_alike(data_dir)
    message = _refused("session", "remove", "fff", data_dir=data_dir)
    assert message == ("companion: ID: no session has an id starting 'fff'; see 'companion session list'\n")
    assert "ID: is empty" in _refused("session", "remove", " ", data_dir=data_dir)


def test_every_command_taking_an_id_takes_its_start(data_dir: Path) -> None:
    store = Store(data_dir)
    appointment = Appointment("0123456789abcdef" * 2, pendulum.datetime(2026, 11, 28, 9, tz=BERLIN))
    store.add_appointment(appointment)
    exercise = new_exercise(name="chin tucks", sets="3", reps="10")
    store.add_exercise(exercise)
    assert "0123456789" not in _ok("appointment", "list", data_dir=data_dir).stdout
    _ok("appointment", "remove", "0123", data_dir=data_dir)
    assert store.appointments() == []
    done = _ok("exercise", "done", exercise.id[:4], data_dir=data_dir)
    assert "chin tucks: 1 of 1 done today." in done.stdout
    _ok("exercise", "remove", exercise.id[:5], data_dir=data_dir)
    assert store.exercises() == []
    question = _ok("ask", "Can I swim?", "--json", data_dir=data_dir)
    qid = json.loads(question.stdout)["id"]
    _ok("ask", "--done", qid[:3], data_dir=data_dir)
    assert "No open questions" in _ok("ask", "--list", data_dir=data_dir).stdout
    assert _refused("ask", "--done", qid[:3], data_dir=data_dir).startswith(
        "companion: --done: no open question has an id starting"
    )
    added = _ok("activity", "add", "reversing the car", "--score", "4", data_dir=data_dir)
    aid = added.stdout.strip()
    _ok("activity", "rate", aid[:3], "6", data_dir=data_dir)
    assert "ACTIVITY: no activity has an id starting" in _refused(
        "activity", "remove", "zz", data_dir=data_dir
    )


def test_data_dir_after_the_command_means_the_same(tmp_path: Path) -> None:
    elsewhere, chosen = tmp_path / "elsewhere", tmp_path / "chosen"
    # data_dir= sets COMPANION_DATA_DIR to `elsewhere`; --data-dir after the command wins
    _ok("session", "add", "--data-dir", str(chosen), "--at", "2026-11-21T16:30", data_dir=elsewhere)
    status = json.loads(_ok("status", "--json", "--data-dir", str(chosen), data_dir=elsewhere).stdout)
    assert status["session"]["started_at"] == "2026-11-21T16:30:00+01:00"
    before = json.loads(_ok("--data-dir", str(chosen), "status", "--json", data_dir=elsewhere).stdout)
    assert before["session"] == status["session"]  # before the command: as it always was
    assert json.loads(_ok("status", "--json", data_dir=elsewhere).stdout)["session"] is None
    listed = _ok("session", "list", "--data-dir", str(chosen), "--json", data_dir=elsewhere)
    assert len(json.loads(listed.stdout)) == 1
    empty = run_cli("status", "--data-dir", " ", data_dir=elsewhere)
    assert empty.returncode == 2 and empty.stderr.startswith("companion: --data-dir: is empty")
    assert _ok("status", "--version", data_dir=elsewhere).stdout.startswith("companion ")
