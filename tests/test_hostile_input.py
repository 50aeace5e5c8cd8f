"""Issue 8, part 3: hostile text never reaches the terminal.

Every way in (arguments, import files, clinic files) refuses control characters,
bidi overrides and lone surrogates naming the field; every way out (human output,
JSON, csv, md, ics) shows them as marks or escapes; numbers are ASCII digits; input
to blame is exit 2 with a short quote of the bad value; --output replaces regular
files only; an unreadable TZ is said, not ignored.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest

from companion.core import clock
from companion.core.appointments import Appointment, appointment_from_record, new_appointment
from companion.core.backup import parse_export_text
from companion.core.checkins import CheckIn, checkin_from_record, new_checkin
from companion.core.clinic import effective_protocol
from companion.core.errors import InputError, ProtocolError
from companion.core.exercises import exercise_from_record, new_exercise
from companion.core.history import HistoryRow
from companion.core.hydration import validate_count, validate_goal
from companion.core.intake import intake_from_record, new_intake
from companion.core.numbers import parse_decimal, parse_whole
from companion.core.protocol import Clinic, default_protocol
from companion.core.questions import new_question, question_from_record
from companion.core.sessions import Session, new_session, session_from_record
from companion.core.text import check_note, check_text, json_escaped, printable, shown
from tests.conftest import LAUNCHER, run_cli
from tests.launch import TEST_NOW, TEST_NOW_ENV

# Each kind of character a terminal obeys (or a reader is misled by), in a text.
HOSTILE = {
    "osc-title": "a\x1b]0;pwned\x07b",
    "osc-52-clipboard": "a\x1b]52;c;cm0gLXJmIH4=\x07b",
    "csi": "a\x1b[2J\x1b[31mb",
    "c1-csi": "a\x9b31mb",
    "c1-osc": "a\x9d0;t\x9cb",
    "nul": "a\x00b",
    "carriage-return": "a\rb",
    "delete": "a\x7fb",
    "bidi-override": "a\u202eb",
    "bidi-isolate": "a\u2066b\u2069",
    "lone-surrogate": "a\udcffb",
}
# What must never reach a terminal (newline and tab are plain text there).
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
EVERY_CLASS = "".join(HOSTILE.values())


def clean(output: str | bytes) -> bool:
    text = output.decode("utf-8") if isinstance(output, bytes) else output
    return TERMINAL_CONTROL.search(text) is None


def run_bytes(
    *args: str | bytes, data_dir: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The real CLI, with raw bytes kept (arguments may be bytes that are not UTF-8)."""
    full_env = {**os.environ, "TZ": "Europe/Berlin", "COMPANION_DATA_DIR": str(data_dir), **(env or {})}
    full_env.pop("PYTHONPATH", None)
    full_env[TEST_NOW_ENV] = TEST_NOW.isoformat()
    return subprocess.run(
        [*LAUNCHER, *args], capture_output=True, env=full_env, timeout=60, cwd=tempfile.gettempdir()
    )


# --------------------------------------------------------------------------- core: the way in


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_every_kind_of_control_character_is_refused_naming_the_field(kind: str) -> None:
    value = HOSTILE[kind]
    for check in (check_text, check_note):
        with pytest.raises(InputError) as err:
            check(value, "note")
        assert err.value.field == "note"
        assert "U+" in err.value.message
        assert clean(err.value.message)


def test_newline_and_tab_only_in_notes() -> None:
    assert check_note("first line\n\tsecond", "note") == "first line\n\tsecond"
    for value in ("a\nb", "a\tb"):
        with pytest.raises(InputError, match="one line"):
            check_text(value, "areas")


