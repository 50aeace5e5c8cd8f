"""The CLI as scripts use it: real subprocesses on a temporary data dir."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import INSTALLED_SCRIPT, PYTHON_M, run_cli


def ok(*args: str, data_dir: Path, **kw) -> subprocess.CompletedProcess[str]:
    result = run_cli(*args, data_dir=data_dir, **kw)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def refused(*args: str, data_dir: Path, field: str) -> str:
    result = run_cli(*args, data_dir=data_dir)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert field in result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_first_day_as_the_issue_describes(data_dir: Path) -> None:
    sid = ok(
        "session",
        "add",
        "--at",
        "2026-11-21T16:30",
        "--intensity",
        "standard",
        "--area",
        "upper trapezius",
        data_dir=data_dir,
    ).stdout.strip()
    assert len(sid) == 32
    status = json.loads(ok("status", "--json", data_dir=data_dir).stdout)
    assert status["session"]["id"] == sid
    assert status["session"]["started_at"] == "2026-11-21T16:30:00+01:00"
    assert status["session"]["areas"] == ["upper trapezius"]
    assert [r["id"] for r in status["restrictions"]][:4] == [
        "strenuous-activity",
        "alcohol",
        "caffeine",
        "anti-inflammatories",
    ]
    alcohol = next(r for r in status["restrictions"] if r["id"] == "alcohol")
    assert alcohol["ends_at"] == "2026-11-22T16:30:00+01:00"
    assert alcohol["sources"] == ["001", "002"]
    heat = next(r for r in status["restrictions"] if r["id"] == "direct-heat")
    assert heat["ends_at"] is None and heat["remaining_seconds"] is None

    ok("water", "2", data_dir=data_dir)
    water = json.loads(ok("status", "--json", data_dir=data_dir).stdout)["hydration"]
    assert (water["glasses"], water["goal"]) == (2, 8)

    out = ok(
        "checkin",
        "--soreness",
        "4",
        "--fatigue",
        "2",
        "--bruising",
        "mild",
        "--note",
        "stiff neck",
        data_dir=data_dir,
    ).stdout
    assert "soreness 4/10" in out
    assert json.loads(ok("status", "--json", data_dir=data_dir).stdout)["checkin_done"] is True

    rows = json.loads(ok("history", "--days", "7", "--json", data_dir=data_dir).stdout)
    assert len(rows) == 7
    assert rows[0]["soreness"] == 4 and rows[0]["note"] == "stiff neck" and rows[0]["glasses"] == 2


def test_status_before_any_session(data_dir: Path) -> None:
    status = json.loads(ok("status", "--json", data_dir=data_dir).stdout)
    assert status["session"] is None and status["restrictions"] == []
    assert status["checkin_done"] is False and status["alerts"] == []
    assert status["hydration"]["glasses"] == 0 and status["hydration"]["goal"] == 8
    human = ok("status", data_dir=data_dir).stdout
    assert "No session recorded yet" in human


def test_status_human_output_reads_well(data_dir: Path) -> None:
    # Half an hour before the clock starts: each CLI process's clock starts at TEST_NOW and
    # runs on, so a session "now" could fall after a later command's "now" on a slow machine.
    ok("session", "add", "--at", "2026-11-22T09:30", "--area", "neck", data_dir=data_dir)
    out = ok("status", data_dir=data_dir).stdout
    assert "left, until" in out and "Alcohol" in out and "glasses today" in out
    assert "not a clinician" in out


def test_water_undo_goal_and_exceeding_the_goal(data_dir: Path) -> None:
    ok("water", "--goal", "3", data_dir=data_dir)
    ok("water", "4", data_dir=data_dir)
    ok("water", "--undo", data_dir=data_dir)
    day = json.loads(ok("water", "--json", data_dir=data_dir).stdout)
    assert (day["glasses"], day["goal"]) == (4, 3)
    goal_only = json.loads(ok("water", "--goal", "6", "--json", data_dir=data_dir).stdout)
    assert (goal_only["glasses"], goal_only["goal"]) == (4, 6)


def test_second_checkin_same_day_replaces_the_first(data_dir: Path) -> None:
    ok("checkin", "--soreness", "5", "--fatigue", "5", data_dir=data_dir)
    out = ok("checkin", "--soreness", "2", "--fatigue", "1", data_dir=data_dir).stdout
    assert "replaced" in out
    rows = json.loads(ok("history", "--days", "1", "--json", data_dir=data_dir).stdout)
    assert (rows[0]["soreness"], rows[0]["fatigue"]) == (2, 1)


def test_a_check_in_with_no_alert_still_says_to_call_about_anything_unusual(data_dir: Path) -> None:
    """No rule reads the note: "numbness down my arm" must not be told all is well."""
    ok("session", "add", "--at", "2026-11-21T16:30", data_dir=data_dir)
    out = ok(
        "checkin",
        "--soreness",
        "1",
        "--fatigue",
        "1",
        "--note",
        "new numbness down my arm",
        data_dir=data_dir,
    ).stdout
    assert "No alert from these answers." in out
    assert "If something feels unusual or worries you, contact your physiotherapist" in out


def test_checkin_on_day_four_raises_long_soreness(data_dir: Path) -> None:
    ok("session", "add", "--at", "2026-11-18T10:00", data_dir=data_dir)
    ok("checkin", "--soreness", "1", "--fatigue", "1", "--date", "2026-11-20", data_dir=data_dir)
    result = ok(
        "checkin", "--soreness", "3", "--fatigue", "1", "--date", "2026-11-22", "--json", data_dir=data_dir
    )
    alerts = [a["id"] for a in json.loads(result.stdout)["alerts"]]
    assert "long-soreness" in alerts and "worsening" in alerts


def test_breathing_trouble_is_urgent(data_dir: Path) -> None:
    out = ok("checkin", "--soreness", "2", "--fatigue", "1", "--breathing-trouble", data_dir=data_dir).stdout
    assert "URGENT" in out
    status = json.loads(ok("status", "--json", data_dir=data_dir).stdout)
    assert status["alerts"][0] == {
        "id": "urgent-breathing",
        "level": "urgent",
        "message": status["alerts"][0]["message"],
    }
    assert "emergency" in status["alerts"][0]["message"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("checkin", "--soreness", "11", "--fatigue", "1"), "--soreness"),
        (("checkin", "--soreness", "1", "--fatigue", "-3"), "--fatigue"),
        (("checkin", "--soreness", "1", "--fatigue", "1", "--bruising", "purple"), "--bruising"),
        (("checkin", "--soreness", "1", "--fatigue", "1", "--date", "2026-02-30"), "--date"),
        (("checkin", "--fatigue", "1"), "--soreness"),
        (("session", "add", "--at", "next tuesday"), "--at"),
        (("session", "add", "--at", "2026-03-29T02:30"), "--at"),
        (("session", "add", "--intensity", "extreme"), "--intensity"),
        (("water", "0"), "N"),
        (("water", "--goal", "0"), "--goal"),
        (("history", "--days", "x"), "--days"),
        (("export", "--format", "pdf"), "--format"),
    ],
)
def test_bad_input_exits_2_names_the_field_and_changes_nothing(data_dir: Path, args, field) -> None:
    ok("water", "1", data_dir=data_dir)
    before = sorted(p.read_bytes() for p in data_dir.rglob("*.json") if "backups" not in p.parts)
    refused(*args, data_dir=data_dir, field=field)
    after = sorted(p.read_bytes() for p in data_dir.rglob("*.json") if "backups" not in p.parts)
    assert before == after


def test_export_json_and_import_round_trip_is_idempotent(tmp_path: Path) -> None:
    source, target = tmp_path / "a", tmp_path / "b"
    ok("session", "add", "--at", "2026-11-21T16:30", "--area", "calf", data_dir=source)
    ok("water", "3", data_dir=source)
    ok("checkin", "--soreness", "4", "--fatigue", "2", "--note", "a, b", data_dir=source)
    backup = tmp_path / "backup.json"
    ok("export", "--format", "json", "--output", str(backup), data_dir=source)
    data = json.loads(backup.read_text())
    assert data["format"] == "companion-export" and data["version"] == 1
    assert len(data["sessions"]) == 1 and len(data["checkins"]) == 1
    assert data["hydration"][0]["glasses"] == 3
    assert oct(backup.stat().st_mode & 0o777) == "0o600"

    first = ok("import", str(backup), data_dir=target).stdout
    assert "1 session," in first
    second = ok("import", str(backup), data_dir=target).stdout
    assert "Nothing new" in second
    again = json.loads(ok("export", data_dir=target).stdout)
    for key in ("sessions", "checkins", "hydration", "checklist"):
        assert again[key] == data[key]


def test_malformed_import_is_refused_whole(tmp_path: Path, data_dir: Path) -> None:
    ok("water", "1", data_dir=data_dir)
    bad = tmp_path / "bad.json"
    good_session = {
        "id": "s1",
        "started_at": "2026-11-21T16:30:00+01:00",
        "intensity": "standard",
        "areas": [],
        "note": "",
    }
    bad.write_text(
        json.dumps(
            {
                "format": "companion-export",
                "version": 1,
                "exported_at": "2026-11-22T10:00:00+01:00",
                "sessions": [good_session],
                "checkins": [
                    {
                        "id": "c1",
                        "date": "2026-11-22",
                        "recorded_at": "2026-11-22T09:00:00+01:00",
                        "soreness": 14,
                        "fatigue": 2,
                    }
                ],
                "hydration": [],
                "checklist": [],
            }
        )
    )
    err = refused("import", str(bad), data_dir=data_dir, field="checkins[0].soreness")
    assert "0 to 10" in err
    assert json.loads(ok("session", "list", "--json", data_dir=data_dir).stdout) == []
    (tmp_path / "garbage.json").write_text("{not json")
    refused("import", str(tmp_path / "garbage.json"), data_dir=data_dir, field="FILE")
    refused("import", str(tmp_path / "missing.json"), data_dir=data_dir, field="FILE")


def test_import_keeps_unknown_keys_and_ignores_unknown_sections(tmp_path: Path, data_dir: Path) -> None:
    f = tmp_path / "extra.json"
    f.write_text(
        json.dumps(
            {
                "format": "companion-export",
                "version": 1,
                "exported_at": "2026-11-22T10:00:00+01:00",
                "future_section": [1, 2],
                "sessions": [
                    {
                        "id": "s9",
                        "started_at": "2026-11-21T16:30:00+01:00",
                        "intensity": "intense",
                        "areas": ["neck"],
                        "note": "",
                        "therapist": "Rachel",
                    }
                ],
            }
        )
    )
    ok("import", str(f), data_dir=data_dir)
    sessions = json.loads(ok("session", "list", "--json", data_dir=data_dir).stdout)
    assert sessions[0]["therapist"] == "Rachel" and sessions[0]["intensity"] == "intense"


def test_time_zone_can_be_set_once_and_is_shown(data_dir: Path) -> None:
    ok("config", "--timezone", "America/New_York", data_dir=data_dir)
    status = json.loads(ok("status", "--json", data_dir=data_dir, tz="UTC").stdout)
    assert status["timezone"] == {"name": "America/New_York", "source": "setting"}
    assert status["now"].endswith(("-05:00", "-04:00"))
    refused("config", "--timezone", "Mars/Olympus", data_dir=data_dir, field="--timezone")


def test_no_traceback_when_the_data_dir_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("status", data_dir=blocker / "sub")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "data folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_non_tui_commands_do_not_import_textual(data_dir: Path) -> None:
    code = (
        "import sys; from companion.cli.main import main; "
        f"main(['--data-dir', {str(data_dir)!r}, 'status', '--json']); "
        f"main(['--data-dir', {str(data_dir)!r}, 'water']); "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_core_imports_neither_textual_nor_tinydb() -> None:
    code = (
        "import sys, pkgutil, importlib, companion.core as core\n"
        "for m in pkgutil.iter_modules(core.__path__): importlib.import_module('companion.core.' + m.name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'tinydb')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_python_dash_m_and_usage_errors(data_dir: Path) -> None:
    result = run_cli("--help", data_dir=data_dir, program=PYTHON_M)
    assert result.returncode == 0 and "checkin" in result.stdout
    bogus = run_cli("frobnicate", data_dir=data_dir, program=PYTHON_M)
    assert bogus.returncode == 2 and "invalid choice" in bogus.stderr


@pytest.mark.skipif(not INSTALLED_SCRIPT.exists(), reason=f"{INSTALLED_SCRIPT} is not installed")
def test_the_installed_script_at_the_real_time(data_dir: Path) -> None:
    """The console script itself, no launcher, no clock travel: times relative to its own run
    (nothing here depends on the day or the hour it runs at)."""
    program = [str(INSTALLED_SCRIPT)]
    added = run_cli("session", "add", "--at", "now", "--area", "neck", data_dir=data_dir, program=program)
    assert added.returncode == 0, added.stderr
    result = run_cli("status", "--json", data_dir=data_dir, program=program)
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    started = dt.datetime.fromisoformat(status["session"]["started_at"])
    alcohol = next(r for r in status["restrictions"] if r["id"] == "alcohol")
    assert dt.datetime.fromisoformat(alcohol["ends_at"]) - started == dt.timedelta(hours=24)
    assert 24 * 3600 - 600 < alcohol["remaining_seconds"] <= 24 * 3600  # a moment after "now"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("checkin", "--soreness", "3", "--fatigue", "2", "--date", "0001-01-01"), "--date"),
        (("session", "add", "--at", "1900-06-01T10:00"), "--at"),
        (("took", "beer", "--at", "0001-01-01T00:00"), "--at"),
        (("appointment", "add", "--at", "9999-12-31T23:59"), "--at"),
    ],
)
def test_dates_far_out_of_range_are_refused_and_nothing_is_saved(data_dir: Path, args, field) -> None:
    result = run_cli(*args, data_dir=data_dir)
    assert result.returncode == 2 and field in result.stderr and "1970 to 2100" in result.stderr
    assert not (data_dir / "days").exists() or not any((data_dir / "days").iterdir())
    assert ok("status", data_dir=data_dir).returncode == 0


def test_import_applies_the_same_limits_as_the_cli(tmp_path: Path, data_dir: Path) -> None:
    f = tmp_path / "huge.json"
    f.write_text(
        json.dumps(
            {
                "format": "companion-export",
                "version": 1,
                "exercises": [{"id": "e1", "name": "x", "per_day": 1000000000}],
            }
        )
    )
    result = run_cli("import", str(f), data_dir=data_dir)
    assert result.returncode == 2 and "exercises[0].per_day" in result.stderr
    old = tmp_path / "old.json"
    old.write_text(
        json.dumps(
            {
                "format": "companion-export",
                "version": 1,
                "checkins": [
                    {
                        "id": "c",
                        "date": "0001-01-01",
                        "recorded_at": "2026-11-22T09:00:00+01:00",
                        "soreness": 1,
                        "fatigue": 1,
                    }
                ],
            }
        )
    )
    assert run_cli("import", str(old), data_dir=data_dir).returncode == 2
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100000 + "]" * 100000)
    nested = run_cli("import", str(deep), data_dir=data_dir)
    assert nested.returncode == 2 and "FILE" in nested.stderr


def test_a_file_in_place_of_the_data_folder_is_named_clearly(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("x")
    result = run_cli("status", data_dir=blocker)
    assert result.returncode == 1 and "a file of that name is in the way" in result.stderr


def test_a_time_in_the_future_is_named_as_a_patient_reads_it(data_dir: Path) -> None:
    message = refused("session", "add", "--at", "2099-01-01T10:00", data_dir=data_dir, field="--at")
    assert "Thu 1 Jan 2099 10:00 is in the future" in message  # not an ISO timestamp
    past = refused("appointment", "add", "--at", "2026-01-02T09:00", data_dir=data_dir, field="--at")
    assert "Fri 2 Jan 2026 09:00 has already passed" in past  # with its date


def test_an_option_given_empty_is_refused_not_taken_as_absent(data_dir: Path) -> None:
    refused("session", "add", "--at", "", data_dir=data_dir, field="--at")
    refused("checkin", "--soreness", "2", "--fatigue", "1", "--date", "", data_dir=data_dir, field="--date")
    refused("config", "--timezone", "", data_dir=data_dir, field="--timezone")
    result = run_cli("--data-dir", "", "status", data_dir=data_dir)
    assert result.returncode == 2 and "--data-dir: is empty" in result.stderr
    assert not (data_dir / "companion.json").exists()  # nothing was recorded by any of them


def test_an_export_is_never_written_into_the_data_folder(data_dir: Path) -> None:
    ok("session", "add", "--at", "2026-11-21T16:30", data_dir=data_dir)
    before = (data_dir / "companion.json").read_bytes()
    message = refused(
        "export", "--output", str(data_dir / "companion.json"), data_dir=data_dir, field="--output"
    )
    assert "inside your data folder" in message
    assert (data_dir / "companion.json").read_bytes() == before


def test_patient_sets_the_glass_size_once_from_the_command_line(data_dir: Path) -> None:
    ok("config", "--glass-size", "8 oz", data_dir=data_dir)
    assert "32 of 64 oz" in ok("water", "4", data_dir=data_dir).stdout
    assert "(32 of 64 oz)" in ok("status", data_dir=data_dir).stdout
    shown = json.loads(ok("config", "--json", data_dir=data_dir).stdout)
    assert shown["glass_size"] == "8 oz"
    assert {"data_dir", "timezone", "default_goal", "clinic_name", "clinic_phone"} <= set(shown)
    ok("config", "--forget-glass-size", data_dir=data_dir)
    assert "oz" not in ok("water", data_dir=data_dir).stdout


@pytest.mark.parametrize("size", ["2500 ml", "0 oz", "250", "250 cups", "٢٥٠ ml"])
def test_an_absurd_glass_size_is_refused_naming_the_option(data_dir: Path, size: str) -> None:
    refused("config", "--glass-size", size, data_dir=data_dir, field="--glass-size")
