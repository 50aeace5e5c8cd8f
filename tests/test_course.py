"""The course of treatment through the core: settling, the weekly rating, the change sentence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import queries
from companion.core import clock
from companion.core.activities import (
    MAX_ACTIVITIES,
    Activity,
    Rating,
    find_activity,
    new_activity,
    new_rating,
    ratings_due,
    retired,
)
from companion.core.checkins import CheckIn, checkin_from_record, new_checkin
from companion.core.checklist import ChecklistDay
from companion.core.complaint import Complaint, current, new_complaint
from companion.core.course import (
    Measure,
    Point,
    build_course,
    change_sentence,
    change_since,
    settle_time,
    weeks_of,
)
from companion.core.errors import InputError
from companion.core.exercises import Exercise
from companion.core.hydration import HydrationDay
from companion.core.intake import Intake
from companion.core.protocol import default_protocol
from companion.core.sessions import Session
from companion.store import Store

P = default_protocol()
BERLIN = "Europe/Berlin"


def at(*args: int, tz: str = BERLIN) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=tz)


@pytest.fixture(autouse=True)
def berlin_zone() -> Iterator[None]:
    pendulum.set_local_timezone(pendulum.timezone(BERLIN))
    yield
    pendulum.set_local_timezone()


def checkin(day: dt.date, soreness: int, recorded: pendulum.DateTime | None = None, **kw: object) -> CheckIn:
    return CheckIn(
        id=f"c{day.isoformat()}",
        date=day,
        recorded_at=recorded or at(day.year, day.month, day.day, 20, 0),
        soreness=soreness,
        fatigue=int(kw.pop("fatigue", 0)),  # type: ignore[call-overload]
        **kw,  # type: ignore[arg-type]
    )


def days(first: dt.date, *soreness: int | None) -> list[CheckIn]:
    """Evening check-ins on consecutive days from ``first`` (None: no check-in that day)."""
    return [checkin(first + dt.timedelta(days=i), s) for i, s in enumerate(soreness) if s is not None]


SESSION = Session("s1", at(2026, 11, 20, 16, 30), "standard", ("neck",))
DAY0 = dt.date(2026, 11, 20)


# --------------------------------------------------------------------------- settle time


def test_settled_at_the_first_checkin_at_1_or_less() -> None:
    settling = settle_time(SESSION, days(DAY0, 5, 3, 1, 0), window_closed=True)
    assert settling.hours == 51.5  # Sun 22 Nov 20:00 - Fri 20 Nov 16:30
    assert settling.at == at(2026, 11, 22, 20, 0)
    assert settling.unknown is None and settling.label() == "52 h"


def test_a_rise_after_a_dip_means_it_had_not_settled_yet() -> None:
    settling = settle_time(SESSION, days(DAY0, 5, 1, 3, 0), window_closed=True)
    assert settling.hours == 75.5  # the 0 on day 3, not the 1 on day 1


def test_exactly_1_counts_as_settled_and_2_does_not() -> None:
    assert settle_time(SESSION, days(DAY0, 4, 1), window_closed=True).hours == 27.5
    assert settle_time(SESSION, days(DAY0, 4, 2), window_closed=True).unknown == "not-settled"


def test_no_checkins_after_the_session() -> None:
    settling = settle_time(SESSION, [], window_closed=True)
    assert (settling.hours, settling.unknown, settling.label()) == (None, "no-checkins", "-")


def test_still_sore_at_the_last_checkin_not_yet_or_not_before_the_next_session() -> None:
    assert settle_time(SESSION, days(DAY0, 5, 3), window_closed=False).unknown == "not-yet"
    assert settle_time(SESSION, days(DAY0, 5, 3), window_closed=True).unknown == "not-settled"
    assert settle_time(SESSION, days(DAY0, 5, 3), window_closed=True).label() == "no"


def test_a_missing_day_before_the_settling_checkin_leaves_it_unknown() -> None:
    assert settle_time(SESSION, days(DAY0, 5, None, 0), window_closed=True).unknown == "gap"
    # the first check-in two days after the session: the session's day is the reading before it
    assert settle_time(SESSION, days(DAY0, None, None, 0), window_closed=True).unknown == "gap"
    # a missing day *before* the last sore reading does not matter
    assert settle_time(SESSION, days(DAY0, 5, None, 3, 1), window_closed=True).hours == 75.5


def test_no_soreness_at_the_session_days_own_checkin() -> None:
    assert settle_time(SESSION, days(DAY0, 0), window_closed=False).hours == 3.5


def test_a_back_dated_checkin_counts_at_the_end_of_its_day() -> None:
    late = checkin(dt.date(2026, 11, 22), 1, recorded=at(2026, 11, 25, 9, 0))
    settling = settle_time(SESSION, [*days(DAY0, 5, 3), late], window_closed=True)
    assert settling.at == at(2026, 11, 22, 23, 59, 59)
    assert settling.hours == pytest.approx(55.5, abs=0.01)


def test_settle_hours_are_elapsed_hours_across_the_fall_back() -> None:
    session = Session("dst", at(2026, 10, 24, 16, 30), "standard")  # CEST; clocks go back on the 25th
    settling = settle_time(session, days(dt.date(2026, 10, 24), 4, 3, 1), window_closed=True)
    assert settling.hours == 52.5  # 51.5 h on the wall clock, one more hour really passed


def course_of(sessions: list[Session], checkins: list[CheckIn], now: pendulum.DateTime, **kw: object):
    return build_course(P, now=now, sessions=sessions, checkins=checkins, **kw)  # type: ignore[arg-type]


def test_the_next_session_cuts_the_window_and_takes_the_checkins_after_it() -> None:
    second = Session("s2", at(2026, 11, 23, 10, 0), "intense", ("calf",))
    checkins = [
        *days(DAY0, 5, 3, 2),  # Fri, Sat, Sun evenings: still 2 when the next session starts
        checkin(dt.date(2026, 11, 23), 0),  # Mon 20:00, after the second session
    ]
    course = course_of([second, SESSION], checkins, at(2026, 11, 24, 9, 0))
    first_row, second_row = course.rows
    assert first_row.session.id == "s1" and first_row.until == second.started_at
    assert (first_row.checkins, first_row.peak_soreness, first_row.settling.unknown) == (3, 5, "not-settled")
    assert (second_row.checkins, second_row.peak_soreness, second_row.settling.hours) == (1, 0, 10.0)


def test_a_checkin_made_before_an_afternoon_session_belongs_to_the_session_before() -> None:
    second = Session("s2", at(2026, 11, 23, 16, 0), "standard")
    morning = checkin(dt.date(2026, 11, 23), 1, recorded=at(2026, 11, 23, 9, 0))
    course = course_of([SESSION, second], [*days(DAY0, 5, 3, None), morning], at(2026, 11, 24, 9, 0))
    assert course.rows[0].checkins == 3 and course.rows[0].settling.unknown == "gap"
    assert course.rows[1].checkins == 0 and course.rows[1].settling.unknown == "no-checkins"


def test_a_back_dated_checkin_for_the_next_sessions_day_belongs_to_the_next_session() -> None:
    second = Session("s2", at(2026, 11, 22, 10, 0), "standard")
    back = checkin(dt.date(2026, 11, 22), 6, recorded=at(2026, 11, 24, 9, 0))  # counts at 23:59:59
    course = course_of([SESSION, second], [*days(DAY0, 4, 1), back], at(2026, 11, 24, 10, 0))
    assert (course.rows[0].peak_soreness, course.rows[0].settling.hours) == (4, 27.5)
    assert course.rows[1].peak_soreness == 6


def test_each_row_carries_alerts_pauses_water_and_exercise_rounds() -> None:
    second = Session("s2", at(2026, 11, 27, 16, 30), "standard")
    exercise = Exercise("ex1", "chin tucks", per_day=2, since=DAY0)
    ticks = [
        ChecklistDay(DAY0 + dt.timedelta(days=i), frozenset({"exercise:ex1:1", "exercise:ex1:2", "rest"}))
        for i in range(3)
    ]
    intake = [
        Intake("i1", "ibuprofen", at(2026, 11, 20, 21, 0), restriction_id="anti-inflammatories"),
        Intake("i2", "wine", at(2026, 11, 25, 20, 0), restriction_id="alcohol"),  # pause long over
        Intake("i3", "coffee", at(2026, 11, 27, 18, 0), restriction_id="caffeine"),  # next session's
    ]
    checkins = days(DAY0, 4, 3, 3, 3, 3)  # soreness 3 on day 4: more than 72 h after
    course = course_of(
        [SESSION, second],
        checkins,
        at(2026, 11, 28, 9, 0),
        hydration=[HydrationDay(DAY0, 6, 10)],
        checklist=ticks,
        intake=intake,
        exercises=[exercise],
    )
    first = course.rows[0]
    assert [a.id for a in first.alerts] == ["long-soreness"]
    assert [i.what for i in first.took_during_pause] == ["ibuprofen"]
    assert [i.what for i in course.rows[1].took_during_pause] == ["coffee"]
    assert first.water_first_day == (6, 10)
    assert (first.exercise_rounds, first.exercise_due) == (6, 14)  # 7 days (20th-26th) x 2
    cells = first.cells(course.labels)
    assert cells["alerts"] == "sore >72 h" and cells["took"] == "ibuprofen"
    assert (cells["water"], cells["exercise"], cells["settled"]) == ("6/10", "6/14", "no")
    assert course.rows[1].water_first_day is None and course.rows[1].cells(course.labels)["water"] == "-"
    data = course.to_json()["sessions"][0]
    assert data["alerts"] == ["long-soreness"] and data["settle_unknown"] == "not-settled"
    assert data["water_first_day"] == {"date": "2026-11-20", "glasses": 6, "goal": 10}
    assert data["exercise_rounds"] == {"done": 6, "due": 14}


# --------------------------------------------------------------------------- the change sentence


def pain(*points: tuple[int, int]) -> Measure:
    """Usual pain rated on the given (day of Nov 2026, value) pairs."""
    return Measure("usual_pain", "usual pain", tuple(Point(dt.date(2026, 11, d), v) for d, v in points))


def activity_measure(name: str, *points: tuple[int, int]) -> Measure:
    act = Activity("a1", name, at(2026, 11, 1, 9, 0))
    return Measure("activity:a1", name, tuple(Point(dt.date(2026, 11, d), v) for d, v in points), act)


FIRST = dt.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("start", "end", "phrase", "meaningful"),
    [
        (7, 6, "usual pain 7 to 6, 1 point lower", False),
        (7, 5, "usual pain 7 to 5, 2 points lower*", True),
        (7, 4, "usual pain 7 to 4, 3 points lower*", True),
        (4, 5, "usual pain 4 to 5, 1 point higher", False),
        (4, 6, "usual pain 4 to 6, 2 points higher*", True),
        (4, 7, "usual pain 4 to 7, 3 points higher*", True),
        (5, 5, "usual pain 5 to 5, no change", False),
    ],
)
def test_change_at_and_around_two_points(start: int, end: int, phrase: str, meaningful: bool) -> None:
    change = change_since(pain((2, start), (30, end)), FIRST)
    assert change.phrase() == phrase
    assert change.meaningful is meaningful
    assert change.points == end - start
    sentence = change_sentence([change], FIRST)
    assert sentence.startswith(f"Since the first session (Mon 2 Nov 2026): {phrase}.")
    assert ("companion's threshold" in sentence) is meaningful


def test_activities_say_higher_and_lower_too_and_leave_the_judging_to_the_reader() -> None:
    changes = [
        change_since(pain((2, 7), (30, 4)), FIRST),
        change_since(activity_measure("reversing the car", (2, 3), (30, 7)), FIRST),
        change_since(activity_measure("lifting the kettle", (2, 6), (30, 4)), FIRST),
    ]
    sentence = change_sentence(changes, FIRST)
    assert (
        "usual pain 7 to 4, 3 points lower*; reversing the car 3 to 7, 4 points higher*; "
        "lifting the kettle 6 to 4, 2 points lower*." in sentence
    )
    assert "Farrar" in sentence and "Abbott and Schmitt 2014" in sentence
    for word in ("better", "worse", "improv", "should", "progress", "good", "well done", "will"):
        assert word not in sentence.lower()


def test_the_baseline_is_the_last_rating_on_or_before_the_first_session() -> None:
    measure = pain((1, 8), (2, 7), (3, 3), (30, 4))
    change = change_since(measure, FIRST)
    assert change.first == Point(dt.date(2026, 11, 2), 7) and change.latest == Point(dt.date(2026, 11, 30), 4)
    # none before the first session: the first one after it
    later = change_since(pain((9, 6), (30, 4)), FIRST)
    assert later.first == Point(dt.date(2026, 11, 9), 6) and later.points == -2


def test_missing_data_in_the_sentence() -> None:
    assert change_since(pain(), FIRST).phrase() == "usual pain not rated yet"
    once = change_since(pain((5, 6)), FIRST)
    assert once.phrase() == "usual pain 6, rated once so far" and once.points is None and not once.meaningful
    assert "No session recorded yet" in change_sentence([once], None)
    assert "nothing to compare yet" in change_sentence([], FIRST)
    sentence = change_sentence([once, change_since(pain((2, 7), (9, 6)), FIRST)], FIRST)
    assert "*" not in sentence and "threshold" not in sentence


def test_weeks_run_monday_to_sunday_and_keep_the_last_rating() -> None:
    measures = [pain((1, 8), (2, 7), (4, 6), (8, 5)), activity_measure("x", (3, 2))]
    weeks = weeks_of(measures, [dt.date(2026, 11, 2), dt.date(2026, 11, 16)])
    assert [w.monday for w in weeks] == [dt.date(2026, 10, 26), dt.date(2026, 11, 2), dt.date(2026, 11, 16)]
    assert weeks[0].values == {"usual_pain": 8, "activity:a1": None} and weeks[0].sessions == 0
    assert weeks[1].values == {"usual_pain": 5, "activity:a1": 2} and weeks[1].sessions == 1
    assert weeks[2].values == {"usual_pain": None, "activity:a1": None} and weeks[2].sessions == 1


def test_the_course_uses_the_checkins_usual_pain_and_the_activity_ratings() -> None:
    act = Activity("a1", "reversing the car", at(2026, 11, 20, 9, 0))
    ratings = [
        Rating("r1", "a1", DAY0, at(2026, 11, 20, 9, 0), 3),
        Rating("r2", "a1", dt.date(2026, 11, 27), at(2026, 11, 27, 9, 0), 5),
    ]
    checkins = [
        checkin(DAY0, 4, usual_pain=7),
        checkin(DAY0 + dt.timedelta(days=1), 2),  # no pain rating that day
        checkin(DAY0 + dt.timedelta(days=7), 0, usual_pain=6),
    ]
    complaint = Complaint("k1", "stiff neck when driving", at(2026, 11, 20, 9, 0))
    course = course_of(
        [SESSION], checkins, at(2026, 11, 28, 9, 0), complaint=complaint, activities=[act], ratings=ratings
    )
    assert [m.label for m in course.measures] == ["usual pain", "reversing the car"]
    assert [p.value for p in course.measures[0].points] == [7, 6]
    assert course.sentence.startswith(
        "Since the first session (Fri 20 Nov 2026): usual pain 7 to 6, 1 point lower; "
        "reversing the car 3 to 5, 2 points higher*."
    )
    data = course.to_json()
    assert data["complaint"]["text"] == "stiff neck when driving"
    assert data["changes"][1] == {
        "key": "activity:a1",
        "label": "reversing the car",
        "first": {"date": "2026-11-20", "value": 3},
        "latest": {"date": "2026-11-27", "value": 5},
        "points": 2,
        "meaningful": True,
    }


def test_no_complaint_and_no_pain_ratings_leave_the_pain_out() -> None:
    course = course_of([SESSION], days(DAY0, 3), at(2026, 11, 21, 9, 0))
    assert course.measures == [] and "nothing to compare yet" in course.sentence


# --------------------------------------------------------------------------- the usual pain in a check-in


def test_usual_pain_is_optional_and_apart_from_the_soreness() -> None:
    with pendulum.travel_to(at(2026, 11, 22, 10, 0), freeze=True):
        given = new_checkin(soreness=4, fatigue=2, usual_pain="6")
        left_out = new_checkin(soreness=4, fatigue=2, usual_pain="")
        with pytest.raises(InputError) as err:
            new_checkin(soreness=4, fatigue=2, usual_pain="11")
    assert (given.soreness, given.usual_pain) == (4, 6)
    assert left_out.usual_pain is None and "usual_pain" not in left_out.to_record()
    assert err.value.field == "usual_pain" and "0 to 10" in err.value.message
    assert checkin_from_record(given.to_record()).usual_pain == 6


@pytest.mark.parametrize("bad", ["6", True, 11, -1, 2.5])
def test_a_stored_usual_pain_that_breaks_the_type_is_named(bad: object) -> None:
    record = {
        "id": "c",
        "date": "2026-11-22",
        "recorded_at": "2026-11-22T20:00:00+01:00",
        "soreness": 1,
        "fatigue": 1,
        "usual_pain": bad,
    }
    with pytest.raises(InputError) as err:
        checkin_from_record(record, "checkins[4]")
    assert err.value.field == "checkins[4].usual_pain"


def test_an_older_record_without_usual_pain_or_with_null_reads_as_not_given() -> None:
    record = {
        "id": "c",
        "date": "2026-11-22",
        "recorded_at": "2026-11-22T20:00:00+01:00",
        "soreness": 1,
        "fatigue": 1,
    }
    assert checkin_from_record(record).usual_pain is None
    assert checkin_from_record({**record, "usual_pain": None}).usual_pain is None


# --------------------------------------------------------------------------- complaint and activities


def test_the_complaint_is_its_latest_wording_and_can_be_cleared() -> None:
    with pendulum.travel_to(at(2026, 11, 1, 9, 0), freeze=True):
        first = new_complaint("stiff neck")
    with pendulum.travel_to(at(2026, 11, 8, 9, 0), freeze=True):
        second = new_complaint("  stiff neck when driving ")
    with pendulum.travel_to(at(2026, 11, 9, 9, 0), freeze=True):
        cleared = new_complaint("")
    assert second.text == "stiff neck when driving"
    assert current([second, first]) == second
    assert current([first, second, cleared]) is None
    assert current([]) is None
    for bad in ("neck\x1b[2J", "two\nlines", "x" * 201):
        with pytest.raises(InputError) as err:
            new_complaint(bad)
        assert err.value.field == "text"


def test_at_most_three_activities_are_followed_and_names_are_not_repeated() -> None:
    with pendulum.travel_to(at(2026, 11, 1, 9, 0), freeze=True):
        acts: list[Activity] = []
        for name in ("reversing the car", "lifting the kettle", "sleeping on my side"):
            acts.append(new_activity(name, acts))
        with pytest.raises(InputError) as err:
            new_activity("carrying shopping", acts)
        assert err.value.field == "name" and str(MAX_ACTIVITIES) in err.value.message
        acts[0] = retired(acts[0], dt.date(2026, 11, 1))
        acts.append(new_activity("carrying shopping", acts))  # a retired one frees its place
        with pytest.raises(InputError) as err:
            new_activity("LIFTING the kettle", acts)
        assert "already" in err.value.message
        with pytest.raises(InputError):
            new_activity("   ", acts)


def test_activities_are_found_by_number_or_id_prefix() -> None:
    acts = [
        Activity("ab12cd34", "one", at(2026, 11, 1, 9, 0)),
        Activity("ab99ffff", "two", at(2026, 11, 1, 10, 0)),
        Activity("12345678", "old", at(2026, 10, 1, 9, 0), retired_on=dt.date(2026, 10, 30)),
    ]
    assert find_activity(acts, "2").name == "two"  # numbers count the followed ones only
    assert find_activity(acts, "ab1").name == "one"
    assert find_activity(acts, "123").name == "old"  # three digits: an id, not a number
    for ref, words in (("3", "1 to 2"), ("ab", "2 activities"), ("zz", "no activity")):
        with pytest.raises(InputError) as err:
            find_activity(acts, ref)
        assert err.value.field == "activity_id" and words in err.value.message


def test_a_rating_is_0_to_10_today_or_earlier_and_not_for_a_retired_activity() -> None:
    act = Activity("a1", "reversing the car", at(2026, 11, 1, 9, 0))
    with pendulum.travel_to(at(2026, 11, 22, 10, 0), freeze=True):
        assert new_rating(act, "7").date == dt.date(2026, 11, 22)
        assert new_rating(act, 0, dt.date(2026, 11, 2)).date == dt.date(2026, 11, 2)
        for score in ("11", "-1", "seven", "", None, "7.5"):
            with pytest.raises(InputError) as err:
                new_rating(act, score)
            assert err.value.field == "score" and "0 unable" in err.value.message
        with pytest.raises(InputError) as err:
            new_rating(act, 5, dt.date(2026, 11, 23))
        assert err.value.field == "date"
        with pytest.raises(InputError) as err:
            new_rating(retired(act, dt.date(2026, 11, 20)), 5)
        assert err.value.field == "activity_id" and "retired" in err.value.message


# --------------------------------------------------------------------------- the weekly prompt


ACT = Activity("a1", "reversing the car", at(2026, 1, 1, 9, 0))


def rated_on(day: dt.date) -> Rating:
    return Rating("r", ACT.id, day, at(day.year, day.month, day.day, 12, 0), 5)


def test_a_new_activity_is_due_at_once_then_weekly() -> None:
    today = dt.date(2026, 11, 22)
    assert [d.activity for d in ratings_due([ACT], [], today)] == [ACT]
    assert ratings_due([ACT], [], today)[0].last is None
    assert ratings_due([ACT], [rated_on(today - dt.timedelta(days=6))], today) == []
    due = ratings_due([ACT], [rated_on(today - dt.timedelta(days=7))], today)
    assert due[0].days_since(today) == 7
    assert ratings_due([retired(ACT, today)], [], today) == []
    assert ratings_due([ACT], [rated_on(today + dt.timedelta(days=3))], today) == []  # a clock ahead


@pytest.mark.parametrize(
    ("rated", "checked", "due"),
    [
        # Spring forward (Berlin, Sun 29 Mar 2026): 7 calendar days, fewer than 168 hours
        (at(2026, 3, 28, 0, 30), at(2026, 4, 4, 0, 10), True),
        (at(2026, 3, 28, 0, 30), at(2026, 4, 3, 23, 59), False),
        # Fall back (Sun 25 Oct 2026): more than 168 hours, only 6 calendar days
        (at(2026, 10, 24, 0, 5), at(2026, 10, 30, 23, 55), False),
        (at(2026, 10, 24, 0, 5), at(2026, 10, 31, 0, 0), True),
        # Month and year ends, leap and common Februaries
        (at(2027, 1, 31, 22, 0), at(2027, 2, 6, 23, 59), False),
        (at(2027, 1, 31, 22, 0), at(2027, 2, 7, 0, 1), True),
        (at(2027, 2, 26, 9, 0), at(2027, 3, 5, 0, 0), True),
        (at(2028, 2, 26, 9, 0), at(2028, 3, 3, 23, 0), False),
        (at(2028, 2, 26, 9, 0), at(2028, 3, 4, 0, 0), True),
        (at(2026, 12, 28, 23, 59), at(2027, 1, 4, 0, 0), True),
    ],
)
def test_the_weekly_prompt_counts_calendar_days_across_dst_and_month_ends(
    rated: pendulum.DateTime, checked: pendulum.DateTime, due: bool
) -> None:
    with pendulum.travel_to(rated, freeze=True):
        rating = new_rating(ACT, 5)
    with pendulum.travel_to(checked, freeze=True):
        assert bool(ratings_due([ACT], [rating], clock.today())) is due


INTERESTING = [
    # DST changes in the zones below, and month/year ends
    dt.datetime(2026, 3, 8, 12),
    dt.datetime(2026, 3, 29, 12),
    dt.datetime(2026, 4, 5, 12),
    dt.datetime(2026, 10, 4, 12),
    dt.datetime(2026, 10, 25, 12),
    dt.datetime(2026, 11, 1, 12),
    dt.datetime(2027, 1, 31, 12),
    dt.datetime(2027, 2, 28, 12),
    dt.datetime(2028, 2, 29, 12),
    dt.datetime(2026, 12, 31, 12),
    dt.datetime(2026, 4, 30, 12),
    dt.datetime(2026, 9, 6, 12),
]
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago", "Pacific/Chatham"]


def calendar_days(start_utc: dt.datetime, end_utc: dt.datetime, zone: str) -> int:
    """Local midnights passed from start to end, counted hour by hour with the standard library."""
    tz = ZoneInfo(zone)
    seen = {start_utc.astimezone(tz).date()}
    step = start_utc
    while step < end_utc:
        step = min(step + dt.timedelta(hours=1), end_utc)
        seen.add(step.astimezone(tz).date())
    return len(seen) - 1


@settings(max_examples=150, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    near=st.sampled_from(INTERESTING),
    before=st.integers(min_value=-4 * 1440, max_value=4 * 1440),
    gap=st.integers(min_value=0, max_value=16 * 1440),
)
def test_due_exactly_when_seven_local_calendar_days_have_passed(
    zone: str, near: dt.datetime, before: int, gap: int
) -> None:
    rated_utc = near.replace(tzinfo=dt.UTC) + dt.timedelta(minutes=before)
    checked_utc = rated_utc + dt.timedelta(minutes=gap)
    pendulum.set_local_timezone(pendulum.timezone(zone))
    with pendulum.travel_to(pendulum.instance(rated_utc), freeze=True):
        rating = new_rating(ACT, 5)
    with pendulum.travel_to(pendulum.instance(checked_utc), freeze=True):
        due = bool(ratings_due([ACT], [rating], clock.today()))
    assert due is (calendar_days(rated_utc, checked_utc, zone) >= 7)


def test_the_query_reads_the_latest_rating_and_says_when_it_was(tmp_path) -> None:
    store = Store(tmp_path / "data")
    with pendulum.travel_to(at(2026, 11, 1, 9, 0), freeze=True):
        act = new_activity("reversing the car", [])
        store.add_activity(act)
        assert [d.last for d in queries.load_ratings_due(store)] == [None]
        store.save_ratings([new_rating(act, 3)])
        assert queries.load_ratings_due(store) == []
    with pendulum.travel_to(at(2026, 11, 7, 23, 0), freeze=True):
        assert queries.load_ratings_due(store) == []
    with pendulum.travel_to(at(2026, 11, 20, 9, 0), freeze=True):
        due = queries.load_ratings_due(store)
        assert due[0].last is not None and due[0].days_since(clock.today()) == 19
        # a second rating of the same day replaces the first
        store.save_ratings([new_rating(act, 4)])
        store.save_ratings([new_rating(act, 6)])
        assert [(r.date, r.score) for r in store.all_ratings()] == [
            (dt.date(2026, 11, 1), 3),
            (dt.date(2026, 11, 20), 6),
        ]
        assert queries.load_ratings_due(store) == []