@pytest.mark.parametrize("kind", ["c1-csi", "bidi-override", "lone-surrogate", "delete"])
def test_the_core_validators_refuse_what_the_old_check_let_through(kind: str, berlin) -> None:
    value = HOSTILE[kind]
    with pendulum.travel_to(pendulum.datetime(2026, 11, 22, 10, tz="Europe/Berlin"), freeze=True):
        attempts: list[tuple[str, Any]] = [
            ("areas", lambda: new_session(areas=[value])),
            ("note", lambda: new_session(note=value)),
            ("note", lambda: new_checkin(soreness=1, fatigue=1, note=value)),
            ("note", lambda: new_appointment(clock.now().add(days=2), value)),
            ("name", lambda: new_exercise(name=value)),
            ("note", lambda: new_exercise(name="tucks", note=value)),
            ("text", lambda: new_question(value)),
            ("what", lambda: new_intake(value)),
            ("amount", lambda: new_intake("coffee", None, value)),
        ]
        for field, attempt in attempts:
            with pytest.raises(InputError) as err:
                attempt()
            assert err.value.field == field


RECORD_FIELDS = [
    ("sessions[0].note", session_from_record, {"id": "s", "started_at": "2026-11-21T16:30:00+01:00"}, "note"),
    (
        "sessions[0].areas[0]",
        session_from_record,
        {"id": "s", "started_at": "2026-11-21T16:30:00+01:00"},
        "areas",
    ),
    ("sessions[0].id", session_from_record, {"started_at": "2026-11-21T16:30:00+01:00"}, "id"),
    (
        "checkins[0].note",
        checkin_from_record,
        {
            "id": "c",
            "date": "2026-11-22",
            "recorded_at": "2026-11-22T09:00:00+01:00",
            "soreness": 1,
            "fatigue": 1,
        },
        "note",
    ),
    ("appointments[0].note", appointment_from_record, {"id": "a", "at": "2026-11-28T09:00:00+01:00"}, "note"),
    ("exercises[0].name", exercise_from_record, {"id": "e"}, "name"),
    ("exercises[0].note", exercise_from_record, {"id": "e", "name": "tucks"}, "note"),
    ("questions[0].text", question_from_record, {"id": "q", "asked_at": "2026-11-22T09:00:00+01:00"}, "text"),
    ("intake[0].what", intake_from_record, {"id": "i", "at": "2026-11-22T09:00:00+01:00"}, "what"),
    (
        "intake[0].amount",
        intake_from_record,
        {"id": "i", "what": "coffee", "at": "2026-11-22T09:00:00+01:00"},
        "amount",
    ),
]


@pytest.mark.parametrize(
    ("field", "reader", "record", "key"), RECORD_FIELDS, ids=[f[0] for f in RECORD_FIELDS]
)
def test_every_text_of_an_imported_record_is_checked(
    field: str, reader: Any, record: dict[str, Any], key: str
) -> None:
    where = field.rsplit(".", 1)[0]
    for value in HOSTILE.values():
        data = {**record, key: [value] if key == "areas" else value}
        with pytest.raises(InputError) as err:
            reader(data, where)
        assert err.value.field == field
        assert clean(err.value.message)


def test_a_checklist_day_with_a_hostile_item_id_is_refused() -> None:
    from companion.core.checklist import checklist_from_record

    with pytest.raises(InputError) as err:
        checklist_from_record({"date": "2026-11-22", "done": ["rest", HOSTILE["osc-title"]]}, "checklist[0]")
    assert err.value.field == "checklist[0].done[1]"


CLINIC_FIELDS = [
    ('[clinic]\nname = "{v}"\n', "[clinic], field 'name'"),
    ('[clinic]\nname = "Riverside"\nphone = "{v}"\n', "[clinic], field 'phone'"),
    ('[[restriction]]\nid = "alcohol"\ntitle = "{v}"\n', "restriction 'alcohol', field 'title'"),
    ('[[checklist]]\nid = "{v}"\ntitle = "x"\ndetail = "x"\nwhy = "x"\n', "checklist[0], field 'id'"),
    ('[[red_flag]]\nid = "long-soreness"\nmessage = "{v}"\n', "red flag 'long-soreness', field 'message'"),
    ('[meta]\ndisclaimer = "{v}"\n', "[meta], field 'disclaimer'"),
    ('[remove]\nchecklist = ["{v}"]\n', "[remove], field 'checklist[0]'"),
]


