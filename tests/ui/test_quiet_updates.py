"""Live updates touch only the widgets that change, and the history loads without holding
up the keys (issue 14): the 1 s countdown tick repaints the countdowns, never the whole
screen; History's older days come in small chunks and every day is still there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
import pytest
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import DataTable, Static

from companion.core import clock, timefmt
from companion.store import Store
from companion.ui.compositor import CroppedCompositor, covers
from companion.ui.screens import history as history_module
from companion.ui.widgets.countdown import TIME_CELLS, RestrictionCard
from companion.ui.widgets.month_calendar import MonthCalendar
from tests.seeding import seed_history
from tests.ui.conftest import TODAY, add_session, at, history_loaded
from tests.waiting import drained, wait_for

SIZE = (100, 40)


async def test_a_countdown_tick_repaints_only_the_countdowns(
    make_app: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()

    def card() -> RestrictionCard:
        return app.screen.query_one("#card-alcohol", RestrictionCard)

    with pendulum.travel_to(at(2026, 11, 22, 10, 0, 0), freeze=True):
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: card().seconds_left is not None, what="the alcohol countdown")
            await drained(pilot)
            before = card().seconds_left
            assert before is not None
            refreshed: list[Widget] = []
            original = Widget.refresh

            def spy(self: Widget, *args: Any, **kwargs: Any) -> Widget:
                refreshed.append(self)
                return original(self, *args, **kwargs)

            monkeypatch.setattr(Widget, "refresh", spy)
            with pendulum.travel_to(at(2026, 11, 22, 10, 0, 1), freeze=True):
                app.tick()
                await drained(pilot)
            monkeypatch.undo()
            assert card().seconds_left == before - 1
            assert card() in refreshed
            others = sorted({type(w).__name__ for w in refreshed if not isinstance(w, RestrictionCard)})
            assert others == [], f"a tick repainted more than the countdowns: {others}"


async def test_history_holds_few_rows_yet_every_day_is_there_once_in_order(
    make_app: Any, store: Store, frozen: object
) -> None:
    """The table holds the newest rows only (thousands of rows held up the keys and cost
    memory); going down brings the older ones: every day exactly once, newest first, each
    session's row closing its group, and the calendar going back to the very first day."""
    days = history_module.FIRST_CHUNK_DAYS + 2 * history_module.CHUNK_DAYS + 5
    first_day = TODAY - dt.timedelta(days=days - 1)
    seed_history(store, first_day, days)
    sessions = [s for s in store.sessions() if clock.to_local(s.started_at).date() >= first_day]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        screen = await history_loaded(pilot)
        table = screen.query_one("#days", DataTable)
        assert table.row_count <= history_module.ROWS_AHEAD + 1 < days
        assert screen.query_one(MonthCalendar).first == first_day
        assert f"{days} days" in str(screen.query_one("#history-status", Static).render())
        await pilot.press("down", "down")  # the rows below come along as the cursor goes down
        await wait_for(pilot, lambda: table.row_count > history_module.ROWS_AHEAD + 1, what="more rows")
        await pilot.press("end")
        await wait_for(pilot, lambda: screen.selected_day() == first_day, what="the oldest day")
        labels = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        day_labels = [label for label in labels if "session" not in label]
        expected = [history_module.date_cell(TODAY - dt.timedelta(days=n), TODAY) for n in range(days)]
        assert day_labels == expected
        assert len(labels) - len(day_labels) == len(sessions)
        assert labels[-1].endswith("session")  # the oldest group is closed by its session


