"""Check-in validation and the red-flag rules of the contract."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from companion.core.alerts import alerts_for_latest, judge_checkin
from companion.core.checkins import NO_SESSION_RULES, CheckIn, before_any_session, new_checkin
from companion.core.errors import InputError
from companion.core.history import build_history
from companion.core.hydration import HydrationDay, extra_water_applies, validate_count, validate_goal
from companion.core.protocol import default_protocol
from companion.core.sessions import Session, latest_before

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
        ({"soreness": "11", "fatigue": "2"}, "soreness"),
        ({"soreness": "-1", "fatigue": "2"}, "soreness"),
        ({"soreness": "3", "fatigue": "ten"}, "fatigue"),
        ({"soreness": "3", "fatigue": "2", "stiffness": "4.5"}, "stiffness"),
        ({"soreness": "3", "fatigue": "2", "bruising": "purple"}, "bruising"),
        ({"soreness": None, "fatigue": "2"}, "soreness"),
        ({"soreness": "3", "fatigue": "2", "note": "x" * 2001}, "note"),
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
    assert err.value.field == "date"


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


def judge_sequence(session: Session, readings: list[tuple[float, int, int]], **flags) -> list[str]:
    """Alerts of the last of (hours after the session, soreness, fatigue) readings, judged
    against the ones before it."""
    made = [checkin_at(after(session, h), s, f) for h, s, f in readings[:-1]]
    h, s, f = readings[-1]
    return ids(judge_checkin(P, checkin_at(after(session, h), s, f, **flags), made, session))


# ------------------------------------------------------------------ worsening (the contract's rule)


def test_worsening_fires_on_a_relapse_6_4_6(session) -> None:
    assert judge_sequence(session, [(10, 6, 1), (20, 4, 1), (30, 6, 1)]) == ["worsening"]
    assert judge_sequence(session, [(20, 6, 1), (44, 4, 1), (56, 6, 1)]) == ["worsening"]
    # the same relapse in tiredness (soreness steady)
    assert judge_sequence(session, [(20, 1, 6), (30, 1, 4), (40, 1, 6)]) == ["worsening"]


def test_worsening_does_not_fire_on_day_6_going_from_0_to_1(session) -> None:
    assert judge_sequence(session, [(120, 0, 0), (144, 1, 0)]) == []


def test_worsening_does_not_fire_on_the_usual_day_1_peak_after_an_intense_session(session) -> None:
    # 4 a few hours after, 6 at 30 h: the soreness peaks within the usual 24-48 h
    assert judge_sequence(session, [(4, 4, 2), (30, 6, 3)]) == []


def test_a_flare_up_tick_alone_raises_nothing(session) -> None:
    assert judge_sequence(session, [(26, 3, 2), (50, 3, 2)], flare_up=True) == []
    assert ids(judge_checkin(P, checkin_at(after(session, 5), 2, 1, flare_up=True), [], session)) == []


def test_worsening_boundary_a_rise_of_exactly_2_fires_and_of_1_does_not(session) -> None:
    assert judge_sequence(session, [(10, 5, 0), (20, 3, 0), (30, 5, 0)]) == ["worsening"]
    assert judge_sequence(session, [(10, 5, 0), (20, 3, 0), (30, 4, 0)]) == []
    # past 48 h, against the check-in before
    assert judge_sequence(session, [(30, 2, 0), (50, 4, 0)]) == ["worsening"]
    assert judge_sequence(session, [(30, 2, 0), (50, 3, 0)]) == []


def test_worsening_boundary_the_rise_must_reach_3(session) -> None:
    assert judge_sequence(session, [(10, 3, 0), (20, 1, 0), (30, 3, 0)]) == ["worsening"]
    assert judge_sequence(session, [(10, 2, 0), (20, 0, 0), (30, 2, 0)]) == []
    assert judge_sequence(session, [(30, 1, 0), (50, 3, 0)]) == ["worsening"]
    assert judge_sequence(session, [(30, 0, 0), (50, 2, 0)]) == []


def test_worsening_boundary_at_exactly_48_hours_compares_with_the_lowest_only(session) -> None:
    # 2 -> 4 at 48 h exactly is the usual course; a minute later it counts
    assert judge_sequence(session, [(30, 2, 0), (48, 4, 0)]) == []
    assert judge_sequence(session, [(30, 2, 0), (48 + 1 / 60, 4, 0)]) == ["worsening"]


def test_worsening_counts_from_the_lowest_since_it_began_to_ease(session) -> None:
    # 1 at first, a peak of 5, then 4: back to 5 is one point, not four above the start
    assert judge_sequence(session, [(2, 1, 0), (20, 5, 0), (30, 4, 0), (40, 5, 0)]) == []
    # easing slowly, then up two: 6, 3, 4 then 5 is two above the lowest
    assert judge_sequence(session, [(10, 6, 0), (20, 3, 0), (30, 4, 0), (40, 5, 0)]) == ["worsening"]


def test_worsening_needs_a_session(berlin) -> None:
    earlier = checkin_at(pendulum.datetime(2026, 11, 18, 9, tz=TZ), 6)
    middle = checkin_at(pendulum.datetime(2026, 11, 19, 9, tz=TZ), 3)
    now = checkin_at(pendulum.datetime(2026, 11, 20, 9, tz=TZ), 6)
    assert ids(judge_checkin(P, now, [earlier, middle], None)) == []


def test_checkins_before_the_session_are_not_compared(session) -> None:
    before = [
        checkin_at(session.started_at.subtract(hours=50), 6),
        checkin_at(session.started_at.subtract(hours=30), 1),
    ]
    now = checkin_at(after(session, 50), 4)
    assert ids(judge_checkin(P, now, before, session)) == []


def test_no_session_still_flags_what_does_not_depend_on_it(berlin) -> None:
    c = checkin_at(pendulum.datetime(2026, 11, 20, 9, tz=TZ), 9, bruising="severe")
    assert ids(judge_checkin(P, c, [], None)) == ["severe-pain", "heavy-bruising"]


def test_alerts_for_latest_judges_against_the_latest_session_before_it(session) -> None:
    newer = Session(id="s2", started_at=after(session, 100))
    day4 = checkin_at(after(session, 96), 3)  # before the newer session
    latest, alerts = alerts_for_latest(P, [day4], [session, newer])
    assert latest is day4 and ids(alerts) == ["long-soreness"]


def test_a_check_in_made_the_moment_its_session_started_is_judged_against_it(session) -> None:
    """At the same second, the session counts as begun: the note never says a check-in comes
    before a session that its alerts are judged against."""
    same = checkin_at(session.started_at, 9)
    assert latest_before([session], same.moment) is session
    assert before_any_session([session], same) is None
    assert ids(alerts_for_latest(P, [same], [session])[1]) == ["severe-pain"]
    one_second_early = checkin_at(session.started_at.subtract(seconds=1), 9)
    assert latest_before([session], one_second_early.moment) is None
    assert before_any_session([session], one_second_early) is not None


def test_a_check_in_before_every_session_names_the_first_of_them(session) -> None:
    later = Session(id="s2", started_at=session.started_at.add(days=3))
    early = checkin_at(pendulum.datetime(2026, 11, 19, 10, tz=TZ), 3)
    note = before_any_session([later, session], early, redo="give the date again")
    assert note == (
        "This check-in (Thu 19 Nov 2026) comes before your first recorded session "
        f"(Fri 20 Nov 2026 16:30). Only the alerts that need no session ({NO_SESSION_RULES}) apply "
        "to it. If its date is wrong, give the date again."
    )
    assert before_any_session([later, session], checkin_at(after(session, 1), 3)) is None
    assert before_any_session([], early) == (
        f"No needling session is recorded yet. Only the alerts that need no session ({NO_SESSION_RULES}) "
        "apply to it. Record your session to follow the days after it."
    )


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
    assert err.value.field == "goal"


def test_drink_more_than_usual_applies_for_the_first_24_hours(session) -> None:
    assert extra_water_applies(P, session, after(session, 23.9))
    assert not extra_water_applies(P, session, after(session, 24))
    assert not extra_water_applies(P, None, after(session, 1))
