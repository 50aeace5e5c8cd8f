"""One timed restriction: live countdown, progress bar and the clock time it ends."""

from __future__ import annotations

from pendulum import DateTime
from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.widget import Widget

from companion.core import timefmt
from companion.core.protocol import Restriction
from companion.ui.plain import plain

TITLE_CELLS = 28
TIME_CELLS = 14  # "100:00:00 left"
UNTIL_CELLS = 16
MIN_BAR_CELLS = 8
FILLED, HALF, EMPTY = "━", "╾", "─"
"""Heavy for the time gone, light for the time left (a half-heavy cell between): the bar
reads without colour too."""
MUTED = "$foreground-muted"
"""Secondary text in Content ($text-muted is a contrast colour that Content cannot blend)."""


def changed_cells(before: str, after: str) -> tuple[int, int] | None:
    """(first cell, cells) of the span where two rows of text differ; None if they do not."""
    if before == after:
        return None
    start = 0
    shortest = min(len(before), len(after))
    while start < shortest and before[start] == after[start]:
        start += 1
    end_before, end_after = len(before), len(after)
    while end_before > start and end_after > start and before[end_before - 1] == after[end_after - 1]:
        end_before -= 1
        end_after -= 1
    first = cell_len(after[:start])
    width = max(cell_len(before[start:end_before]), cell_len(after[start:end_after]), 1)
    return first, width


def progress_bar(fraction: float, cells: int) -> tuple[str, str]:
    """(gone, left) parts of a bar `cells` wide, in half cells; never full before the end."""
    fraction = min(1.0, max(0.0, fraction))
    halves = int(fraction * cells * 2)
    if fraction < 1.0:
        halves = min(halves, cells * 2 - 1)
    full, half = divmod(halves, 2)
    return FILLED * full + HALF * half, EMPTY * (cells - full - half)


class RestrictionCard(Widget):
    """A one-line card (two for a clinic's own instruction), drawn as one widget.

    The dashboard sets `seconds_left` on each tick; only the cells whose text changes
    repaint (the time left, the bar when it moves a half cell): a full line four times a
    second was most of the idle CPU with a session running (issue 14).
    """

    DEFAULT_CSS = """
    RestrictionCard {
        height: auto;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    seconds_left: reactive[int | None] = reactive(None, repaint=False)
    """Seconds to show; set by the dashboard on each tick."""

    def __init__(
        self,
        restriction: Restriction,
        ends_at: DateTime,
        total_seconds: int,
        *,
        clinic: str = "",
        seconds_left: int | None = None,
        id: str | None = None,
    ) -> None:
        # The done state as a class from the start: setting a class later restyles the card.
        super().__init__(id=id, classes="-done" if seconds_left == 0 else None)
        self.restriction = restriction
        self.clinic = clinic
        """The clinic's name when this restriction is its own instruction."""
        self.ends_at = ends_at
        self.total_seconds = max(1, total_seconds)
        self._rows: dict[tuple[int, int | None], Content] = {}
        self.set_reactive(RestrictionCard.seconds_left, seconds_left)

    def on_mount(self) -> None:
        r = self.restriction
        extra = "".join(f"\n{text}" for text in (r.own_choice, r.labelled_note) if text)
        self.tooltip = f"Avoid: {r.avoid}\nWhy: {r.why}{extra}"

    @property
    def done(self) -> bool:
        return self.seconds_left == 0

    def watch_seconds_left(self, before: int | None, seconds: int | None) -> None:
        self.set_class(seconds == 0, "-done")
        if before is None or seconds is None or (before == 0) != (seconds == 0):
            self.refresh()  # shown, hidden or done: colours change along the whole line
            return
        width = self.content_size.width
        span = changed_cells(self.cached_row(width, before).plain, self.cached_row(width, seconds).plain)
        if span is not None:
            self.refresh(Region(span[0], 0, span[1], 1))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 2 if self.clinic else 1

    def cached_row(self, width: int, seconds: int | None) -> Content:
        """`row`, kept for the last two (width, seconds): a tick compares the row shown with
        the next one, which render then draws."""
        key = (width, seconds)
        row = self._rows.get(key)
        if row is None:
            if len(self._rows) >= 2:
                self._rows.pop(next(iter(self._rows)))
            row = self._rows[key] = self.row(width, seconds)
        return row

    def row(self, width: int, seconds: int | None) -> Content:
        """Title, time left, bar and end time, fitted to `width` cells."""
        done = seconds == 0
        when = timefmt.clock_time(self.ends_at)
        if seconds is None:
            time_text, until, fraction = "", "", 0.0
        elif done:
            time_text, until, fraction = "done ✓", f"ended {when}", 1.0
        else:
            time_text = f"{timefmt.countdown(seconds)} left"  # not to be read as a time of day
            until = f"until {when}"
            fraction = (self.total_seconds - seconds) / self.total_seconds
        until_cells = max(UNTIL_CELLS, len(until))  # "ended Mon 2 Nov 16:30" is wider
        fixed = TIME_CELLS + 1 + 1 + until_cells  # the time, a space, (the bar), a space, the end
        title_cells = min(TITLE_CELLS, max(12, width - fixed - MIN_BAR_CELLS))
        bar_cells = max(MIN_BAR_CELLS, width - fixed - title_cells)
        filled, empty = progress_bar(fraction, bar_cells)
        title = plain(self.restriction.title, MUTED if done else "bold")
        return Content.assemble(
            title.truncate(title_cells - 1, ellipsis=True).truncate(title_cells, pad=True),
            (time_text.rjust(TIME_CELLS), "$success" if done else ""),
            " ",
            (filled, "$success" if done else "$primary"),
            (empty, MUTED),
            " ",
            (until.ljust(until_cells), MUTED),
        )

    def render(self) -> Content:
        row = self.cached_row(self.content_size.width, self.seconds_left)
        if not self.clinic:
            return row
        clinic = plain(f"  as instructed by {self.clinic}", f"italic {MUTED}")
        return Content("\n").join([row, clinic])
