"""A report to bring to the next appointment, in GitHub-flavoured Markdown.

It reads well as plain text in an 80-column terminal too: prose is wrapped at 80
columns and tables are padded into aligned columns (a day's full note is in the
Notes section; the table shows its start). Everything the patient typed is escaped,
so a ``|``, ``*`` or a line starting with ``#`` stays text (and any control character,
from an older record or a clinic file, is shown as a visible mark: the report is
often read in a terminal); newlines in notes become
hard line breaks (``\\`` at the end of a line), never a broken table.

Days are listed oldest first. Times are shown in words ("Sat 16:30") next to their
ISO 8601 form, so the report stays exact when read a week later.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence

from pendulum import DateTime

from companion.core import clock, timefmt
from companion.core.alerts import Alert
from companion.core.care_plan import CarePlan
from companion.core.course import COLUMNS, COLUMNS_NOTE, SCALES_NOTE, Course, measure_headings, short_day
from companion.core.exercises import adherence
from companion.core.history import HistoryRow
from companion.core.intake import check_intake
from companion.core.protocol import Protocol
from companion.core.restrictions import RestrictionState, restriction_states
from companion.core.sessions import Session
from companion.core.status import Status
from companion.core.text import printable
from companion.core.wording import count

WIDTH = 80
NOTE_MIN_WIDTH = 12
AREAS_MIN_WIDTH = 6

_ALWAYS = frozenset("`*[]~")
"""Inline formatting wherever it stands: code spans, emphasis, links, (GFM) strikethrough."""
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_GLUE = "\ue000"
"""Holds a word to the one before it while wrapping (turned back into a space after)."""
_FLAG_LABELS = (("flare_up", "flare"), ("sharp_pain", "sharp"), ("breathing_trouble", "breath"))
_BEFORE_GLUE = re.compile(" +" + _GLUE)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPACES = re.compile(r"[\t\r\x0b\x0c]")
# A word that would open a block (heading, list item, quote, setext underline, thematic
# break, table delimiter row) if it started a line.
_BLOCK_WORD = re.compile(r"#{1,6}|[-+*]|>\S*|\d{1,9}[.)]|=+|-+|[|:-]*-[|:-]*")


def _inline(text: str, cell: bool) -> str:
    """Escape inline formatting, and only where it could take effect."""
    out = []
    for i, ch in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == "\\":
            # Literal before a letter; before punctuation (or at the end, where the next
            # piece of the report may begin with some) it would escape it, and before a space
            # wrapping may end a line with it: a hard line break.
            needed = not after or after in _ASCII_PUNCTUATION or after.isspace()
        elif ch == "_":
            needed = not (before.isalnum() and after.isalnum())  # snake_case is no emphasis
        elif ch == "<":
            needed = after.isalpha() or after in "/!?"  # an HTML tag or an autolink; "<5" is text
        elif ch == "|":
            # A table cell's edge; in prose, two lines with pipes can make a table too ('a | b'
            # over '| -'), in ways the words alone do not show: always escaped.
            needed = True
        elif ch == "&":
            needed = _ENTITY.match(text, i) is not None  # "&copy;" would show as a sign
        else:
            needed = ch in _ALWAYS
        out.append("\\" + ch if needed else ch)
    return "".join(out)


def _escape_block_word(word: str) -> str:
    """The word with the mark that makes it a block escaped ('\\#', '12\\.', '\\-')."""
    if word[0].isdigit():
        digits = len(word) - len(word.lstrip("0123456789"))
        return word[:digits] + "\\" + word[digits:]
    return "\\" + word


def escape(text: str, *, block: bool = True) -> str:
    """Backslash-escape what Markdown would read as formatting, and nothing else, so the
    report reads as plain text too ('+44 20 7946 0000' stays as it is).

    Inline: backticks, ``*``, ``[``, ``]``, ``~``, ``_`` at a word's edge, ``<`` before a
    letter, ``&`` starting an entity, a backslash before punctuation. With ``block``
    (prose), a word that would open a block at a line start ('#', '-', '1.', '>') is
    escaped where the text starts, and elsewhere glued to the word before it so that
    wrapping never puts it at a line start (``_wrap`` turns the glue back into a space).
    Without ``block`` (a table cell), ``|`` is escaped instead.
    """
    if not block:
        return _inline(text, cell=True)
    lines = []
    for line in text.split("\n"):
        # Split as textwrap does: at any ASCII whitespace (a tab is a place to break, too).
        words = _inline(_SPACES.sub(" ", line), cell=False).split(" ")
        for i, word in enumerate(words):
            if word and _BLOCK_WORD.fullmatch(word):
                if all(not w for w in words[:i]):  # the line starts with it
                    words[i] = _escape_block_word(word)
                else:
                    words[i] = _GLUE + word
        lines.append(_BEFORE_GLUE.sub(_GLUE, " ".join(words)))
    return "\n".join(lines)


def one_line(text: str) -> str:
    """A note's lines joined with ' / ' (for a table cell)."""
    return " / ".join(part.strip() for part in text.splitlines() if part.strip())


