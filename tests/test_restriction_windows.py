"""Restriction windows to the second: where a window ends (elapsed hours, rounded to the
second), how much is left (rounded up, never past the window), when it stops being
active, and when an untimed caution goes with it."""

from __future__ import annotations

import dataclasses

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core.protocol import Protocol, default_protocol
from companion.core.restrictions import (
    OLD_SESSION_DAYS,
    MonotonicCountdown,
    RestrictionState,
    newly_ended,
    recorded_session_lines,
    remaining_seconds,
    restriction_states,
    states_at,
    window_end,
)
from companion.core.sessions import Session

TZ = "Europe/Berlin"
START = pendulum.datetime(2026, 11, 20, 16, 30, tz=TZ)
P = default_protocol()


@pytest.fixture(autouse=True)
def _berlin(berlin: str) -> None:
    pass


def with_hours(hours: float) -> Protocol:
    """The shipped protocol with every timed restriction lasting ``hours``."""
    changed = tuple(
        dataclasses.replace(r, hours={k: hours for k in r.hours}) if r.hours is not None else r
        for r in P.restrictions
    )
    return dataclasses.replace(P, restrictions=changed)


def states(
    protocol: Protocol, moment: pendulum.DateTime, intensity: str = "standard"
) -> dict[str, RestrictionState]:
    session = Session(id="s", started_at=START, intensity=intensity)
    return {s.id: s for s in restriction_states(protocol, session, moment)}


def test_a_window_ends_its_hours_after_the_start_rounded_to_the_second() -> None:
    session = Session(id="s", started_at=START)
    assert window_end(session, 24) == START.add(hours=24)
    # a clinic's 23.9999 h is 86399.64 s: the nearest second, not the one before
    assert window_end(session, 23.9999) == START.add(seconds=86400)
    assert window_end(session, 0.0002) == START.add(seconds=1)  # 0.72 s
    assert window_end(session, 0.0004) == START.add(seconds=1)  # 1.44 s
    assert window_end(session, 0.0001) == START  # 0.36 s
    assert window_end(session, 24).timezone_name == TZ


def test_remaining_seconds_round_up_and_stop_at_the_window() -> None:
    ends = START.add(hours=1)
    assert remaining_seconds(ends, ends.subtract(seconds=10), 3600) == 10
    assert remaining_seconds(ends, ends.subtract(seconds=10, microseconds=200_000), 3600) == 11
    assert remaining_seconds(ends, ends.subtract(microseconds=1), 3600) == 1
    assert remaining_seconds(ends, ends, 3600) == 0
    assert remaining_seconds(ends, ends.add(seconds=5), 3600) == 0
    assert remaining_seconds(ends, START, 3600) == 3600
    assert remaining_seconds(ends, START.subtract(hours=5), 3600) == 3600  # a clock set back


def test_a_timed_restriction_is_active_until_its_very_last_second() -> None:
    end = START.add(hours=24)
    before = states(P, end.subtract(seconds=1))
    at_end = states(P, end)
    assert before["alcohol"].active and before["alcohol"].remaining_seconds == 1
    assert not at_end["alcohol"].active and at_end["alcohol"].remaining_seconds == 0
    assert at_end["alcohol"].ends_at == end and at_end["alcohol"].total_seconds == 24 * 3600
    # the untimed cautions go with the timed ones
    assert before["direct-heat"].active and not at_end["direct-heat"].active
    assert at_end["direct-heat"].ends_at is None and at_end["direct-heat"].remaining_seconds is None
    assert at_end["direct-heat"].total_seconds is None
    assert [s.id for s in restriction_states(P, Session(id="s", started_at=START), end)] == [
        r.id for r in P.restrictions
    ]


def test_an_intense_session_lasts_48_hours_and_a_clinic_may_set_fractions() -> None:
    assert states(P, START.add(hours=47, minutes=59, seconds=59), "intense")["alcohol"].active
    assert not states(P, START.add(hours=48), "intense")["alcohol"].active
    almost = states(with_hours(23.9999), START)  # 86399.64 s, to the nearest second
    assert almost["alcohol"].remaining_seconds == 86400 and almost["alcohol"].total_seconds == 86400
    assert states(with_hours(23.9999), START.add(seconds=86399))["alcohol"].active
    assert not states(with_hours(23.9999), START.add(seconds=86400))["alcohol"].active


def test_an_untimed_caution_lasts_while_any_timed_one_does() -> None:
    # a clinic that ends the caffeine pause after 12 h and keeps the others for 24 h
    changed = tuple(
        dataclasses.replace(r, hours={k: 12.0 for k in r.hours}) if r.id == "caffeine" and r.hours else r
        for r in P.restrictions
    )
    clinic = dataclasses.replace(P, restrictions=changed)
    midway = states(clinic, START.add(hours=13))
    assert not midway["caffeine"].active and midway["alcohol"].active
    assert midway["direct-heat"].active and midway["deep-pressure"].active
    assert not states(clinic, START.add(hours=24))["direct-heat"].active
    lines = recorded_session_lines(clinic, Session(id="s", started_at=START), START.add(hours=13))
    assert any("already over" in line for line in lines)
    assert sum("go easy while the others last" in line for line in lines) == 2


