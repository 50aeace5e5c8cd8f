"""The csv, Markdown and iCalendar exports (companion.export)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from markdown_it import MarkdownIt

from companion.core import clock
from companion.core.checkins import CheckIn, checkin_from_record
from companion.core.checklist import ChecklistDay
from companion.core.history import HistoryRow, build_history
from companion.core.hydration import HydrationDay
from companion.core.protocol import Protocol, default_protocol
from companion.core.sessions import Session
from companion.core.status import build_status
from companion.export.calendar_export import FollowUpEvent, render_ics, to_calendar_datetime
from companion.export.csv_export import CSV_COLUMNS, render_csv
from companion.export.markdown_report import one_line, render_markdown

BERLIN = ZoneInfo("Europe/Berlin")
TIMED = ("strenuous-activity", "alcohol", "caffeine", "anti-inflammatories")
TRICKY_NOTE = 'Sore, but "ok"\nsecond line, with a comma'
PIPE_NOTE = "hurts | a lot\n- then better\n# not a heading"


@pytest.fixture
def now() -> Iterator[pendulum.DateTime]:
    pendulum.set_local_timezone(pendulum.timezone("Europe/Berlin"))
    try:
        with pendulum.travel_to(pendulum.datetime(2026, 11, 23, 10, tz="Europe/Berlin"), freeze=True):
            yield pendulum.now()
    finally:
        pendulum.set_local_timezone()


@pytest.fixture
def protocol() -> Protocol:
    return default_protocol()


def _session(sid: str, iso: str, intensity: str = "standard", areas: tuple[str, ...] = ()) -> Session:
    return Session(id=sid, started_at=clock.parse_stored(iso), intensity=intensity, areas=areas)


def _checkin(day: str, soreness: int, fatigue: int, **fields: object) -> CheckIn:
    record: dict[str, object] = {
        "id": f"c-{day}",
        "date": day,
        "recorded_at": f"{day}T20:00:00+01:00",
        "soreness": soreness,
        "fatigue": fatigue,
        **fields,
    }
    return checkin_from_record(record)


@pytest.fixture
def dst_session() -> Session:
    # CEST (+02:00); 24 elapsed hours later the clocks have gone back to CET.
    return _session("s-dst", "2026-10-24T16:30:00+02:00", "standard", ("neck",))


@pytest.fixture
def intense_session() -> Session:
    return _session("s-intense", "2026-11-21T16:30:00+01:00", "intense", ("upper trapezius", "left | right"))


@pytest.fixture
def checkins() -> list[CheckIn]:
    return [
        _checkin("2026-11-21", 4, 3, note=TRICKY_NOTE),
        _checkin("2026-11-22", 9, 4, bruising="moderate", sharp_pain=True, note=PIPE_NOTE),
        _checkin("2026-11-23", 3, 2, flare_up=True, note="better", recorded_at="2026-11-23T09:30:00+01:00"),
    ]


@pytest.fixture
def rows(
    now: pendulum.DateTime,
    protocol: Protocol,
    dst_session: Session,
    intense_session: Session,
    checkins: list[CheckIn],
) -> list[HistoryRow]:
    return build_history(
        protocol,
        first=dt.date(2026, 11, 20),
        last=dt.date(2026, 11, 23),
        sessions=[dst_session, intense_session],
        checkins=checkins,
        hydration=[HydrationDay(dt.date(2026, 11, 21), 8, 8), HydrationDay(dt.date(2026, 11, 22), 5, 8)],
        checklist=[
            ChecklistDay(dt.date(2026, 11, 21), frozenset({"hydrate", "rest"})),
            ChecklistDay(dt.date(2026, 11, 22), frozenset({"rest"})),
        ],
        default_goal=8,
    )


# --------------------------------------------------------------------------- csv


def _parse_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    parsed = list(reader)
    return list(reader.fieldnames or []), parsed


def test_csv_one_row_per_day_oldest_first(rows: list[HistoryRow]) -> None:
    assert [r.date.day for r in rows] == [23, 22, 21, 20]  # history comes newest first
    header, parsed = _parse_csv(render_csv(rows))
    assert header == list(CSV_COLUMNS)
    assert [r["date"] for r in parsed] == ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]
    by_day = {r["date"]: r for r in parsed}
    sore_day = by_day["2026-11-22"]
    assert sore_day["session_id"] == "s-intense"
    assert sore_day["session_day"] == "1"
    assert (sore_day["soreness"], sore_day["fatigue"], sore_day["stiffness"]) == ("9", "4", "0")
    assert sore_day["bruising"] == "moderate"
    assert (sore_day["flare_up"], sore_day["sharp_pain"], sore_day["breathing_trouble"]) == (
        "false",
        "true",
        "false",
    )
    assert (sore_day["glasses"], sore_day["goal"]) == ("5", "8")
    # 4 then 9 within the first 48 h: severe pain, not "getting worse" (the usual first-day peak)
    assert sore_day["alerts"].split(";") == ["severe-pain"]
    assert by_day["2026-11-21"]["checklist"] == "rest;hydrate"  # protocol order
    assert by_day["2026-11-23"]["flare_up"] == "true"


def test_csv_day_without_checkin_has_empty_cells(rows: list[HistoryRow]) -> None:
    _, parsed = _parse_csv(render_csv(rows))
    empty = parsed[0]
    assert empty["date"] == "2026-11-20"
    # The session before that day is the October one, 27 days earlier.
    assert (empty["session_id"], empty["session_day"]) == ("s-dst", "27")
    for column in ("soreness", "fatigue", "stiffness", "bruising", "flare_up", "sharp_pain", "note"):
        assert empty[column] == "", column
    assert (empty["glasses"], empty["goal"], empty["checklist"], empty["alerts"]) == ("0", "8", "", "")


def test_csv_notes_with_commas_quotes_and_newlines_round_trip(rows: list[HistoryRow]) -> None:
    text = render_csv(rows)
    _, parsed = _parse_csv(text)
    by_day = {r["date"]: r for r in parsed}
    assert by_day["2026-11-21"]["note"] == TRICKY_NOTE
    assert by_day["2026-11-22"]["note"] == PIPE_NOTE
    # Four days, but the notes' newlines make more physical lines.
    assert len(parsed) == 4
    assert text.count("\n") > 5


def test_csv_without_rows_is_just_the_header() -> None:
    assert render_csv([]) == ",".join(CSV_COLUMNS) + "\n"


# --------------------------------------------------------------------------- markdown


_MD = MarkdownIt("commonmark").enable("table")


def _tables(markdown: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts (unescaped, as a Markdown reader sees them)."""
    tables: list[list[list[str]]] = []
    row: list[str] = []
    in_cell = False
    for token in _MD.parse(markdown):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            in_cell = True
        elif token.type == "inline" and in_cell:
            row.append("".join(child.content for child in token.children or []))
        elif token.type in ("th_close", "td_close"):
            in_cell = False
        elif token.type == "tr_close":
            tables[-1].append(row)
    return tables