@pytest.mark.parametrize(("body", "where"), CLINIC_FIELDS, ids=[w for _, w in CLINIC_FIELDS])
@pytest.mark.parametrize("kind", ["osc-title", "c1-csi", "bidi-override", "delete"])
def test_every_text_of_a_clinic_file_is_checked(body: str, where: str, kind: str) -> None:
    escaped = json.dumps(HOSTILE[kind])[1:-1]  # a TOML basic string takes JSON's \\u escapes
    text = "schema = 1\n" + body.replace("{v}", escaped)
    with pytest.raises(ProtocolError) as err:
        effective_protocol(text, "clinic.toml")
    assert f"clinic.toml, {where}" in str(err.value)
    assert clean(str(err.value))


def test_a_newline_is_fine_in_a_clinic_paragraph_but_not_in_a_title() -> None:
    item_start = 'schema = 1\n[[checklist]]\nid = "ice"\ntitle = "Ice"\n'
    detail = item_start + 'detail = """Ten minutes.\nTwice."""\nwhy = "x"\n'
    item = effective_protocol(detail, "c.toml").checklist_item("ice")
    assert item is not None and item.detail == "Ten minutes.\nTwice."
    title = 'schema = 1\n[[checklist]]\nid = "ice"\ntitle = """Ice\nnow"""\ndetail = "x"\nwhy = "x"\n'
    with pytest.raises(ProtocolError, match="checklist item 'ice', field 'title'"):
        effective_protocol(title, "c.toml")
    # Brackets, ampersands and parentheses are plain text: kept as typed.
    protocol = effective_protocol('schema = 1\n[clinic]\nname = "Dr [Lee] & Co"\nphone = "+1 (416) 555"\n')
    assert protocol.clinic == Clinic("Dr [Lee] & Co", "+1 (416) 555")
    note = appointment_from_record({"id": "a", "at": "2030-01-10T09:00:00+01:00", "note": "[/] ok"}, "a")
    assert note == Appointment("a", clock.parse_stored("2030-01-10T09:00:00+01:00"), "[/] ok")


def test_a_clinic_file_nested_too_deeply_or_with_a_huge_number_is_a_protocol_error() -> None:
    for text in (
        "a = " + "[" * 5000 + "]" * 5000,
        "schema = 1\nx = " + "1" * 5000,
        "schema = 1\n[a.b.c.d.e.f.g.h.i.j]\nx=1",
    ):
        with pytest.raises(ProtocolError):
            effective_protocol(text, "clinic.toml")


# --------------------------------------------------------------------------- core: the way out


def test_printable_makes_every_control_character_visible_and_keeps_lengths() -> None:
    for value in HOSTILE.values():
        safe = printable(value)
        assert clean(safe) and len(safe) == len(value)
        assert safe.startswith("a") and safe.endswith(("b", "b\N{REPLACEMENT CHARACTER}"))
    assert printable("\x1b]0;x\x07") == "␛]0;x␇"
    assert printable("one\n\ttwo") == "one\n\ttwo"
    assert printable("one\n\ttwo", one_line=True) == "one / two"


def test_shown_quotes_a_short_safe_prefix() -> None:
    assert shown("abc") == "'abc'"
    long = "x" * 100_000
    assert len(shown(long)) < 80 and "100000 characters" in shown(long)
    assert clean(shown(EVERY_CLASS))
    assert "digits" in shown(10**5000)  # str() of it would be refused (and slow)
    assert shown([1, 2, 3]) == "a list of 3 items"


def test_json_output_escapes_what_a_terminal_obeys_and_means_the_same() -> None:
    data = {"note": EVERY_CLASS, "areas": ["\u202eevil"]}
    text = json_escaped(json.dumps(data, ensure_ascii=False))
    assert clean(text)
    text.encode("utf-8")  # no lone surrogate left raw
    assert json.loads(text) == data


