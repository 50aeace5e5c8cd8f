"""Every red-flag threshold pinned at its exact boundary, to the second and to the point.

A missed alert is the worst bug: `>` written as `>=`, hours counted as `/3601`, a
threshold off by one point would each pass tests that stay an hour or two points away
from the line. Here each rule is checked on both sides of its line, as close as the
data allows (one second, one point).
"""

from __future__ import annotations

import dataclasses

import pendulum
import pytest

from companion.core.alerts import (
    ALERT_ORDER,
    WORSENING_AFTER_HOURS,
    WORSENING_FLOOR,
    WORSENING_RISE,
    alerts_for_latest,
    belongs_to,
    current_alerts,
    earlier_since_session,
    judge_checkin,
    scale_worsened,
)
from companion.core.checkins import CheckIn, checkin_from_record, new_checkin
from companion.core.protocol import Protocol, RedFlag, default_protocol
from companion.core.sessions import Session, new_session, session_from_record

P = default_protocol()
TZ = "Europe/Berlin"
START = pendulum.datetime(2026, 11, 20, 16, 30, tz=TZ)


@pytest.fixture
def session(berlin) -> Session:
    return Session(id="s1", started_at=START)


def checkin(moment: pendulum.DateTime, soreness: int = 0, fatigue: int = 0, **kw) -> CheckIn:
    return CheckIn(
        id=f"c-{moment.isoformat()}",
        date=moment.date(),
        recorded_at=moment,
        soreness=soreness,
        fatigue=fatigue,
        **kw,
    )


def fired(c: CheckIn, session: Session | None, earlier: list[CheckIn] | None = None, protocol=P) -> list[str]:
    return [a.id for a in judge_checkin(protocol, c, earlier or [], session)]


def with_flags(flags: list[RedFlag]) -> Protocol:
    """The shipped protocol with these red flags in place of its own."""
    return dataclasses.replace(P, red_flags=tuple(flags), _flags_by_id={f.id: f for f in flags})


def at_hours(hours: int, seconds: int = 0) -> pendulum.DateTime:
    return START.add(hours=hours, seconds=seconds)


def test_the_contracts_numbers_are_the_shipped_protocols() -> None:
    flag = P.red_flag
    assert (flag("long-soreness").after_hours, flag("long-soreness").min_soreness) == (72, 2)
    assert (flag("long-fatigue").after_hours, flag("long-fatigue").min_fatigue) == (48, 5)
    assert flag("severe-pain").min_soreness == 8
    worsening = flag("worsening")
    assert (worsening.after_hours, worsening.min_soreness, worsening.min_fatigue, worsening.min_rise) == (
        48,
        3,
        3,
        2,
    )
    assert (WORSENING_FLOOR, WORSENING_RISE, WORSENING_AFTER_HOURS) == (3, 2, 48.0)
    assert ALERT_ORDER == (
        "urgent-breathing",
        "severe-pain",
        "long-soreness",
        "worsening",
        "long-fatigue",
        "heavy-bruising",
    )


# ---------------------------------------------------------------------- hours: to the second


def test_long_soreness_fires_one_second_after_72_hours_not_at_72(session) -> None:
    assert "long-soreness" not in fired(checkin(at_hours(72), 2), session)
    assert "long-soreness" in fired(checkin(at_hours(72, 1), 2), session)
    # the second before the line, with the highest soreness short of severe
    assert "long-soreness" not in fired(checkin(at_hours(71, 3599), 7), session)


def test_a_check_in_at_72_hours_is_judged_as_it_is_stored(berlin) -> None:
    """The clock has microseconds, a stored moment has none: a check-in made 72 h and half a
    second after a session raised long-soreness when saved, and none once read back."""
    with pendulum.travel_to(START.add(microseconds=250_000), freeze=True):
        recorded = new_session(started_at=None)
    with pendulum.travel_to(recorded.started_at.add(hours=72, microseconds=500_000), freeze=True):
        made = new_checkin(soreness=3, fatigue=0)
    read_back = checkin_from_record(made.to_record())
    stored_session = session_from_record(recorded.to_record())
    assert fired(made, recorded) == fired(read_back, stored_session) == []
    assert made.moment == read_back.moment and recorded.started_at == stored_session.started_at


def test_long_fatigue_fires_one_second_after_48_hours_not_at_48(session) -> None:
    assert fired(checkin(at_hours(48), 0, 5), session) == []
    assert fired(checkin(at_hours(48, 1), 0, 5), session) == ["long-fatigue"]
    assert fired(checkin(at_hours(47, 3599), 0, 10), session) == []


