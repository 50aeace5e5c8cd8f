"""A month at a glance: each day's soreness as a shade, and the days of a session marked.

Each day is five cells: ● on a session's day, its number, a shade for the soreness
of its check-in (a glyph, so it reads without colour too: · no check-in, blank 0,
░ 1-2, ▒ 3-4, ▓ 5-6, █ 7 and over), and a space. The arrows move a day or a
week, page up and down a month; the screen keeps the day in step with its table.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

CELL = 5
WEEKDAYS = " Mo   Tu   We   Th   Fr   Sa   Su"
SHADES = (" ", "░", "▒", "▓", "█")
"""Soreness 0, 1-2, 3-4, 5-6, 7-10."""
NO_CHECKIN = "·"
SESSION = "●"
LEGEND = "soreness ░1-2 ▒3-4 ▓5-6 █7+"
MARKS = "● session  · no check-in"
WEEKS = 6
"""Rows drawn for every month, so the box keeps its height from month to month."""


@dataclass(frozen=True)
class DayMark:
    """What the calendar shows of a day."""

    soreness: int | None = None  # None: no check-in that day
    session: bool = False


def shade(soreness: int | None) -> int | None:
    """The shade step of a soreness (0 for none, 4 for 7 and over); None without a check-in."""
    if soreness is None:
        return None
    if soreness <= 0:
        return 0
    return min(4, (soreness + 1) // 2)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of another month (the month's last day when it has fewer)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


class MonthCalendar(Widget, can_focus=True):
    """One month; `selected` is the day shown in the table below."""

    DEFAULT_CSS = """
    MonthCalendar {
        width: 39;
        height: auto;
        padding: 0 1;
    }
    MonthCalendar > .calendar--weekday { color: $text-muted; }
    MonthCalendar > .calendar--outside { color: $text-muted 50%; }
    MonthCalendar > .calendar--sore-0 { color: $text-muted; }
    MonthCalendar > .calendar--sore-1 { color: $warning 60%; }
    MonthCalendar > .calendar--sore-2 { color: $warning; }
    MonthCalendar > .calendar--sore-3 { color: $error 80%; }
    MonthCalendar > .calendar--sore-4 { color: $error; }
    MonthCalendar > .calendar--session { color: $primary; text-style: bold; }
    MonthCalendar > .calendar--today { text-style: underline; }
    MonthCalendar > .calendar--cursor {
        background: $block-cursor-blurred-background;
        text-style: bold;
    }
    MonthCalendar:focus > .calendar--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "calendar--weekday",
        "calendar--outside",
        "calendar--sore-0",
        "calendar--sore-1",
        "calendar--sore-2",
        "calendar--sore-3",
        "calendar--sore-4",
        "calendar--session",
        "calendar--today",
        "calendar--cursor",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Day before", show=False),
        Binding("right", "move(1)", "Day after", show=False),
        Binding("up", "move(-7)", "Week before", show=False),
        Binding("down", "move(7)", "Week after", show=False),
        Binding("pageup", "month(-1)", "Month before", show=False),
        Binding("pagedown", "month(1)", "Month after", show=False),
    ]

    selected: reactive[dt.date] = reactive(dt.date(2000, 1, 1))
    today: reactive[dt.date] = reactive(dt.date(2000, 1, 1))
    first: reactive[dt.date | None] = reactive(None)
    """The oldest day the patient can move to (the oldest loaded so far)."""
    last: reactive[dt.date | None] = reactive(None)

    class Moved(Message):
        """The patient moved the calendar's day (not sent when the screen sets it)."""

        def __init__(self, day: dt.date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.marks: Mapping[dt.date, DayMark] = {}

    def set_marks(self, marks: Mapping[dt.date, DayMark]) -> None:
        """The days' soreness and sessions (the screen adds to them as older days load)."""
        self.marks = marks
        self.refresh()

    def watch_selected(self, day: dt.date) -> None:
        self.border_title = day.strftime("%B %Y")

    def on_mount(self) -> None:
        self.border_subtitle = MARKS

    def clamp(self, day: dt.date) -> dt.date:
        if self.last is not None and day > self.last:
            day = self.last
        if self.first is not None and day < self.first:
            day = self.first
        return day

    def go_to(self, day: dt.date) -> bool:
        """Move to `day` (kept within the days there are) as the patient asked; False if it
        could not move at all."""
        target = self.clamp(day)
        if target == self.selected:
            self.app.bell()
            return False
        self.selected = target
        self.post_message(self.Moved(target))
        return True

    def action_move(self, days: int) -> None:
        self.go_to(self.selected + dt.timedelta(days=days))

    def action_month(self, months: int) -> None:
        self.go_to(add_months(self.selected, months))

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        text.append(WEEKDAYS, self.get_component_rich_style("calendar--weekday"))
        month = calendar.Calendar(firstweekday=0).monthdatescalendar(self.selected.year, self.selected.month)
        for week in month:
            text.append("\n")
            for day in week:
                text.append_text(self._day_cell(day))
        text.append("\n" * (WEEKS - len(month)))
        text.append("\n")
        text.append(LEGEND, self.get_component_rich_style("calendar--weekday"))
        return text

    def _day_cell(self, day: dt.date) -> Text:
        get = self.get_component_rich_style
        cell = Text()
        if day.month != self.selected.month:
            cell.append(" " * CELL)
            return cell
        mark = self.marks.get(day)
        session = mark is not None and mark.session
        cell.append(SESSION if session else " ", get("calendar--session") if session else Style())
        in_range = (self.first is None or day >= self.first) and (self.last is None or day <= self.last)
        number_style = get("calendar--outside") if not in_range else Style()
        if day == self.today:
            number_style += get("calendar--today")
        cell.append(f"{day.day:>2}", number_style)
        step = shade(mark.soreness) if mark else None
        if step is None:
            cell.append(NO_CHECKIN if in_range else " ", get("calendar--outside"))
        else:
            cell.append(SHADES[step], get(f"calendar--sore-{step}"))
        if day == self.selected:
            cell.stylize(get("calendar--cursor"))
        return cell.append(" ")
