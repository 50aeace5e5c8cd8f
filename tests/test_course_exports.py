"""The course of treatment in the store and the exports: json backup, csv, the md report."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from companion import queries
from companion.core.activities import Activity, Rating, retired
from companion.core.backup import Backup, build_export, parse_export
from companion.core.checkins import CheckIn
from companion.core.complaint import Complaint
from companion.core.errors import InputError
from companion.core.protocol import default_protocol
from companion.core.sessions import Session
from companion.export.csv_export import CSV_COLUMNS, render_csv
from companion.export.markdown_report import render_markdown
from companion.store import Store
from tests.seeding import COURSE_FROZEN as FROZEN
from tests.seeding import seed_two_months

P = default_protocol()
BERLIN = "Europe/Berlin"


def at(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=BERLIN)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    pendulum.set_local_timezone(pendulum.timezone(BERLIN))
    with pendulum.travel_to(FROZEN, freeze=True):
        yield
    pendulum.set_local_timezone()


def backup_with_course() -> Backup:
    act = Activity("a1", "reversing the car", at(2026, 11, 2, 9, 0))
    kettle = Activity("a2", "lifting the kettle", at(2026, 11, 2, 9, 1), retired_on=dt.date(2026, 11, 20))
    return Backup(
        sessions=[Session("s1", at(2026, 11, 2, 16, 30), "standard", ("neck",))],
        checkins=[
            CheckIn("c1", dt.date(2026, 11, 2), at(2026, 11, 2, 20, 0), 4, 2, usual_pain=7),
            CheckIn("c2", dt.date(2026, 11, 3), at(2026, 11, 3, 20, 0), 1, 1),
        ],
        hydration=[],
        checklist=[],
        complaints=[
            Complaint("k1", "stiff neck", at(2026, 11, 1, 9, 0)),
            Complaint("k2", "stiff neck when driving", at(2026, 11, 8, 9, 0)),
        ],
        activities=[act, kettle],
        activity_ratings=[
            Rating("r1", "a1", dt.date(2026, 11, 2), at(2026, 11, 2, 20, 0), 3),
            Rating("r2", "a2", dt.date(2026, 11, 2), at(2026, 11, 2, 20, 0), 6),
            Rating("r3", "a1", dt.date(2026, 11, 9), at(2026, 11, 9, 20, 0), 5),
        ],
    )


def exported(backup: Backup) -> dict[str, Any]:
    return json.loads(json.dumps(build_export(backup, at(2026, 11, 22, 10, 0))))


# --------------------------------------------------------------------------- json backup


def test_the_backup_carries_complaint_activities_ratings_and_usual_pain() -> None:
    data = exported(backup_with_course())
    assert data["version"] == 1
    assert [c["text"] for c in data["complaints"]] == ["stiff neck", "stiff neck when driving"]
    assert data["activities"][1] == {
        "id": "a2",
        "name": "lifting the kettle",
        "added_at": "2026-11-02T09:01:00+01:00",
        "retired_on": "2026-11-20",
    }
    assert data["activity_ratings"][0] == {
        "id": "r1",
        "activity_id": "a1",
        "date": "2026-11-02",
        "rated_at": "2026-11-02T20:00:00+01:00",
        "score": 3,
    }
    assert data["checkins"][0]["usual_pain"] == 7 and "usual_pain" not in data["checkins"][1]
    again = parse_export(data)
    assert exported(again) == data


def test_import_into_a_store_then_again_adds_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    data = exported(backup_with_course())
    first = store.apply_import(parse_export(data))
    assert first.other == 2 + 2 + 3  # complaint wordings, activities, ratings
    assert store.apply_import(parse_export(data)).total == 0
    out = exported(
        Backup(
            store.sessions(),
            store.all_days().checkins,
            [],
            [],
            complaints=store.complaints(),
            activities=store.activities(),
            activity_ratings=store.all_ratings(),
        )
    )
    for key in ("sessions", "checkins", "complaints", "activities", "activity_ratings"):
        assert out[key] == data[key], key


def test_an_older_file_without_the_course_imports_as_before(tmp_path: Path) -> None:
    data = exported(backup_with_course())
    for key in ("complaints", "activities", "activity_ratings"):
        del data[key]
    for record in data["checkins"]:
        record.pop("usual_pain", None)
    store = Store(tmp_path / "data")
    counts = store.apply_import(parse_export(data))
    assert (counts.sessions, counts.checkins, counts.other) == (1, 2, 0)
    assert store.complaints() == [] and store.activities() == [] and store.all_ratings() == []
    course = queries.load_course(store, P)
    assert len(course.rows) == 1 and course.measures == []


def test_unknown_keys_on_a_checkin_are_kept_next_to_usual_pain() -> None:
    data = exported(backup_with_course())
    data["checkins"][0]["pain_site"] = "left"
    again = exported(parse_export(data))
    assert again["checkins"][0]["pain_site"] == "left" and again["checkins"][0]["usual_pain"] == 7


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("complaints", 1, "text"), "neck\x07", "complaints[1].text"),
        (("complaints", 0, "set_at"), "yesterday", "complaints[0].set_at"),
        (("activities", 1, "name"), "", "activities[1].name"),
        (("activities", 0, "retired_on"), "2026-02-30", "activities[0].retired_on"),
        (("activity_ratings", 2, "score"), 11, "activity_ratings[2].score"),
        (("activity_ratings", 2, "score"), "5", "activity_ratings[2].score"),
        (("activity_ratings", 0, "activity_id"), "nope", "activity_ratings[0].activity_id"),
        (("activity_ratings", 1, "date"), "2026-13-01", "activity_ratings[1].date"),
        (("checkins", 1, "usual_pain"), 12, "checkins[1].usual_pain"),
    ],
)
def test_a_broken_record_is_named_and_nothing_is_imported(
    tmp_path: Path, path: tuple[Any, ...], value: Any, field: str
) -> None:
    store = Store(tmp_path / "data")
    store.save_checkin(CheckIn("mine", dt.date(2026, 11, 21), at(2026, 11, 21, 20, 0), 1, 1))
    before = exported(Backup(store.sessions(), store.all_days().checkins, [], []))
    data = exported(backup_with_course())
    key, index, name = path
    data[key][index][name] = value
    with pytest.raises(InputError) as err:
        parse_export(data)
    assert err.value.field == field
    assert exported(Backup(store.sessions(), store.all_days().checkins, [], [])) == before
    assert store.activities() == [] and store.all_ratings() == [] and store.complaints() == []


def test_two_ratings_of_one_activity_on_one_day_are_refused() -> None:
    data = exported(backup_with_course())
    twin = copy.deepcopy(data["activity_ratings"][0])
    twin["id"] = "r9"
    data["activity_ratings"].append(twin)
    with pytest.raises(InputError) as err:
        parse_export(data)
    assert err.value.field == "activity_ratings[3]" and "2026-11-02" in err.value.message


def test_merging_keeps_the_later_rating_of_a_day_and_takes_a_retirement(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    mine = backup_with_course()
    store.apply_import(mine)
    other = exported(mine)
    other["activity_ratings"][0].update(id="later", rated_at="2026-11-02T21:00:00+01:00", score=4)
    other["activity_ratings"][2].update(id="earlier", rated_at="2026-11-09T08:00:00+01:00", score=9)
    other["activities"][0]["retired_on"] = "2026-11-21"
    counts = store.apply_import(parse_export(other))
    assert counts.other == 2  # the later rating and the retirement
    scores = {(r.activity_id, r.date.day): r.score for r in store.all_ratings()}
    assert scores == {("a1", 2): 4, ("a2", 2): 6, ("a1", 9): 5}
    assert {a.id: a.retired_on for a in store.activities()} == {
        "a1": dt.date(2026, 11, 21),
        "a2": dt.date(2026, 11, 20),
    }


def test_a_rating_is_written_to_its_month_file_not_to_companion_json(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    act = Activity("a1", "reversing the car", at(2026, 11, 2, 9, 0))
    store.add_activity(act)

    def tables() -> dict[str, object]:
        """companion.json's tables, but the list of month files (a new month is listed there)."""
        data = json.loads((tmp_path / "data" / "companion.json").read_text())
        data["meta"]["1"].pop("months", None)
        return data

    meta = tables()
    store.save_ratings([Rating("r1", "a1", dt.date(2026, 11, 2), at(2026, 11, 2, 20, 0), 3)])
    assert tables() == meta
    month = json.loads((tmp_path / "data" / "days" / "2026-11.json").read_text())
    assert next(iter(month["activity_ratings"].values()))["score"] == 3
    store.update_activity(retired(act, dt.date(2026, 11, 20)))
    assert Store(tmp_path / "data").activities()[0].retired_on == dt.date(2026, 11, 20)


