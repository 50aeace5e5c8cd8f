"""Soreness and fatigue over the days since each session, with the usual course as a band."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

LEVELS = "▁▂▃▄▅▆▇█"
MISSING = "·"
LABEL_WIDTH = 20


@dataclass(frozen=True)
class SessionSeries:
    """One session's check-ins by day since the session (index = day)."""

    label: str
    soreness: tuple[int | None, ...]
    fatigue: tuple[int | None, ...]


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


def level(value: int | None) -> str:
    if value is None:
        return MISSING
    return LEVELS[min(len(LEVELS) - 1, max(0, value) * (len(LEVELS) - 1) // 10)]


class RecoveryChart(Widget):
    """A small text chart; redrawn only when its data changes."""

    DEFAULT_CSS = """
    RecoveryChart {
        height: auto;
        padding: 0 1;
    }
    RecoveryChart > .chart--band { background: $success 25%; }
    RecoveryChart > .chart--longest { background: $warning 20%; }
    RecoveryChart > .chart--late { color: $error; text-style: bold reverse; }
    RecoveryChart > .chart--soreness { color: $primary; }
    RecoveryChart > .chart--fatigue { color: $secondary; }
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

    def render(self) -> Text:
        style = self.get_component_rich_style
        band_style, longest_style = style("chart--band"), style("chart--longest")
        muted = style("chart--muted")
        days = self.days
        text = Text(no_wrap=True, overflow="ellipsis")
        if not self.series:
            text.append("No session with check-ins yet: the chart fills in as you check in.", muted)
            return text

        def cell_style(day: int) -> object:
            if day <= self.band.usual_days:
                return band_style
            if day <= self.band.longest_days:
                return longest_style
            return None

        text.append("day".ljust(LABEL_WIDTH), muted)
        for day in range(days):
            text.append(f"{day:>2}"[-2:], muted)
        text.append("\n")
        text.append("usual soreness".ljust(LABEL_WIDTH), muted)
        for day in range(days):
            mark = "░░" if day <= self.band.usual_days else "▒▒" if day <= self.band.longest_days else "  "
            text.append(mark, cell_style(day))  # type: ignore[arg-type]
        text.append(
            f" ░ usual ({self.band.usual_hours:g} h) ▒ at most {self.band.longest_hours:g} h",
            muted,
        )
        for series in self.series:
            text.append("\n")
            for name, values, kind in (
                ("sore", series.soreness, "chart--soreness"),
                ("tired", series.fatigue, "chart--fatigue"),
            ):
                label = (series.label if name == "sore" else "").ljust(LABEL_WIDTH - 6)[: LABEL_WIDTH - 6]
                text.append(label)
                text.append(f"{name:<6}", muted)
                for day in range(days):
                    value = values[day] if day < len(values) else None
                    late = (
                        name == "sore" and value is not None and value >= 2 and day > self.band.longest_days
                    )
                    cell_style_now = style("chart--late") if late else style(kind)
                    base = cell_style(day)
                    text.append(" ", base)  # type: ignore[arg-type]
                    glyph = Text(level(value), cell_style_now)
                    if base is not None:
                        glyph.stylize(base)  # type: ignore[arg-type]
                        glyph.stylize(cell_style_now)
                    text.append_text(glyph)
                if name == "sore":
                    text.append("\n")
        return text