def fit_cell(text: str, width: int) -> str:
    """A one-line table cell, escaped and shortened with '…' to ``width`` columns."""
    flat = one_line(text)
    escaped = escape(flat, block=False)
    # Escaping only lengthens text, so no more than ``width`` characters can fit.
    keep = min(len(flat), width)
    while len(escaped) > width and keep > 1:
        keep -= 1
        escaped = escape(flat[:keep].rstrip(), block=False) + "…"
    return escaped


def _wrap(text: str, first: str = "", rest: str | None = None) -> list[str]:
    lines = textwrap.wrap(
        text,  # the glue is no whitespace to textwrap: a glued word stays on its line
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=rest if rest is not None else " " * len(first),
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(_GLUE, " ") for line in lines] or [first.rstrip()]


def _bullet(text: str) -> list[str]:
    return _wrap(text, "- ", "  ")


def _multiline_bullet(lead: str, note: str) -> list[str]:
    """A list item whose note keeps its line breaks (as Markdown hard breaks)."""
    parts = [escape(line.strip()) for line in note.splitlines() if line.strip()]
    if not parts:
        return _bullet(lead)
    out: list[str] = []
    for i, part in enumerate(parts):
        text = f"{lead} {part}" if i == 0 else part
        wrapped = _wrap(text, "- " if i == 0 else "  ", "  ")
        if i < len(parts) - 1:
            wrapped[-1] += "\\"
        out += wrapped
    return out


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool], *, compact: bool = False
) -> list[str]:
    """A GFM table with padded, aligned columns (cells must already be escaped).

    ``compact`` leaves out the spaces around the ``|`` separators (for wide tables).
    """
    widths = [max(3, len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    pad = "" if compact else " "

    def line(cells: Sequence[str]) -> str:
        padded = [c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)]
        return f"|{pad}" + f"{pad}|{pad}".join(padded) + f"{pad}|"

    rule = ["-" * (w - 1) + ":" if r else "-" * w for w, r in zip(widths, right, strict=True)]
    return [line(headers), line(rule), *(line(r) for r in rows)]


def _when(moment: DateTime, now: DateTime) -> str:
    return f"{timefmt.clock_time(moment, now)} ({clock.iso(clock.to_local(moment))})"


def _day(row: HistoryRow) -> str:
    return f"day {row.session_day}" if row.session_day is not None else "no session yet"


# --------------------------------------------------------------------------- sections


def _summary(sessions: list[Session], rows: list[HistoryRow]) -> list[str]:
    out = ["## Summary", ""]
    if sessions:
        first = clock.to_local(sessions[0].started_at).date().isoformat()
        latest = clock.to_local(sessions[-1].started_at).date().isoformat()
        span = f" (first {first}, latest {latest})" if len(sessions) > 1 else f" ({first})"
        out.append(f"- Sessions: {len(sessions)}{span}")
    else:
        out.append("- Sessions: none recorded")
    if rows:
        days = (rows[-1].date - rows[0].date).days + 1
        span = rows[0].date.isoformat()
        if days > 1:
            span += f" to {rows[-1].date.isoformat()}"
        out.append(f"- Days covered: {days} ({span})")
    else:
        out.append("- Days covered: none")
    out.append(f"- Check-ins: {sum(1 for r in rows if r.checkin is not None)}")
    fired = [a for r in rows for a in r.alerts]
    urgent = sum(1 for a in fired if a.urgent)
    out.append(f"- Alerts raised: {len(fired)}" + (f" ({urgent} urgent)" if urgent else ""))
    return out


def _state_line(state: RestrictionState, now: DateTime) -> str:
    title = escape(state.restriction.title)
    if state.ends_at is None:
        now_word = "still on" if state.active else "over"
        return f"{title}: no set time in the sources; kept while the timed ones last ({now_word})"
    if state.active and state.remaining_seconds:
        left = timefmt.left_until(state.remaining_seconds, state.ends_at, now)
        return f"{title}: {left} ({clock.iso(state.ends_at)})"
    return f"{title}: ended {_when(state.ends_at, now)}"


def _right_now(status: Status, now: DateTime) -> list[str]:
    out = ["## Right now", ""]
    session = status.session
    if session is None:
        out += _bullet("No session recorded yet.")
    else:
        ago = timefmt.ago(clock.elapsed_seconds(session.started_at, status.now))
        out += _bullet(f"Latest session: {_when(session.started_at, now)}, {ago}")
        active = [s for s in status.restrictions if s.active and s.ends_at is not None]
        if active:
            out.append("- Still avoiding:")
            for state in active:
                out += _wrap(_state_line(state, now), "  - ", "    ")
                if state.restriction.note:
                    out += _wrap(escape(state.restriction.labelled_note), "    ", "    ")
        else:
            out += _bullet("No timed restriction of the latest session is still on.")
    water = status.hydration
    out += _bullet(f"Water today: {water.glasses} of {count(water.goal, 'glass', 'glasses')}")
    out += _bullet(f"Today's check-in: {'done' if status.checkin_done else 'not done yet'}")
    if status.alerts and status.latest_checkin is not None:
        out.append(f"- Alerts from the latest check-in ({status.latest_checkin.date.isoformat()}):")
        for alert in status.alerts:
            out += _wrap(_alert_text(alert), "  - ", "    ")
    elif status.latest_checkin is not None:
        out += _bullet("The latest check-in raised no alerts.")
    return out


def _sessions(protocol: Protocol, sessions: list[Session], now: DateTime) -> list[str]:
    out = ["## Sessions", ""]
    if not sessions:
        return [*out, "No sessions recorded."]
    for number, session in enumerate(sessions, start=1):
        if number > 1:
            out.append("")
        started = timefmt.dated(session.started_at)
        out += [f"### Session {number}: {started}", ""]
        out += _bullet(f"When: {_when(session.started_at, now)}")
        out += _bullet(f"Intensity: {session.intensity}")
        areas = ", ".join(escape(a) for a in session.areas) or "not recorded"
        out += _bullet(f"Areas: {areas}")
        if session.note.strip():
            out += _multiline_bullet("Note:", session.note)
        out.append("- Restrictions:")
        for state in restriction_states(protocol, session, now):
            out += _wrap(_state_line(state, now), "  - ", "    ")
            if state.restriction.disagreement is not None:
                summary = escape(state.restriction.disagreement.summary)
                out += _wrap(summary, "    ", "    ")
    return out


def _day_table(rows: list[HistoryRow]) -> list[str]:
    out = ["## Check-ins, day by day", ""]
    if not rows:
        return [*out, "No days recorded yet."]
    headers = ("Date", "Day", "Sore", "Tired", "Stiff", "Bruise", "Flags", "Water", "Note")
    right = (False, True, True, True, True, False, False, True, False)
    cells: list[list[str]] = []
    notes: list[str] = []
    for row in rows:
        c = row.checkin
        day = "" if row.session_day is None else str(row.session_day)
        water = f"{row.glasses}/{row.goal}"
        if c is None:
            cells.append([row.date.isoformat(), day, "", "", "", "", "", water])
            notes.append("no check-in")
            continue
        flags = ", ".join(label for attr, label in _FLAG_LABELS if getattr(c, attr))
        cells.append(
            [
                row.date.isoformat(),
                day,
                str(c.soreness),
                str(c.fatigue),
                str(c.stiffness),
                c.bruising,
                flags,
                water,
            ]
        )
        notes.append(c.note)
    widths = [max(3, len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers[:-1])]
    # Compact separators: one "|" per column plus the closing one.
    note_width = max(NOTE_MIN_WIDTH, WIDTH - sum(widths) - len(headers) - 1)
    for row_cells, note in zip(cells, notes, strict=True):
        row_cells.append(fit_cell(note, note_width))
    out += table(headers, cells, right, compact=True)
    out += [
        "",
        *_wrap(
            "Day: days since the session (day 0 is the session's day). Scales 0 none to 10 worst. "
            "Flags: flare = flare-up, sharp = sharp pain, breath = breathing trouble. "
            "Water: glasses / goal. Full notes are under Notes."
        ),
    ]
    return out


def _alert_text(alert: Alert) -> str:
    mark = "**URGENT** " if alert.urgent else ""
    text = f"{mark}**{escape(alert.title)}.** {escape(alert.message)}"
    if alert.beyond_sources:
        text += f" (Beyond the source articles: {escape(alert.beyond_sources)})"
    elif alert.sources:
        text += f" (Sources: {', '.join(alert.sources)}.)"
    return text


def _alerts(rows: list[HistoryRow]) -> list[str]:
    out = ["## Alerts that fired", ""]
    fired = [(row, alert) for row in rows for alert in row.alerts]
    if not fired:
        return [*out, "None of the check-ins raised an alert."]
    for row, alert in fired:
        out += _bullet(f"{row.date.isoformat()} ({_day(row)}): {_alert_text(alert)}")
    return out


def _rules(protocol: Protocol) -> list[str]:
    """What each alert checks, the articles' sign apart from companion's own numbers."""
    from companion.core.alerts import ALERT_ORDER
    from companion.core.protocol import OWN_THRESHOLD

    out = ["## How companion judges a check-in", ""]
    clinic = protocol.clinic.name if protocol.clinic else "the clinic"
    for flag_id in ALERT_ORDER:
        flag = protocol.red_flag(flag_id)
        if flag is None:
            continue
        where = escape(flag.where_from(protocol.clinic))
        text = f"**{escape(flag.title)}** ({where})"
        if flag.threshold:
            label = f"set by {escape(clinic)}" if flag.origin == "clinic" else OWN_THRESHOLD
            text += f": {escape(flag.threshold)} ({label})"
        if flag.articles_title:
            text += f". The after-care articles: {escape(flag.articles_title)}"
        if flag.beyond_sources:
            text += f". {escape(flag.beyond_sources)}"
        out += _bullet(text)
    out += ["", *_wrap(escape(protocol.thresholds_note))]
    return out


def _notes(rows: list[HistoryRow]) -> list[str]:
    out = ["## Notes", ""]
    noted = [(row, row.checkin.note) for row in rows if row.checkin is not None and row.checkin.note.strip()]
    if not noted:
        return [*out, "No notes with the check-ins."]
    for row, note in noted:
        out += _multiline_bullet(f"{row.date.isoformat()} ({_day(row)}):", note)
    return out


def _water(rows: list[HistoryRow]) -> list[str]:
    out = ["## Water", ""]
    recorded = [row for row in rows if row.glasses > 0]
    if not recorded:
        return [*out, "No glasses of water recorded."]
    met = sum(1 for row in recorded if row.glasses >= row.goal)
    average = sum(row.glasses for row in recorded) / len(recorded)
    out += _wrap(
        f"Goal met on {met} of {count(len(recorded), 'day')} with water recorded "
        f"({count(len(rows), 'day')} in this report); {average:.1f} glasses a day on average on "
        f"{'that day' if len(recorded) == 1 else 'those days'}."
    )
    return out


def _checklist(protocol: Protocol, rows: list[HistoryRow]) -> list[str]:
    out = ["## Recovery checklist", ""]
    if not rows:
        return [*out, "No days recorded yet."]
    counts: dict[str, int] = {}
    for row in rows:
        for item_id in row.checklist_items:  # home exercises have their own section
            counts[item_id] = counts.get(item_id, 0) + 1
    known = {item.id for item in protocol.checklist}
    items = [(item.title, counts.get(item.id, 0)) for item in protocol.checklist]
    items += [
        (f"{item_id} (not in this protocol)", n)
        for item_id, n in sorted(counts.items())
        if item_id not in known
    ]
    cells = [[escape(title, block=False), f"{n} of {count(len(rows), 'day')}"] for title, n in items]
    return [*out, *table(("Item", "Days ticked"), cells, (False, True))]


def _course(course: Course) -> list[str]:
    """The course of treatment: the sessions table, the ratings by week, the change sentence."""
    out = ["## Course", ""]
    if course.complaint is not None:
        out += _wrap(f"What I see my physiotherapist for: {escape(course.complaint.text)}")
    else:
        out += _wrap("No complaint named in companion.")
    if course.rows:
        headers = tuple(heading for _, heading in COLUMNS)
        cells = []
        for row in course.rows:
            texts = row.cells(course.labels)
            cells.append([escape(texts[key], block=False) for key, _ in COLUMNS])
        # Areas give way to keep the table within 80 columns (they are whole under Sessions);
        # alerts and what was taken are never shortened (the table may then run wider).
        areas = [key for key, _ in COLUMNS].index("areas")
        others = [max(3, len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers) if i != areas]
        room = max(AREAS_MIN_WIDTH, WIDTH - sum(others) - len(headers) - 1)
        for row_cells, row in zip(cells, course.rows, strict=True):
            row_cells[areas] = fit_cell(row.cells(course.labels)["areas"], room)
        right = tuple(key in ("peak", "settled", "water", "exercise") for key, _ in COLUMNS)
        out += ["", *table(headers, cells, right, compact=True), "", *_wrap(escape(COLUMNS_NOTE))]
    else:
        out += ["", "No session recorded yet."]
    if course.measures and course.weeks:
        names = measure_headings(course.measures)
        cells = [
            [
                short_day(week.monday),
                *("" if week.values.get(m.key) is None else str(week.values[m.key]) for m in course.measures),
                str(week.sessions) if week.sessions else "",
            ]
            for week in course.weeks
        ]
        headers = ("Week of Mon", *names, "Sessions")
        out += ["", "Ratings by week (the last rating of each week):", ""]
        out += table(headers, cells, (False, *(True for _ in names), True))
        keys = [
            f"{name} {escape(m.label)}"
            for name, m in zip(names, course.measures, strict=True)
            if m.activity is not None
        ]
        out.append("")
        if keys:
            out += _wrap("Activities: " + "; ".join(keys) + ". " + SCALES_NOTE)
        else:
            out += _wrap(SCALES_NOTE)
    out += ["", *_wrap(escape(course.sentence))]
    return out


def _questions(plan: CarePlan) -> list[str]:
    open_ones = [q for q in plan.questions if not q.done]
    asked = [q for q in plan.questions if q.done]
    if not plan.questions:
        return []
    out = ["## Questions for my physiotherapist", ""]
    for q in open_ones:
        out += _bullet(escape(q.text))
    if not open_ones:
        out.append("All questions noted so far have been asked.")
    if asked:
        out += ["", f"Already asked: {len(asked)}."]
    return out


def _appointments(plan: CarePlan, now: DateTime) -> list[str]:
    if not plan.appointments:
        return []
    out = ["## Follow-up appointments", ""]
    for appt in sorted(plan.appointments, key=lambda a: a.at.timestamp()):
        past = " (past)" if appt.at.timestamp() < now.timestamp() else ""
        note = f": {escape(appt.note)}" if appt.note else ""
        out += _bullet(f"{_when(appt.at, now)}{past}{note}")
    return out


def _exercises(plan: CarePlan, rows: list[HistoryRow]) -> list[str]:
    if not plan.exercises:
        return []
    out = ["## Home exercises", ""]
    if not rows:
        return [*out, "No days recorded yet."]
    from companion.core.checklist import ChecklistDay

    days = [ChecklistDay(r.date, frozenset(r.checklist_done)) for r in rows]
    results = adherence(plan.exercises, days, rows[0].date, rows[-1].date)
    cells = [
        [escape(a.exercise.name, block=False), a.exercise.dose, f"{a.done} of {a.due} ({a.percent}%)"]
        for a in results
    ]
    return [*out, *table(("Exercise", "Prescribed", "Done"), cells, (False, False, True))]


def _intake(protocol: Protocol, sessions: list[Session], plan: CarePlan, now: DateTime) -> list[str]:
    if not plan.intake:
        return []
    out = ["## What I took", ""]
    cells = []
    for item in sorted(plan.intake, key=lambda i: i.at.timestamp()):
        check = check_intake(protocol, sessions, item)
        cells.append(
            [
                clock.to_local(item.at).format("YYYY-MM-DD HH:mm"),
                escape(item.what, block=False),
                escape(item.amount, block=False) or "-",
                "yes" if check.during_restriction else "no",
            ]
        )
    return [*out, *table(("When", "What", "Amount", "During a pause"), cells, (False, False, False, False))]


# --------------------------------------------------------------------------- report


def render_markdown(
    protocol: Protocol,
    sessions: Iterable[Session],
    rows: Iterable[HistoryRow],
    status: Status | None,
    now: DateTime,
    plan: CarePlan | None = None,
    course: Course | None = None,
) -> str:
    """The clinician report. ``rows`` in any order (shown oldest first);
    ``status`` adds a "Right now" section (None leaves it out); ``course`` a "Course" one."""
    ordered_sessions = sorted(sessions, key=lambda s: s.started_at.timestamp())
    ordered_rows = sorted(rows, key=lambda r: r.date)
    local_now = clock.to_local(now)
    lines = [
        f"# Recovery report, {local_now.date().isoformat()}",
        "",
        *_wrap(
            f"Made {local_now.format('ddd D MMM YYYY HH:mm')} ({clock.iso(local_now)}) by companion "
            "from what was recorded in it, to bring to the next appointment."
        ),
        "",
        *_wrap(escape(protocol.disclaimer), "> ", "> "),
        "",
        *_summary(ordered_sessions, ordered_rows),
    ]
    care = plan or CarePlan()
    sections = [
        _questions(care),
        _right_now(status, now) if status is not None else [],
        _appointments(care, now),
        _course(course) if course is not None else [],
        _sessions(protocol, ordered_sessions, now),
        _day_table(ordered_rows),
        _alerts(ordered_rows),
        _rules(protocol),
        _notes(ordered_rows),
        _water(ordered_rows),
        _checklist(protocol, ordered_rows),
        _exercises(care, ordered_rows),
        _intake(protocol, ordered_sessions, care, now),
    ]
    for section in sections:
        if section:
            lines += ["", *section]
    return printable("\n".join(lines).replace(_GLUE, " ")) + "\n"