def _row(note: str, session_id: str = "s1", alerts: tuple[str, ...] = ()) -> HistoryRow:
    from companion.core.alerts import Alert

    day = pendulum.date(2026, 11, 22)
    session = Session(id=session_id, started_at=clock.parse_stored("2026-11-21T16:30:00+01:00"), note=note)
    checkin = CheckIn(
        id="c",
        date=day,
        recorded_at=clock.parse_stored("2026-11-22T09:00:00+01:00"),
        soreness=3,
        fatigue=2,
        note=note,
    )
    fired = tuple(Alert(a, "contact-clinician", a, "m", ()) for a in alerts)
    return HistoryRow(day, session, 1, checkin, 2, 8, ("=rest",), fired)


@pytest.mark.parametrize(
    "formula", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "  =1+1", "＝1+1"]
)
def test_csv_cells_that_start_like_a_formula_are_neutralised(formula: str) -> None:
    from companion.export.csv_export import render_csv

    text = render_csv([_row(formula, session_id=formula, alerts=(formula,))])
    assert clean(text.replace("\r", ""))  # the csv module's own quoting aside, no control characters
    line = text.splitlines()[1] if "\n" not in formula else text
    parsed = next(csv.DictReader(io.StringIO(text, newline="")))
    for column in ("note", "session_id", "alerts"):
        cell = parsed[column]
        assert cell.startswith("'"), (column, cell)
    assert parsed["checklist"] == "'=rest"
    assert parsed["soreness"] == "3" and ",3," in line  # numbers stay plain numbers
    assert '"' in line  # text cells are quoted


def test_markdown_and_calendar_show_no_control_characters(berlin) -> None:
    from companion.core.restrictions import restriction_states
    from companion.export.calendar_export import render_ics
    from companion.export.markdown_report import render_markdown

    protocol = default_protocol()
    session = Session(
        id="s",
        started_at=clock.parse_stored("2026-11-21T16:30:00+01:00"),
        areas=(EVERY_CLASS,),
        note=EVERY_CLASS,
    )
    now = pendulum.datetime(2026, 11, 22, 10, tz="Europe/Berlin")
    assert restriction_states(protocol, session, now)
    report = render_markdown(protocol, [session], [_row(EVERY_CLASS)], None, now)
    assert clean(report) and "␛" in report and "pwned" in report
    ics = render_ics(protocol, [session], now, [("a@companion", now.add(days=3), EVERY_CLASS, EVERY_CLASS)])
    assert clean(ics.decode("utf-8").replace("\r\n", "\n"))


def test_cli_tables_show_each_cell_on_one_line_without_control_characters() -> None:
    from companion.cli.render import table

    lines = table([["Note", "Id"], ["first\nsecond \x1b[2J", "x"]], indent="")
    assert lines[1].startswith("first / second ␛[2J") and len(lines) == 2


# --------------------------------------------------------------------------- numbers


NOT_ASCII_DIGITS = ["²", "①", "٣", "３", "1_0", "1e1", "۳", "𝟑"]  # each got past isdigit(), int() or float()


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS)
def test_numbers_are_ascii_digits_everywhere(value: str) -> None:
    checks = [
        ("soreness", lambda: new_checkin(soreness=value, fatigue="1")),
        ("glasses", lambda: validate_count(value)),
        ("goal", lambda: validate_goal(value)),
        ("sets", lambda: new_exercise(name="x", sets=value, reps="1")),
        ("reps", lambda: new_exercise(name="x", reps=value)),
        ("per_day", lambda: new_exercise(name="x", per_day=value)),
        ("minutes", lambda: new_exercise(name="x", minutes=value)),
    ]
    for field, attempt in checks:
        with pytest.raises(InputError) as err:
            attempt()
        assert err.value.field == field, value


def test_a_number_thousands_of_digits_long_is_refused_before_it_is_converted() -> None:
    for value in ("9" * 5000, "0" * 4000 + "1" * 5000):
        with pytest.raises(InputError, match="digits long"):
            parse_whole(value, "N", minimum=1, maximum=40)
        with pytest.raises(InputError):
            parse_decimal(value, "--minutes", above=0, maximum=240)
    assert parse_whole(" 007 ", "N", minimum=1, maximum=40) == 7
    assert parse_decimal("1.5", "--minutes", above=0, maximum=240) == 1.5
    with pytest.raises(InputError, match="from 0 to 10"):
        parse_whole("-1", "--soreness", minimum=0, maximum=10)