def _text(markdown: str) -> str:
    """What a reader sees, whitespace collapsed (soft breaks and wrapping undone)."""
    plain = []
    for token in _MD.parse(markdown):
        if token.type == "inline":
            plain.append("".join(child.content or " " for child in token.children or []))
    return re.sub(r"\s+", " ", " ".join(plain))


@pytest.fixture
def report(
    now: pendulum.DateTime,
    protocol: Protocol,
    dst_session: Session,
    intense_session: Session,
    checkins: list[CheckIn],
    rows: list[HistoryRow],
) -> str:
    status = build_status(
        protocol,
        now=now,
        zone=clock.ZoneInfo("Europe/Berlin", "setting"),
        sessions=[dst_session, intense_session],
        hydration_today=HydrationDay(dt.date(2026, 11, 23), 3, 8),
        recent_checkins=checkins,
    )
    return render_markdown(protocol, [intense_session, dst_session], rows, status, now)


def test_markdown_title_disclaimer_and_summary(report: str, protocol: Protocol) -> None:
    assert report.splitlines()[0] == "# Recovery report, 2026-11-23"
    text = _text(report)
    assert protocol.disclaimer in text
    assert "2026-11-23T10:00:00+01:00" in text
    assert "Sessions: 2 (first 2026-10-24, latest 2026-11-21)" in text
    assert "Days covered: 4 (2026-11-20 to 2026-11-23)" in text
    assert "Check-ins: 3" in text
    assert "Alerts raised: 1" in text


