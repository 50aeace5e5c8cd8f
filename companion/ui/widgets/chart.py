"""Soreness and tiredness over the days since each session, with the usual course as a band.

Each value is a bar two rows high drawn with eighth blocks: sixteen steps, so every value
of the 0-10 scale has a height of its own (a single row has eight steps, and 3 looked
like 4). Each day shows soreness then tiredness side by side; when the box is too
narrow for both over the days that matter, it shows soreness alone and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

LEVELS = "▁▂▃▄▅▆▇█"
MISSING = "·"
LABEL_WIDTH = 11
"""'Mon 14 Dec ' on a session's first row, its intensity on the second."""
MIN_DAYS = 7
"""Fewer days than this side by side, and tiredness gives way to soreness alone."""
SCALE_TOP = 10


@dataclass(frozen=True)
class SessionSeries:
    """One session's check-ins by day since the session (index = day)."""

    label: str
    soreness: tuple[int | None, ...]
    fatigue: tuple[int | None, ...]
    intensity: str = ""


@dataclass(frozen=True)
class Band:
    """The usual course of soreness from the guidance, in days since the session."""

    usual_days: int  # soreness on these days (0..usual_days) is the usual course
    longest_days: int  # and may last up to this day at most
    usual_hours: float = 48
    longest_hours: float = 72

    @classmethod
    def from_hours(cls, usual_hours: float, longest_hours: float) -> Band:
        return cls(int(usual_hours // 24), int(longest_hours // 24), usual_hours, longest_hours)


def eighths(value: int) -> int:
    """The bar's height in eighths of a row, 1 (for 0) to 16 (for 10): each value its own."""
    value = min(SCALE_TOP, max(0, value))
    return 1 + (3 * value + 1) // 2


def bar(value: int | None) -> tuple[str, str]:
    """(top row, bottom row) of a value's bar; a missing value is a dot on the bottom row."""
    if value is None:
        return " ", MISSING
    height = eighths(value)
    bottom = LEVELS[min(height, 8) - 1]
    top = LEVELS[height - 9] if height > 8 else " "
    return top, bottom


def legend(band: Band) -> str:
    return f"░ usual {band.usual_hours:g} h  ▒ up to {band.longest_hours:g} h"


class RecoveryChart(Widget):
    """A small text chart; redrawn only when its data or its width changes."""

    DEFAULT_CSS = """
    RecoveryChart {
        height: auto;
        padding: 0 1;
    }
    RecoveryChart > .chart--band { background: $success 25%; }
    RecoveryChart > .chart--longest { background: $warning 20%; }
    RecoveryChart > .chart--late { color: $error; text-style: bold; }
    RecoveryChart > .chart--soreness { color: $primary; }
    RecoveryChart > .chart--fatigue { color: $accent; }
    RecoveryChart > .chart--muted { color: $text-muted; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "chart--band",
        "chart--longest",
        "chart--late",
        "chart--soreness",
        "chart--fatigue",
        "chart--muted",
    }

    series: reactive[tuple[SessionSeries, ...]] = reactive((), layout=True)
    band: reactive[Band] = reactive(Band(2, 3))
    days: reactive[int] = reactive(8, layout=True)

    def layout_for(self, width: int) -> tuple[int, bool]:
        """How many days fit in `width` cells, and whether tiredness fits beside soreness."""
        room = max(0, width - LABEL_WIDTH)
        both = min(self.days, room // 3)
        if both >= min(self.days, MIN_DAYS):
            return both, True
        return min(self.days, room // 2), False

    def title(self, width: int) -> str:
        """The box's title: what each day's bars are, in as many words as fit (`width`: the
        box's outer width)."""
        _days, both = self.layout_for(width - 4)
        if both:
            titles = ("Soreness │ tiredness since each session", "Sore │ tired since each session")
        else:
            titles = ("Soreness since each session", "Soreness by day")
        return next((t for t in titles if len(t) + 6 <= width), titles[-1])

    def on_resize(self) -> None:
        self.border_title = self.title(self.size.width)

    def watch_series(self) -> None:
        self.border_title = self.title(self.size.width)

    def watch_band(self, band: Band) -> None:
        self.border_subtitle = legend(band)

    def render(self) -> Text:
        style = self.get_component_rich_style
        band_style, longest_style = style("chart--band"), style("chart--longest")
        muted = style("chart--muted")
        text = Text(no_wrap=True, overflow="crop")
        if not self.series:
            text.no_wrap = False
            text.append("No session with check-ins yet: the chart fills in as you check in.", muted)
            return text
        days, both = self.layout_for(self.content_size.width)
        step = 3 if both else 2

        def shade(day: int) -> Style | None:
            if day <= self.band.usual_days:
                return band_style
            if day <= self.band.longest_days:
                return longest_style
            return None

        def cell(glyph: str, day: int, ink: Style) -> Text:
            """A glyph in its day's band, in its own colour."""
            piece = Text(glyph)
            base = shade(day)
            if base is not None:
                piece.stylize(base)
            piece.stylize(ink)
            return piece

        text.append("day".ljust(LABEL_WIDTH), muted)
        for day in range(days):
            text.append(f"{day:<{step}}", muted)
        text.append("\n")
        text.append("usual".ljust(LABEL_WIDTH), muted)
        for day in range(days):
            mark = "░" if day <= self.band.usual_days else "▒" if day <= self.band.longest_days else " "
            piece = cell(mark * (step - 1), day, muted)
            text.append_text(piece)
            text.append(" ")
        for series in self.series:
            for row in (0, 1):  # the bars' top row, then their bottom row
                text.append("\n")
                label = series.label if row == 0 else f"  {series.intensity}"
                text.append(label.ljust(LABEL_WIDTH)[:LABEL_WIDTH], None if row == 0 else muted)
                for day in range(days):
                    sore = series.soreness[day] if day < len(series.soreness) else None
                    late = sore is not None and sore >= 2 and day > self.band.longest_days
                    ink = style("chart--late") if late else style("chart--soreness")
                    text.append_text(cell(bar(sore)[row], day, ink))
                    if both:
                        tired = series.fatigue[day] if day < len(series.fatigue) else None
                        text.append_text(cell(bar(tired)[row], day, style("chart--fatigue")))
                    text.append(" ")
        return text
