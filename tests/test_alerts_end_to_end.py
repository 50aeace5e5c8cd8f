"""Every red flag end to end through the real CLI: entered as a patient types it, shown
by `status`, and still shown after the data went through an export and an import.

A check-in whose stored key was renamed (`bruising`, `sharp_pain`, `flare_up`...) would
read back as `none`/`false` and silently lose its alert: only a check-in that is saved,
read again by another process and carried to another folder catches that.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli


def ok(*args: str, data_dir: Path) -> str:
    result = run_cli(*args, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return result.stdout


def status_alerts(data_dir: Path) -> list[str]:
    return [a["id"] for a in json.loads(ok("status", "--json", data_dir=data_dir))["alerts"]]


# The CLI's clock starts at Sun 22 Nov 2026 10:00 in Berlin (tests/launch.py).
RECENT = "2026-11-22T08:00"  # two hours before: nothing depends on the time since
CASES = {
    "urgent-breathing": (RECENT, [["--soreness", "1", "--fatigue", "1", "--breathing-trouble"]]),
    "severe-pain from soreness 8": (RECENT, [["--soreness", "8", "--fatigue", "0"]]),
    "severe-pain from sharp pain": (RECENT, [["--soreness", "1", "--fatigue", "0", "--sharp-pain"]]),
    "heavy-bruising": (RECENT, [["--soreness", "1", "--fatigue", "0", "--bruising", "severe"]]),
    "long-soreness": ("2026-11-18T10:00", [["--soreness", "2", "--fatigue", "0"]]),
    "long-fatigue": ("2026-11-19T10:00", [["--soreness", "0", "--fatigue", "5"]]),
    "worsening": (
        "2026-11-19T12:00",  # 70 h before: late enough for the rule, not for long soreness
        [
            ["--soreness", "6", "--fatigue", "0", "--date", "2026-11-20"],
            ["--soreness", "3", "--fatigue", "0", "--date", "2026-11-21"],
            ["--soreness", "5", "--fatigue", "0"],
        ],
    ),
    "nothing for a flare-up alone": (RECENT, [["--soreness", "1", "--fatigue", "1", "--flare-up"]]),
    "nothing for moderate bruising": (
        RECENT,
        [["--soreness", "1", "--fatigue", "0", "--bruising", "moderate"]],
    ),
}
EXPECTED = {
    "urgent-breathing": ["urgent-breathing"],
    "severe-pain from soreness 8": ["severe-pain"],
    "severe-pain from sharp pain": ["severe-pain"],
    "heavy-bruising": ["heavy-bruising"],
    "long-soreness": ["long-soreness"],
    "long-fatigue": ["long-fatigue"],
    "worsening": ["worsening"],
    "nothing for a flare-up alone": [],
    "nothing for moderate bruising": [],
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_red_flag_entered_through_the_cli_survives_export_and_import(tmp_path: Path, case: str) -> None:
    session_at, checkins = CASES[case]
    source, target = tmp_path / "source", tmp_path / "target"
    ok("session", "add", "--at", session_at, data_dir=source)
    for args in checkins:
        ok("checkin", *args, data_dir=source)
    assert status_alerts(source) == EXPECTED[case]

    backup = tmp_path / "backup.json"
    ok("export", "--format", "json", "--output", str(backup), data_dir=source)
    ok("import", str(backup), data_dir=target)
    assert status_alerts(target) == EXPECTED[case]
    # the check-in itself, field by field, as the contract's export shows it
    exported = json.loads(backup.read_text())["checkins"]
    again = json.loads(ok("export", data_dir=target))["checkins"]
    assert again == exported


def test_every_field_of_a_check_in_is_exported_under_its_contract_key(tmp_path: Path) -> None:
    ok("session", "add", "--at", RECENT, data_dir=tmp_path)
    ok(
        "checkin",
        *("--soreness", "4", "--fatigue", "3", "--stiffness", "2", "--bruising", "severe"),
        *("--flare-up", "--sharp-pain", "--breathing-trouble", "--note", "left calf"),
        data_dir=tmp_path,
    )
    (record,) = json.loads(ok("export", data_dir=tmp_path))["checkins"]
    assert {k: v for k, v in record.items() if k not in ("id", "recorded_at")} == {
        "date": "2026-11-22",
        "soreness": 4,
        "fatigue": 3,
        "stiffness": 2,
        "bruising": "severe",
        "flare_up": True,
        "sharp_pain": True,
        "breathing_trouble": True,
        "note": "left calf",
    }
    assert record["recorded_at"].startswith("2026-11-22T10:00")
