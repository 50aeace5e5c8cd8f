"""Issue 4 through the core and the CLI: the clinic's protocol, follow-ups, home
exercises, reminders, what I took, and questions for my physio."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pendulum
import pytest
from icalendar import Calendar

from companion.core import clock
from companion.core.alerts import judge_checkin
from companion.core.appointments import Appointment, next_appointment
from companion.core.checkins import CheckIn
from companion.core.checklist import ChecklistDay
from companion.core.clinic import effective_protocol
from companion.core.errors import InputError, ProtocolError
from companion.core.exercises import adherence, exercise_from_record, new_exercise
from companion.core.hydration import HydrationDay
from companion.core.intake import check_intake, new_intake
from companion.core.protocol import default_protocol
from companion.core.reminders import due_reminders, reminder_line
from companion.core.restrictions import restriction_states
from companion.core.sessions import Session
from companion.core.status import build_status
from companion.ui.widgets.get_help import get_help_paragraphs
from tests.conftest import run_cli
from tests.launch import TEST_NOW

EXAMPLE = Path(__file__).resolve().parents[1] / "assets" / "clinic-example.toml"
TZ = "Europe/Berlin"


def ok(*args: str, data_dir: Path, **kw):
    result = run_cli(*args, data_dir=data_dir, **kw)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


# ------------------------------------------------------------------ clinic protocol


def test_clinic_file_overrides_durations_adds_and_removes_items(berlin) -> None:
    p = effective_protocol(EXAMPLE.read_text())
    assert p.clinic is not None and p.clinic.phone == "+44 20 7946 0000"
    alcohol = next(r for r in p.restrictions if r.id == "alcohol")
    assert dict(alcohol.hours or {}) == {"standard": 48.0, "intense": 72.0} and alcohol.origin == "clinic"
    caffeine = next(r for r in p.restrictions if r.id == "caffeine")
    assert caffeine.origin == "guidance" and caffeine.sources == ("002",)
    assert any(r.id == "sauna" and r.origin == "clinic" for r in p.restrictions)
    assert p.checklist_item("nourish") is None and p.checklist_item("ice-pack") is not None
    flag = p.red_flag("long-soreness")
    assert flag is not None and flag.after_hours == 96 and "96 hours" in flag.message
    assert flag.label == "sore >96 h"  # the short wording (history table) follows the clinic too


def test_clinic_durations_drive_the_countdown(berlin) -> None:
    p = effective_protocol(EXAMPLE.read_text())
    start = pendulum.datetime(2026, 11, 21, 16, 30, tz=TZ)
    states = {s.id: s for s in restriction_states(p, Session("s", start), start.add(hours=30))}
    assert states["alcohol"].active and states["alcohol"].remaining_seconds == 18 * 3600
    assert not states["caffeine"].active


def test_alerts_give_the_clinic_phone_and_use_its_thresholds(berlin) -> None:
    p = effective_protocol(EXAMPLE.read_text())
    session = Session("s", pendulum.datetime(2026, 11, 18, 10, tz=TZ))
    day4 = CheckIn("c", dt.date(2026, 11, 21), session.started_at.add(hours=80), soreness=3, fatigue=1)
    assert [a.id for a in judge_checkin(p, day4, [], session)] == []  # clinic: 96 h, not 72
    severe = CheckIn("d", dt.date(2026, 11, 18), session.started_at.add(hours=2), soreness=9, fatigue=1)
    alert = judge_checkin(p, severe, [], session)[0]
    assert "+44 20 7946 0000" in alert.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "schema = 1\n[[restriction]]\nid = 'sauna'\ntitle = 'Sauna'\n",
            "restriction 'sauna', field 'avoid'",
        ),
        (
            "schema = 1\n[[restriction]]\nid = 'alcohol'\nhours = { standard = -4 }\n",
            "restriction 'alcohol', field 'hours.standard'",
        ),
        ("schema = 1\n[remove]\ncheckist = ['rest']\n", "unknown section 'checkist'"),
        ("schema = 1\n[remove]\nchecklist = ['gym']\n", "there is no checklist item 'gym'"),
        ("schema = 1\n[clinic]\nphone = '123'\n", "[clinic], field 'name'"),
        (
            "schema = 1\n[[red_flag]]\nid = 'worsening'\nlevel = 'meh'\n",
            "red flag 'worsening', field 'level'",
        ),
        ("schema = [\n", "not valid TOML"),
    ],
)
def test_broken_clinic_file_names_item_and_field(text: str, expected: str) -> None:
    with pytest.raises(ProtocolError) as err:
        effective_protocol(text, "clinic.toml")
    assert expected in str(err.value)


def test_protocol_import_show_reset_through_the_cli(tmp_path: Path, data_dir: Path) -> None:
    out = ok("protocol", "import", str(EXAMPLE), data_dir=data_dir).stdout
    assert "Riverside Physiotherapy" in out
    shown = json.loads(ok("protocol", "show", "--json", data_dir=data_dir).stdout)
    froms = {r["id"]: r["from"] for r in shown["restrictions"]}
    assert froms["alcohol"].startswith("clinic") and froms["caffeine"] == "guidance"
    ok("session", "add", "--at", "2026-11-22T09:30", data_dir=data_dir)  # before any process's "now"
    status = json.loads(ok("status", "--json", data_dir=data_dir).stdout)
    assert "sauna" in [r["id"] for r in status["restrictions"]]

    broken = tmp_path / "broken.toml"
    broken.write_text("schema = 1\n[[checklist]]\nid = 'x'\ntitle = 'X'\n")
    result = run_cli("protocol", "import", str(broken), data_dir=data_dir)
    assert result.returncode == 2 and "checklist item 'x', field 'detail'" in result.stderr
    still = json.loads(ok("protocol", "show", "--json", data_dir=data_dir).stdout)
    assert still["clinic"]["name"] == "Riverside Physiotherapy"  # nothing applied on error

    ok("protocol", "reset", data_dir=data_dir)
    reset = json.loads(ok("protocol", "show", "--json", data_dir=data_dir).stdout)
    assert reset["clinic"] is None and all(r["from"] == "guidance" for r in reset["restrictions"])


# ------------------------------------------------------------------ appointments


def test_appointment_in_another_time_zone(data_dir: Path) -> None:
    aid = ok("appointment", "add", "--at", "2030-01-10T09:00-05:00", "--note", "review", data_dir=data_dir)
    listed = json.loads(ok("appointment", "list", "--json", data_dir=data_dir).stdout)
    assert listed[0]["id"] == aid.stdout.strip()
    at = clock.parse_stored(listed[0]["at"])
    assert at.timestamp() == pendulum.datetime(2030, 1, 10, 14, tz="UTC").timestamp()
    assert listed[0]["at"].endswith("+01:00")  # shown in the patient's own zone
    ics = Calendar.from_ical(ok("export", "--format", "ics", data_dir=data_dir).stdout.encode())
    summaries = [str(e.get("summary")) for e in ics.walk("VEVENT")]
    assert any("Follow-up" in s for s in summaries)
    md = ok("export", "--format", "md", data_dir=data_dir).stdout
    assert "## Follow-up appointments" in md and "review" in md
    ok("appointment", "remove", aid.stdout.strip(), data_dir=data_dir)
    assert json.loads(ok("appointment", "list", "--json", data_dir=data_dir).stdout) == []
    assert run_cli("appointment", "remove", "nope", data_dir=data_dir).returncode == 2


def test_next_appointment_is_the_soonest_not_past(berlin) -> None:
    now = pendulum.datetime(2026, 11, 23, 10, tz=TZ)
    appts = [
        Appointment("a", now.subtract(days=1)),
        Appointment("b", now.add(days=3)),
        Appointment("c", now.add(hours=5)),
    ]
    found = next_appointment(appts, now)
    assert found is not None and found.id == "c"


# ------------------------------------------------------------------ exercises


def test_exercise_validation_and_adherence() -> None:
    with pendulum.travel_to(pendulum.datetime(2026, 11, 21, 9, tz="Europe/Berlin"), freeze=True):
        ex = new_exercise(name="chin tucks", sets="3", reps="10", per_day="2")
    assert ex.since == dt.date(2026, 11, 21)
    assert ex.dose == "3 x 10, twice a day"
    days = [
        ChecklistDay(dt.date(2026, 11, 21), frozenset(ex.tick_ids())),
        ChecklistDay(dt.date(2026, 11, 22), frozenset(ex.tick_ids()[:1])),
    ]
    (result,) = adherence([ex], days, dt.date(2026, 11, 21), dt.date(2026, 11, 23))
    assert (result.done, result.due, result.percent) == (3, 6, 50)
    # added on the 22nd: the 21st is not a missed day (and the record round-trips)
    later = exercise_from_record({**ex.to_record(), "since": "2026-11-22"})
    (result,) = adherence([later], days[1:], dt.date(2026, 11, 21), dt.date(2026, 11, 23))
    assert (result.done, result.due) == (1, 4)
    assert later.due_on(dt.date(2026, 11, 21)) == 0 and later.due_on(dt.date(2026, 11, 22)) == 2
    assert (
        exercise_from_record({**ex.to_record(), "since": None}).due_on(dt.date(2000, 1, 1)) == 2
    )  # older records
    for kwargs, field in (
        ({"name": ""}, "name"),
        ({"name": "x", "sets": "0"}, "sets"),
        ({"name": "x", "sets": "3"}, "reps"),
        ({"name": "x", "per_day": "11"}, "per_day"),
        ({"name": "x", "minutes": "soon"}, "minutes"),
    ):
        with pytest.raises(InputError) as err:
            new_exercise(**kwargs)
        assert err.value.field == field


def test_exercise_ticks_through_the_cli_show_in_history_and_report(data_dir: Path) -> None:
    eid = ok(
        "exercise", "add", "--name", "wall angels", "--reps", "12", "--per-day", "2", data_dir=data_dir
    ).stdout.strip()
    ok("exercise", "done", eid, data_dir=data_dir)
    ok("exercise", "done", eid, data_dir=data_dir)
    third = run_cli("exercise", "done", eid, data_dir=data_dir)
    assert third.returncode == 2 and "already ticked" in third.stderr
    listed = json.loads(ok("exercise", "list", "--json", data_dir=data_dir).stdout)
    assert listed[0]["done_today"] == 2
    row = json.loads(ok("history", "--days", "1", "--json", data_dir=data_dir).stdout)[0]
    assert sorted(row["checklist"]) == [f"exercise:{eid}:1", f"exercise:{eid}:2"]
    md = ok("export", "--format", "md", data_dir=data_dir).stdout
    assert "## Home exercises" in md and "2 of 2 (100%)" in md


# ------------------------------------------------------------------ what I took


def test_coffee_during_the_caffeine_pause_is_noted_kindly(berlin) -> None:
    p = default_protocol()
    start = pendulum.datetime(2026, 11, 23, 8, tz=TZ)
    with pendulum.travel_to(start.add(hours=3, minutes=48), freeze=True):
        coffee = new_intake("coffee", amount="1 cup")
    check = check_intake(p, [Session("s", start)], coffee)
    assert check.during_restriction and check.remaining_seconds == 20 * 3600 + 12 * 60
    assert "20 h 12 min left" in check.message and "dehydrates" in check.message
    assert "fine to log it honestly" in check.message
    with pendulum.travel_to(start.add(hours=30), freeze=True):
        later = new_intake("coffee")
    assert not check_intake(p, [Session("s", start)], later).during_restriction
    with pendulum.travel_to(start.add(hours=1), freeze=True):
        para = new_intake("paracetamol")
    assert para.restriction_id is None and not check_intake(p, [Session("s", start)], para).during_restriction


def test_took_through_the_cli_and_in_the_report(data_dir: Path) -> None:
    # Before any process's "now": each CLI process's clock starts at TEST_NOW and runs on, so
    # a session added "now" by a slow process fell after the drink (seen under load).
    ok("session", "add", "--at", "2026-11-22T09:30", data_dir=data_dir)
    result = json.loads(ok("took", "wine", "--amount", "1 glass", "--json", data_dir=data_dir).stdout)
    assert result["restriction"] == "alcohol" and result["during_restriction"] is True
    future = run_cli("took", "beer", "--at", "2099-01-01T10:00", data_dir=data_dir)
    assert future.returncode == 2 and "--at" in future.stderr
    md = ok("export", "--format", "md", data_dir=data_dir).stdout
    assert "## What I took" in md and "wine" in md


# ------------------------------------------------------------------ questions


def test_questions_head_the_report_and_can_be_marked_asked(data_dir: Path) -> None:
    ok("ask", "Can I swim tomorrow?", data_dir=data_dir)
    ok("ask", "Is the bruise normal?", data_dir=data_dir)
    md = ok("export", "--format", "md", data_dir=data_dir).stdout
    assert md.index("## Questions for my physiotherapist") < md.index("## Sessions")
    qs = json.loads(ok("ask", "--list", "--json", data_dir=data_dir).stdout)
    ok("ask", "--done", qs[0]["id"], data_dir=data_dir)
    open_ones = ok("ask", "--list", data_dir=data_dir).stdout
    assert "bruise" in open_ones and "swim" not in open_ones
    ok("ask", "--done", "all", data_dir=data_dir)
    assert "No open questions" in ok("ask", "--list", data_dir=data_dir).stdout
    assert run_cli("ask", "", data_dir=data_dir).returncode == 2


# ------------------------------------------------------------------ reminders


def _status(now, session, glasses=0, checkin_today=None, appointments=()):
    p = default_protocol()
    return build_status(
        p,
        now=now,
        zone=clock.ZoneInfo(TZ, "setting"),
        sessions=[session],
        hydration_today=HydrationDay(now.date(), glasses, 8),
        recent_checkins=[checkin_today] if checkin_today else [],
        appointments=list(appointments),
    )


def test_reminders_follow_the_guidance(berlin) -> None:
    session = Session("s", pendulum.datetime(2026, 11, 23, 8, tz=TZ))
    morning = pendulum.datetime(2026, 11, 23, 12, tz=TZ)
    kinds = [r.kind for r in due_reminders(_status(morning, session, glasses=0))]
    assert kinds == ["water"]
    assert [r.kind for r in due_reminders(_status(morning, session, glasses=8))] == []
    evening = pendulum.datetime(2026, 11, 23, 19, tz=TZ)
    assert "checkin" in [r.kind for r in due_reminders(_status(evening, session, glasses=8))]
    done = CheckIn("c", evening.date(), evening, soreness=1, fatigue=1)
    assert "checkin" not in [r.kind for r in due_reminders(_status(evening, session, 8, done))]
    ending = pendulum.datetime(2026, 11, 24, 7, 30, tz=TZ)
    texts = reminder_line(
        due_reminders(
            _status(ending, session, glasses=8, appointments=[Appointment("a", ending.add(hours=3))])
        )
    )
    assert "pauses end at" in texts and "Follow-up appointment" in texts
    assert texts.count("pauses end at") == 1  # ending together: one item
    night = pendulum.datetime(2026, 11, 23, 23, 30, tz=TZ)
    assert "water" not in [r.kind for r in due_reminders(_status(night, session, glasses=0))]


def test_a_reminder_keeps_its_key_while_its_minutes_count_down_and_says_no_command(berlin) -> None:
    session = Session("s", pendulum.datetime(2026, 11, 23, 8, tz=TZ))
    follow_up = Appointment("a", pendulum.datetime(2026, 11, 24, 9, tz=TZ), "Dr Lee")
    evening = pendulum.datetime(2026, 11, 23, 19, tz=TZ)
    later = evening.add(minutes=47)
    first, second = (
        due_reminders(_status(moment, session, 8, appointments=[follow_up])) for moment in (evening, later)
    )
    assert [r.key for r in first] == [r.key for r in second]
    assert [r.text for r in first] != [r.text for r in second]  # 'in 14 h' -> 'in 13 h 13 min'
    # Each front end adds its own way to act on a reminder: the core names no command and no key.
    assert not any("companion " in r.text or "press" in r.text.lower() for r in first)


def test_remind_prints_one_line_and_falls_back_without_a_desktop(data_dir: Path) -> None:
    ok(
        "appointment",
        "add",
        "--at",
        TEST_NOW.in_tz(TZ).add(hours=2).format("YYYY-MM-DDTHH:mm"),  # the CLI's clock starts there
        data_dir=data_dir,
    )
    out = ok("remind", "--notify", data_dir=data_dir, env={"DBUS_SESSION_BUS_ADDRESS": ""}).stdout
    assert len(out.strip().splitlines()) == 1 and "Follow-up appointment" in out
    data = json.loads(ok("remind", "--json", data_dir=data_dir).stdout)
    assert data["due"][-1]["kind"] == "appointment"


def test_backup_round_trip_carries_the_plan(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    ok("appointment", "add", "--at", "2030-01-10T09:00", data_dir=a)
    ok("exercise", "add", "--name", "calf raises", "--reps", "15", data_dir=a)
    ok("ask", "Heat or ice?", data_dir=a)
    ok("took", "ibuprofen", "--amount", "200 mg", data_dir=a)
    backup = tmp_path / "b.json"
    ok("export", "--output", str(backup), data_dir=a)
    data = json.loads(backup.read_text())
    assert [len(data[k]) for k in ("appointments", "exercises", "questions", "intake")] == [1, 1, 1, 1]
    ok("import", str(backup), data_dir=b)
    assert "Nothing new" in ok("import", str(backup), data_dir=b).stdout
    again = json.loads(ok("export", data_dir=b).stdout)
    for key in ("appointments", "exercises", "questions", "intake"):
        assert again[key] == data[key]


def test_status_shows_the_next_follow_up(data_dir: Path) -> None:
    ok("appointment", "add", "--at", "2099-01-10T09:00", "--note", "review", data_dir=data_dir)
    status = json.loads(ok("status", "--json", data_dir=data_dir).stdout)
    assert status["next_appointment"]["note"] == "review"
    assert "Follow-up" in ok("status", data_dir=data_dir).stdout


def test_a_follow_up_in_the_past_is_refused(data_dir: Path) -> None:
    result = run_cli("appointment", "add", "--at", "2020-01-10T09:00", data_dir=data_dir)
    assert result.returncode == 2 and "--at" in result.stderr and "already passed" in result.stderr


@pytest.mark.parametrize("hours", ["nan", "inf", "1e308", "100000000"])
def test_clinic_hours_must_be_a_sane_number(hours: str) -> None:
    text = f"schema = 1\n[[restriction]]\nid = 'alcohol'\nhours = {{ standard = {hours}, intense = 48 }}\n"
    with pytest.raises(ProtocolError) as err:
        effective_protocol(text, "clinic.toml")
    assert "hours.standard" in str(err.value)


@pytest.mark.parametrize(
    ("what", "restriction"),
    [
        ("ibuprofen 400mg", "anti-inflammatories"),
        ("red wine", "alcohol"),
        ("Nurofen", "anti-inflammatories"),
        ("green tea", "caffeine"),
        ("vodka", "alcohol"),
        ("paracetamol", None),
    ],
)
def test_took_recognises_common_names(berlin, what: str, restriction: str | None) -> None:
    assert new_intake(what).restriction_id == restriction


def test_an_unknown_name_says_what_the_pauses_cover(berlin) -> None:
    check = check_intake(default_protocol(), [], new_intake("mystery pill"))
    assert not check.during_restriction and "caffeine, alcohol and anti-inflammatory" in check.message


def test_long_fatigue_text_follows_the_clinic_threshold() -> None:
    p = effective_protocol("schema = 1\n[[red_flag]]\nid = 'long-fatigue'\nafter_hours = 96\n")
    flag = p.red_flag("long-fatigue")
    assert flag is not None and "96 hours" in flag.message
    assert "48 hours" in (default_protocol().red_flag("long-fatigue") or flag).message


def test_a_clinic_threshold_is_shown_beside_the_articles_one(berlin, data_dir: Path) -> None:
    """The clinic's 96 h wins, but the page that says when to get help, and protocol show,
    also give the articles' 72 h (where sources disagree, both are shown)."""
    p = effective_protocol(EXAMPLE.read_text())
    flag = p.red_flag("long-soreness")
    assert flag is not None and flag.title == "Soreness lasting more than 96 hours"
    assert flag.articles_title == "Soreness lasting more than 72 hours"
    beside = flag.titled(p.clinic)
    assert beside.startswith("Soreness lasting more than 96 hours (as ") and "72 hours" in beside
    assert p.clinic is not None and p.clinic.name in beside
    page = " ".join(str(text) for _, text in get_help_paragraphs(p))
    assert beside in page
    # unchanged numbers, a changed wording only, and no clinic: nothing to set beside
    same = effective_protocol("schema = 1\n[[red_flag]]\nid = 'long-soreness'\nafter_hours = 72\n")
    assert (same.red_flag("long-soreness") or flag).articles_title == ""
    worded = "schema = 1\n[[red_flag]]\nid = 'long-fatigue'\ntitle = 'Tired for days ({after_hours} h)'\n"
    assert (effective_protocol(worded).red_flag("long-fatigue") or flag).articles_title == ""
    assert all(not f.articles_title for f in default_protocol().red_flags)
    assert default_protocol().red_flag("long-soreness").titled(None) == "Soreness lasting more than 72 hours"  # type: ignore[union-attr]

    ok("protocol", "import", str(EXAMPLE), data_dir=data_dir)
    text = ok("protocol", "show", data_dir=data_dir).stdout
    assert "96 hours" in text and "the after-care articles: soreness lasting more than 72 hours" in " ".join(
        text.split()
    )
    md = " ".join(ok("export", "--format", "md", data_dir=data_dir).stdout.split())
    assert "The after-care articles: Soreness lasting more than 72 hours" in md