async def test_a_countdown_tick_repaints_only_the_cells_whose_text_changes(
    make_app: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second less changes the time left (a few cells), not the title, bar or end time:
    only those cells repaint; a tick in the same second repaints nothing; what is drawn is
    the whole new line all the same."""
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()

    def card() -> RestrictionCard:
        return app.screen.query_one("#card-alcohol", RestrictionCard)

    with pendulum.travel_to(at(2026, 11, 22, 10, 0, 0), freeze=True):
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: card().seconds_left is not None, what="the alcohol countdown")
            await drained(pilot)
            before = card().seconds_left
            assert before is not None
            width = card().content_size.width
            repaints: list[tuple[Region, ...]] = []
            original = Widget.refresh

            def spy(self: Widget, *regions: Region, **kwargs: Any) -> Widget:
                if self is card():
                    repaints.append(regions)
                return original(self, *regions, **kwargs)

            monkeypatch.setattr(Widget, "refresh", spy)
            app.tick()  # the same second: nothing changes
            await drained(pilot)
            assert repaints == []
            with pendulum.travel_to(at(2026, 11, 22, 10, 0, 1), freeze=True):
                app.tick()
                await drained(pilot)
                monkeypatch.undo()
                assert card().seconds_left == before - 1
                assert repaints, "the card did not repaint its time left"
                for regions in repaints:
                    assert regions, "a tick repainted the whole card"
                    assert all(region.width <= TIME_CELLS for region in regions), regions
                shown = card().render().plain
                assert shown == card().row(width, before - 1).plain
                assert f"{timefmt.countdown(before - 1)} left" in shown


def test_spans_cover_a_range_only_without_gaps() -> None:
    assert covers([(4, 98)], 39, 47)
    assert covers([(10, 20), (0, 10)], 0, 20)
    assert covers([(0, 12), (5, 20)], 3, 20)
    assert not covers([], 0, 1)
    assert not covers([(0, 10), (11, 20)], 0, 20)  # column 10 is uncovered
    assert not covers([(0, 19)], 0, 20)
    assert not covers([(1, 20)], 0, 20)


async def test_a_tick_renders_the_countdowns_alone_and_writes_what_textual_would(
    make_app: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's own compositor renders fourteen widgets (the header, the footer, every box)
    for four countdowns' cells; Today's renders the countdowns alone, and what it writes to
    the terminal is the same, byte for byte."""
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    with pendulum.travel_to(at(2026, 11, 22, 10, 0, 0), freeze=True):
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: len(app.screen.query(RestrictionCard)) == 4, what="the countdowns")
            await drained(pilot)
            assert isinstance(app.screen._compositor, CroppedCompositor)
            rendered: list[Widget] | None = None
            written: list[tuple[str, str, list[Widget], set[Region]]] = []
            render_lines = Widget.render_lines
            partial = CroppedCompositor.render_partial_update

            def spy_render(self: Widget, crop: Region) -> list[Strip]:
                if rendered is not None:
                    rendered.append(self)
                return render_lines(self, crop)

            def both(self: CroppedCompositor) -> ChopsUpdate | None:
                nonlocal rendered
                dirty = set(self._dirty_regions)
                rendered = []
                ours = partial(self)
                seen, rendered = rendered, None
                if ours is None:
                    return None  # nothing was waiting to be drawn
                self._dirty_regions = set(dirty)
                self.__class__ = Compositor  # type: ignore[assignment]
                try:
                    textuals = Compositor.render_partial_update(self)
                finally:
                    self.__class__ = CroppedCompositor
                assert textuals is not None
                console = app.console
                drawn = (ours.render_segments(console), textuals.render_segments(console), seen, set(dirty))
                written.append(drawn)
                return ours

            with pendulum.travel_to(at(2026, 11, 22, 10, 0, 1), freeze=True):  # settles the first frames
                app.tick()
                await drained(pilot)
            monkeypatch.setattr(Widget, "render_lines", spy_render)
            monkeypatch.setattr(CroppedCompositor, "render_partial_update", both)
            for second in range(2, 6):
                with pendulum.travel_to(at(2026, 11, 22, 10, 0, second), freeze=True):
                    drawn = len(written)
                    app.tick()
                    await wait_for(pilot, lambda: len(written) > drawn, what="the tick drawn")  # noqa: B023
                    await drained(pilot)
            monkeypatch.undo()
            for ours, textuals, _, _ in written:
                assert ours == textuals
            cards = [card.region for card in app.screen.query(RestrictionCard)]
            # The updates of the ticks alone (a notice may come in the same frame, and draw more).
            ticks = [
                seen
                for _, _, seen, dirty in written
                if dirty and all(any(c.contains_region(d) for c in cards) for d in dirty)
            ]
            assert len(ticks) >= 3
            for seen in ticks:
                assert all(isinstance(w, RestrictionCard) for w in seen), [type(w).__name__ for w in seen]


