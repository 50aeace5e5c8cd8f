"""One timed restriction: live countdown, progress bar and the clock time it ends."""

from __future__ import annotations

from dataclasses import dataclass

from pendulum import DateTime
from rich.cells import cell_len
from rich.segment import Segment
from textual.content import Content
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip
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


@dataclass(frozen=True)
class RowParts:
    """A card's first line as plain parts: the title's cells, then what follows it."""

    title_cells: int
    time_text: str
    """The time left, right-aligned in TIME_CELLS ('done ✓' once over, '' when not known)."""
    filled: str
    empty: str
    until: str
    """'until Fri 10:44' (or 'ended ...'), left-aligned in its cells."""

    @property
    def after_title(self) -> str:
        return f"{self.time_text} {self.filled}{self.empty} {self.until}"


@dataclass(frozen=True)
class LineTemplate:
    """The first line as Textual last rendered it, and where its time left is: a tick that
    changes only the time puts the new text in its place (the styles, and the offsets text
    selection reads, stay as they are)."""

    key: tuple[object, ...]
    strip: Strip
    segment: int
    """The index of the segment holding the time left, whole."""
    start: int
    """Where the time left begins in that segment's text."""


class RestrictionCard(Widget):
    """A one-line card (two for a clinic's own instruction), drawn as one widget.

    The dashboard sets `seconds_left` on each tick; only the cells whose text changes
    repaint (the time left, the bar when it moves a half cell): a full line four times a
    second was most of the idle CPU with a session running (issue 14). And a tick that
    changes only the time left is drawn by putting the new time into the line Textual
    rendered last (:class:`LineTemplate`), not by rendering the whole line again.
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
        self.set_reactive(Widget.auto_links, False)  # no links here: none to style on each render
        self.restriction = restriction
        self.clinic = clinic
        """The clinic's name when this restriction is its own instruction."""
        self.ends_at = ends_at
        self.total_seconds = max(1, total_seconds)
        self._when: tuple[tuple[bool, int | None], str] | None = None
        self._template: LineTemplate | None = None
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
        old, new = self.parts(width, before), self.parts(width, seconds)
        if old.title_cells != new.title_cells:
            self.refresh()
            return
        span = changed_cells(old.after_title, new.after_title)
        if span is not None:
            self.refresh(Region(new.title_cells + span[0], 0, span[1], 1))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 2 if self.clinic else 1

    def _end_text(self, seconds: int | None) -> str:
        """The end as a clock time ('Fri 10:44', with the date when it is far off), worked
        out at most once a minute (it moves from one form to the other at most once)."""
        key = (seconds == 0, None if seconds is None else seconds // 60)
        if self._when is None or self._when[0] != key:
            self._when = (key, timefmt.clock_time(self.ends_at))
        return self._when[1]

    def parts(self, width: int, seconds: int | None) -> RowParts:
        """The first line's plain parts at `width` cells with `seconds` left."""
        done = seconds == 0
        when = self._end_text(seconds)
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
        return RowParts(title_cells, time_text.rjust(TIME_CELLS), filled, empty, until.ljust(until_cells))

    def row(self, width: int, seconds: int | None) -> Content:
        """Title, time left, bar and end time, fitted to `width` cells."""
        done = seconds == 0
        p = self.parts(width, seconds)
        title = plain(self.restriction.title, MUTED if done else "bold")
        return Content.assemble(
            title.truncate(p.title_cells - 1, ellipsis=True).truncate(p.title_cells, pad=True),
            (p.time_text, "$success" if done else ""),
            " ",
            (p.filled, "$success" if done else "$primary"),
            (p.empty, MUTED),
            " ",
            (p.until, MUTED),
        )

    def render(self) -> Content:
        row = self.row(self.content_size.width, self.seconds_left)
        if not self.clinic:
            return row
        clinic = plain(f"  as instructed by {self.clinic}", f"italic {MUTED}")
        return Content("\n").join([row, clinic])

    def render_line(self, y: int) -> Strip:
        if y == 0:
            key, time_text, _ = self._template_key()
            template = self._template
            if template is not None and template.key == key and self._only_time_dirty(template):
                segments = list(template.strip)
                text, style, control = segments[template.segment]
                start = template.start
                segments[template.segment] = Segment(
                    text[:start] + time_text + text[start + len(time_text) :], style, control
                )
                return Strip(segments, template.strip.cell_length)
        line = super().render_line(y)
        if y == 0:
            self._template = self._make_template(line)
        return line

    def _template_key(self) -> tuple[tuple[object, ...], str, int]:
        """What the line's look depends on but the time left; the time left; where it begins."""
        width, seconds = self.content_size.width, self.seconds_left
        p = self.parts(width, seconds)
        minute = None if seconds is None else seconds // 60
        key = (width, self.visual_style, seconds == 0, minute, p.title_cells, p.filled, p.empty, p.until)
        return (*key, len(p.time_text)), p.time_text, p.title_cells

    def _only_time_dirty(self, template: LineTemplate) -> bool:
        """Whether the card is waiting to repaint its time cells only (a tick), not all of it
        (a theme, a resize: Textual marks the whole card)."""
        first = self.parts(self.content_size.width, self.seconds_left).title_cells
        cells = Region(first, 0, TIME_CELLS, 1).translate(self.content_offset)
        return all(cells.contains_region(region) for region in self._dirty_regions)

    def _make_template(self, line: Strip) -> LineTemplate | None:
        """Find the time left in a line just rendered (None if it is not in one segment of
        one-cell characters)."""
        key, time_text, first = self._template_key()
        x = 0
        for index, (text, _style, control) in enumerate(line):
            if control:
                return None
            end = x + cell_len(text)
            if x <= first and first + len(time_text) <= end:
                start = first - x
                if cell_len(text[:start]) != start or text[start : start + len(time_text)] != time_text:
                    return None
                return LineTemplate(key, line, index, start)
            x = end
        return None
