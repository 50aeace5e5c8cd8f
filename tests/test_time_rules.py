"""Restriction timing and time parsing: elapsed hours, DST, zones, clocks that jump."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core import clock, timefmt
from companion.core.errors import InputError
from companion.core.protocol import default_protocol
from companion.core.restrictions import MonotonicCountdown, remaining_seconds, restriction_states
from companion.core.sessions import Session, new_session

P = default_protocol()
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC", "Pacific/Chatham"]


def session_at(moment: pendulum.DateTime, intensity: str = "standard") -> Session:
    return Session(id="s1", started_at=moment, intensity=intensity, areas=("neck",))


def timed(states):
    return [s for s in states if s.ends_at is not None]


def test_standard_session_restrictions_end_24_elapsed_hours_later(berlin) -> None:
    start = pendulum.datetime(2026, 11, 21, 16, 30, tz=berlin)
    states = restriction_states(P, session_at(start), start.add(hours=2))
    for state in timed(states):
        assert state.ends_at == start.add(hours=24)
        assert state.remaining_seconds == 22 * 3600
        assert state.active


def test_intense_session_restrictions_last_48_hours(berlin) -> None:
    start = pendulum.datetime(2026, 11, 21, 16, 30, tz=berlin)
    states = restriction_states(P, session_at(start, "intense"), start.add(hours=30))
    assert all(s.active and s.remaining_seconds == 18 * 3600 for s in timed(states))


def test_24_hours_across_fall_back_ends_an_hour_earlier_on_the_wall_clock(berlin) -> None:
    # 2026-10-25 03:00 CEST -> 02:00 CET: 24 elapsed hours end at 15:30 local, not 16:30
    start = pendulum.datetime(2026, 10, 24, 16, 30, tz=berlin)
    ends = timed(restriction_states(P, session_at(start), start))[0].ends_at
    assert ends.in_timezone(berlin).format("YYYY-MM-DD HH:mm") == "2026-10-25 15:30"
    assert ends.timestamp() - start.timestamp() == 24 * 3600


def test_24_hours_across_spring_forward_ends_an_hour_later_on_the_wall_clock(berlin) -> None:
    start = pendulum.datetime(2026, 3, 28, 16, 30, tz=berlin)
    ends = timed(restriction_states(P, session_at(start), start))[0].ends_at
    assert ends.in_timezone(berlin).format("YYYY-MM-DD HH:mm") == "2026-03-29 17:30"


def test_untimed_cautions_follow_the_timed_ones(berlin) -> None:
    start = pendulum.datetime(2026, 11, 21, 16, 30, tz=berlin)
    during = {s.id: s for s in restriction_states(P, session_at(start), start.add(hours=1))}
    after = {s.id: s for s in restriction_states(P, session_at(start), start.add(hours=25))}
    assert during["direct-heat"].active and during["direct-heat"].ends_at is None
    assert during["direct-heat"].remaining_seconds is None
    assert not after["direct-heat"].active and not after["deep-pressure"].active
    assert after["alcohol"].remaining_seconds == 0 and not after["alcohol"].active


def test_clock_set_back_before_the_session_never_shows_more_than_the_window(berlin) -> None:
    start = pendulum.datetime(2026, 11, 21, 16, 30, tz=berlin)
    states = restriction_states(P, session_at(start), start.subtract(hours=5))
    assert all(s.remaining_seconds == 24 * 3600 for s in timed(states))


def test_monotonic_countdown_never_grows_when_the_clock_jumps_back(berlin) -> None:
    start = pendulum.datetime(2026, 11, 21, 16, 30, tz=berlin)
    counter = MonotonicCountdown()
    first = timed(restriction_states(P, session_at(start), start.add(hours=3)))[0]
    jumped = timed(restriction_states(P, session_at(start), start.add(hours=1)))[0]
    shown_first = counter.seconds("s1", first)
    assert counter.seconds("s1", jumped) == shown_first == 21 * 3600


@settings(max_examples=150, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    start=st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 12, 31)),
    offset_minutes=st.integers(min_value=-600, max_value=4000),
    intensity=st.sampled_from(["standard", "intense"]),
)
def test_remaining_time_is_elapsed_hours_in_any_zone(zone, start, offset_minutes, intensity) -> None:
    tz = pendulum.timezone(zone)
    begin = pendulum.instance(start, tz=tz)
    now = begin.add(minutes=offset_minutes)
    hours = 24 if intensity == "standard" else 48
    for state in timed(restriction_states(P, session_at(begin, intensity), now)):
        assert state.ends_at.timestamp() - begin.timestamp() == hours * 3600
        expected = min(hours * 3600, max(0, hours * 3600 - offset_minutes * 60))
        assert state.remaining_seconds == expected
        assert state.active == (expected > 0)
        assert 0 <= state.remaining_seconds <= hours * 3600


@settings(max_examples=100, deadline=None)
@given(
    ends_in=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    total=st.integers(min_value=1, max_value=200000),
)
def test_remaining_seconds_is_never_negative_nor_past_the_window(ends_in, total) -> None:
    now = pendulum.datetime(2026, 1, 1, tz="UTC")
    left = remaining_seconds(now.add(microseconds=int(ends_in * 1e6)), now, total)
    assert 0 <= left <= total
    if ends_in <= 0:
        assert left == 0


@settings(max_examples=100, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    moment=st.datetimes(min_value=dt.datetime(2021, 1, 1), max_value=dt.datetime(2031, 1, 1)),
)
def test_iso_round_trip_keeps_the_instant(zone, moment) -> None:
    aware = pendulum.instance(moment, tz=pendulum.timezone(zone))
    back = clock.parse_stored(clock.iso(aware))
    assert back.timestamp() == aware.replace(microsecond=0).timestamp()


def test_time_without_offset_is_local_not_utc(berlin) -> None:
    parsed = clock.parse_when("2026-11-21T16:30")
    assert parsed.utcoffset() == dt.timedelta(hours=1)
    assert parsed.hour == 16


def test_time_with_offset_is_kept(berlin) -> None:
    parsed = clock.parse_when("2026-11-21T16:30+05:30")
    assert parsed.timestamp() == pendulum.datetime(2026, 11, 21, 11, 0, tz="UTC").timestamp()


def test_time_of_day_alone_means_today(berlin) -> None:
    with pendulum.travel_to(pendulum.datetime(2026, 11, 23, 18, 0, tz=berlin), freeze=True):
        parsed = clock.parse_when("16:30")
    assert parsed.format("YYYY-MM-DD HH:mm Z") == "2026-11-23 16:30 +01:00"


def test_time_in_the_spring_forward_gap_is_refused_with_a_hint(berlin) -> None:
    with pytest.raises(InputError) as err:
        clock.parse_when("2026-03-29T02:30")
    assert err.value.field == "at"
    assert "does not exist" in err.value.message and "offset" in err.value.message


def test_ambiguous_fall_back_time_is_refused_with_both_offsets(berlin) -> None:
    with pytest.raises(InputError) as err:
        clock.parse_when("2026-10-25T02:30")
    assert "happened twice" in err.value.message
    assert "+02:00" in err.value.message and "+01:00" in err.value.message
    assert clock.parse_when("2026-10-25T02:30+01:00").utcoffset() == dt.timedelta(hours=1)


@pytest.mark.parametrize(
    "text", ["yesterday", "2026-13-01T10:00", "2026-02-30T10:00", "25:00", "", "2026-11-21"]
)
def test_unparseable_times_are_refused_naming_the_field(berlin, text) -> None:
    with pytest.raises(InputError) as err:
        clock.parse_when(text)
    assert err.value.field == "at"


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "22-11-2026", "today"])
def test_impossible_dates_are_refused(text) -> None:
    with pytest.raises(InputError) as err:
        clock.parse_day(text)
    assert err.value.field == "date"


def test_session_in_the_future_is_refused(berlin) -> None:
    moment = pendulum.datetime(2026, 11, 23, 10, 0, tz=berlin)
    with pendulum.travel_to(moment, freeze=True), pytest.raises(InputError) as err:
        new_session(started_at=pendulum.datetime(2026, 11, 23, 12, 0, tz=berlin))
    assert err.value.field == "started_at" and "future" in err.value.message


def test_system_zone_fallback_is_detected(monkeypatch) -> None:
    monkeypatch.setenv("TZ", "")
    import importlib
    import warnings

    mod = importlib.import_module("pendulum.tz.local_timezone")

    def fake():
        warnings.warn("Unable not find any timezone configuration, defaulting to UTC.", stacklevel=1)
        return pendulum.UTC

    monkeypatch.setattr(mod, "_get_system_timezone", fake)
    info = clock.detect_system_zone()
    assert info.is_fallback and info.name == "UTC"
    assert clock.apply_zone("Europe/Berlin").source == "setting"
    pendulum.set_local_timezone()


def test_human_durations() -> None:
    assert timefmt.duration(5 * 3600 + 12 * 60 + 59) == "5 h 12 min"
    assert timefmt.duration(59) == "under a minute"
    assert timefmt.duration(2 * 86400 + 3 * 3600) == "2 d 3 h"
    assert timefmt.countdown(26 * 3600 + 61) == "26:01:01"
    assert timefmt.countdown(-5) == "0:00:00"


def test_left_until_reads_like_a_sentence(berlin) -> None:
    now = pendulum.datetime(2026, 11, 22, 11, 18, tz=berlin)  # a Sunday
    ends = pendulum.datetime(2026, 11, 22, 16, 30, tz=berlin)
    assert (
        timefmt.left_until(int(ends.timestamp() - now.timestamp()), ends, now)
        == "5 h 12 min left, until Sun 16:30"
    )