def test_markdown_lists_sessions_with_restriction_ends(report: str) -> None:
    text = _text(report)
    # Oldest first, each with its own time and restriction ends.
    assert text.index("Session 1: Sat 24 Oct 2026 16:30") < text.index("Session 2: Sat 21 Nov 2026 16:30")
    assert "When: Sat 24 Oct 16:30 (2026-10-24T16:30:00+02:00)" in text
    assert "Intensity: intense" in text
    assert "Areas: upper trapezius, left | right" in text
    # 24 elapsed hours across the fall-back: 15:30 the next day, in CET.
    assert "Alcohol: ended Sun 25 Oct 15:30 (2026-10-25T15:30:00+01:00)" in text
    # The intense session's 48 hours are not over yet at 10:00 on the 23rd.
    assert "Alcohol: 6 h 30 min left, until Mon 16:30 (2026-11-23T16:30:00+01:00)" in text
    assert "Direct heat on the treated area: no set time in the sources" in text


def test_markdown_day_table_has_one_row_per_day(report: str) -> None:
    tables = _tables(report)
    day_table = next(t for t in tables if t[0][0] == "Date")
    header, *body = day_table
    assert header == ["Date", "Day", "Sore", "Tired", "Stiff", "Bruise", "Flags", "Water", "Note"]
    assert [r[0] for r in body] == ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]
    assert all(len(r) == len(header) for r in body)
    by_day = {r[0]: r for r in body}
    assert by_day["2026-11-20"][2:] == ["", "", "", "", "", "0/8", "no check-in"]
    assert by_day["2026-11-22"][1:8] == ["1", "9", "4", "0", "moderate", "sharp", "5/8"]
    # The pipe stays inside its cell; the note's lines are joined on one table line,
    # shortened to fit 80 columns (the full note is under Notes).
    note_cell = by_day["2026-11-22"][8]
    assert note_cell.startswith("hurts | a lot / ")
    assert note_cell.endswith("…")
    assert note_cell[:-1] in one_line(PIPE_NOTE)
    assert by_day["2026-11-23"][6:] == ["flare", "0/8", "better"]


def test_markdown_alerts_that_fired(report: str) -> None:
    text = _text(report)
    assert "2026-11-22 (day 1): Sharp or severe pain." in text
    assert "Symptoms getting worse." not in text  # a rise within the first 48 h is the usual peak
    assert "URGENT" not in report  # nothing urgent in this history


def test_markdown_marks_urgent_alerts(
    now: pendulum.DateTime, protocol: Protocol, dst_session: Session
) -> None:
    rows = build_history(
        protocol,
        first=dt.date(2026, 10, 25),
        last=dt.date(2026, 10, 25),
        sessions=[dst_session],
        checkins=[_checkin("2026-10-25", 2, 2, breathing_trouble=True)],
        hydration=[],
        checklist=[],
        default_goal=8,
    )
    report = render_markdown(protocol, [dst_session], rows, None, now)
    html = _MD.render(report)
    assert "<strong>URGENT</strong> <strong>Shortness of breath or chest pain.</strong>" in html
    assert "Beyond the source articles" in _text(report)
    assert "Right now" not in report  # no status given


def test_markdown_escapes_what_the_patient_typed(report: str) -> None:
    html = _MD.render(report)
    # The title is the only heading of its level: "# not a heading" in a note stays text.
    assert html.count("<h1>") == 1
    assert "<h1>not a heading" not in html
    # The note keeps its line breaks as hard breaks inside one list item.
    assert re.search(r"<li>2026-11-22 \(day 1\): hurts \| a lot<br />\s*- then better<br />", html)
    assert "# not a heading</li>" in html
    # Raw source: pipes in cells are escaped, so every table line has the same cell count.
    for table_lines in re.findall(r"(?:^\|.*\n)+", report, flags=re.MULTILINE):
        counts = {len(re.findall(r"(?<!\\)\|", line)) for line in table_lines.splitlines()}
        assert len(counts) == 1, table_lines


