"""Human output for the terminal: aligned columns, units, relative and absolute times.

Cells and lines that hold a record's or the clinic's text go through
``core.text.printable`` (one line per cell); the CLI's streams do the same for
everything else it prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pendulum import DateTime

from companion.core import clock, timefmt
from companion.core.alerts import Alert
from companion.core.appointments import follow_up_phrase
from companion.core.checkins import CheckIn
from companion.core.history import HistoryRow
from companion.core.hydration import GlassSize, HydrationDay
from companion.core.protocol import Protocol
from companion.core.restrictions import RestrictionState
from companion.core.sessions import Session
from companion.core.status import Status
from companion.core.text import printable
from companion.core.wording import count


def table(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """Left-aligned columns sized to their widest cell (each cell on one line, printable)."""
    if not rows:
        return []
    rows = [[printable(cell, one_line=True) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(max(map(len, rows)))]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append((indent + "  ".join(cells)).rstrip())
    return lines


def day_label(day: dt.date) -> str:
    """'Mon 23 Nov', with the year when it is not this year."""
    label = day.strftime("%a %-d %b")
    return label if day.year == clock.today().year else f"{label} {day.year}"


def session_line(session: Session, now: DateTime) -> str:
    started = timefmt.clock_time(session.started_at, now)
    areas = ", ".join(session.areas) if session.areas else "area not noted"
    ago = timefmt.ago(clock.elapsed_seconds(session.started_at, now))
    return printable(f"{started} · {session.intensity} · {areas} ({ago})", one_line=True)


def restriction_rows(states: list[RestrictionState], now: DateTime) -> list[list[str]]:
    rows = [["Avoid", "Time left"]]
    for state in states:
        title = state.restriction.title
        if state.ends_at is None:
            left = "while the timed ones last" if state.active else "over"
            if state.restriction.disagreement:
                left += " (sources disagree: ask your physio)"
        elif state.active and state.remaining_seconds is not None:
            left = timefmt.left_until(state.remaining_seconds, state.ends_at, now)
        else:
            left = f"done: fine again since {timefmt.clock_time(state.ends_at, now)}"
        if state.restriction.origin == "clinic":
            left += " (as instructed by your clinic)"
        rows.append([title, left])
    return rows


def water_line(day: HydrationDay, glass: GlassSize | None = None) -> str:
    shown = max(day.goal, day.glasses)
    boxes = "■" * day.glasses + "□" * (shown - day.glasses)
    if len(boxes) > 24:
        boxes = boxes[:23] + "…"
    met = "  goal met" if day.met else ""
    amount = f" ({glass.day_amount(day.glasses, day.goal)})" if glass else ""
    return f"{day.glasses} of {count(day.goal, 'glass', 'glasses')} today{amount}  {boxes}{met}"


def alert_lines(alerts: Sequence[Alert], protocol: Protocol) -> list[str]:
    """Each alert's message; after contact-clinician ones, what to do if the clinic cannot
    be reached (labelled as beyond the articles)."""
    lines = []
    for alert in alerts:
        mark = "!! URGENT" if alert.urgent else "!"
        lines.append(f"{mark} {alert.message}")
    if any(not alert.urgent for alert in alerts):
        lines.append(f"  {protocol.get_help.labelled_fallback}")
    return lines


def note_lines(states: Sequence[RestrictionState]) -> list[str]:
    """The notes of the restrictions still on (a prescribed medicine is not stopped without
    asking the doctor), each with where it comes from."""
    return [
        f"{state.restriction.title}: {state.restriction.labelled_note}"
        for state in states
        if state.restriction.note and state.active
    ]


def checkin_source(day: dt.date, today: dt.date) -> str:
    """'from today's check-in', or 'from your check-in on Mon 23 Nov'."""
    return "from today's check-in" if day == today else f"from your check-in on {day_label(day)}"


def status_text(status: Status, protocol: Protocol) -> str:
    now = status.now
    lines = [f"companion · {now.format('ddd D MMM HH:mm')} ({status.zone.name})"]
    if status.zone.is_fallback:
        lines.append(
            f"  {status.zone.problem}, so UTC is used: "
            "set yours with 'companion config --timezone Europe/Berlin' (your zone's name)."
        )
    lines.append("")
    if status.session is None:
        lines.append("No session recorded yet. After your needling session, record it with:")
        lines.append("  companion session add --at 16:30 --area 'upper trapezius'")
    else:
        lines.append(f"Session   {session_line(status.session, now)}")
        lines.append("")
        lines.extend(table(restriction_rows(status.restrictions, now)))
        lines.extend("  " + line for note in note_lines(status.restrictions) for line in wrapped(note, "  "))
    lines.append("")
    extra = "  (drink more than usual today)" if status.extra_water else ""
    lines.append(f"Water     {water_line(status.hydration, status.glass)}{extra}")
    if status.checkin_today is not None:
        c = status.checkin_today
        lines.append(f"Check-in  done today: soreness {c.soreness}/10, fatigue {c.fatigue}/10")
    else:
        lines.append("Check-in  not done today: companion checkin --soreness 0-10 --fatigue 0-10")
    if status.next_appointment is not None:
        lines.append(f"Follow-up {follow_up_phrase(status.next_appointment, now)}")
    if status.alerts and status.latest_checkin is not None:
        source = checkin_source(status.latest_checkin.date, now.date())
        lines.append(f"Alerts    {source}:")
        lines.extend("  " + line for line in alert_lines(status.alerts, protocol))
    elif status.latest_checkin is not None:
        lines.append("Alerts    none from your latest check-in")
    lines.append("")
    lines.extend(wrapped(f"{protocol.get_help.title}: {protocol.get_help.line}"))
    lines.append("companion is a reminder, not a clinician: your physiotherapist's word comes first.")
    return "\n".join(lines)


def wrapped(text: str, indent: str = "") -> list[str]:
    """Text wrapped at 80 columns, later lines indented."""
    import textwrap

    return textwrap.wrap(text, width=80, subsequent_indent=indent) or [""]


def checkin_summary(checkin: CheckIn) -> str:
    flags = [
        name
        for name, on in (
            ("flare-up", checkin.flare_up),
            ("sharp pain", checkin.sharp_pain),
            ("breathing trouble", checkin.breathing_trouble),
        )
        if on
    ]
    parts = [
        f"soreness {checkin.soreness}/10",
        f"fatigue {checkin.fatigue}/10",
        f"stiffness {checkin.stiffness}/10",
        f"bruising {checkin.bruising}",
    ]
    if flags:
        parts.append(", ".join(flags))
    return ", ".join(parts)


def history_text(rows: list[HistoryRow], protocol: Protocol) -> str:
    """The history table; alerts in the protocol's short words ('sore >72 h')."""
    labels = {flag.id: flag.label for flag in protocol.red_flags}
    header = ["Date", "Day", "Sore", "Tired", "Stiff", "Bruising", "Water", "Checklist", "Alerts"]
    body = [header]
    for row in rows:
        c = row.checkin
        day = f"day {row.session_day}" if row.session_day is not None else ""
        body.append(
            [
                row.date.strftime("%a %d %b %Y"),
                day,
                str(c.soreness) if c else "-",
                str(c.fatigue) if c else "-",
                str(c.stiffness) if c else "-",
                c.bruising if c else "-",
                f"{row.glasses}/{row.goal}",
                str(len(row.checklist_items)) if row.checklist_items else "-",
                ", ".join(labels.get(a.id, a.id) for a in row.alerts),
            ]
        )
    return "\n".join(table(body, indent=""))