def test_worsening_counts_the_previous_check_in_one_second_after_48_hours(session) -> None:
    earlier = [checkin(at_hours(30), 2)]
    assert fired(checkin(at_hours(48), 4), session, earlier) == []
    assert fired(checkin(at_hours(48, 1), 4), session, earlier) == ["worsening"]


def test_hours_are_counted_in_real_hours_across_the_fall_back() -> None:
    # 24 Oct 2026 16:30 in Berlin; 25 Oct has 25 hours. 72 elapsed hours end on
    # 27 Oct at 15:30 by the wall clock, not at 16:30.
    pendulum.set_local_timezone(pendulum.timezone(TZ))
    try:
        s = Session(id="dst", started_at=pendulum.datetime(2026, 10, 24, 16, 30, tz=TZ))
        wall = pendulum.datetime(2026, 10, 27, 15, 30, tz=TZ)
        assert "long-soreness" not in fired(checkin(wall, 2), s)
        assert "long-soreness" in fired(checkin(wall.add(seconds=1), 2), s)
    finally:
        pendulum.set_local_timezone()


# ---------------------------------------------------------------------- points: to the point


def test_long_soreness_needs_soreness_2(session) -> None:
    assert fired(checkin(at_hours(80), 2), session) == ["long-soreness"]
    assert fired(checkin(at_hours(80), 1), session) == []


def test_long_fatigue_needs_fatigue_5(session) -> None:
    assert fired(checkin(at_hours(60), 0, 5), session) == ["long-fatigue"]
    assert fired(checkin(at_hours(60), 0, 4), session) == []


def test_severe_pain_at_8_and_sharp_pain_alone(session) -> None:
    assert fired(checkin(at_hours(1), 8), session) == ["severe-pain"]
    assert fired(checkin(at_hours(1), 7), session) == []
    assert fired(checkin(at_hours(1), 0, sharp_pain=True), session) == ["severe-pain"]
    assert fired(checkin(at_hours(1), 8), None) == ["severe-pain"]


def test_heavy_bruising_is_severe_only(session) -> None:
    for level in ("none", "mild", "moderate"):
        assert fired(checkin(at_hours(1), 0, bruising=level), session) == []
    assert fired(checkin(at_hours(1), 0, bruising="severe"), session) == ["heavy-bruising"]


def test_breathing_trouble_is_urgent_with_the_urgent_action(session) -> None:
    (alert,) = judge_checkin(P, checkin(at_hours(1), 0, breathing_trouble=True), [], session)
    assert (alert.id, alert.level, alert.urgent) == ("urgent-breathing", "urgent", True)
    assert alert.action == P.get_help.urgent_action
    assert alert.to_json() == {"id": "urgent-breathing", "level": "urgent", "message": alert.message}


def test_a_contact_alert_names_who_to_call_and_an_urgent_one_does_not(session) -> None:
    c = checkin(at_hours(1), 9, breathing_trouble=True)
    urgent, pain = judge_checkin(P, c, [], session, contact="Riverside Physio: 0123")
    assert urgent.contact == "" and "Riverside" not in urgent.message
    assert pain.contact == "Riverside Physio: 0123"
    assert pain.message == f"{pain.advice} (Riverside Physio: 0123)"
    assert pain.action == P.get_help.contact_action and not pain.urgent


def test_every_flag_at_once_comes_in_the_contracts_order(session) -> None:
    earlier = [checkin(at_hours(60), 2, 2)]
    c = checkin(at_hours(80), 9, 9, bruising="severe", sharp_pain=True, breathing_trouble=True, flare_up=True)
    assert fired(c, session, earlier) == list(ALERT_ORDER)


# ---------------------------------------------------------------------- the worsening rule's edges


