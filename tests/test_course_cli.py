"""The course of treatment on the command line: real subprocesses on a temporary data dir.

The project has no launcher that freezes the clock of a child process, so these
tests use fixed dates in the past (late 2026) and let the child read the real clock
only for "today" (a rating or check-in without --date); no assertion depends on
which day today is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest

from tests.conftest import run_cli

LATER = pendulum.datetime(2026, 12, 21, 10, 0, tz="Europe/Berlin")
"""The CLI's clock in these tests: a month into the course the tests record."""


def ok(*args: str, data_dir: Path, **kw) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    result = run_cli(*args, data_dir=data_dir, now=kw.pop("now", LATER), **kw)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def refused(*args: str, data_dir: Path, field: str) -> str:
    result = run_cli(*args, data_dir=data_dir, now=LATER)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert field in result.stderr and "Traceback" not in result.stderr
    return result.stderr


def first_course(data_dir: Path) -> None:
    """A complaint, two sessions, check-ins with the usual pain, two activities with ratings."""
    ok("complaint", "stiff neck when driving", data_dir=data_dir)
    ok("session", "add", "--at", "2026-11-02T16:30", "--area", "upper trapezius", data_dir=data_dir)
    for day, soreness, pain in (("02", 5, 7), ("03", 3, 7), ("04", 1, 6), ("10", 0, 5)):
        ok(
            "checkin",
            *("--soreness", str(soreness), "--fatigue", "1", "--usual-pain", str(pain)),
            *("--date", f"2026-11-{day}"),
            data_dir=data_dir,
        )
    ok("session", "add", "--at", "2026-11-16T16:30", "--intensity", "intense", data_dir=data_dir)
    ok(
        "checkin",
        "--soreness",
        "4",
        "--fatigue",
        "2",
        "--usual-pain",
        "4",
        "--date",
        "2026-11-17",
        data_dir=data_dir,
    )
    ok("activity", "add", "turning my head to reverse the car", data_dir=data_dir)
    ok("activity", "add", "lifting the kettle", data_dir=data_dir)
    ok("activity", "rate", "1", "3", "2", "5", "--date", "2026-11-02", data_dir=data_dir)
    ok("activity", "rate", "--all", "7", "6", "--date", "2026-11-16", data_dir=data_dir)


def test_the_complaint_is_named_shown_reworded_and_cleared(data_dir: Path) -> None:
    shown = json.loads(ok("complaint", "--json", data_dir=data_dir).stdout)
    assert shown == {"complaint": None, "history": []}
    ok("complaint", "stiff neck", data_dir=data_dir)
    ok("complaint", "stiff neck", data_dir=data_dir)  # the same wording again adds nothing
    out = ok("complaint", "stiff neck when driving", data_dir=data_dir).stdout
    assert "stiff neck when driving" in out and "--usual-pain" in out
    shown = json.loads(ok("complaint", "--json", data_dir=data_dir).stdout)
    assert shown["complaint"]["text"] == "stiff neck when driving"
    assert [c["text"] for c in shown["history"]] == ["stiff neck", "stiff neck when driving"]
    assert "stiff neck when driving" in ok("complaint", data_dir=data_dir).stdout
    ok("complaint", "--clear", data_dir=data_dir)
    assert json.loads(ok("complaint", "--json", data_dir=data_dir).stdout)["complaint"] is None


def test_the_usual_pain_is_its_own_rating_and_help_says_which_is_which(data_dir: Path) -> None:
    ok("checkin", "--soreness", "4", "--fatigue", "2", "--usual-pain", "6", data_dir=data_dir)
    row = json.loads(ok("history", "--days", "1", "--json", data_dir=data_dir).stdout)[0]
    assert (row["soreness"], row["usual_pain"]) == (4, 6)
    ok("checkin", "--soreness", "3", "--fatigue", "2", data_dir=data_dir)  # replaces it, without a rating
    assert (
        json.loads(ok("history", "--days", "1", "--json", data_dir=data_dir).stdout)[0]["usual_pain"] is None
    )
    help_text = " ".join(ok("checkin", "--help", data_dir=data_dir).stdout.split())
    assert "--soreness 0-10 soreness after the needling" in help_text
    assert "--usual-pain 0-10 your usual pain today from the problem you see the physio for" in help_text
    assert "not the soreness after needling (that is --soreness)" in help_text


