"""Help: keys, what each screen is for, where the data lives, and who has the last word."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static

from companion.core.protocol import OWN_THRESHOLD, Protocol
from companion.ui.plain import plain, plain_text
from companion.ui.widgets.get_help import GetHelpText
from companion.ui.widgets.key_footer import KeyFooter

KEYS = (
    ("! or F1", "when to get help, over any screen (F1 also while typing in a form)"),
    ("w", "tick a glass of water for today (a click on the boxes does the same)"),
    ("u", "untake a glass ticked by mistake (on Today; the command palette finds 'undo')"),
    ("g", "change the daily water goal and your glass size, ml or oz (on Today)"),
    ("c", "today's check-in: soreness, fatigue, stiffness, bruising"),
    ("l", "the recovery checklist and what to expect"),
    ("h", "history: a month calendar, a chart and every day, grouped by session"),
    ("s", "record a new needling session"),
    ("p", "your plan: follow-ups, home exercises, questions, what you took"),
    ("F2-F5", "in the Plan: its tabs (F2 follow-ups, F3 exercises, F4 questions, F5 what I took)"),
    ("< >", "in History: a month back or on (Tab moves between the calendar and the days)"),
    ("Home End", "in History: the newest or the oldest day"),
    ("Del", "in History, on a session's row: remove that session (it asks first)"),
    ("o", "in History: the course of treatment, session by session (is it helping?)"),
    ("n", "name the problem you see your physio for, in your own words (on Today)"),
    ("r", "rate the activities you want to do again, 0 to 10 (on Today)"),
    ("?", "this help"),
    ("Esc", "back where you came from: Today, or History from a day you opened there"),
    ("ctrl+p", "the command palette: every action, and the colour theme"),
    ("ctrl+s", "save a form (a form is saved only then);  Tab / shift+Tab move between fields"),
    ("q", "quit; leaving a form with unsaved changes asks first: save, discard or keep editing"),
    ("", "in a form (check-in, new session, plan) letters are text, never these keys: Esc first"),
)

SCREENS = (
    ("Today", "what to avoid and for how long (live countdowns), water, today's check-in, alerts."),
    ("Check-in", "how you feel, once a day; it tells you at once if something needs your clinician."),
    ("Checklist", "what helps recovery, ticked day by day, and the reactions that are normal."),
    (
        "History",
        "a month calendar (soreness as a shade, ● a session), a chart of the days after each "
        "session (the band shows how long soreness usually lasts) and every day; Enter opens a day.",
    ),
    (
        "Course",
        "each session in a row, the usual pain of your problem and your activities' scores charted "
        "with the sessions marked, and what changed since the first session, in numbers.",
    ),
    ("New session", "record each session; the restrictions are counted from its time."),
    ("Plan", "follow-ups, home exercises and questions for your physio; F2 to F5 change tab."),
)


def _grid(rows: tuple[tuple[str, str], ...], key_width: int) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(width=key_width, style="bold", no_wrap=True)
    grid.add_column(ratio=1)
    for key, what in rows:
        grid.add_row(key, what)
    return grid


def help_sections(protocol: Protocol, data_dir: Path) -> list[tuple[str, RenderableType | Widget]]:
    data = (
        f"Stored only on this computer, in {data_dir} (with daily backups in its backups "
        "folder). The command line shows the same data: companion status, companion water, "
        "companion checkin, companion export --format md (a report for your clinician)."
    )
    remember = (
        f"{protocol.disclaimer} The advice comes from three after-care articles (000, 001, 002); "
        "each item names its sources. If anything worries you, contact your physiotherapist."
    )
    return [
        (protocol.get_help.title, GetHelpText(protocol)),
        ("Keys", _grid(KEYS, 8)),
        ("Screens", _grid(SCREENS, 11)),
        ("What to avoid, and why", restrictions_text(protocol)),
        ("How a check-in is judged", rules_text(protocol)),
        ("Your data", data),
        ("Please remember", remember),
    ]


def rule_lines(protocol: Protocol) -> list[tuple[str, list[str]]]:
    """Each red flag: where it comes from, and the number companion checks, labelled as its own."""
    found = []
    clinic = protocol.clinic.name if protocol.clinic else "your clinic"
    for flag in protocol.red_flags:
        lines = [f"From: {flag.where_from(protocol.clinic)}."]
        if flag.beyond_sources:
            lines.append(flag.beyond_sources)
        if flag.threshold:
            label = f"as {clinic} set it" if flag.origin == "clinic" else OWN_THRESHOLD
            lines.append(f"companion checks: {flag.threshold} ({label}).")
        level = "seek urgent care now" if flag.urgent else "contact your physiotherapist today"
        found.append((f"{flag.title}: {level}", lines))
    return found


def rules_text(protocol: Protocol) -> RenderableType:
    parts: list[RenderableType] = []
    for title, lines in rule_lines(protocol):
        parts.extend([plain_text(title, "bold"), _indented(lines), Text("")])
    parts.append(plain_text(protocol.thresholds_note))
    return Group(*parts)


def _indented(lines: list[str]) -> Table:
    grid = Table.grid(padding=(0, 0))
    grid.add_column(width=2, no_wrap=True)
    grid.add_column(ratio=1)
    for line in lines:
        grid.add_row("", plain_text(line))
    return grid


def restriction_lines(protocol: Protocol) -> list[tuple[str, list[str]]]:
    """Each restriction: what it covers, why, for how long, and what each source says."""
    found = []
    for r in protocol.restrictions:
        lines = [f"Avoid: {r.avoid}", f"Why: {r.why}"]
        if r.hours is not None:
            spans = ", ".join(f"{hours:g} h ({name} session)" for name, hours in r.hours.items())
            lines.append(f"companion counts: {spans}.")
        else:
            lines.append("No duration in the sources: go easy while the timed restrictions last.")
        lines.extend(f"Source {view.source} says: {view.says}" for view in r.source_durations)
        if r.own_choice:
            lines.append(r.own_choice)
        if r.note:
            lines.append(r.labelled_note)
        if r.disagreement is not None:
            lines.append(r.disagreement.summary)
            lines.extend(f"Source {view.source} says: {view.says}" for view in r.disagreement.views)
        if r.origin == "clinic":
            lines.append("As instructed by your clinic.")
        found.append((r.title, lines))
    return found


def restrictions_text(protocol: Protocol) -> RenderableType:
    """The restrictions, each line indented under its title (wrapped lines keep the indent)."""
    parts: list[RenderableType] = []
    for title, lines in restriction_lines(protocol):
        parts.extend([plain_text(title, "bold"), _indented(lines), Text("")])
    return Group(*parts[:-1])


class HelpScreen(Screen[None]):
    TITLE = "Help"  # the header says 'companion · Help'
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.back", "Back")]
    AUTO_FOCUS = "#help-scroll"
    """Focused as the screen is composed, so the first key typed is never lost."""

    def __init__(self, protocol: Protocol, data_dir: Path) -> None:
        super().__init__(id="help")
        self.protocol = protocol
        self.data_dir = data_dir

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-scroll"):
            for title, body in help_sections(self.protocol, self.data_dir):
                yield Static(title, classes="help-title")
                if isinstance(body, Widget):
                    body.add_class("help-body")
                    yield body
                else:
                    yield Static(plain(body) if isinstance(body, str) else body, classes="help-body")
        yield KeyFooter()
