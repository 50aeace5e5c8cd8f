"""`status` builds only the sessions its rules look at (a patient of decades has hundreds),
yet every session record is still checked: a damaged one is set aside and the patient told,
as when every session was built."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pendulum
import pytest

from companion import queries
from companion.cli.main import main
from companion.context import open_context
from companion.core.ids import new_id
from companion.core.sessions import Session, latest_before
from companion.core.status import build_status
from companion.store import Store
from companion.store import store as store_module
from tests.seeding import seed_history

pytestmark = pytest.mark.usefixtures("clock_at_test_now")


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz="Europe/Berlin")


def ids(sessions: list[Session]) -> list[str]:
    return [s.id for s in sessions]


def test_the_sessions_from_a_moment_are_the_matching_part_of_all(berlin: str, data_dir: Path) -> None:
    store = Store(data_dir)
    # Recorded out of order (back-dated, imported), two at the same second, one in UTC.
    starts = [
        at(10, 1),
        at(9, 1),
        at(11, 1),
        at(9, 15),
        at(9, 15),
        at(11, 21, 16, 30).in_timezone("UTC"),
        at(10, 20),
    ]
    for i, start in enumerate(starts):
        store.add_session(Session(f"s{i}", start))
    every = Store(data_dir).sessions()
    moments = [
        at(8, 1),  # before all of them
        at(9, 1),  # exactly at one
        at(9, 15),  # at the two of the same second
        at(9, 20),
        at(10, 20, 9, 59),
        at(11, 21, 16, 30),
        pendulum.now(),
        at(12, 24),
    ]
    for moment in moments:
        in_effect = latest_before(every, moment)
        first = 0 if in_effect is None else every.index(in_effect)
        expected = ids(every[first:])
        fresh = Store(data_dir)
        part = fresh.sessions_from(moment)
        assert ids(part) == expected, moment
        for later in (moment, moment.add(days=3), moment.add(days=60)):
            assert latest_before(part, later) == latest_before(every, later)
        fresh.sessions()  # with every session built already: the same answer
        assert ids(fresh.sessions_from(moment)) == expected


def test_status_builds_only_the_sessions_it_needs_and_says_the_same(
    berlin: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_history(Store(data_dir), dt.date(2026, 1, 1), 320)  # 23 sessions, a check-in a day
    built: list[str] = []
    real = store_module.session_from_record

    def counting(data: Any, where: str = "session") -> Session:
        built.append(data["id"])
        return real(data, where)

    monkeypatch.setattr(store_module, "session_from_record", counting)
    ctx = open_context(data_dir)
    for now in (pendulum.now(), at(11, 16, 8), at(11, 16, 23)):
        built.clear()
        reader = Store(data_dir)
        status = queries.load_status(reader, ctx.protocol, ctx.zone, now)
        assert 1 <= len(built) <= 2, built
        # What status said when it built every session:
        everything = Store(data_dir)
        latest = everything.latest_checkin(before=now.date() + dt.timedelta(days=2))
        whole = build_status(
            ctx.protocol,
            now=now,
            zone=ctx.zone,
            sessions=everything.sessions(),
            hydration_today=everything.hydration_day(now.date()),
            recent_checkins=queries.checkins_for_alerts(everything, latest, everything.sessions()),
            appointments=everything.appointments(),
            glass=everything.settings().glass_size,
        )
        assert status.to_json() == whole.to_json()
        assert status.session is not None and status.latest_checkin is not None


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"intensity": "gentle"}, "could not be read"),
        ({"areas": ["calf", 7]}, "could not be read"),
        ({"note": "fine\u001b]0;pwned\u0007"}, "had text that cannot be shown or saved"),
    ],
)
def test_status_still_reports_a_damaged_session_it_does_not_need(
    berlin: str, data_dir: Path, capsys: pytest.CaptureFixture[str], change: dict[str, Any], said: str
) -> None:
    store = Store(data_dir)
    for day in (1, 15, 29):
        store.add_session(Session(new_id(), at(10, day)))
    store.add_session(Session(new_id(), at(11, 21, 16, 30)))
    meta = data_dir / "companion.json"
    data = json.loads(meta.read_text())
    oldest = min(data["sessions"], key=lambda key: data["sessions"][key]["started_at"])
    data["sessions"][oldest].update(change)
    meta.write_text(json.dumps(data))
    try:
        code = main(["--data-dir", str(data_dir), "status", "--json"])
    finally:
        pendulum.set_local_timezone()
    out, err = capsys.readouterr()
    assert code == 0, err
    assert said in err and f"a session (record {oldest})" in err
    assert json.loads(out)["session"]["started_at"] == "2026-11-21T16:30:00+01:00"
    assert (data_dir / "quarantine.jsonl").exists()