def test_activities_are_added_rated_by_number_id_or_all_and_listed(data_dir: Path) -> None:
    car = ok("activity", "add", "reversing the car", "--score", "3", data_dir=data_dir).stdout.strip()
    kettle = ok("activity", "add", "lifting the kettle", data_dir=data_dir).stdout.strip()
    assert len(car) == 8 and len(kettle) == 8
    listed = json.loads(ok("activity", "list", "--json", data_dir=data_dir).stdout)
    assert [(a["number"], a["name"], a["due"]) for a in listed] == [
        (1, "reversing the car", False),  # rated today when added
        (2, "lifting the kettle", True),  # no starting point yet
    ]
    ok("activity", "rate", kettle[:4], "5", "--date", "2026-11-02", data_dir=data_dir)
    out = ok("activity", "rate", "1", "4", "2", "6", "--date", "2026-11-09", data_dir=data_dir).stdout
    assert "lifting the kettle 6/10 (was 5 on Mon 2 Nov)" in out
    rated = json.loads(ok("activity", "rate", "--all", "5", "7", "--json", data_dir=data_dir).stdout)
    assert [(r["name"], r["score"]) for r in rated] == [("reversing the car", 5), ("lifting the kettle", 7)]
    listed = json.loads(ok("activity", "list", "--json", data_dir=data_dir).stdout)
    assert [r["score"] for r in listed[1]["ratings"]] == [5, 6, 7]
    assert listed[0]["latest"]["score"] == 5 and not any(a["due"] for a in listed)
    text = ok("activity", "list", data_dir=data_dir).stdout
    assert "reversing the car" in text and "5 on" in text

    out = ok("activity", "remove", "1", data_dir=data_dir).stdout
    assert "retired" in out
    assert [a["name"] for a in json.loads(ok("activity", "list", "--json", data_dir=data_dir).stdout)] == [
        "lifting the kettle"
    ]
    every = json.loads(ok("activity", "list", "--all", "--json", data_dir=data_dir).stdout)
    assert every[0]["retired_on"] is not None and every[0]["number"] is None
    ok("activity", "add", "typo", data_dir=data_dir)
    assert "removed (it had no ratings)" in ok("activity", "remove", "2", data_dir=data_dir).stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("checkin", "--soreness", "2", "--fatigue", "1", "--usual-pain", "11"), "--usual-pain"),
        (("checkin", "--soreness", "2", "--fatigue", "1", "--usual-pain", "bad"), "--usual-pain"),
        (("checkin", "--soreness", "2", "--fatigue", "1", "--usual-pain", "-1"), "--usual-pain"),
        (("complaint", "neck\x1b[31m"), "COMPLAINT"),
        (("complaint", "  "), "COMPLAINT"),
        (("complaint", "x" * 201), "COMPLAINT"),
        (("activity", "add", ""), "NAME"),
        (("activity", "add", "lifting the kettle"), "NAME"),  # already followed
        (("activity", "add", "fourth"), "NAME"),  # three followed already
        (("activity", "add", "x", "--score", "12"), "--score"),
        (("activity", "add", "x", "--score", ""), "--score"),
        (("activity", "rate", "1", "11"), "SCORE"),
        (("activity", "rate", "1", "5", "2", "x"), "SCORE"),
        (("activity", "rate", "4", "5"), "ACTIVITY"),
        (("activity", "rate", "zzzz", "5"), "ACTIVITY"),
        (("activity", "rate", "1", "5", "1", "6"), "ACTIVITY"),
        (("activity", "rate", "--all", "5"), "SCORE"),
        (("activity", "rate", "1", "5", "--date", "2099-01-01"), "--date"),
        (("activity", "rate", "1", "5", "--date", ""), "--date"),
        (("activity", "rate", "1"), "ACTIVITY SCORE"),
        (("activity", "remove", "9"), "ACTIVITY"),
    ],
)
def test_bad_values_exit_2_name_the_field_and_change_nothing(data_dir: Path, args, field) -> None:
    ok("complaint", "stiff neck", data_dir=data_dir)
    for name in ("reversing the car", "lifting the kettle", "sleeping on my side"):
        ok("activity", "add", name, "--score", "4", data_dir=data_dir)
    before = sorted(p.read_bytes() for p in data_dir.rglob("*.json") if "backups" not in p.parts)
    refused(*args, data_dir=data_dir, field=field)
    after = sorted(p.read_bytes() for p in data_dir.rglob("*.json") if "backups" not in p.parts)
    assert before == after