def test_times_and_dates_take_ascii_digits_only(berlin) -> None:
    for text in ("١٦:٣٠", "１６:30"):
        with pytest.raises(InputError):
            clock.parse_when(text, "--at")
    with pytest.raises(InputError):
        clock.parse_day("٢٠٢٦-١١-٢٢", "--date")


# --------------------------------------------------------------------------- the real CLI


def _export(**tables: list[dict[str, Any]]) -> str:
    return json.dumps({"format": "companion-export", "version": 1, **tables})


def _hostile_export(text: str) -> str:
    """One record of each kind, with ``text`` in every text field."""
    return _export(
        sessions=[{"id": "s1", "started_at": "2026-11-21T16:30:00+01:00", "areas": [text], "note": text}],
        checkins=[
            {
                "id": "c1",
                "date": "2026-11-22",
                "recorded_at": "2026-11-22T09:00:00+01:00",
                "soreness": 3,
                "fatigue": 2,
                "note": text,
            }
        ],
        appointments=[{"id": "a1", "at": "2030-01-10T09:00:00+01:00", "note": text}],
        exercises=[{"id": "e1", "name": text, "reps": 10, "per_day": 1, "note": text}],
        questions=[{"id": "q1", "text": text, "asked_at": "2026-11-22T09:00:00+01:00"}],
        intake=[{"id": "i1", "what": text, "at": "2026-11-22T09:00:00+01:00", "amount": text}],
    )


LISTED = [
    ("status",),
    ("session", "list"),
    ("appointment", "list", "--all"),
    ("ask", "--list"),
    ("exercise", "list"),
    ("protocol", "show"),
    ("history", "--days", "36600"),
    ("export", "--format", "md"),
    ("export", "--format", "csv"),
    ("export", "--format", "json"),
    ("status", "--json"),
]


def test_an_import_file_full_of_escape_sequences_never_reaches_the_terminal(
    tmp_path: Path, data_dir: Path
) -> None:
    hostile = tmp_path / "hostile.json"
    hostile.write_text(_hostile_export(EVERY_CLASS), encoding="utf-8")
    result = run_bytes("import", str(hostile), data_dir=data_dir)
    assert result.returncode == 2, result.stderr
    assert b"sessions[0].areas[0]" in result.stderr
    assert clean(result.stdout) and clean(result.stderr)
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('schema = 1\n[clinic]\nname = "Riverside \\u001b]0;pwned\\u0007"\n', encoding="utf-8")
    refused = run_bytes("protocol", "import", str(clinic), data_dir=data_dir)
    assert refused.returncode == 2 and b"[clinic], field 'name'" in refused.stderr
    assert clean(refused.stderr)
    # Every command that lists these texts, on what was (not) imported: nothing hostile shows.
    for command in LISTED:
        shown_ = run_bytes(*command, data_dir=data_dir)
        assert shown_.returncode == 0, (command, shown_.stderr)
        assert clean(shown_.stdout) and clean(shown_.stderr), command
    listed = json.loads(run_bytes("session", "list", "--json", data_dir=data_dir).stdout)
    assert listed == []  # nothing was half-imported


@pytest.mark.parametrize("kind", ["osc-title", "c1-csi", "bidi-override", "lone-surrogate"])
def test_each_record_field_of_an_import_is_named_when_refused(
    tmp_path: Path, data_dir: Path, kind: str
) -> None:
    value = HOSTILE[kind]
    fields = {
        "sessions[0].note": _export(
            sessions=[{"id": "s", "started_at": "2026-11-21T16:30:00+01:00", "note": value}]
        ),
        "questions[0].text": _export(
            questions=[{"id": "q", "text": value, "asked_at": "2026-11-22T09:00:00+01:00"}]
        ),
        "intake[0].what": _export(intake=[{"id": "i", "what": value, "at": "2026-11-22T09:00:00+01:00"}]),
    }
    for field, document in fields.items():
        path = tmp_path / "file.json"
        path.write_text(document, encoding="utf-8")  # json.dumps wrote \\u escapes: valid UTF-8 on disk
        result = run_bytes("import", str(path), data_dir=data_dir)
        assert result.returncode == 2, (field, result.stderr)
        assert field.encode() in result.stderr and clean(result.stderr)


