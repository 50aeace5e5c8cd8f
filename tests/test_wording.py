"""Counts agree with their number; example dates in hints are computed from today."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from companion.core import clock
from companion.core.appointments import new_appointment
from companion.core.errors import InputError
from companion.core.wording import count, example_day, example_moment, noun


def test_a_count_agrees_with_its_number() -> None:
    assert count(1, "item") == "1 item"
    assert count(0, "item") == "0 items"
    assert count(2, "glass", "glasses") == "2 glasses"
    assert count(1, "glass", "glasses") == "1 glass"
    assert noun(3, "day") == "days"


def test_examples_are_computed_from_today() -> None:
    assert example_moment(7, "09:00", today=dt.date(2026, 12, 3)) == "2026-12-10T09:00"
    assert example_day(-1, today=dt.date(2027, 1, 1)) == "2026-12-31"


def test_a_follow_up_in_the_past_is_refused_with_an_example_still_to_come(berlin: str) -> None:
    moment = pendulum.datetime(2026, 12, 3, 10, tz=berlin)
    with pendulum.travel_to(moment, freeze=True), pytest.raises(InputError) as refused:
        new_appointment(pendulum.datetime(2026, 12, 1, 9, tz=berlin))
    assert "e.g. 2026-12-10T09:00" in refused.value.message


def test_a_time_that_cannot_be_read_gets_an_example_from_today(berlin: str) -> None:
    with pendulum.travel_to(pendulum.datetime(2026, 12, 3, 10, tz=berlin), freeze=True):
        with pytest.raises(InputError) as unreadable:
            clock.parse_when("next thursday", "--at")
        with pytest.raises(InputError) as not_a_day:
            clock.parse_day("3 Dec", "--date")
    assert "such as 2026-12-03T16:30 (local time), 2026-12-03T16:30+01:00" in unreadable.value.message
    assert "e.g. 2026-12-03" in not_a_day.value.message
