"""History as a patient reads it: a table that fits its width, a chart with every value its
own height, a month calendar, and Home and End going to the newest and oldest day."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from textual.widgets import DataTable, Static

from companion.core.intake import Intake
from companion.store import Store
from companion.ui.screens import history as history_module
from companion.ui.screens.checkin_form import CheckinScreen
from companion.ui.screens.history import HistoryScreen, columns_for
from companion.ui.widgets.chart import RecoveryChart, SessionSeries, bar, eighths
from companion.ui.widgets.month_calendar import MonthCalendar, add_months, shade
from tests.seeding import seed_history as seed
from tests.ui.conftest import TODAY, add_checkin, add_session, at, history_complete, history_loaded, shown
from tests.waiting import wait_for


def seed_two_sessions(store: Store) -> None:
    """Two sessions in November, check-ins after each (a few with alerts), one thing taken."""
    add_session(store, at(2026, 11, 3, 16, 30), intensity="intense", areas=())  # areas not noted
    add_session(store, at(2026, 11, 18, 16, 30), areas=("upper trapezius", "levator scapulae"))
    for offset, sore in enumerate((6, 5, 4, 3, 2, 1, 0)):
        add_checkin(store, dt.date(2026, 11, 3) + dt.timedelta(days=offset), sore, 2)
    for offset, sore in enumerate((5, 4, 4, 6, 3)):  # still sore on day 3 and worse
        add_checkin(store, dt.date(2026, 11, 18) + dt.timedelta(days=offset), sore, 6, sharp_pain=offset == 3)
    store.add_intake(Intake("i1", "ibuprofen", at(2026, 11, 21, 9, 0), "400 mg", None))


def detail(screen: HistoryScreen) -> str:
    return str(screen.query_one("#day-detail", Static).render())


def table_of(screen: HistoryScreen) -> DataTable:  # type: ignore[type-arg]
    return screen.query_one("#days", DataTable)


# ------------------------------------------------------------------ Home and End


async def test_end_jumps_to_the_oldest_day_and_home_to_the_newest(make_app, store: Store, frozen) -> None:
    seed_two_sessions(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        screen = await history_loaded(pilot)
        table = table_of(screen)  # type: ignore[arg-type]
        await pilot.press("end")
        await wait_for(pilot, lambda: screen.selected_day() == dt.date(2026, 11, 3), what="the oldest day")
        # Its session's row under it is in view too, and nothing scrolled sideways.
        await wait_for(pilot, lambda: table.scroll_y == table.max_scroll_y, what="scrolled to the bottom")
        assert table.scroll_x == 0
        assert "Tue 3 Nov 2026, the day of a session" in detail(screen)  # type: ignore[arg-type]
        assert screen.query_one(MonthCalendar).selected == dt.date(2026, 11, 3)
        await pilot.press("home")
        await wait_for(pilot, lambda: screen.selected_day() == TODAY, what="the newest day")
        assert table.scroll_y == 0 and table.scroll_x == 0


@pytest.fixture
def held_chunks(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """History's older chunks wait for the test to let them load (the first one comes at once)."""
    go_on = threading.Event()
    real = history_module.load_history
    calls = 0

    def load_history(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls > 1:
            go_on.wait(timeout=60)
        return real(*args, **kwargs)

    monkeypatch.setattr(history_module, "load_history", load_history)
    yield go_on
    go_on.set()  # never leave the worker waiting


async def test_end_while_older_years_load_goes_on_to_the_oldest(
    make_app, store: Store, frozen, held_chunks: threading.Event
) -> None:
    first_day = TODAY - dt.timedelta(days=729)
    seed(store, first_day, 700)  # two years: three chunks
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        screen = await shown(pilot, HistoryScreen)
        table = table_of(screen)  # type: ignore[arg-type]
        await wait_for(pilot, lambda: table.row_count > 100, what="the first chunk")
        assert not history_complete(app)
        await pilot.press("end")  # the oldest loaded so far, and the line says more are coming
        oldest_loaded = TODAY - dt.timedelta(days=history_module.FIRST_CHUNK_DAYS - 1)
        await wait_for(pilot, lambda: screen.selected_day() == oldest_loaded, what="the oldest loaded day")
        status = str(screen.query_one("#history-status", Static).render())
        assert "older days loading, and End goes on to the oldest" in status
        held_chunks.set()
        await wait_for(pilot, lambda: history_complete(app), what="all of it loaded")
        await wait_for(pilot, lambda: screen.selected_day() == first_day, what="the very oldest day")


async def test_moving_away_while_older_years_load_stops_going_to_the_oldest(
    make_app, store: Store, frozen, held_chunks: threading.Event
) -> None:
    seed(store, TODAY - dt.timedelta(days=729), 700)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        screen = await shown(pilot, HistoryScreen)
        table = table_of(screen)  # type: ignore[arg-type]
        await wait_for(pilot, lambda: table.row_count > 100, what="the first chunk")
        await pilot.press("end")
        oldest_loaded = TODAY - dt.timedelta(days=history_module.FIRST_CHUNK_DAYS - 1)
        await wait_for(pilot, lambda: screen.selected_day() == oldest_loaded, what="the oldest loaded day")
        await pilot.press("up")  # a closer look: the patient's choice wins
        await wait_for(
            pilot, lambda: screen.selected_day() == oldest_loaded + dt.timedelta(days=1), what="up"
        )
        held_chunks.set()
        await wait_for(pilot, lambda: history_complete(app), what="all of it loaded")
        assert screen.selected_day() == oldest_loaded + dt.timedelta(days=1)


# ------------------------------------------------------------------ the calendar


async def test_moving_a_month_back_and_on_with_the_keyboard(make_app, store: Store, frozen) -> None:
    seed_two_sessions(store)
    add_checkin(store, dt.date(2026, 10, 22), 1, 1)  # a day in October
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        screen = await history_loaded(pilot)
        calendar = screen.query_one(MonthCalendar)
        assert calendar.selected == TODAY and calendar.border_title == "November 2026"
        await pilot.press("less_than_sign")
        await wait_for(pilot, lambda: screen.selected_day() == dt.date(2026, 10, 22), what="a month back")
        assert calendar.border_title == "October 2026"
        await pilot.press("full_stop")  # '.' works as '>' does, without shift
        await wait_for(pilot, lambda: screen.selected_day() == TODAY, what="a month on")
        assert calendar.border_title == "November 2026"
        footer = str(screen.query_one("KeyLine").render())
        assert "< > Month" in footer and "⏎ Open day" in footer


async def test_enter_on_a_calendar_day_opens_it(make_app, store: Store, frozen) -> None:
    seed_two_sessions(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        screen = await history_loaded(pilot)
        calendar = screen.query_one(MonthCalendar)
        await pilot.press("tab")  # from the days to the calendar
        await wait_for(pilot, lambda: calendar.has_focus, what="the calendar focused")
        await pilot.press("up", "left")  # a week back, a day back: Sat 14 Nov
        told = "Sat 14 Nov 2026, day 11 after the session of Tue 3 Nov"
        await wait_for(pilot, lambda: detail(screen).startswith(told), what="14 Nov told")  # type: ignore[arg-type]
        assert calendar.selected == screen.selected_day() == dt.date(2026, 11, 14)  # the table follows
        await pilot.press("enter")
        form = await shown(pilot, CheckinScreen)
        assert form.day == dt.date(2026, 11, 14)  # type: ignore[attr-defined]


def test_the_calendar_shows_soreness_as_a_shade_that_reads_without_colour() -> None:
    assert [shade(s) for s in (None, 0, 1, 2, 3, 4, 5, 6, 7, 10)] == [None, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)


async def test_the_calendar_marks_sessions_and_each_days_soreness(
    make_app, store: Store, frozen, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    seed_two_sessions(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        screen = await history_loaded(pilot)
        lines = screen.query_one(MonthCalendar).render().plain.splitlines()
        assert lines[0].split() == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
        week = next(line for line in lines if "●18" in line)  # the session of Wed 18 Nov
        # 16 and 17: no check-in; from the session on the 18th: soreness 5, 4, 4, 6, 3.
        assert week.split() == ["16·", "17·", "●18▓", "19▒", "20▒", "21▓", "22▒"]  # 22: soreness 3
        assert "● 3▓" in next(line for line in lines if "● 3" in line)  # the intense session, soreness 6


# ------------------------------------------------------------------ the table fits its width


async def test_at_80_columns_no_column_is_cut_and_the_day_is_told_in_full(
    make_app, store: Store, frozen
) -> None:
    seed_two_sessions(store)
    add_checkin(store, dt.date(2025, 12, 30), 2, 2)  # last year: its date carries the year
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        screen = await history_loaded(pilot)
        table = table_of(screen)  # type: ignore[arg-type]
        assert [str(c.label) for c in table.columns.values()] == list(history_module.NARROW_COLUMNS)
        await wait_for(pilot, lambda: table.virtual_size.width > 0, what="the table laid out")
        assert table.virtual_size.width <= table.scrollable_content_region.width  # nothing off to the right
        assert table.max_scroll_x == 0
        await pilot.press("end")  # the table holds the rows near the cursor: End brings the oldest
        await wait_for(pilot, lambda: screen.selected_day() == dt.date(2025, 12, 30), what="the oldest day")
        dates = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "Tue 30 Dec 2025" in dates and "Sat 21 Nov" in dates
        # The day with alerts: counted in the table, named in full under it, with what was taken.
        table.move_cursor(row=dates.index("Sat 21 Nov"))
        await wait_for(pilot, lambda: detail(screen).startswith("Sat 21 Nov 2026"), what="21 Nov told")  # type: ignore[arg-type]
        assert str(table.get_row_at(dates.index("Sat 21 Nov"))[8]) == "4 alerts"
        said = detail(screen)  # type: ignore[arg-type]
        assert "soreness 6, tiredness 6, stiffness 0, bruising none, sharp pain" in said
        assert "Soreness lasting more than 72 hours" in said and "Sharp or severe pain" in said
        assert "Took: ibuprofen 400 mg (09:00)." in said
        # A session's row: its intensity and areas, every word of them.
        session_rows = [i for i, d in enumerate(dates) if d == "● session"]
        table.move_cursor(row=session_rows[-1])
        await wait_for(pilot, lambda: "Session" in detail(screen), what="the session's line")  # type: ignore[arg-type]
        assert detail(screen) == (  # type: ignore[arg-type]
            "Session Tue 3 Nov 2026 16:30, intense: areas not noted. Del removes this session."
        )


async def test_at_120_columns_alerts_and_areas_wrap_instead_of_being_cut(
    make_app, store: Store, frozen
) -> None:
    seed_two_sessions(store)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("h")
        screen = await history_loaded(pilot)
        table = table_of(screen)  # type: ignore[arg-type]
        names = [str(c.label) for c in table.columns.values()]
        assert names == list(history_module.WIDE_COLUMNS)
        await wait_for(pilot, lambda: table.virtual_size.width > 0, what="the table laid out")
        assert table.max_scroll_x == 0
        firsts = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        rows = {label: firsts.index(label) for label in firsts}  # the first row of each label
        took = table.get_row_at(rows["Sat 21 Nov"])
        assert str(took[names.index("Took")]) == "ibuprofen"
        assert str(took[names.index("Bruising")]) == "none"
        session = table.ordered_rows[rows["● session"]]
        areas = str(table.get_row_at(rows["● session"])[names.index("Alerts")])
        assert areas == "upper trapezius, levator scapulae"
        width = table.columns[table.ordered_columns[names.index("Alerts")].key].width
        assert len(areas) > width and session.height >= 2  # wrapped onto a second line, not cut


def test_the_columns_fit_each_width() -> None:
    assert not columns_for(80).wide and not columns_for(100).wide
    wide = columns_for(120)
    assert wide.wide and wide.alerts_width >= history_module.MIN_WRAPPED
    fixed = history_module.WIDE_FIXED_CELLS + 2 * len(history_module.WIDE_COLUMNS) + history_module.SCROLLBAR
    assert fixed + wide.alerts_width + wide.took_width == 120


# ------------------------------------------------------------------ the chart


def test_every_soreness_has_a_height_of_its_own() -> None:
    heights = [eighths(v) for v in range(11)]
    assert heights == sorted(set(heights)) and len(heights) == 11  # 0..10: eleven different heights
    assert bar(3) != bar(4)
    assert bar(None) == (" ", "·")
    assert bar(10) == ("█", "█") and bar(0) == (" ", "▁")


async def test_the_chart_shows_soreness_3_and_4_apart(make_app, store: Store, frozen) -> None:
    add_session(store, at(2026, 11, 19, 16, 30))
    for offset, sore in enumerate((3, 4)):
        add_checkin(store, dt.date(2026, 11, 19) + dt.timedelta(days=offset), sore, sore)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        screen = await history_loaded(pilot)
        chart = screen.query_one(RecoveryChart)
        assert chart.series == (SessionSeries("Thu 19 Nov", (3, 4), (3, 4), "standard"),)
        lines = chart.render().plain.splitlines()
        bars = lines[3][11:]  # the bottom row of the session's bars, after its label
        assert bars.split()[:2] == ["▆▆", "▇▇"]  # day 0: soreness and tiredness 3; day 1: 4
        assert chart.border_title == "Sore │ tired since each session"  # the long title does not fit at 80
        assert chart.border_subtitle == "░ usual 48 h  ▒ up to 72 h"


async def test_widening_the_window_gives_the_table_its_wide_columns_on_the_same_day(
    make_app, store: Store, frozen
) -> None:
    seed_two_sessions(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        screen = await history_loaded(pilot)
        table = table_of(screen)  # type: ignore[arg-type]
        await pilot.press("down", "down")
        await wait_for(pilot, lambda: screen.selected_day() == dt.date(2026, 11, 20), what="20 Nov")
        await pilot.resize_terminal(120, 40)

        def names() -> list[str]:
            return [str(c.label) for c in table.columns.values()]

        await wait_for(pilot, lambda: "Took" in names(), what="the wide columns")
        assert screen.selected_day() == dt.date(2026, 11, 20)
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: "Took" not in names(), what="the narrow columns")
        assert screen.selected_day() == dt.date(2026, 11, 20)
        assert table.max_scroll_x == 0
