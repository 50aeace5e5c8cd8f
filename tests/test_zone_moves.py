"""A time-zone change never hides a record: status, history, csv and md still show it.

A record's day is the calendar day where it was made, and its moment keeps the offset
it was recorded with. Read after the patient moved (Berlin to New York, or the other
way), nothing may drop out of a view because "today" here is earlier than that day,
and a check-in's moment may not move because the reader's zone differs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion import queries
from companion.cli.main import main
from companion.core.checkins import new_checkin
from companion.core.protocol import default_protocol
from companion.core.sessions import Session
from companion.store import Store

P = default_protocol()
ZONE = pendulum.timezone


@pytest.fixture(autouse=True)
def _restore_local_zone() -> Iterator[None]:
    yield
    pendulum.set_local_timezone()


def cli(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_checkin_saved_after_midnight_in_berlin_shows_in_new_york(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    """The reported case: it vanished from status, history, csv and md (only JSON had it)."""
    with pendulum.travel_to(pendulum.datetime(2026, 11, 23, 0, 30, tz="Europe/Berlin"), freeze=True):
        assert cli(capsys, data_dir, "config", "--timezone", "Europe/Berlin")[0] == 0
        assert cli(capsys, data_dir, "session", "add", "--at", "2026-11-22T10:00")[0] == 0
        code, out, _ = cli(capsys, data_dir, "checkin", "--soreness", "8", "--fatigue", "2", "--note", "late")
        assert code == 0 and "Mon 23 Nov" in out
    # 18:45 on the 22nd in New York: the check-in (made 15 minutes ago) is dated the 23rd
    with pendulum.travel_to(pendulum.datetime(2026, 11, 22, 18, 45, tz="America/New_York"), freeze=True):
        assert cli(capsys, data_dir, "config", "--timezone", "America/New_York")[0] == 0
        code, out, _ = cli(capsys, data_dir, "status", "--json")
        status = json.loads(out)
        assert status["alerts_from_checkin"] == "2026-11-23"
        assert [a["id"] for a in status["alerts"]] == ["severe-pain"]

        code, out, _ = cli(capsys, data_dir, "history", "--json", "--days", "3")
        rows = {row["date"]: row for row in json.loads(out)}
        assert rows["2026-11-23"]["soreness"] == 8 and rows["2026-11-23"]["alerts"] == ["severe-pain"]

        code, out, _ = cli(capsys, data_dir, "export", "--format", "csv")
        row = next(row for row in csv.DictReader(io.StringIO(out)) if row["date"] == "2026-11-23")
        assert (row["soreness"], row["fatigue"], row["bruising"]) == ("8", "2", "none") and "late" in row[
            "note"
        ]

        code, out, _ = cli(capsys, data_dir, "export", "--format", "md")
        assert "late" in out and "2026-11-23" in out


def test_a_checkin_made_late_in_new_york_keeps_its_moment_in_berlin(berlin: str, data_dir: Path) -> None:
    """Read in Berlin, an evening check-in from New York looked back-dated: its moment was
    moved to midnight Berlin, before the session it followed, and its alert was lost."""
    pendulum.set_local_timezone(ZONE("America/New_York"))
    store = Store(data_dir)
    session_start = pendulum.datetime(2026, 11, 22, 20, 0, tz="America/New_York")
    store.add_session(Session("s1", session_start))
    with pendulum.travel_to(pendulum.datetime(2026, 11, 22, 22, 0, tz="America/New_York"), freeze=True):
        checkin = new_checkin(soreness=8, fatigue=1)
        store.save_checkin(checkin)
    pendulum.set_local_timezone(ZONE("Europe/Berlin"))
    reader = Store(data_dir)
    stored = reader.checkin_for(dt.date(2026, 11, 22))
    assert stored is not None
    assert stored.moment.timestamp() == checkin.recorded_at.timestamp()
    now = pendulum.datetime(2026, 11, 23, 6, 0, tz="Europe/Berlin")
    status = queries.load_status(reader, P, reader_zone(), now)
    assert [a.id for a in status.alerts] == ["severe-pain"]


def reader_zone():  # type: ignore[no-untyped-def]
    from companion.core.clock import ZoneInfo

    return ZoneInfo(pendulum.now().timezone_name or "UTC", "setting")


ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Pacific/Kiritimati",  # UTC+14
    "Pacific/Pago_Pago",  # UTC-11
    "Etc/GMT+12",  # UTC-12
    "Asia/Kolkata",
    "Pacific/Chatham",
    "Australia/Sydney",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    saved_in=st.sampled_from(ZONES),
    read_in=st.sampled_from(ZONES),
    minute=st.integers(0, 365 * 24 * 60),
    session_hours_before=st.integers(1, 40),
    read_hours_after=st.integers(0, 47),
    back_days=st.integers(0, 2),
)
def test_no_zone_move_hides_a_checkin_or_moves_its_moment(
    saved_in: str,
    read_in: str,
    minute: int,
    session_hours_before: int,
    read_hours_after: int,
    back_days: int,
) -> None:
    saved_at = pendulum.datetime(2026, 1, 1, tz=saved_in).add(minutes=minute)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        pendulum.set_local_timezone(ZONE(saved_in))
        store = Store(data_dir)
        store.add_session(Session("s1", saved_at.subtract(hours=session_hours_before)))
        with pendulum.travel_to(saved_at, freeze=True):
            day = saved_at.date() - dt.timedelta(days=back_days)
            checkin = new_checkin(soreness=8, fatigue=1, note="pain", day=day)
            store.save_checkin(checkin)
        moment = checkin.moment.timestamp()

        read_at = saved_at.add(hours=read_hours_after).in_timezone(read_in)
        pendulum.set_local_timezone(ZONE(read_in))
        reader = Store(data_dir)
        with pendulum.travel_to(read_at, freeze=True):
            stored = reader.checkin_for(checkin.date)
            assert stored is not None and stored.moment.timestamp() == moment

            status = queries.load_status(reader, P, reader_zone(), read_at)
            session_start = saved_at.subtract(hours=session_hours_before).timestamp()
            if moment >= session_start:  # the contract: status shows the latest session's alerts
                assert status.latest_checkin is not None and status.latest_checkin.id == checkin.id
                assert "severe-pain" in [a.id for a in status.alerts]
            else:  # a check-in from before the session raises no current alert, in any zone
                assert status.latest_checkin is None and status.alerts == []

            rows = queries.load_history(reader, P, days=6 + back_days)  # enough for any zone pair
            shown = [row for row in rows if row.checkin is not None]
            assert [row.checkin.id for row in shown] == [checkin.id]  # type: ignore[union-attr]
            assert "severe-pain" in [a.id for a in shown[0].alerts]
            everything = queries.load_history(reader, P, include_empty=True)
            assert checkin.id in [row.checkin.id for row in everything if row.checkin]


def test_the_latest_check_in_is_the_last_made_even_after_a_move_west(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    """Tokyo to New York: the check-in made last carries an earlier date than the one made
    before the flight. Picked by date, status showed the older one's (no) alerts, remind
    said nothing was due, and the new check-in was not compared with the one before it."""
    with pendulum.travel_to(pendulum.datetime(2026, 11, 20, 13, 0, tz="Asia/Tokyo"), freeze=True):
        assert cli(capsys, data_dir, "config", "--timezone", "Asia/Tokyo")[0] == 0
        assert cli(capsys, data_dir, "session", "add", "--at", "2026-11-20T12:00")[0] == 0
    with pendulum.travel_to(pendulum.datetime(2026, 11, 23, 0, 30, tz="Asia/Tokyo"), freeze=True):
        assert cli(capsys, data_dir, "checkin", "--soreness", "1", "--fatigue", "1")[0] == 0
    # 20:00 on the 22nd in New York is 10:00 on the 23rd in Tokyo: 9.5 hours after that check-in
    with pendulum.travel_to(pendulum.datetime(2026, 11, 22, 20, 0, tz="America/New_York"), freeze=True):
        assert cli(capsys, data_dir, "config", "--timezone", "America/New_York")[0] == 0
        code, out, _ = cli(
            capsys, data_dir, "checkin", "--soreness", "4", "--fatigue", "1", "--breathing-trouble", "--json"
        )
        assert code == 0
        assert [a["id"] for a in json.loads(out)["alerts"]] == ["urgent-breathing", "worsening"]
    with pendulum.travel_to(pendulum.datetime(2026, 11, 22, 20, 5, tz="America/New_York"), freeze=True):
        status = json.loads(cli(capsys, data_dir, "status", "--json")[1])
        assert status["alerts_from_checkin"] == "2026-11-22"
        assert [a["id"] for a in status["alerts"]] == ["urgent-breathing", "worsening"]
        remind = json.loads(cli(capsys, data_dir, "remind", "--json")[1])
        assert [d.get("id") for d in remind["due"] if d["kind"] == "alert"][:1] == ["urgent-breathing"]