def test_scale_worsened_at_its_edges() -> None:
    # below the floor nothing counts, at the floor it does
    assert not scale_worsened([5, 0], 2, floor=3, rise=2, late=False)
    assert scale_worsened([5, 1], 3, floor=3, rise=2, late=False)
    # the rise counts from the lowest since the first fall: 6, 4, 5 -> 6 is only 2 above 4
    assert scale_worsened([6, 4, 5], 6, floor=3, rise=2, late=False)
    assert not scale_worsened([6, 4, 5], 5, floor=3, rise=2, late=False)
    # a rise before any fall is the usual peak, unless late
    assert not scale_worsened([1, 3], 5, floor=3, rise=2, late=False)
    assert scale_worsened([1, 3], 5, floor=3, rise=2, late=True)
    assert not scale_worsened([1, 4], 5, floor=3, rise=2, late=True)
    # the fall is found between the first two values too
    assert scale_worsened([4, 2], 4, floor=3, rise=2, late=False)
    # an equal value is no fall
    assert not scale_worsened([4, 4], 6, floor=3, rise=2, late=False)
    assert not scale_worsened([], 9, floor=3, rise=2, late=True)


def test_a_protocol_that_leaves_a_number_out_falls_back_to_the_contracts(session) -> None:
    worsening = P.red_flag("worsening")
    bare = dataclasses.replace(
        worsening, after_hours=None, min_soreness=None, min_fatigue=None, min_rise=None
    )
    protocol = with_flags([bare if f.id == "worsening" else f for f in P.red_flags])
    assert protocol.red_flag("worsening").min_rise is None
    earlier = [checkin(at_hours(30), 1, 1)]
    # the defaults: floor 3, rise 2, late after 48 h
    assert fired(checkin(at_hours(48, 1), 3), session, earlier, protocol) == ["worsening"]
    assert fired(checkin(at_hours(48), 3), session, earlier, protocol) == []
    assert fired(checkin(at_hours(48, 1), 2), session, [checkin(at_hours(30), 0)], protocol) == []
    assert fired(checkin(at_hours(48, 1), 0, 3), session, earlier, protocol) == ["worsening"]


def test_a_flag_without_its_numbers_still_fires_from_one_point(session) -> None:
    flags = []
    for f in P.red_flags:
        if f.id == "long-soreness":
            f = dataclasses.replace(f, min_soreness=None)
        if f.id == "long-fatigue":
            f = dataclasses.replace(f, min_fatigue=None)
        flags.append(f)
    protocol = with_flags(flags)
    assert fired(checkin(at_hours(80), 1, 1), session, protocol=protocol) == ["long-soreness", "long-fatigue"]
    assert fired(checkin(at_hours(80), 0, 0), session, protocol=protocol) == []


# ---------------------------------------------------------------------- which check-ins count


def test_earlier_check_ins_are_those_of_the_session_before_this_one(session) -> None:
    first = checkin(START, 6)  # made at the session's very start: it counts
    before = checkin(START.subtract(seconds=1), 6)
    this = checkin(at_hours(30), 5)
    same_moment = dataclasses.replace(checkin(at_hours(30), 1), id="other")
    later = checkin(at_hours(40), 1)
    got = earlier_since_session(this, [later, this, same_moment, before, first], session)
    assert [c.id for c in got] == [first.id]
    everything = earlier_since_session(this, [later, before, first], None)
    assert [c.id for c in everything] == [before.id, first.id]


def test_the_latest_check_in_is_judged_and_only_while_its_session_is_current(session) -> None:
    c1 = checkin(at_hours(20), 6)
    c2 = checkin(at_hours(30), 3)
    c3 = checkin(at_hours(40), 5)
    latest, alerts = alerts_for_latest(P, [c3, c1, c2], [session])
    assert latest is c3 and [a.id for a in alerts] == ["worsening"]
    assert alerts_for_latest(P, [], [session]) == (None, [])
    newer = Session(id="s2", started_at=at_hours(50))
    assert current_alerts(P, [c1, c2, c3], [session, newer], newer) == (None, [])
    assert current_alerts(P, [c1, c2, c3], [session], session)[1] == alerts
    assert current_alerts(P, [], [session], session) == (None, [])
    assert belongs_to(c1, [], None)
    assert not belongs_to(c1, [session], None)
    assert not belongs_to(c1, [], session)


def test_the_current_alerts_are_those_of_the_newest_check_in_under_the_newest_session(session) -> None:
    old = checkin(at_hours(20), 1)  # under the first session
    newer = Session(id="s2", started_at=at_hours(30))
    new = checkin(at_hours(40), 9)  # under the second: severe pain
    latest, alerts = current_alerts(P, [new, old], [session, newer], newer)
    assert latest is new and [a.id for a in alerts] == ["severe-pain"]
    latest, alerts = current_alerts(P, [old, new], [session, newer], newer)
    assert latest is new and [a.id for a in alerts] == ["severe-pain"]