def test_the_course_as_json(data_dir: Path) -> None:
    first_course(data_dir)
    course = json.loads(ok("course", "--json", data_dir=data_dir).stdout)
    assert course["complaint"]["text"] == "stiff neck when driving"
    first, second = course["sessions"]
    assert first["started_at"] == "2026-11-02T16:30:00+01:00" and first["until"] == second["started_at"]
    assert (first["checkins"], first["peak_soreness"]) == (4, 5)
    # back-dated check-ins count at the end of their day: Wed 4 Nov 23:59:59
    assert first["settled_hours"] == 55.5 and first["settled_at"] == "2026-11-04T23:59:59+01:00"
    assert (second["peak_soreness"], second["settled_hours"], second["settle_unknown"]) == (
        4,
        None,
        "not-yet",
    )
    assert [m["label"] for m in course["measures"]] == [
        "usual pain",
        "turning my head to reverse the car",
        "lifting the kettle",
    ]
    assert [c["points"] for c in course["changes"]] == [-3, 4, 1]
    assert [c["meaningful"] for c in course["changes"]] == [True, True, False]
    assert course["sentence"].startswith(
        "Since the first session (Mon 2 Nov 2026): usual pain 7 to 4, 3 points lower*; "
        "turning my head to reverse the car 3 to 7, 4 points higher*; lifting the kettle 5 to 6, "
        "1 point higher."
    )
    assert course["meaningful_points"] == 2


def test_the_course_as_text_fits_80_columns_and_wraps_rather_than_cuts(data_dir: Path) -> None:
    first_course(data_dir)
    long_area = "right upper trapezius near the shoulder blade"
    ok(
        "session",
        "add",
        "--at",
        "2026-11-23T09:00",
        "--area",
        long_area,
        "--area",
        "levator",
        data_dir=data_dir,
    )
    text = ok("course", data_dir=data_dir).stdout
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    assert "…" not in text
    words = " ".join(text.split())
    for word in long_area.split():
        assert word in words
    assert "Session" in text and "Settled" in text and "56 h" in text
    assert "A1 turning my head to reverse the car; A2 lifting the kettle" in words
    assert "usual pain 7 to 4, 3 points lower*" in words
    assert "companion's threshold" in words


def test_an_empty_course_says_what_to_do_first(data_dir: Path) -> None:
    text = ok("course", data_dir=data_dir).stdout
    assert "No complaint named yet" in text and "No session recorded yet" in text
    assert json.loads(ok("course", "--json", data_dir=data_dir).stdout)["sessions"] == []


def test_export_and_import_carry_the_course_and_twice_adds_nothing(tmp_path: Path) -> None:
    source, target = tmp_path / "a", tmp_path / "b"
    first_course(source)
    backup = tmp_path / "backup.json"
    ok("export", "--output", str(backup), data_dir=source)
    data = json.loads(backup.read_text())
    assert (
        len(data["complaints"]) == 1 and len(data["activities"]) == 2 and len(data["activity_ratings"]) == 4
    )
    assert [c.get("usual_pain") for c in data["checkins"]] == [7, 7, 6, 5, 4]
    imported = ok("import", str(backup), data_dir=target).stdout
    assert "2 sessions, 5 check-ins" in imported and "7 other records" in imported  # 1 + 2 + 4
    assert "Nothing new" in ok("import", str(backup), data_dir=target).stdout
    assert (
        json.loads(ok("course", "--json", data_dir=target).stdout)["sentence"]
        == json.loads(ok("course", "--json", data_dir=source).stdout)["sentence"]
    )
    csv_text = ok("export", "--format", "csv", data_dir=target).stdout
    header = csv_text.splitlines()[0].split(",")
    assert header[-3:] == [
        "usual_pain",
        "activity: turning my head to reverse the car",
        "activity: lifting the kettle",
    ]
    assert '2026-11-02",' in csv_text and csv_text.splitlines()[1].endswith(",7,3,5")
    md = ok("export", "--format", "md", data_dir=target).stdout
    assert "## Course" in md and "usual pain 7 to 4, 3 points lower\\*" in " ".join(md.split())


def test_course_commands_do_not_import_textual(data_dir: Path) -> None:
    code = (
        "import sys; from companion.cli.main import main; "
        f"main(['--data-dir', {str(data_dir)!r}, 'course', '--json']); "
        f"main(['--data-dir', {str(data_dir)!r}, 'activity', 'list']); "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
