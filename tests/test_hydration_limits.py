"""The water limits at their exact edges: the goal 1-40, a tick 1-40 glasses, at most 200
glasses a day, an undo only when there is a glass to undo, a goal met at the goal
itself, and the 'drink more than usual' window to the second."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from companion.core.errors import InputError
from companion.core.hydration import (
    MAX_GLASSES_PER_DAY,
    MAX_GOAL,
    MAX_TICK,
    HydrationDay,
    empty_day,
    extra_water_applies,
    hydration_from_record,
    validate_count,
    validate_goal,
)
from companion.core.protocol import default_protocol
from companion.core.sessions import Session

DAY = dt.date(2026, 11, 22)


def test_the_limits_are_the_contracts() -> None:
    assert (MAX_GOAL, MAX_TICK, MAX_GLASSES_PER_DAY) == (40, 40, 200)


def test_a_goal_is_1_to_40() -> None:
    assert (validate_goal("1"), validate_goal("40"), validate_goal(8)) == (1, 40, 8)
    for bad in ("0", "41"):
        with pytest.raises(InputError) as err:
            validate_goal(bad)
        assert err.value.field == "goal" and "glasses" in err.value.message
    with pytest.raises(InputError) as err:
        validate_goal("41", field="Goal")
    assert err.value.field == "Goal"


def test_a_tick_is_1_to_40_glasses() -> None:
    assert (validate_count("1"), validate_count("40")) == (1, 40)
    for bad in ("0", "41"):
        with pytest.raises(InputError) as err:
            validate_count(bad)
        assert err.value.field == "glasses"


def test_a_day_holds_at_most_200_glasses() -> None:
    day = HydrationDay(DAY, MAX_GLASSES_PER_DAY - 1, 8)
    assert day.add(1) == HydrationDay(DAY, 200, 8)
    with pytest.raises(InputError) as err:
        day.add(2)
    assert err.value.field == "glasses" and "201" in err.value.message and "200" in err.value.message
    assert HydrationDay(DAY, 3, 8).add(4) == HydrationDay(DAY, 7, 8)


def test_undo_takes_one_glass_and_refuses_at_none() -> None:
    assert HydrationDay(DAY, 1, 8).undo() == HydrationDay(DAY, 0, 8)
    assert HydrationDay(DAY, 5, 8).undo() == HydrationDay(DAY, 4, 8)
    with pytest.raises(InputError) as err:
        HydrationDay(DAY, 0, 8).undo()
    assert err.value.field == "glasses"


def test_the_goal_is_met_at_the_goal_itself() -> None:
    assert HydrationDay(DAY, 8, 8).met
    assert not HydrationDay(DAY, 7, 8).met
    assert HydrationDay(DAY, 9, 8).met
    assert HydrationDay(DAY, 7, 8).with_goal(7) == HydrationDay(DAY, 7, 7)
    assert empty_day(DAY, 6) == HydrationDay(DAY, 0, 6)


def test_a_stored_day_is_read_within_the_same_limits() -> None:
    assert hydration_from_record({"date": "2026-11-22", "glasses": 0, "goal": 1}) == HydrationDay(DAY, 0, 1)
    assert hydration_from_record({"date": "2026-11-22", "glasses": 200, "goal": 40}) == HydrationDay(
        DAY, 200, 40
    )
    assert HydrationDay(DAY, 3, 9).to_record() == {"date": "2026-11-22", "glasses": 3, "goal": 9}
    bad = [
        ({"glasses": -1, "goal": 8}, "glasses"),
        ({"glasses": 201, "goal": 8}, "glasses"),
        ({"glasses": True, "goal": 8}, "glasses"),
        ({"glasses": "3", "goal": 8}, "glasses"),
        ({"glasses": 3, "goal": 0}, "goal"),
        ({"glasses": 3, "goal": 41}, "goal"),
        ({"glasses": 3, "goal": False}, "goal"),
        ({"glasses": 3, "goal": 8.0}, "goal"),
    ]
    for fields, name in bad:
        with pytest.raises(InputError) as err:
            hydration_from_record({"date": "2026-11-22", **fields}, "water")
        assert err.value.field == f"water.{name}", fields
    with pytest.raises(InputError) as err:
        hydration_from_record(["2026-11-22", 3, 8], "water")  # type: ignore[arg-type]
    assert err.value.field == "water"


def test_drink_more_than_usual_from_the_session_to_the_second_it_ends(berlin) -> None:
    protocol = default_protocol()
    assert protocol.hydration.extra_water_hours == 24
    start = pendulum.datetime(2026, 11, 20, 16, 30, tz="Europe/Berlin")
    session = Session(id="s", started_at=start)
    assert extra_water_applies(protocol, session, start)
    assert not extra_water_applies(protocol, session, start.subtract(seconds=1))
    assert extra_water_applies(protocol, session, start.add(hours=23, minutes=59, seconds=59))
    assert not extra_water_applies(protocol, session, start.add(hours=24))
    assert not extra_water_applies(protocol, None, start)