def test_markdown_water_and_checklist(report: str) -> None:
    text = _text(report)
    assert "Goal met on 1 of 2 days with water recorded (4 days in this report)" in text
    checklist = next(t for t in _tables(report) if t[0] == ["Item", "Days ticked"])
    ticks = dict(checklist[1:])
    assert ticks["Take it easy"] == "2 of 4 days"
    assert ticks["Drink more water than usual"] == "1 of 4 days"
    assert ticks["Move gently"] == "0 of 4 days"
    assert len(ticks) == 11


def test_markdown_right_now_section(report: str) -> None:
    text = _text(report)
    assert "Right now" in text
    assert "Water today: 3 of 8 glasses" in text
    assert "Today's check-in: done" in text


def test_markdown_fits_80_columns(report: str) -> None:
    assert max(len(line) for line in report.splitlines()) <= 80


def test_markdown_without_anything_recorded(now: pendulum.DateTime, protocol: Protocol) -> None:
    report = render_markdown(protocol, [], [], None, now)
    text = _text(report)
    assert "No sessions recorded." in text
    assert "No days recorded yet." in text
    assert "Sessions: none recorded" in text
    assert _tables(report) == []


# --------------------------------------------------------------------------- ics


def _events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_ics_one_event_per_timed_restriction_per_session(
    now: pendulum.DateTime, protocol: Protocol, dst_session: Session, intense_session: Session
) -> None:
    data = render_ics(protocol, [intense_session, dst_session], now)
    calendar = Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert "companion" in str(calendar["PRODID"])
    events = _events(data)
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)) == 2 * len(TIMED)
    assert set(uids) == {f"{s}-{r}@companion" for s in ("s-dst", "s-intense") for r in TIMED}
    for event in events:
        assert event.decoded("DTSTAMP") == dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.tzinfo is not None
        assert end - start == dt.timedelta(minutes=15)
        assert str(event["SUMMARY"]).endswith("the pause after needling ends")
        assert "Why: " in str(event["DESCRIPTION"])
        assert "Sources: after-care article(s) " in str(event["DESCRIPTION"])


def test_ics_starts_are_elapsed_hours_after_the_session(
    now: pendulum.DateTime, protocol: Protocol, dst_session: Session, intense_session: Session
) -> None:
    events = {str(e["UID"]): e for e in _events(render_ics(protocol, [dst_session, intense_session], now))}
    for session, hours in ((dst_session, 24), (intense_session, 48)):
        for rid in TIMED:
            start = events[f"{session.id}-{rid}@companion"].decoded("DTSTART")
            assert start.timestamp() - session.started_at.timestamp() == hours * 3600
            assert getattr(start.tzinfo, "key", None) == "Europe/Berlin"
    intense_end = events["s-intense-alcohol@companion"].decoded("DTSTART")
    assert intense_end == dt.datetime(2026, 11, 23, 16, 30, tzinfo=BERLIN)


def test_ics_dst_fall_back_moves_the_wall_time(
    now: pendulum.DateTime, protocol: Protocol, dst_session: Session
) -> None:
    data = render_ics(protocol, [dst_session], now)
    alcohol = next(e for e in _events(data) if str(e["UID"]) == "s-dst-alcohol@companion")
    start = alcohol.decoded("DTSTART")
    # 16:30 CEST + 24 elapsed hours = 15:30 CET on the 25th (the clocks went back an hour).
    assert (start.year, start.month, start.day, start.hour, start.minute) == (2026, 10, 25, 15, 30)
    assert start.utcoffset() == dt.timedelta(hours=1)
    assert b"DTSTART;TZID=Europe/Berlin:20261025T153000" in data


