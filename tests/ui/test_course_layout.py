"""How the course view lays out its table and its chart in the room it has (pure functions)."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from companion.core.protocol import default_protocol
from companion.queries import load_course
from companion.store import Store
from companion.ui.screens.course import WIDE_FROM, table_keys, table_widths
from companion.ui.widgets.course_chart import cell_width, month_axis, slot_values, slots_for
from tests.seeding import COURSE_FROZEN, seed_two_months

D = dt.date


@pytest.fixture
def two_months(store: Store):  # type: ignore[no-untyped-def]
    seed_two_months(store)
    with pendulum.travel_to(COURSE_FROZEN, freeze=True):
        yield load_course(store, default_protocol())


@pytest.mark.parametrize("width", [80, 100, 120, 160])
def test_the_table_fits_its_width_and_cuts_no_word(two_months, width: int) -> None:
    cells = [row.cells(two_months.labels) for row in two_months.rows]
    widths = table_widths(cells, width)
    assert sum(widths.values()) + 2 * len(widths) + 4 <= width
    for key, room in widths.items():
        for cell in cells:
            assert all(len(word) <= room for word in cell[key].split()), (key, cell[key], room)
    assert ("took" in widths) == (width >= WIDE_FROM)


def test_below_the_wide_width_took_and_water_leave_the_table() -> None:
    assert "took" not in table_keys(WIDE_FROM - 1) and "water" not in table_keys(WIDE_FROM - 1)
    assert {"took", "water"} <= set(table_keys(WIDE_FROM))


def test_a_course_that_fits_is_drawn_by_day_else_by_week_the_latest_first() -> None:
    daily = slots_for(D(2026, 10, 19), D(2026, 12, 20), 63)
    assert not daily.weekly and len(daily.spans) == 63
    weekly = slots_for(D(2026, 10, 19), D(2026, 12, 20), 62)
    assert weekly.weekly and len(weekly.spans) == 9 and weekly.left_out == 0
    assert weekly.spans[0] == (D(2026, 10, 19), D(2026, 10, 25))
    years = slots_for(D(2016, 11, 22), D(2026, 11, 22), 70)
    assert years.weekly and len(years.spans) == 70 and years.left_out > 400
    assert years.spans[-1][0] <= D(2026, 11, 22) <= years.spans[-1][1]


def test_a_week_shows_its_last_rating_and_a_week_without_one_is_blank() -> None:
    spans = [(D(2026, 10, 19), D(2026, 10, 25)), (D(2026, 10, 26), D(2026, 11, 1))]
    values = {D(2026, 10, 19): 3, D(2026, 10, 24): 5}
    assert slot_values(values, spans) == [5, None]


def test_months_are_named_where_they_begin_without_running_into_each_other() -> None:
    spans = [(D(2026, 10, 30) + dt.timedelta(days=n),) * 2 for n in range(8)]
    assert month_axis(spans) == "Oct 2026"[:8]  # the first column names its month and year, if it fits
    spans = [(D(2026, 10, 1) + dt.timedelta(days=n),) * 2 for n in range(40)]
    axis = month_axis(spans)
    assert axis.startswith("Oct 2026") and axis[31:34] == "Nov"
    assert month_axis(spans, cell=2)[62:65] == "Nov"


def test_a_day_gets_more_cells_only_when_there_is_room() -> None:
    assert cell_width(63, 70) == 1
    assert cell_width(20, 70) == 3