def test_a_message_quoting_a_hostile_file_name_shows_it_harmlessly(tmp_path: Path, data_dir: Path) -> None:
    name = str(tmp_path / "report\x1b]0;pwned\x07\x9b2J.json")
    for args in (("import", name), ("protocol", "import", name), ("export", "--output", name + "/x.md")):
        result = run_bytes(*args, data_dir=data_dir)
        assert result.returncode == 2, (args, result.stderr)
        assert clean(result.stderr) and "␛]0;pwned".encode() in result.stderr


def test_arguments_that_are_not_utf8_are_refused_naming_them(tmp_path: Path, data_dir: Path) -> None:
    for args, field in (
        ((b"session", b"add", b"--note", b"\xff\xfe"), b"--note"),
        ((b"session", b"add", b"--area", b"neck\xff"), b"--area"),
        ((b"ask", b"can I \xff swim?"), b"QUESTION"),
        ((b"import", b"\xff.json"), b"FILE"),
        ((b"--data-dir", bytes(tmp_path) + b"/\xff", b"status"), b"--data-dir"),
    ):
        result = run_bytes(*args, data_dir=data_dir)  # type: ignore[arg-type]
        assert result.returncode == 2, (args, result.stderr)
        assert field + b": is not valid UTF-8" in result.stderr and clean(result.stderr)
    env = run_bytes(
        "status", data_dir=data_dir, env={"COMPANION_DATA_DIR": os.fsdecode(bytes(tmp_path) + b"/\xff")}
    )
    assert env.returncode == 2 and b"COMPANION_DATA_DIR" in env.stderr


def _deep_toml(tmp: Path) -> str:
    path = tmp / "deep.toml"
    path.write_text("a = " + "[" * 5000 + "]" * 5000)
    return str(path)


def _big_number_json(tmp: Path) -> str:
    path = tmp / "big.json"
    path.write_text('{"format": "companion-export", "version": 1, "sessions": [{"id": ' + "7" * 5000 + "}]}")
    return str(path)


TO_BLAME: list[tuple[str, Callable[[Path], tuple[str, ...]], str]] = [
    ("5000-character zone", lambda t: ("config", "--timezone", "A" * 5000), "--timezone"),
    ("deeply nested toml", lambda t: ("protocol", "import", _deep_toml(t)), "FILE"),
    (
        "5000-digit number",
        lambda t: ("import", _big_number_json(t)),
        "sessions[0].id",
    ),  # the record and field it is in
    ("100 KB time", lambda t: ("session", "add", "--at", "x" * 100_000), "--at"),
    ("100 KB format", lambda t: ("export", "--format", "f" * 100_000), "--format"),
    ("long data folder", lambda t: ("--data-dir", str(t / ("d" * 5000)), "status"), "--data-dir"),
    ("long output name", lambda t: ("export", "--output", str(t / ("o" * 300))), "--output"),
    ("long file name", lambda t: ("import", str(t / ("i" * 5000))), "FILE"),
    ("100 KB command", lambda t: ("z" * 100_000,), "COMMAND"),  # argparse's own refusals quote too
    ("100 KB unknown option", lambda t: ("status", "--bogus", "z" * 100_000), "unrecognized arguments"),
]


