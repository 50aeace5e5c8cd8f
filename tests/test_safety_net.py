"""Issue 9, the safety net, through the core and the CLI: nothing can silence when to get
help, and alerts are neither stale nor crying wolf.

The CLI runs in this process (``companion.cli.main.main``) so the clock can be frozen.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from companion.cli.main import main
from companion.core.clinic import effective_protocol
from companion.core.errors import ProtocolError
from companion.core.protocol import default_protocol
from companion.store import Store

TZ = "Europe/Berlin"


def at(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=TZ)


@pytest.fixture(autouse=True)
def _berlin(berlin: str) -> Iterator[None]:
    yield


class Cli:
    """`companion ...` in this process, on a temporary data folder, at a frozen moment."""

    def __init__(self, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.data_dir = data_dir
        self.capsys = capsys
        self.now = at(2026, 11, 22, 10, 0)

    def run(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        with pendulum.travel_to(self.now, freeze=True):
            code = main(["--data-dir", str(self.data_dir), *args])
        pendulum.set_local_timezone(pendulum.timezone(TZ))  # `main` applies the stored zone
        captured = self.capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err

    def ok(self, *args: str) -> str:
        code, out, err = self.run(*args)
        assert code == 0, err
        return out

    def json(self, *args: str) -> object:
        return json.loads(self.ok(*args, "--json"))


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    runner = Cli(tmp_path / "data", capsys)
    runner.ok("config", "--timezone", TZ)  # not the machine's zone, whatever it is
    return runner


# ------------------------------------------------------------------ 1. a clinic cannot silence a red flag

SILENCING = {
    "remove-urgent": (
        "schema = 1\n[remove]\nred_flag = ['urgent-breathing', 'severe-pain']\n",
        "urgent-breathing",
    ),
    "remove-contact": ("schema = 1\n[remove]\nred_flag = ['worsening']\n", "worsening"),
    "lower-urgent": (
        "schema = 1\n[[red_flag]]\nid = 'urgent-breathing'\nlevel = 'contact-clinician'\n"
        "message = 'Mention it at your next visit.'\n",
        "urgent-breathing",
    ),
    "reword-urgent": (
        "schema = 1\n[[red_flag]]\nid = 'urgent-breathing'\nmessage = 'Mention it at your next visit.'\n",
        "urgent-breathing",
    ),
    "retitle-urgent": (
        "schema = 1\n[[red_flag]]\nid = 'urgent-breathing'\ntitle = 'Feeling puffed'\n",
        "urgent-breathing",
    ),
}


@pytest.mark.parametrize("case", SILENCING)
def test_a_clinic_file_that_removes_or_lowers_a_red_flag_is_refused_naming_it(case: str) -> None:
    text, flag = SILENCING[case]
    with pytest.raises(ProtocolError) as err:
        effective_protocol(text, "clinic.toml")
    assert f"'{flag}'" in str(err.value) and "clinic.toml" in str(err.value)


def test_a_clinic_may_add_a_local_emergency_number_to_the_urgent_sign() -> None:
    p = effective_protocol(
        "schema = 1\n[[red_flag]]\nid = 'urgent-breathing'\nnote = 'In the UK, call 999.'\n"
    )
    flag = p.red_flag("urgent-breathing")
    base = default_protocol().red_flag("urgent-breathing")
    assert flag is not None and base is not None
    assert flag.level == "urgent" and flag.title == base.title
    assert flag.message.startswith(base.message) and flag.message.endswith("In the UK, call 999.")


def test_a_clinic_may_tune_a_contact_flag_and_raise_it_but_not_lower_it() -> None:
    p = effective_protocol(
        "schema = 1\n[[red_flag]]\nid = 'severe-pain'\nmin_soreness = 7\nlevel = 'urgent'\n"
        "message = 'Ring us straight away.'\n"
    )
    flag = p.red_flag("severe-pain")
    assert flag is not None and (flag.min_soreness, flag.level) == (7, "urgent")


def test_the_issue_s_silencing_file_is_refused_whole_by_the_cli_and_alerts_still_fire(
    cli: Cli, tmp_path: Path
) -> None:
    silencing = tmp_path / "clinic.toml"
    silencing.write_text(
        "schema = 1\n[clinic]\nname = 'Quiet Clinic'\n[remove]\n"
        "red_flag = ['urgent-breathing', 'severe-pain']\nchecklist = ['nourish']\n"
    )
    code, _out, err = cli.run("protocol", "import", str(silencing))
    assert code == 2 and "urgent-breathing" in err and "cannot be removed" in err
    shown = cli.json("protocol", "show")
    assert shown["clinic"] is None  # nothing of the file applied, not even its other parts
    assert any(c["id"] == "nourish" for c in shown["checklist"])
    cli.ok("session", "add", "--at", "2026-11-22T08:00")
    result = cli.json("checkin", "--soreness", "9", "--fatigue", "2", "--sharp-pain", "--breathing-trouble")
    assert [a["id"] for a in result["alerts"]] == ["urgent-breathing", "severe-pain"]


def test_a_stored_clinic_file_that_silences_a_flag_is_not_used(cli: Cli) -> None:
    # Kept by an older companion that accepted it: it is checked again when read.
    store = Store(cli.data_dir)
    store.set_clinic_text(
        "schema = 1\n[clinic]\nname = 'Quiet Clinic'\n[remove]\nred_flag = ['urgent-breathing']\n"
    )
    cli.ok("session", "add", "--at", "2026-11-22T08:00")
    code, out, err = cli.run("checkin", "--soreness", "1", "--fatigue", "1", "--breathing-trouble")
    assert code == 0 and "URGENT" in out
    assert "urgent-breathing" in err and "general guidance" in err


# ------------------------------------------------------------------ 5. stale alerts


def test_a_check_in_before_the_latest_session_raises_no_current_alerts(cli: Cli) -> None:
    cli.now = at(2026, 11, 18, 9, 0)
    cli.ok("session", "add", "--at", "2026-11-16T10:00")
    for day, sore in (("2026-11-16", 6), ("2026-11-17", 4)):
        cli.ok("checkin", "--soreness", str(sore), "--fatigue", "1", "--date", day)
    cli.now = at(2026, 11, 18, 20, 0)
    worse = cli.json("checkin", "--soreness", "6", "--fatigue", "1")
    assert [a["id"] for a in worse["alerts"]] == ["worsening"]
    cli.now = at(2026, 11, 19, 9, 0)  # the next morning, before a new session
    status = cli.json("status")
    assert [a["id"] for a in status["alerts"]] == ["worsening"]
    assert status["alerts_from_checkin"] == "2026-11-18"
    assert "from your check-in on Wed 18 Nov" in cli.ok("status")
    cli.ok("session", "add", "--at", "2026-11-19T08:30")
    status = cli.json("status")
    assert status["alerts"] == [] and status["alerts_from_checkin"] is None
    assert "getting worse" not in cli.ok("status")
    assert all(d["kind"] != "alert" for d in cli.json("remind")["due"])
    # ... while the history and the report keep them
    rows = cli.json("history", "--days", "5")
    assert {r["date"]: r["alerts"] for r in rows}["2026-11-18"] == ["worsening"]
    report = " ".join(cli.ok("export", "--format", "md").split())
    assert "2026-11-18 (day 2): **Symptoms getting worse.**" in report


def test_a_check_in_before_the_first_session_raises_no_current_alerts_once_one_is_recorded(cli: Cli) -> None:
    cli.ok("checkin", "--soreness", "9", "--fatigue", "1")  # no session yet: severe pain still counts
    assert [a["id"] for a in cli.json("status")["alerts"]] == ["severe-pain"]
    cli.now = at(2026, 11, 22, 11, 0)
    cli.ok("session", "add", "--at", "2026-11-22T10:30")
    assert cli.json("status")["alerts"] == []


# ------------------------------------------------------------------ 4. remind leads with the current alert


def test_remind_leads_with_an_urgent_alert_every_time(cli: Cli) -> None:
    cli.now = at(2026, 11, 22, 9, 0)
    cli.ok("session", "add", "--at", "2026-11-22T08:00")
    cli.ok("checkin", "--soreness", "2", "--fatigue", "1", "--breathing-trouble")
    for hour in (10, 11, 23):
        cli.now = at(2026, 11, 22, hour, 0)
        data = cli.json("remind")
        first = data["due"][0]
        assert (first["kind"], first["id"], first["level"]) == ("alert", "urgent-breathing", "urgent")
        assert data["line"].startswith(
            "URGENT: Shortness of breath or chest pain: seek urgent medical care now"
        )
        assert cli.ok("remind").startswith("URGENT:")


def test_remind_keeps_a_contact_alert_until_the_next_check_in(cli: Cli) -> None:
    cli.now = at(2026, 11, 22, 9, 0)
    cli.ok("config", "--clinic-name", "Leaside Physio", "--clinic-phone", "+1 416 555 0100")
    cli.ok("session", "add", "--at", "2026-11-22T08:00")
    cli.ok("checkin", "--soreness", "8", "--fatigue", "1")
    cli.now = at(2026, 11, 23, 8, 0)  # the next morning: still there, saying from when
    line = cli.json("remind")["line"]
    assert line.startswith(
        "Sharp or severe pain (from your check-in on Sun 22 Nov): contact your physiotherapist"
    )
    assert "today" in line and "+1 416 555 0100" in line
    cli.ok("checkin", "--soreness", "3", "--fatigue", "1")
    assert all(d["kind"] != "alert" for d in cli.json("remind")["due"])


def test_remind_with_nothing_due(cli: Cli) -> None:
    assert cli.json("remind") == {
        "now": "2026-11-22T10:00:00+01:00",
        "due": [],
        "line": "Nothing due right now.",
    }


# ------------------------------------------------------------------ 11. today, the fallback, and who to call


def test_contact_alerts_say_today_and_what_to_do_if_the_clinic_cannot_be_reached(cli: Cli) -> None:
    cli.ok("session", "add", "--at", "2026-11-22T08:00")
    out = cli.ok("checkin", "--soreness", "8", "--fatigue", "1")
    assert "Contact your physiotherapist today" in out
    assert "If you cannot reach the clinic and things are getting worse, contact your own doctor" in out
    assert "beyond the three after-care articles" in out
    urgent_only = cli.ok("checkin", "--soreness", "1", "--fatigue", "1", "--breathing-trouble")
    assert "emergency" in urgent_only and "If you cannot reach the clinic" not in urgent_only


def test_the_clinic_s_name_and_phone_given_once_go_with_every_alert(cli: Cli) -> None:
    cli.ok("session", "add", "--at", "2026-11-22T08:00")
    before = cli.json("checkin", "--soreness", "8", "--fatigue", "1")
    assert "+44" not in before["alerts"][0]["message"]
    shown = cli.json("config", "--clinic-name", "Riverside Physio", "--clinic-phone", "+44 20 7946 0000")
    assert (shown["clinic_name"], shown["clinic_phone"]) == ("Riverside Physio", "+44 20 7946 0000")
    after = cli.json("checkin", "--soreness", "8", "--fatigue", "1")
    assert after["alerts"][0]["message"].endswith("(Riverside Physio: +44 20 7946 0000)")
    assert "+44 20 7946 0000" in cli.json("status")["alerts"][0]["message"]
    cli.ok("config", "--forget-clinic")
    assert "+44" not in cli.json("status")["alerts"][0]["message"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--clinic-phone", "call me"), "--clinic-phone"),
        (("--clinic-phone", "12"), "--clinic-phone"),
        (("--clinic-name", "Evil\x1b]0;x\x07"), "--clinic-name"),
        (("--clinic-name", "x" * 81), "--clinic-name"),
    ],
)
def test_a_bad_clinic_name_or_phone_is_refused_naming_the_field(
    cli: Cli, args: tuple[str, str], field: str
) -> None:
    code, _out, err = cli.run("config", *args)
    assert code == 2 and field in err
    assert cli.json("config")["clinic_name"] is None


def test_a_clinic_file_s_own_contact_wins_and_yours_fills_what_it_leaves_out(
    cli: Cli, tmp_path: Path
) -> None:
    cli.ok("config", "--clinic-name", "My physio", "--clinic-phone", "0123 456")
    named_only = tmp_path / "named.toml"
    named_only.write_text("schema = 1\n[clinic]\nname = 'Riverside Physiotherapy'\n")
    cli.ok("protocol", "import", str(named_only))
    assert cli.json("config")["alerts_name"] == "Riverside Physiotherapy: 0123 456"
    full = tmp_path / "full.toml"
    full.write_text("schema = 1\n[clinic]\nname = 'Riverside Physiotherapy'\nphone = '+44 20 7946 0000'\n")
    cli.ok("protocol", "import", str(full))
    assert cli.json("config")["alerts_name"] == "Riverside Physiotherapy: +44 20 7946 0000"


# ------------------------------------------------------------------ 12. a clinic file keeps the past

ALCOHOL_72 = (
    "schema = 1\n[clinic]\nname = 'Riverside'\n"
    "[[restriction]]\nid = 'alcohol'\nhours = { standard = 72, intense = 96 }\n"
)


def _alcohol_end(states: list[dict[str, object]]) -> object:
    return next(s["ends_at"] for s in states if s["id"] == "alcohol")


def test_a_clinic_file_applies_from_the_session_it_came_with(cli: Cli, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(ALCOHOL_72)
    cli.now = at(2026, 11, 1, 18, 0)
    cli.ok("session", "add", "--at", "2026-11-01T16:30")
    cli.now = at(2026, 11, 21, 18, 0)
    cli.ok("session", "add", "--at", "2026-11-21T16:30")
    cli.now = at(2026, 11, 22, 10, 0)
    out = cli.ok("protocol", "import", str(clinic))
    assert "applies from your session of Sat 21 Nov 2026 16:30 onwards" in out
    assert _alcohol_end(cli.json("status")["restrictions"]) == "2026-11-24T16:30:00+01:00"  # 72 h
    report = " ".join(cli.ok("export", "--format", "md").split())
    assert "Alcohol: ended Mon 2 Nov 16:30" in report  # the old session keeps its 24 h
    ics = cli.ok("export", "--format", "ics")
    assert "DTSTART;TZID=Europe/Berlin:20261102T163000" in ics  # old session: 24 h
    assert "DTSTART;TZID=Europe/Berlin:20261124T163000" in ics  # the clinic's 72 h
    assert "DTSTART;TZID=Europe/Berlin:20261104T163000" not in ics
    # a later session keeps the clinic's rule too
    cli.now = at(2026, 11, 28, 10, 0)
    cli.ok("session", "add", "--at", "2026-11-28T09:00")
    assert _alcohol_end(cli.json("status")["restrictions"]) == "2026-12-01T09:00:00+01:00"
    # going back to the guidance applies from the latest session, not to the clinic's ones before
    out = cli.ok("protocol", "reset")
    assert "applies from your session of Sat 28 Nov 2026 09:00" in out
    assert _alcohol_end(cli.json("status")["restrictions"]) == "2026-11-29T09:00:00+01:00"
    report = " ".join(cli.ok("export", "--format", "md").split())
    assert "Alcohol: ended Tue 16:30 (2026-11-24T16:30:00+01:00)" in report  # the clinic's, kept
    assert "Alcohol: ended Mon 2 Nov 16:30" in report


def test_an_old_session_s_alerts_keep_its_own_thresholds(cli: Cli, tmp_path: Path) -> None:
    cli.now = at(2026, 11, 1, 9, 0)
    cli.ok("session", "add", "--at", "2026-11-01T08:00")
    cli.now = at(2026, 11, 5, 20, 0)  # 4 days after: sore past 72 h under the guidance
    cli.ok("checkin", "--soreness", "3", "--fatigue", "1")
    cli.now = at(2026, 11, 21, 18, 0)
    cli.ok("session", "add", "--at", "2026-11-21T16:30")
    clinic = tmp_path / "clinic.toml"
    clinic.write_text("schema = 1\n[[red_flag]]\nid = 'long-soreness'\nafter_hours = 120\n")
    cli.ok("protocol", "import", str(clinic))
    rows = {r["date"]: r["alerts"] for r in cli.json("history", "--days", "30")}
    assert rows["2026-11-05"] == ["long-soreness"]


def test_importing_twice_for_the_same_session_keeps_one_entry(cli: Cli, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(ALCOHOL_72)
    cli.ok("session", "add", "--at", "2026-11-21T16:30")
    for _ in range(3):
        cli.ok("protocol", "import", str(clinic))
    assert len(Store(cli.data_dir).clinic_entries()) == 1


# ------------------------------------------------------------------ 8 and 9. what `took` understands


@pytest.mark.parametrize(
    ("what", "under"),
    [
        ("decaf coffee", []),
        ("Decaffeinated espresso", []),
        ("non-alcoholic beer", []),
        ("alcohol-free wine", []),
        ("Heineken 0.0%", []),
        ("ginger ale", []),
        ("diet coke", ["caffeine"]),
        ("Coke Zero", ["caffeine"]),
        ("cola zero", ["caffeine"]),
        ("caffeine-free diet coke", []),
        ("tylenol", []),
        ("Panadol extra", []),
        ("acetaminophen 500 mg", []),
        ("aspirin 75mg daily", ["anti-inflammatories"]),
        ("rum and coke", ["caffeine", "alcohol"]),
        ("red_wine", ["alcohol"]),
    ],
)
def test_took_understands_negations_brands_and_mixes(cli: Cli, what: str, under: list[str]) -> None:
    cli.ok("session", "add", "--at", "2026-11-22T08:00")
    logged = cli.json("took", what)
    assert logged["what"] == what  # the patient's words, as typed
    assert logged["restrictions"] == under
    assert logged["during_restriction"] is bool(under)
    assert what in logged["message"]


def test_paracetamol_and_decaf_are_known_and_under_no_pause(cli: Cli) -> None:
    cli.ok("session", "add", "--at", "2026-11-22T08:00")
    for what in ("tylenol", "decaf coffee"):
        message = cli.json("took", what)["message"]
        assert "under none of the after-care pauses" in message and "does not know" not in message


def test_took_an_anti_inflammatory_during_the_pause_says_a_prescribed_one_is_not_stopped_alone(
    cli: Cli,
) -> None:
    cli.ok("session", "add", "--at", "2026-11-22T08:00")
    out = cli.ok("took", "aspirin 75mg daily")
    assert "22 h left" in out  # the pause time left ...
    assert "prescribed" in out and "asking that doctor" in out  # ... and the prescribed-medicine note
    assert "beyond the three after-care articles" in out
    assert "prescribed" not in cli.ok("took", "coffee")
    status = cli.json("status")
    pause = next(r for r in status["restrictions"] if r["id"] == "anti-inflammatories")
    assert "prescribed" in pause["note"] and "beyond the three after-care articles" in pause["note"]
    assert "prescribed" in cli.ok("status")


def test_a_clinic_file_may_add_names_and_negations(tmp_path: Path) -> None:
    p = effective_protocol(
        "schema = 1\n[[substance]]\nrestriction = 'anti-inflammatories'\nnames = ['Ibuleve gel']\n"
        "[[negation]]\nrestriction = 'caffeine'\nwords = ['barley cup']\n"
        "[[substance]]\nrestriction = 'caffeine'\nnames = ['barley cup']\n"
    )
    assert p.substances.classify("ibuleve gel 5%").restrictions == ("anti-inflammatories",)
    assert p.substances.classify("barley cup").restrictions == ()
    assert p.substances.classify("decaf latte").restrictions == ()  # the shipped words still count
    with pytest.raises(ProtocolError) as err:
        effective_protocol(
            "schema = 1\n[[substance]]\nrestriction = 'sleep'\nnames = ['melatonin']\n", "c.toml"
        )
    assert "c.toml, substance[0], field 'restriction'" in str(err.value)


def test_the_substances_are_data_shipped_beside_the_guidance() -> None:
    from companion.core.substances import substances_path

    assert substances_path().name == "substances.toml" and substances_path().parent.name == "assets"
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert '"assets" = "companion/assets"' in pyproject  # the whole folder goes into the wheel


# ------------------------------------------------------------------ 10. companion's own thresholds, labelled


def test_protocol_show_labels_companion_s_thresholds_and_the_urgent_sign(cli: Cli) -> None:
    shown = cli.json("protocol", "show")
    flags = {f["id"]: f for f in shown["red_flags"]}
    assert flags["urgent-breathing"]["from"] == "beyond the articles"
    assert flags["urgent-breathing"]["beyond_the_articles"]
    for flag_id, number in (("long-soreness", "2"), ("severe-pain", "8"), ("long-fatigue", "5")):
        assert number in flags[flag_id]["threshold"]
        assert flags[flag_id]["threshold_is"] == "companion's own threshold, not the articles'"
        assert flags[flag_id]["from"].startswith(("article ", "articles "))
    assert "2 points" in flags["worsening"]["threshold"] and flags["worsening"]["min_rise"] == 2
    assert flags["heavy-bruising"]["threshold"] is None  # no number of companion's there
    assert "Farrar" in shown["thresholds_note"]
    caffeine = next(r for r in shown["restrictions"] if r["id"] == "caffeine")
    assert "strong tea, energy drinks, cola" in caffeine["companions_own"]
    text = " ".join(cli.ok("protocol", "show").split())
    assert "Shortness of breath or chest pain urgent beyond the articles" in text
    assert "companion's own threshold, not the articles'" in text
    assert "Soreness lasting more than 72 hours: soreness 2 or more" in text
    assert "Caffeine: The examples beyond coffee" in text and "Farrar" in text


def test_a_clinic_s_threshold_is_labelled_as_the_clinic_s(cli: Cli, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(
        "schema = 1\n[clinic]\nname = 'Riverside'\n[[red_flag]]\nid = 'long-soreness'\nafter_hours = 96\n"
    )
    cli.ok("protocol", "import", str(clinic))
    flags = {f["id"]: f for f in cli.json("protocol", "show")["red_flags"]}
    assert flags["long-soreness"]["threshold_is"] == "set by the clinic"
    assert "96 hours" in flags["long-soreness"]["threshold"]
    assert flags["long-soreness"]["from"] == "article 002, changed by Riverside"  # one article: singular


def test_the_report_shows_each_rule_with_companion_s_numbers_labelled(cli: Cli) -> None:
    report = " ".join(cli.ok("export", "--format", "md").split())
    section = report[report.index("## How companion judges a check-in") :]
    assert "**Shortness of breath or chest pain** (beyond the articles)" in section
    assert (
        "**Sharp or severe pain** (articles 000, 001, 002): sharp pain ticked, or soreness 8 or more "
        "on the 0-10 scale (companion's own threshold, not the articles')"
    ) in section
    assert "Farrar" in section