def test_a_replaced_checkin_keeps_no_usual_pain_from_the_one_before(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    day = dt.date(2026, 11, 21)
    store.save_checkin(CheckIn("c1", day, at(2026, 11, 21, 9, 0), 3, 1, usual_pain=6))
    store.save_checkin(CheckIn("c2", day, at(2026, 11, 21, 20, 0), 2, 1))
    again = Store(tmp_path / "data").checkin_for(day)
    assert again is not None and (again.id, again.usual_pain) == ("c2", None)


# --------------------------------------------------------------------------- csv and md


@pytest.fixture
def seeded(tmp_path: Path) -> Store:
    store = Store(tmp_path / "data")
    seed_two_months(store)
    return store


def test_csv_adds_usual_pain_and_one_column_per_activity_after_the_old_ones(seeded: Store) -> None:
    rows = queries.load_history(seeded, P, include_empty=True)
    text = render_csv(rows, seeded.activities(), seeded.all_ratings())
    reader = csv.DictReader(io.StringIO(text, newline=""))
    lines = list(reader)
    names = [a.name for a in seeded.activities()]
    assert list(reader.fieldnames or []) == [*CSV_COLUMNS, *(f"activity: {n}" for n in names)]
    assert CSV_COLUMNS[-1] == "usual_pain" and CSV_COLUMNS[:-1][-1] == "note"
    by_day = {line["date"]: line for line in lines}
    for checkin in seeded.all_days().checkins:
        expected = "" if checkin.usual_pain is None else str(checkin.usual_pain)
        assert by_day[checkin.date.isoformat()]["usual_pain"] == expected
    rated = {(r.activity_id, r.date.isoformat()): r.score for r in seeded.all_ratings()}
    for act in seeded.activities():
        column = f"activity: {act.name}"
        for day, line in by_day.items():
            want = rated.get((act.id, day))
            assert line[column] == ("" if want is None else str(want)), (column, day)
    assert sum(1 for line in lines if line[f"activity: {names[0]}"]) >= 8


def test_csv_columns_for_two_activities_of_the_same_name_stay_apart() -> None:
    twins = [
        Activity("a1", "walking", at(2026, 11, 1, 9, 0)),
        Activity("b2", "walking", at(2026, 11, 2, 9, 0)),
    ]
    ratings = [
        Rating("r1", "a1", dt.date(2026, 11, 3), at(2026, 11, 3, 9, 0), 2),
        Rating("r2", "b2", dt.date(2026, 11, 3), at(2026, 11, 3, 9, 0), 8),
    ]
    reader = csv.DictReader(io.StringIO(render_csv([], twins, ratings), newline=""))
    line = next(reader)
    assert line["date"] == "2026-11-03"
    assert (line["activity: walking"], line["activity: walking (2)"]) == ("2", "8")


def test_the_md_report_has_the_course_table_and_the_sentence(seeded: Store) -> None:
    rows = queries.load_history(seeded, P, include_empty=True)
    course = queries.load_course(seeded, P)
    report = render_markdown(P, seeded.sessions(), rows, None, pendulum.now(), course=course)
    section = report[report.index("## Course") : report.index("## Sessions")]
    lines = section.splitlines()
    assert "|Session" in lines[4] and "Settled" in lines[4] and "Took" in lines[4]
    table = [line for line in lines if (line.startswith("|") and "Nov 2026" in line) or "Oct 2026" in line]
    assert len([t for t in table if t.startswith("|") and "| Week" not in t]) >= len(course.rows)
    assert "Ratings by week" in section
    flat = " ".join(section.split())
    first_phrase = course.changes[0].phrase().replace("*", "\\*")
    assert first_phrase in flat
    assert "companion's threshold" in flat
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    assert report.index("## Course") < report.index("## Sessions")


def test_without_a_course_the_report_has_no_course_section(seeded: Store) -> None:
    rows = queries.load_history(seeded, P, include_empty=True)
    assert "## Course" not in render_markdown(P, seeded.sessions(), rows, None, pendulum.now())


def test_the_two_month_history_has_what_the_course_view_shows(seeded: Store) -> None:
    """The seeded course (for later snapshots) holds every kind of cell."""
    course = queries.load_course(seeded, P)
    cells = [row.cells(course.labels) for row in course.rows]
    assert [c["date"] for c in cells] == [
        "19 Oct 2026",
        "26 Oct 2026",
        "2 Nov 2026",
        "16 Nov 2026",
        "30 Nov 2026",
        "14 Dec 2026",
    ]
    assert cells[0]["alerts"] == "sore >72 h" and cells[0]["took"] == "ibuprofen"
    assert cells[2]["took"] == "coffee" and "gap" in [c["settled"] for c in cells]
    assert course.rows[3].settling.at is not None and course.rows[3].settling.at.hour == 23  # back-dated
    assert [c.meaningful for c in course.changes] == [True, True, True, False]
    assert [d.activity.name for d in queries.load_ratings_due(seeded)] == [
        a.name for a in seeded.activities()
    ]