async def test_a_card_drawn_from_its_last_line_is_the_line_textual_renders(
    make_app: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tick that changes only the time left puts the new time into the line rendered last:
    what it draws is, segment for segment, what rendering the card afresh gives, through
    minutes, hours, the bar moving on, and the end; and most ticks render nothing afresh."""
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()

    def card() -> RestrictionCard:
        return app.screen.query_one("#card-alcohol", RestrictionCard)

    with pendulum.travel_to(at(2026, 11, 22, 10, 0, 0), freeze=True):
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: card().seconds_left is not None, what="the alcohol countdown")
            await drained(pilot)
            shown = card()
            start = shown.seconds_left
            assert start is not None
            afresh = 0
            render_line = Widget.render_line

            def counted(self: Widget, y: int) -> Strip:
                nonlocal afresh
                afresh += self is shown
                return render_line(self, y)

            monkeypatch.setattr(Widget, "render_line", counted)
            values = [*range(start, start - 130, -1), 3601, 3600, 3599, 61, 60, 59, 2, 1, 0]
            for seconds in values:
                shown.seconds_left = seconds
                await drained(pilot)
                line = shown.render_line(0)
                width = shown.content_size.width
                expected = Visual.to_strips(shown, shown.render(), width, None, shown.visual_style)[0]
                assert list(line) == list(expected), seconds
                assert f"{timefmt.countdown(seconds)} left" in line.text or seconds == 0
            monkeypatch.undo()
            assert afresh < len(values) // 2, f"{afresh} of {len(values)} ticks rendered the card afresh"


async def test_history_keeps_a_few_chunks_built_and_builds_the_others_again_as_they_were(
    make_app: Any, store: Store, frozen: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thirty years of built rows (and parsed month files) cost tens of megabytes: History
    keeps the newest chunks and the ones used last built, the others as their days only.
    Going to the oldest day builds them again from the store: every day still there once,
    in order, with the same cells and the same line under the table as when first loaded;
    and the store keeps no more month files parsed than it may."""
    from companion.store import store as store_module

    monkeypatch.setattr(history_module, "FIRST_CHUNK_DAYS", 20)
    monkeypatch.setattr(history_module, "CHUNK_DAYS", 30)
    monkeypatch.setattr(history_module, "ROWS_AHEAD", 15)
    monkeypatch.setattr(store_module, "MONTHS_KEPT", 4)
    days = 400
    first_day = TODAY - dt.timedelta(days=days - 1)
    seed_history(store, first_day, days)
    first_built: dict[int, tuple[str, ...]] = {}
    populate = history_module.HistoryScreen.populate

    def remember(
        self: history_module.HistoryScreen, generation: int, chunk: Any, entries: Any, *rest: Any
    ) -> None:
        for index, entry in enumerate(entries, start=chunk.start):
            first_built[index] = tuple(
                str(c) for c in self._cells(entry, len(self.protocol.checklist), TODAY)
            )
        populate(self, generation, chunk, entries, *rest)

    monkeypatch.setattr(history_module.HistoryScreen, "populate", remember)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        screen = await history_loaded(pilot)
        assert len(screen._chunks) > history_module.CHUNKS_KEPT + 2
        built = sum(entry is not None for entry in screen._entries)
        assert built < len(screen._entries) // 2, f"{built} of {len(screen._entries)} rows kept built"
        months = [path for path in app.store._dbs if path.parent == app.store.days_dir]
        assert len(months) <= 4
        table = screen.query_one("#days", DataTable)
        await pilot.press("end")
        await wait_for(pilot, lambda: screen.selected_day() == first_day, what="the oldest day")
        labels = [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert labels == [first_built[i] for i in range(len(labels))]
        assert len(labels) == len(first_built)
        day_labels = [label[0] for label in labels if "session" not in label[0]]
        assert day_labels == [
            history_module.date_cell(TODAY - dt.timedelta(days=n), TODAY) for n in range(days)
        ]
        assert sum(entry is not None for entry in screen._entries) < len(screen._entries) // 2
        detail = str(screen.query_one("#day-detail", Static).render())
        assert first_day.strftime("%a %-d %b %Y") in detail
