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
    GlassSize,
    HydrationDay,
    empty_day,
    extra_water_applies,
    glass_size_from_record,
    hydration_from_record,
    parse_glass_size,
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


@pytest.mark.parametrize(
    ("typed", "size"),
    [
        ("250 ml", (250, "ml")),
        ("250ml", (250, "ml")),
        (" 8 OZ ", (8, "oz")),
        ("50 ml", (50, "ml")),
        ("1000 ml", (1000, "ml")),
        ("2 oz", (2, "oz")),
        ("34 oz", (34, "oz")),
    ],
)
def test_a_glass_size_is_a_whole_number_and_ml_or_oz(typed: str, size: tuple[int, str]) -> None:
    assert parse_glass_size(typed) == GlassSize(*size)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("49 ml", "from 50 to 1000"),
        ("1001 ml", "from 50 to 1000"),
        ("1 oz", "from 2 to 34"),
        ("35 oz", "from 2 to 34"),
        ("0 ml", "from 50 to 1000"),
        ("-250 ml", "from 50 to 1000"),
        ("٢٥٠ ml", "digits 0-9"),  # Arabic-Indic digits
        ("２５０ ml", "digits 0-9"),  # fullwidth
        ("2.5e2 ml", "a whole number and a unit"),
        ("2.5 oz", "digits 0-9"),
        ("250 cups", "ml or oz"),
        ("250", "a unit"),
        ("ml", "a unit"),
        ("", "a unit"),
        ("9" * 5000 + " ml", "ml or oz"),
    ],
)
def test_an_absurd_glass_size_is_refused_naming_the_field(typed: str, says: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_glass_size(typed)
    assert refused.value.field == "glass_size"
    assert says in refused.value.message


def test_the_days_amount_is_said_in_the_glass_unit_with_the_goal() -> None:
    assert GlassSize(250, "ml").day_amount(4, 8) == "1.0 of 2.0 l"
    assert GlassSize(250, "ml").day_amount(3, 8) == "0.75 of 2.0 l"
    assert GlassSize(330, "ml").day_amount(1, 6) == "0.33 of 1.98 l"
    assert GlassSize(8, "oz").day_amount(4, 8) == "32 of 64 oz"


def test_a_hand_edited_glass_size_is_left_out_not_trusted() -> None:
    assert glass_size_from_record({"amount": 250, "unit": "ml"}) == GlassSize(250, "ml")
    for bad in (
        {"amount": 5000, "unit": "ml"},
        {"amount": True, "unit": "oz"},
        {"amount": 8, "unit": "cup"},
        "8 oz",
    ):
        assert glass_size_from_record(bad) is None