def test_ics_includes_the_berlin_vtimezone(
    now: pendulum.DateTime, protocol: Protocol, dst_session: Session
) -> None:
    calendar = Calendar.from_ical(render_ics(protocol, [dst_session], now))
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Europe/Berlin"]
    assert calendar.get_missing_tzids() == set()
    # The VTIMEZONE carries the fall-back the events depend on.
    assert any(s.decoded("DTSTART") == dt.datetime(2026, 10, 25, 3, 0) for s in zones[0].walk("STANDARD"))


def test_ics_is_stable_between_exports(
    now: pendulum.DateTime, protocol: Protocol, dst_session: Session, intense_session: Session
) -> None:
    first = render_ics(protocol, [dst_session, intense_session], now)
    assert render_ics(protocol, [intense_session, dst_session], now) == first


def test_ics_appointments_become_events(now: pendulum.DateTime, protocol: Protocol) -> None:
    appointment = FollowUpEvent(
        "appt-1@companion", pendulum.datetime(2026, 11, 30, 9, tz="Europe/Berlin"), "Follow-up", "Bring notes"
    )
    data = render_ics(protocol, [], now, [appointment, ("appt-2@companion", appointment.start, "Again", "")])
    events = {str(e["UID"]): e for e in _events(data)}
    assert set(events) == {"appt-1@companion", "appt-2@companion"}
    first = events["appt-1@companion"]
    assert first.decoded("DTSTART") == dt.datetime(2026, 11, 30, 9, tzinfo=BERLIN)
    assert str(first["SUMMARY"]) == "Follow-up"
    assert str(first["DESCRIPTION"]) == "Bring notes"
    assert "DESCRIPTION" not in events["appt-2@companion"]


def test_ics_without_sessions_is_an_empty_calendar(now: pendulum.DateTime, protocol: Protocol) -> None:
    calendar = Calendar.from_ical(render_ics(protocol, [], now))
    assert list(calendar.walk("VEVENT")) == []
    assert str(calendar["VERSION"]) == "2.0"


def test_ics_fixed_offset_zone_is_written_in_utc(now: pendulum.DateTime, protocol: Protocol) -> None:
    pendulum.set_local_timezone(pendulum.fixed_timezone(5 * 3600 + 1800))  # +05:30, no IANA name
    session = _session("s-fixed", "2026-11-21T16:30:00+05:30")
    data = render_ics(protocol, [session], now)
    assert b"TZID" not in data
    start = _events(data)[0].decoded("DTSTART")
    assert start == dt.datetime(2026, 11, 22, 11, 0, tzinfo=dt.UTC)


def test_calendar_datetime_keeps_the_second_of_two_equal_wall_times(now: pendulum.DateTime) -> None:
    # 02:30 happened twice on 2026-10-25 in Berlin; this is the later one (CET).
    moment = pendulum.datetime(2026, 10, 25, 1, 30, tz="UTC").in_timezone("Europe/Berlin")
    converted = to_calendar_datetime(moment)
    assert type(converted) is dt.datetime
    assert converted.tzinfo == BERLIN
    assert (converted.hour, converted.minute, converted.fold) == (2, 30, 1)
    assert converted.utcoffset() == dt.timedelta(hours=1)
    assert converted.timestamp() == moment.timestamp()


def test_ics_text_says_the_session_time_on_the_patients_clock(
    now: pendulum.DateTime, protocol: Protocol
) -> None:
    # Stored in UTC (as another device or an import may have written it): 16:00 UTC is 17:00 in Berlin.
    session = _session("s-utc", "2026-11-21T16:00:00+00:00")
    events = _events(render_ics(protocol, [session], now))
    assert events
    for event in events:
        description = str(event["DESCRIPTION"])
        assert "session of Sat 21 Nov 2026 17:00" in description
        assert "16:00" not in description
        start = event.decoded("DTSTART")
        assert getattr(start.tzinfo, "key", None) == "Europe/Berlin"  # the event is in the patient's zone
        assert start.timestamp() - session.started_at.timestamp() == 24 * 3600