@settings(max_examples=300, deadline=None)
@given(
    hours=st.sampled_from([0.0004, 12.0, 23.9999, 24.0, 48.0]),
    first=st.integers(min_value=-3600, max_value=50 * 3600),
    later=st.integers(min_value=-3600, max_value=50 * 3600),
    micro=st.integers(min_value=0, max_value=999_999),
    intensity=st.sampled_from(["standard", "intense"]),
)
def test_moving_the_states_on_gives_what_working_them_out_again_gives(
    hours: float, first: int, later: int, micro: int, intensity: str
) -> None:
    """The app's tick moves the states of its snapshot on (states_at) instead of working
    them out again each second: to the second the same, the end flipping at the same
    moment, the untimed cautions going with the timed ones, also across a DST change."""
    changed = tuple(
        dataclasses.replace(r, hours={k: 12.0 for k in r.hours}) if r.id == "caffeine" and r.hours else r
        for r in with_hours(hours).restrictions
    )
    protocol = dataclasses.replace(P, restrictions=changed)
    # Sat 24 Oct 2026 20:00 Berlin: the clocks go back in the night after.
    session = Session(id="s", started_at=pendulum.datetime(2026, 10, 24, 20, 0, tz=TZ), intensity=intensity)
    then = session.started_at.add(seconds=first)
    moment = session.started_at.add(seconds=later, microseconds=micro)
    expected = restriction_states(protocol, session, moment)
    moved = states_at(restriction_states(protocol, session, then), moment)
    assert moved == expected
    assert states_at(moved, moment) == expected


def test_no_session_no_restrictions() -> None:
    assert restriction_states(P, None, START) == []


def test_the_json_of_a_state() -> None:
    state = states(P, START.add(hours=1))["alcohol"]
    record = state.to_json()
    assert record["id"] == "alcohol" and record["active"] is True
    assert record["remaining_seconds"] == 23 * 3600
    assert record["ends_at"] == "2026-11-21T16:30:00+01:00"
    alcohol = next(r for r in P.restrictions if r.id == "alcohol")
    assert record == {
        "id": "alcohol",
        "title": alcohol.title,
        "ends_at": "2026-11-21T16:30:00+01:00",
        "remaining_seconds": 23 * 3600,
        "active": True,
        "sources": list(alcohol.sources),
        "avoid": alcohol.avoid,
        "why": alcohol.why,
    }
    noted = states(P, START.add(hours=1))["anti-inflammatories"].to_json()
    assert noted["note"] == next(r for r in P.restrictions if r.id == "anti-inflammatories").labelled_note
    untimed = states(P, START.add(hours=1))["direct-heat"].to_json()
    assert untimed["ends_at"] is None and untimed["remaining_seconds"] is None and untimed["active"] is True


def test_newly_ended_names_the_timed_ones_that_just_ended() -> None:
    before = list(states(P, START.add(hours=24, seconds=-1)).values())
    after = list(states(P, START.add(hours=24)).values())
    ended = newly_ended(before, after)
    assert {s.id for s in ended} == {r.id for r in P.restrictions if r.hours is not None}
    assert newly_ended(after, after) == []
    assert newly_ended(before, before) == []


def test_a_countdown_never_grows_and_a_new_session_starts_afresh() -> None:
    countdown = MonotonicCountdown()
    early = states(P, START.add(hours=2))["alcohol"]
    late = states(P, START.add(hours=3))["alcohol"]
    assert countdown.seconds("s", late) == 21 * 3600
    assert countdown.seconds("s", early) == 21 * 3600  # the clock went back: still 21 h
    assert countdown.seconds("t", early) == 22 * 3600
    assert countdown.seconds("s", states(P, START.add(hours=1))["direct-heat"]) is None


def test_an_old_session_gets_a_word_about_its_date_after_30_days_not_at_30() -> None:
    assert OLD_SESSION_DAYS == 30
    session = Session(id="s", started_at=START)
    at_30 = recorded_session_lines(P, session, START.add(days=30))
    just_after = recorded_session_lines(P, session, START.add(days=30, seconds=1))
    assert not any("if the date is wrong" in line for line in at_30)
    assert "if the date is wrong" in just_after[0]
    lines = recorded_session_lines(P, session, START.add(hours=1))
    assert any("alcohol" in line.lower() and "avoid until" in line for line in lines)
    assert any("go easy while the others last" in line for line in lines)
    over = recorded_session_lines(P, session, START.add(hours=25))
    assert any("already over" in line for line in over)
    assert any("no longer needed" in line for line in over)
