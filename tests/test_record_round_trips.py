"""Whole records through the store and through an export and import, compared whole.

Comparing a few fields lets a renamed or dropped key through: a check-in whose stored
`bruising`, `sharp_pain` or `flare_up` key was renamed reads back as `none`/`false`, and
its alerts are gone without a word. Here every field of every kind of day record has a
value other than its default, and what comes back must equal what went in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pendulum
import pytest

from companion.core.alerts import judge_checkin
from companion.core.backup import Backup, build_export, parse_export_text
from companion.core.checkins import (
    BRUISING_LEVELS,
    FLAGS,
    SCALES,
    CheckIn,
    checkin_from_record,
    new_checkin,
)
from companion.core.checklist import ChecklistDay
from companion.core.errors import InputError
from companion.core.hydration import HydrationDay
from companion.core.protocol import default_protocol
from companion.core.sessions import Session
from companion.store import Store

pytestmark = pytest.mark.usefixtures("clock_at_test_now", "berlin")

TZ = "Europe/Berlin"
SESSION = Session(
    id="s-1",
    started_at=pendulum.datetime(2026, 11, 18, 9, 15, tz=TZ),
    intensity="intense",
    areas=("upper trapezius", "left calf"),
    note="first session",
)


def full_checkin(day: dt.date, **changes: object) -> CheckIn:
    """A check-in in which no field keeps its default."""
    base = CheckIn(
        id=f"c-{day.isoformat()}",
        date=day,
        recorded_at=pendulum.datetime(day.year, day.month, day.day, 21, 5, 7, tz=TZ),
        soreness=9,
        fatigue=6,
        stiffness=4,
        bruising="severe",
        flare_up=True,
        sharp_pain=True,
        breathing_trouble=True,
        note="worse after work,\nleft side",
        usual_pain=5,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def every_combination() -> list[CheckIn]:
    """One check-in a day: each bruising level and each flag alone, then all flags off."""
    first = dt.date(2026, 11, 1)
    made = [full_checkin(first)]
    for i, level in enumerate(BRUISING_LEVELS):
        made.append(full_checkin(first + dt.timedelta(days=1 + i), bruising=level, usual_pain=None))
    for i, flag in enumerate(FLAGS):
        off = {f: False for f in FLAGS}
        made.append(full_checkin(first + dt.timedelta(days=10 + i), **{**off, flag: True}))
    made.append(full_checkin(first + dt.timedelta(days=20), **{f: False for f in FLAGS}, stiffness=0))
    return made


def alerts_of(checkins: list[CheckIn]) -> list[list[str]]:
    protocol = default_protocol()
    return [[a.id for a in judge_checkin(protocol, c, [], SESSION)] for c in checkins]


def test_a_check_in_with_every_field_set_comes_back_whole_from_another_store(data_dir: Path) -> None:
    checkins = every_combination()
    store = Store(data_dir)
    for c in checkins:
        store.save_checkin(c)
    other = Store(data_dir)
    for c in checkins:
        back = other.checkin_for(c.date)
        assert back == c
        assert back is not None and back.recorded_at.offset == c.recorded_at.offset
    assert sorted(other.all_days().checkins, key=lambda c: c.date) == checkins
    assert other.latest_checkin() == checkins[-1]
    assert alerts_of([other.checkin_for(c.date) for c in checkins]) == alerts_of(checkins)  # type: ignore[misc]


def test_the_stored_record_has_the_contracts_keys() -> None:
    record = full_checkin(dt.date(2026, 11, 20)).to_record()
    assert record == {
        "id": "c-2026-11-20",
        "date": "2026-11-20",
        "recorded_at": "2026-11-20T21:05:07+01:00",
        "soreness": 9,
        "fatigue": 6,
        "stiffness": 4,
        "bruising": "severe",
        "flare_up": True,
        "sharp_pain": True,
        "breathing_trouble": True,
        "note": "worse after work,\nleft side",
        "usual_pain": 5,
    }
    assert "usual_pain" not in full_checkin(dt.date(2026, 11, 20), usual_pain=None).to_record()
    assert checkin_from_record(record) == full_checkin(dt.date(2026, 11, 20))


def test_unknown_keys_of_a_record_are_kept_through_the_store(data_dir: Path) -> None:
    c = checkin_from_record({**full_checkin(dt.date(2026, 11, 20)).to_record(), "mood": "fine"})
    assert c.extra == {"mood": "fine"}
    Store(data_dir).save_checkin(c)
    back = Store(data_dir).checkin_for(c.date)
    assert back is not None and back.extra == {"mood": "fine"} and back == c


def test_water_and_checklist_days_come_back_whole(data_dir: Path) -> None:
    day = dt.date(2026, 11, 20)
    store = Store(data_dir)
    store.update_hydration(day, lambda h: HydrationDay(day, 13, 11))
    store.update_checklist(day, lambda c: ChecklistDay(day, frozenset({"rest", "hydrate"})))
    other = Store(data_dir)
    assert other.hydration_day(day) == HydrationDay(day, 13, 11)
    assert other.checklist_day(day) == ChecklistDay(day, frozenset({"rest", "hydrate"}))
    records = other.days_between(day, day)
    assert records.hydration == [HydrationDay(day, 13, 11)]
    assert records.checklist == [ChecklistDay(day, frozenset({"rest", "hydrate"}))]


def test_everything_comes_back_whole_through_an_export_and_an_import(tmp_path: Path) -> None:
    checkins = every_combination()
    days = sorted({c.date for c in checkins})
    hydration = [HydrationDay(d, 3 + i, 9) for i, d in enumerate(days)]
    checklist = [ChecklistDay(d, frozenset({"rest", "monitor"})) for d in days]
    backup = Backup(sessions=[SESSION], checkins=checkins, hydration=hydration, checklist=checklist)
    text = json.dumps(build_export(backup, pendulum.now()))
    parsed = parse_export_text(text)
    assert parsed.checkins == checkins and parsed.sessions == [SESSION]

    target = Store(tmp_path / "target")
    counts = target.apply_import(parsed)
    assert (counts.sessions, counts.checkins, counts.hydration, counts.checklist) == (
        1,
        len(checkins),
        len(days),
        len(days),
    )
    again = Store(tmp_path / "target")
    got = again.all_days()
    assert sorted(got.checkins, key=lambda c: c.date) == checkins
    assert sorted(got.hydration, key=lambda h: h.date) == hydration
    assert sorted(got.checklist, key=lambda c: c.date) == checklist
    assert again.sessions() == [SESSION]
    assert alerts_of(sorted(got.checkins, key=lambda c: c.date)) == alerts_of(checkins)
    # and out again: the same file, key for key
    out = build_export(Backup(again.sessions(), got.checkins, got.hydration, got.checklist), pendulum.now())
    assert out["checkins"] == json.loads(text)["checkins"]
    assert out["hydration"] == json.loads(text)["hydration"]


def test_a_record_from_before_the_optional_fields_reads_as_none_of_them() -> None:
    """A check-in an older companion stored, with only the ratings asked then: what it
    did not ask reads as not given (no stiffness, no bruising, no flag), so it raises
    no alert it never reported."""
    record = {
        "id": "c-old",
        "date": "2026-11-19",
        "recorded_at": "2026-11-19T20:00:00+01:00",
        "soreness": 3,
        "fatigue": 2,
    }
    old = checkin_from_record(record)
    assert (old.stiffness, old.bruising, old.usual_pain, old.note) == (0, "none", None, "")
    assert not any(getattr(old, flag) for flag in FLAGS)
    assert alerts_of([old]) == [[]]
    assert {k: v for k, v in old.to_record().items() if k not in record} == {
        "stiffness": 0,
        "bruising": "none",
        "flare_up": False,
        "sharp_pain": False,
        "breathing_trouble": False,
        "note": "",
    }


def test_a_check_in_given_only_its_two_ratings_stores_none_of_the_rest() -> None:
    """What the patient leaves out is stored as not given: no stiffness, no bruising, no flag."""
    made = new_checkin(soreness="3", fatigue="2")
    assert (made.stiffness, made.bruising, made.usual_pain, made.note) == (0, "none", None, "")
    assert not any(getattr(made, flag) for flag in FLAGS)


# ------------------------------------------------------------------ records that break the types


def export_with(**changes: object) -> str:
    """An export file holding one check-in, with `changes` made to its stored record."""
    record = {**full_checkin(dt.date(2026, 11, 20)).to_record(), **changes}
    for key, value in changes.items():
        if value is ABSENT:
            del record[key]
    export = build_export(Backup([SESSION], [], [], []), pendulum.now())
    return json.dumps({**export, "checkins": [record]})


ABSENT = object()
"""In export_with: leave the key out of the record."""

# (key, a value of the wrong type): each is refused by type, never read as something else.
WRONG_TYPES = [
    *[(scale, wrong) for scale in SCALES for wrong in ("5", True, 5.0, None, [5])],
    *[("usual_pain", wrong) for wrong in ("5", True, 5.0, [5])],
    *[("bruising", wrong) for wrong in ("purple", "Severe", " mild", "", 3, None, True)],
    *[(flag, wrong) for flag in FLAGS for wrong in ("true", 1, 0, None, "false")],
]


@pytest.mark.parametrize(("key", "wrong"), WRONG_TYPES, ids=[f"{k}={v!r}" for k, v in WRONG_TYPES])
def test_an_imported_check_in_with_a_value_of_the_wrong_type_is_refused_naming_it(
    key: str, wrong: object
) -> None:
    """A rating written as text ("5"), a flag as 1 or "true", a bruising level the app does not
    know: an import that read them as something else would store what the patient never
    said (a "true" that is not true, an unknown level that no alert rule knows)."""
    with pytest.raises(InputError) as refused:
        parse_export_text(export_with(**{key: wrong}))
    assert refused.value.field == f"checkins[0].{key}"
    with pytest.raises(InputError) as refused:
        checkin_from_record(json.loads(export_with(**{key: wrong}))["checkins"][0], "stored check-in 7")
    assert refused.value.field == f"stored check-in 7.{key}"


def test_a_record_without_a_required_rating_is_refused_and_optional_ones_read_as_not_given() -> None:
    for scale in ("soreness", "fatigue"):
        with pytest.raises(InputError) as refused:
            parse_export_text(export_with(**{scale: ABSENT}))
        assert refused.value.field == f"checkins[0].{scale}"
    back = parse_export_text(export_with(stiffness=ABSENT, usual_pain=None)).checkins[0]
    assert (back.stiffness, back.usual_pain) == (0, None)
    assert back == full_checkin(dt.date(2026, 11, 20), stiffness=0, usual_pain=None)