def test_ics_follow_up_stored_in_utc_is_written_in_the_patients_zone(
    now: pendulum.DateTime, protocol: Protocol
) -> None:
    when = pendulum.datetime(2026, 11, 30, 8, tz="UTC")
    data = render_ics(protocol, [], now, [("appt@companion", when, "Follow-up", "")])
    assert b"DTSTART;TZID=Europe/Berlin:20261130T090000" in data


# --------------------------------------------------------------------------- escaping, read both ways

PHONE_NOTE = "rang Leaside (+44 20 7946 0000) and - they said # fine; 2. call back, x_y"


def test_the_report_read_as_plain_text_shows_no_needless_escapes(
    now: pendulum.DateTime, protocol: Protocol, dst_session: Session
) -> None:
    rows = build_history(
        protocol,
        first=dt.date(2026, 10, 25),
        last=dt.date(2026, 10, 25),
        sessions=[dst_session],
        checkins=[_checkin("2026-10-25", 8, 2, sharp_pain=True, note=PHONE_NOTE)],
        hydration=[],
        checklist=[],
        default_goal=8,
    )
    report = render_markdown(protocol, [dst_session], rows, None, now)
    # The note under Notes exactly as typed (a reader of the raw file sees no backslashes).
    assert "(+44 20 7946 0000) and - they said # fine; 2. call back, x_y" in report.replace("\n  ", " ")
    assert "\\+" not in report and "\\)" not in report and "\\#" not in report and "x\\_y" not in report


TRICKY_WORDS = st.sampled_from(
    ["-", "+", "*", "#", "##", ">", ">x", "1.", "12)", "0000)", "=", "---", "|", "|--|", ":-:", "_x_", "x_y",
     "`", "[a]", "(b)", "<b>", "<5", "~~", "\\", "\\*", "&amp;", "&#35;", "&", "!", "+44", "word", "a"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(TRICKY_WORDS, min_size=1, max_size=25), min_size=1, max_size=3))
def test_anything_typed_reads_as_typed_in_a_markdown_reader(lines: list[list[str]]) -> None:
    from companion.export.markdown_report import _multiline_bullet

    note = "\n".join(" ".join(words) for words in lines)
    source = "\n".join(_multiline_bullet("Note:", note))
    tokens = _MD.parse(source)
    # One list item holding one paragraph: no heading, quote, table, code or second item.
    assert [t.type for t in tokens] == [
        "bullet_list_open", "list_item_open", "paragraph_open", "inline",
        "paragraph_close", "list_item_close", "bullet_list_close",
    ]  # fmt: skip
    children = tokens[3].children or []
    assert {c.type for c in children} <= {"text", "softbreak", "hardbreak"}  # no emphasis, link, html
    seen = "".join(c.content if c.type == "text" else " " for c in children)
    assert seen.split() == ("Note: " + note).split()


def test_every_count_in_the_report_agrees_with_its_number(
    now: pendulum.DateTime, protocol: Protocol, dst_session: Session
) -> None:
    rows = build_history(
        protocol,
        first=dt.date(2026, 10, 25),
        last=dt.date(2026, 10, 25),
        sessions=[dst_session],
        checkins=[_checkin("2026-10-25", 3, 2)],
        hydration=[HydrationDay(dt.date(2026, 10, 25), 8, 8)],
        checklist=[ChecklistDay(dt.date(2026, 10, 25), frozenset({"rest"}))],
        default_goal=8,
    )
    text = _text(render_markdown(protocol, [dst_session], rows, None, now))
    assert "Days covered: 1 (2026-10-25)" in text
    assert "Goal met on 1 of 1 day with water recorded (1 day in this report)" in text
    assert "on that day" in text
    tables = _tables(render_markdown(protocol, [], rows, None, now))
    ticks = dict(next(t for t in tables if t[0][0] == "Item")[1:])
    assert ticks["Take it easy"] == "1 of 1 day"
    assert "(article 002)" in text and "(articles 000, 001, 002)" in text  # one source, three sources
    assert not re.search(r"\b1 (days|glasses|articles|items)\b", text)
