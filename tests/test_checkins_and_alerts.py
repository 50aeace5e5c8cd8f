"""Check-in validation and the red-flag rules of the contract."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from companion.core.alerts import alerts_for_latest, judge_checkin
from companion.core.checkins import CheckIn, new_checkin
from companion.core.errors import InputError
from companion.core.history import build_history
from companion.core.hydration import HydrationDay, extra_water_applies, validate_count, validate_goal
from companion.core.protocol import default_protocol
from companion.core.sessions import Session

P = default_protocol()
TZ = "Europe/Berlin"


@pytest.fixture
def session(berlin) -> Session:
    return Session(id="s1", started_at=pendulum.datetime(2026, 11, 20, 16, 30, tz=TZ))


def checkin_at(moment: pendulum.DateTime, soreness: int = 0, fatigue: int = 0, **kw) -> CheckIn:
    return CheckIn(
        id=f"c-{moment.isoformat()}",
        date=moment.date(),
        recorded_at=moment,
        soreness=soreness,
        fatigue=fatigue,
        **kw,
    )


def ids(alerts) -> list[str]:
    return [a.id for a in alerts]


def after(session: Session, hours: float) -> pendulum.DateTime:
    return session.started_at.add(minutes=int(hours * 60))


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"soreness": "11", "fatigue": "2"}, "--soreness"),
        ({"soreness": "-1", "fatigue": "2"}, "--soreness"),
        ({"soreness": "3", "fatigue": "ten"}, "--fatigue"),
        ({"soreness": "3", "fatigue": "2", "stiffness": "4.5"}, "--stiffness"),
        ({"soreness": "3", "fatigue": "2", "bruising": "purple"}, "--bruising"),
        ({"soreness": None, "fatigue": "2"}, "--soreness"),
        ({"soreness": "3", "fatigue": "2", "note": "x" * 2001}, "--note"),
    ],
)
def test_bad_checkin_values_name_the_field(berlin, kwargs, field) -> None:
    with pytest.raises(InputError) as err:
        new_checkin(**kwargs)
    assert err.value.field == field


def test_checkin_for_a_future_day_is_refused(berlin) -> None:
    moment = pendulum.datetime(2026, 11, 23, 10, tz=TZ)
    with pendulum.travel_to(moment, freeze=True), pytest.raises(InputError) as err:
        new_checkin(soreness=1, fatigue=1, day=dt.date(2026, 11, 24))
    assert err.value.field == "--date"


def test_form_labels_can_replace_cli_flag_names(berlin) -> None:
    with pytest.raises(InputError) as err:
        new_checkin(soreness="12", fatigue="1", field_names={"soreness": "Soreness"})
    assert err.value.field == "Soreness"


def test_backdated_checkin_counts_at_the_end_of_its_day(berlin) -> None:
    with pendulum.travel_to(pendulum.datetime(2026, 11, 23, 9, tz=TZ), freeze=True):
        c = new_checkin(soreness=2, fatigue=1, day=dt.date(2026, 11, 21))
    assert c.moment.format("YYYY-MM-DD HH:mm:ss") == "2026-11-21 23:59:59"
    with pendulum.travel_to(pendulum.datetime(2026, 11, 23, 9, tz=TZ), freeze=True):
        today = new_checkin(soreness=2, fatigue=1)
    assert today.moment == today.recorded_at


# ------------------------------------------------------------------ alert rules


def test_soreness_after_72_hours_flags_long_soreness(session) -> None:
    assert "long-soreness" in ids(judge_checkin(P, checkin_at(after(session, 73), 2), [], session))
    assert "long-soreness" not in ids(judge_checkin(P, checkin_at(after(session, 71), 5), [], session))
    assert "long-soreness" not in ids(judge_checkin(P, checkin_at(after(session, 80), 1), [], session))


def test_severe_pain_from_soreness_8_or_sharp_pain(session) -> None:
    assert ids(judge_checkin(P, checkin_at(after(session, 2), 8), [], session)) == ["severe-pain"]
    assert ids(judge_checkin(P, checkin_at(after(session, 2), 7), [], session)) == []
    assert ids(judge_checkin(P, checkin_at(after(session, 2), 1, sharp_pain=True), [], session)) == [
        "severe-pain"
    ]


def test_fatigue_past_48_hours_flags_long_fatigue(session) -> None:
    assert ids(judge_checkin(P, checkin_at(after(session, 49), 0, 5), [], session)) == ["long-fatigue"]
    assert ids(judge_checkin(P, checkin_at(after(session, 47), 0, 9), [], session)) == []
    assert ids(judge_checkin(P, checkin_at(after(session, 49), 0, 4), [], session)) == []


def test_severe_bruising_and_breathing_trouble(session) -> None:
    alerts = judge_checkin(
        P, checkin_at(after(session, 3), 1, bruising="severe", breathing_trouble=True), [], session
    )
    assert ids(alerts) == ["urgent-breathing", "heavy-bruising"]
    assert alerts[0].level == "urgent" and alerts[0].urgent
    assert alerts[1].level == "contact-clinician"


def test_rising_soreness_more_than_24_hours_after_is_worsening(session) -> None:
    first = checkin_at(after(session, 20), 3)
    second = checkin_at(after(session, 26), 4)
    assert ids(judge_checkin(P, second, [first], session)) == ["worsening"]


def test_rising_within_the_first_day_is_normal_unless_it_had_started_to_fall(session) -> None:
    a = checkin_at(after(session, 2), 3)
    b = checkin_at(after(session, 6), 4)
    assert ids(judge_checkin(P, b, [a], session)) == []
    c = checkin_at(after(session, 10), 2)
    d = checkin_at(after(session, 14), 3)
    assert ids(judge_checkin(P, d, [a, b, c], session)) == ["worsening"]


def test_fatigue_rising_again_counts_as_worsening(session) -> None:
    seq = [checkin_at(after(session, 26), 2, 4), checkin_at(after(session, 50), 1, 2)]
    later = checkin_at(after(session, 60), 1, 3)
    assert "worsening" in ids(judge_checkin(P, later, seq, session))


def test_checkins_before_the_session_are_not_compared(session) -> None:
    before = checkin_at(session.started_at.subtract(hours=30), 1)
    now = checkin_at(after(session, 30), 3)
    assert ids(judge_checkin(P, now, [before], session)) == []


def test_no_session_still_flags_what_does_not_depend_on_it(berlin) -> None:
    c = checkin_at(pendulum.datetime(2026, 11, 20, 9, tz=TZ), 9, bruising="severe")
    assert ids(judge_checkin(P, c, [], None)) == ["severe-pain", "heavy-bruising"]


def test_alerts_for_latest_judges_against_the_latest_session_before_it(session) -> None:
    newer = Session(id="s2", started_at=after(session, 100))
    day4 = checkin_at(after(session, 96), 3)  # before the newer session
    latest, alerts = alerts_for_latest(P, [day4], [session, newer])
    assert latest is day4 and ids(alerts) == ["long-soreness"]


def test_history_rows_group_days_under_their_session(session) -> None:
    c = checkin_at(after(session, 96), 3)
    rows = build_history(
        P,
        first=dt.date(2026, 11, 19),
        last=dt.date(2026, 11, 24),
        sessions=[session],
        checkins=[c],
        hydration=[HydrationDay(dt.date(2026, 11, 21), 5, 8)],
        checklist=[],
        default_goal=8,
    )
    assert [r.date.day for r in rows] == [24, 23, 22, 21, 20, 19]
    assert [r.session_day for r in rows] == [4, 3, 2, 1, 0, None]
    by_day = {r.date.day: r for r in rows}
    assert by_day[24].checkin is c and [a.id for a in by_day[24].alerts] == ["long-soreness"]
    assert (by_day[21].glasses, by_day[21].goal) == (5, 8)
    assert by_day[22].glasses == 0 and by_day[22].goal == 8


# ------------------------------------------------------------------ hydration


def test_water_counts_and_goal_validation() -> None:
    day = HydrationDay(dt.date(2026, 11, 22), 0, 8)
    assert day.add(3).add(6).glasses == 9  # ticks may exceed the goal
    assert day.add(8).met
    with pytest.raises(InputError):
        day.undo()
    for bad in ("0", "-2", "x", "41"):
        with pytest.raises(InputError):
            validate_count(bad)
    with pytest.raises(InputError) as err:
        validate_goal("0")
    assert err.value.field == "--goal"


def test_drink_more_than_usual_applies_for_the_first_24_hours(session) -> None:
    assert extra_water_applies(P, session, after(session, 23.9))
    assert not extra_water_applies(P, session, after(session, 24))
    assert not extra_water_applies(P, None, after(session, 1))