@pytest.mark.parametrize(("case", "make_args", "field"), TO_BLAME, ids=[c[0] for c in TO_BLAME])
def test_input_to_blame_is_exit_2_with_a_short_quote(
    tmp_path: Path, data_dir: Path, case: str, make_args: Callable[[Path], tuple[str, ...]], field: str
) -> None:
    result = run_cli(*make_args(tmp_path), data_dir=data_dir)
    assert result.returncode == 2, result.stderr[:300]
    assert f"{field}:" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr) < 400, len(result.stderr)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("checkin", "--soreness", "²", "--fatigue", "1"), "--soreness"),
        (("checkin", "--soreness", "٣", "--fatigue", "1"), "--soreness"),
        (("water", "①"), "N"),
        (("water", "--goal", "８"), "--goal"),
        (("history", "--days", "١٤"), "--days"),
        (("exercise", "add", "--name", "tucks", "--reps", "1_0"), "--reps"),
        (("exercise", "add", "--name", "tucks", "--minutes", "٥"), "--minutes"),
        (("water", "9" * 5000), "N"),
    ],
)
def test_numbers_that_are_not_ascii_digits_are_exit_2(
    data_dir: Path, args: tuple[str, ...], field: str
) -> None:
    result = run_cli(*args, data_dir=data_dir)
    assert result.returncode == 2, result.stderr
    assert f"{field}:" in result.stderr and len(result.stderr) < 400


def test_output_replaces_regular_files_only(tmp_path: Path, data_dir: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run_cli("export", "--output", str(fifo), data_dir=data_dir)
    assert result.returncode == 2 and "--output" in result.stderr and "regular file" in result.stderr
    assert fifo.is_fifo()
    # A device node like /dev/null (never /dev/null itself: run as root, a regression would
    # replace the machine's own); making one needs root, so where that fails the FIFO stands in.
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except (PermissionError, OSError):
        device = fifo
    refused_device = run_cli("export", "--output", str(device), data_dir=data_dir)
    assert refused_device.returncode == 2 and "regular file" in refused_device.stderr
    assert device.is_char_device() or device.is_fifo()

    printed = run_cli("export", "--output", "-", data_dir=data_dir)
    assert printed.returncode == 0 and json.loads(printed.stdout)["format"] == "companion-export"
    assert not (Path(tempfile.gettempdir()) / "-").exists() or "Wrote" not in printed.stderr

    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    followed = run_cli("export", "--output", str(link), data_dir=data_dir)
    assert followed.returncode == 0, followed.stderr
    assert link.is_symlink() and json.loads(target.read_text())["format"] == "companion-export"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    refused = run_cli("export", "--output", str(dangling), data_dir=data_dir)
    assert refused.returncode == 2 and dangling.is_symlink()
    to_fifo = tmp_path / "to-pipe"
    to_fifo.symlink_to(fifo)
    assert run_cli("export", "--output", str(to_fifo), data_dir=data_dir).returncode == 2
    assert fifo.is_fifo()


def test_a_posix_tz_rule_is_said_not_ignored(data_dir: Path) -> None:
    status = run_cli("status", data_dir=data_dir, tz="UTC+5")
    assert status.returncode == 0
    assert "TZ='UTC+5' is not a time zone companion can read" in status.stdout
    assert "so UTC is used" in status.stdout
    info = json.loads(run_cli("config", "--json", data_dir=data_dir, tz="UTC+5").stdout)
    assert info["timezone_source"] == "fallback"
    refused = run_cli("config", "--timezone", "UTC+5", data_dir=data_dir)
    assert refused.returncode == 2 and "--timezone" in refused.stderr
    fine = run_cli("status", data_dir=data_dir, tz="Europe/Berlin")
    assert "could not" not in fine.stdout and "can read" not in fine.stdout


def test_detect_system_zone_names_an_unreadable_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC+5")
    info = clock.detect_system_zone()
    assert info.is_fallback and "UTC+5" in info.problem
    monkeypatch.setenv("TZ", "\x1b]0;x\x07" + "A" * 5000)
    info = clock.detect_system_zone()
    assert info.is_fallback and clean(info.problem) and len(info.problem) < 300
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert clock.detect_system_zone() == clock.ZoneInfo("Europe/Berlin", "system")


def test_parse_export_refuses_a_huge_number_as_input() -> None:
    with pytest.raises(InputError) as err:
        parse_export_text('{"format": "companion-export", "version": ' + "1" * 5000 + "}")
    assert err.value.field == "file: version"  # read, never converted, and named
