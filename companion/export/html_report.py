"""The report as one self-contained HTML page: pictures first, for a clinician with ten minutes.

One file, nothing fetched: styles inline (the reader's system fonts), charts as inline
SVG (``report_charts``, matplotlib), no script. It opens in any browser and prints on
A4 or Letter: a fortnight fits one or two pages. Sections keep together where they
can (a break falls between them, not inside a chart or a short table); long tables
break between rows and repeat their heading. Nothing depends on colour alone.

In order: the patient's open questions; the complaint and the activities across the
course (chart, change sentence, one row per session); soreness and fatigue after each
session against the usual course; the alerts with their dates; what was taken during
a pause; water and home-exercise adherence; recent notes; the protocol in effect
(per session where it changed) and the disclaimer. Dates and times are in the
patient's zone.

Every text from outside (notes, areas, clinic names, questions, the complaint,
activity names) is escaped for HTML and has its control characters shown as marks
(:func:`companion.core.text.printable`): a ``<script>`` in a note is text on the page.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pendulum import DateTime

from companion.core import clock
from companion.core.alerts import Alert
from companion.core.care_plan import CarePlan
from companion.core.checklist import ChecklistDay
from companion.core.course import (
    COLUMNS,
    COLUMNS_NOTE,
    FREE_TEXT_COLUMNS,
    SCALES_NOTE,
    Course,
    Point,
    measure_headings,
    monday_of,
    short_day,
)
from companion.core.exercises import adherence
from companion.core.history import HistoryRow
from companion.core.protocol import Protocol
from companion.core.recovery import after_sessions, usual_course
from companion.core.sessions import Session
from companion.core.text import printable
from companion.core.wording import count
from companion.export import report_charts as charts

NOTES_DAYS = 28
"""Notes from this many days before the report are shown (all of them are in the md report)."""
EVERY_RATING_UP_TO_DAYS = 92
"""Over a longer course, the course chart shows the last rating of each week."""
DAILY_UP_TO_DAYS = 31
WEEKLY_UP_TO_DAYS = 2 * 366
"""Adherence is shown by day for up to a month, by week for up to two years, then by month."""

STYLE = """
@page { size: A4; margin: 12mm 11mm 13mm; }
@page :first { margin-top: 11mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Liberation Sans", "DejaVu Sans", sans-serif;
  font-size: 9pt; line-height: 1.3; color: #111; background: #fff;
  max-width: 186mm; margin: 0 auto; padding: 6mm 4mm;
}
@media print { body { max-width: none; padding: 0; margin: 0; } }
header { border-bottom: 2pt solid #111; padding-bottom: 3pt; margin-bottom: 4pt; }
h1 { font-size: 15pt; margin: 0; }
h2 { font-size: 11.5pt; margin: 9pt 0 3pt; padding-bottom: 1pt; border-bottom: 0.75pt solid #666;
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10pt; margin: 5pt 0 2pt; break-after: avoid; }
p, ul { margin: 2pt 0 4pt; }
ul { padding-left: 14pt; }
.meta { color: #333; font-size: 8.5pt; margin: 1pt 0; }
section { break-inside: auto; }
section.keep, figure, .keep { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 2pt 0 4pt; }
figcaption { font-size: 8pt; color: #333; }
svg.chart { display: block; width: 100%; height: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: 7.5pt; margin: 2pt 0 4pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th { text-align: left; border-bottom: 1pt solid #111; padding: 1.5pt 3pt; vertical-align: bottom; }
td { border-bottom: 0.5pt solid #bbb; padding: 1.5pt 3pt; vertical-align: top; }
p, li, td, figcaption, dd { overflow-wrap: break-word; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.when { white-space: nowrap; }
.urgent { font-weight: bold; text-transform: uppercase; border: 1pt solid #111; padding: 0 2pt; }
.note { white-space: pre-wrap; }
.sentence { border-left: 2.5pt solid #111; padding-left: 5pt; }
.small { font-size: 8pt; color: #333; }
.disclaimer { border: 1pt solid #111; padding: 3pt 5pt; margin-top: 6pt; font-weight: 600; }
dl.key { display: grid; grid-template-columns: auto 1fr; gap: 0 6pt; margin: 2pt 0 4pt; font-size: 8.5pt; }
dl.key dt { font-weight: bold; }
dl.key dd { margin: 0; overflow-wrap: anywhere; }
table.notes td:nth-child(1) { width: 16%; }
table.notes td:nth-child(2) { width: 22%; }
""".strip()


LONG_WORD = 24
"""A word longer than this gets places where a line may break (<wbr>) every so many characters."""
_WORD = re.compile(r"\S{" + str(LONG_WORD + 1) + ",}")


def text(value: str, *, single_line: bool = False) -> str:
    """Any text from outside, as HTML element content: escaped, control characters shown as
    marks, and a very long word given places to break so it never runs off the page."""
    shown = printable(value, one_line=single_line)
    out, end = [], 0
    for match in _WORD.finditer(shown):
        out.append(html.escape(shown[end : match.start()], quote=True))
        word = match.group(0)
        chunks = [word[i : i + LONG_WORD] for i in range(0, len(word), LONG_WORD)]
        out.append("<wbr>".join(html.escape(chunk, quote=True) for chunk in chunks))
        end = match.end()
    out.append(html.escape(shown[end:], quote=True))
    return "".join(out)


def one_line(value: str) -> str:
    return text(value, single_line=True)


def _local(moment: DateTime) -> DateTime:
    return clock.to_local(moment)


def _when(moment: DateTime) -> str:
    local = _local(moment)
    return f'<time datetime="{clock.iso(local)}">{local.format("ddd D MMM YYYY HH:mm")}</time>'


def _day(day: dt.date) -> str:
    return f'<time datetime="{day.isoformat()}">{day.strftime("%a")} {short_day(day)}</time>'


def _table(headers: Sequence[tuple[str, str]], rows: Iterable[Sequence[str]], css: str = "") -> str:
    """A table; headers are (heading, kind of column: 'num', 'when', 'text' for free text that
    may break anywhere, or ''); cells are HTML already escaped."""

    def cell(tag: str, content: str, kind: str) -> str:
        return f'<{tag} class="{kind}">{content}</{tag}>' if kind else f"<{tag}>{content}</{tag}>"

    head = "".join(cell("th", h, kind if kind == "num" else "") for h, kind in headers)
    body = []
    for row in rows:
        cells = "".join(cell("td", c, kind) for c, (_, kind) in zip(row, headers, strict=True))
        body.append(f"<tr>{cells}</tr>")
    kind = f' class="{css}"' if css else ""
    return f"<table{kind}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure(chart: charts.Chart | None, caption: str, missing: str) -> str:
    if chart is None:
        return f"<p>{missing}</p>"
    return f'<figure id="{chart.key}" class="keep">{chart.svg}<figcaption>{caption}</figcaption></figure>'


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class ReportData:
    """What the report is made from (everything stored)."""

    protocol: Protocol
    sessions: list[Session]  # oldest first
    rows: list[HistoryRow]  # oldest first, every day from the first record
    course: Course
    plan: CarePlan
    now: DateTime


# --------------------------------------------------------------------------- sections


def _header(data: ReportData) -> str:
    now = _local(data.now)
    zone = clock.local_zone()
    zone_name = getattr(zone, "name", None) or now.format("Z")
    rows = data.rows
    span = f"{_day(rows[0].date)} to {_day(rows[-1].date)}" if rows else "no days recorded yet"
    checkins = sum(1 for r in rows if r.checkin is not None)
    alerts = sum(len(r.alerts) for r in rows)
    return (
        "<header>"
        "<h1>Recovery report for my physiotherapist</h1>"
        f'<p class="meta">Made {_when(data.now)} ({text(zone_name)}, the time zone of every date here) '
        "by companion, on the patient's own computer, from what was recorded in it.</p>"
        f'<p class="meta">Covers {span}: {len(data.sessions)} session'
        f"{'s' if len(data.sessions) != 1 else ''}, {checkins} check-in{'s' if checkins != 1 else ''}, "
        f"{alerts} alert{'s' if alerts != 1 else ''}.</p>"
        "</header>"
    )


def _questions(plan: CarePlan) -> str:
    open_ones = [q for q in plan.questions if not q.done]
    asked = len(plan.questions) - len(open_ones)
    out = ['<section id="questions" class="keep"><h2>My questions</h2>']
    if open_ones:
        items = "".join(
            f'<li><span class="text">{text(q.text)}</span> '
            f'<span class="small">(noted {_day(_local(q.asked_at).date())})</span></li>'
            for q in open_ones
        )
        out.append(f"<ul>{items}</ul>")
    else:
        out.append("<p>No open questions noted in companion.</p>")
    if asked:
        out.append(f'<p class="small">Already asked: {asked}.</p>')
    out.append("</section>")
    return "".join(out)


def _course(data: ReportData) -> str:
    course = data.course
    out = ['<section id="course"><h2>Is it helping? The course of treatment</h2>']
    if course.complaint is not None:
        out.append(
            f"<p>What I see my physiotherapist for: <strong>{text(course.complaint.text)}</strong></p>"
        )
    else:
        out.append("<p>No complaint named in companion.</p>")
    names = {m.key: name for m, name in zip(course.measures, _measure_names(course), strict=True)}
    session_days = [row.date for row in course.rows]
    today = _local(data.now).date()
    known = [p.date for m in course.measures for p in m.points] + session_days
    first = min(known, default=today)
    last = max([*known, today]) if known else today
    every_rating = (last - first).days < EVERY_RATING_UP_TO_DAYS
    baselines = {c.measure.key: c.first for c in course.changes}
    series = [
        charts.Series(
            names[m.key],
            _points(m.points, every_rating, baselines.get(m.key)),
            m.activity is not None,
        )
        for m in course.measures
    ]
    chart = charts.course_chart(series, session_days, first, last)
    keys = [
        f"<dt>{names[m.key]}</dt><dd>{text(m.label)}</dd>" for m in course.measures if m.activity is not None
    ]
    points = (
        "Every rating is shown"
        if every_rating
        else "Each point is the last rating of its week (and the first, the baseline of the change below)"
    )
    caption = f"{points}; ▲ and the dotted lines mark the sessions. {text(SCALES_NOTE)}"
    out.append(_figure(chart, caption, "No usual-pain rating or activity score recorded yet."))
    if keys:
        out.append(f'<dl class="key" aria-label="Activities">{"".join(keys)}</dl>')
    out.append(f'<p class="sentence">{text(course.sentence)}</p>')
    if course.rows:
        headers = [(heading, _session_column(key)) for key, heading in COLUMNS]
        rows = []
        for row in course.rows:
            cells = row.cells(course.labels)
            rows.append([_day(row.date) if key == "date" else one_line(cells[key]) for key, _ in COLUMNS])
        out.append(f'<div class="sessions">{_table(headers, rows)}</div>')
        out.append(f'<p class="small">{text(COLUMNS_NOTE)}</p>')
    else:
        out.append("<p>No session recorded yet.</p>")
    out.append("</section>")
    return "".join(out)


def _session_column(key: str) -> str:
    if key in ("peak", "settled", "water", "exercise"):
        return "num"
    if key == "date":
        return "when"
    return "text" if key in FREE_TEXT_COLUMNS else ""


def _measure_names(course: Course) -> list[str]:
    return measure_headings(course.measures)


def _points(
    points: Sequence[Point], every_rating: bool, baseline: Point | None
) -> tuple[tuple[dt.date, int], ...]:
    """What the course chart draws of one measure: every rating over a short course; over a
    long one the last of each week (the course table's 'by week'), at its own date, and the
    baseline the change sentence counts from."""
    if every_rating:
        return tuple((p.date, p.value) for p in points)
    by_week: dict[dt.date, Point] = {}
    for point in points:  # oldest first
        by_week[monday_of(point.date)] = point
    kept = set(by_week.values()) | ({baseline} if baseline is not None else set())
    return tuple((p.date, p.value) for p in sorted(kept, key=lambda p: p.date))


def _recovery(data: ReportData) -> str:
    protocol = data.protocol
    usual = usual_course(protocol)
    checkins = [r.checkin for r in data.rows if r.checkin is not None]
    curves = after_sessions(data.sessions, checkins)
    chart = charts.recovery_chart(curves, usual)
    sources = f" ({', '.join(usual.sources)})" if usual.sources else ""
    course_words = f" {text(usual.text)}" if usual.text else ""
    caption = (
        "Each check-in at the time since its session (a back-dated one at the end of its day). "
        f"Hatched: the usual course of soreness in the guidance{sources}, up to {usual.usual_hours:g} h "
        f"(dense hatching) and at most {usual.longest_hours:g} h (dots).{course_words} "
        "0 none - 10 worst imaginable."
    )
    return (
        '<section id="recovery" class="keep"><h2>After each session: soreness and fatigue</h2>'
        f"{_figure(chart, caption, 'No check-in after a session yet.')}</section>"
    )


def _alerts(data: ReportData) -> str:
    fired = [(row, alert) for row in data.rows for alert in row.alerts]
    out = ['<section id="alerts"><h2>Alerts</h2>']
    if not fired:
        out.append("<p>None of the check-ins raised an alert.</p></section>")
        return "".join(out)
    rows = []
    for row, alert in fired:
        day = "" if row.session_day is None else str(row.session_day)
        rows.append([_day(row.date), day, _alert_cell(alert)])
    out.append(_table([("Date", "when"), ("Day", "num"), ("Alert", "text")], rows))
    out.append(
        '<p class="small">Day: days since the session (0: the session\'s day). The hours come from the '
        "articles; the numbers on the 0-10 scales are companion's own thresholds (see the protocol, "
        "below).</p></section>"
    )
    return "".join(out)


def _alert_cell(alert: Alert) -> str:
    level = '<span class="urgent">urgent</span> ' if alert.urgent else ""
    where = (
        f" (beyond the source articles: {text(alert.beyond_sources)})"
        if alert.beyond_sources
        else (f" (sources {', '.join(text(s) for s in alert.sources)})" if alert.sources else "")
    )
    return f"{level}<strong>{text(alert.title)}</strong>{where}"


def _intake(data: ReportData) -> str:
    out = ['<section id="intake" class="keep"><h2>Taken during a pause</h2>']
    rows = []
    restriction_titles = {r.id: r.title for r in data.protocol.restrictions}
    for row in data.course.rows:
        for item in row.took_during_pause:
            pause = restriction_titles.get(item.restriction_id or "", item.restriction_id or "")
            rows.append(
                [
                    _when(item.at),
                    text(item.what),
                    text(item.amount) or "-",
                    text(pause),
                    _day(row.date),
                ]
            )
    total = len(data.plan.intake)
    if rows:
        out.append(
            _table(
                [
                    ("When", "when"),
                    ("What", "text"),
                    ("Amount", "text"),
                    ("Pause", ""),
                    ("Session of", "when"),
                ],
                rows,
            )
        )
    else:
        out.append("<p>Nothing logged while a pause was on.</p>")
    others = total - len(rows)
    if others > 0:
        out.append(
            f'<p class="small">{others} other thing{"s" if others != 1 else ""} logged outside any '
            "pause (in the md report: companion export --format md).</p>"
        )
    out.append("</section>")
    return "".join(out)


def _buckets(data: ReportData) -> tuple[list[charts.Bucket], str]:
    rows = data.rows
    if not rows:
        return [], "day"
    span = (rows[-1].date - rows[0].date).days + 1
    unit = "day" if span <= DAILY_UP_TO_DAYS else "week" if span <= WEEKLY_UP_TO_DAYS else "month"

    def start_of(day: dt.date) -> dt.date:
        if unit == "day":
            return day
        if unit == "week":
            return monday_of(day)
        return day.replace(day=1)

    groups: dict[dt.date, list[HistoryRow]] = {}
    for row in rows:
        groups.setdefault(start_of(row.date), []).append(row)
    exercises = list(data.plan.exercises)
    out = []
    for _, group in sorted(groups.items()):
        with_water = [r for r in group if r.glasses > 0]
        glasses = sum(r.glasses for r in with_water) / len(with_water) if with_water else None
        goal = sum(r.goal for r in with_water) / len(with_water) if with_water else group[-1].goal
        done = due = 0
        if exercises:
            days = [ChecklistDay(r.date, frozenset(r.checklist_done)) for r in group]
            for result in adherence(exercises, days, group[0].date, group[-1].date):
                done += result.done
                due += result.due
        out.append(charts.Bucket(group[0].date, group[-1].date, glasses, goal, done, due))
    return out, unit


def _adherence(data: ReportData) -> str:
    rows = data.rows
    buckets, unit = _buckets(data)
    exercises = list(data.plan.exercises)
    chart = charts.adherence_chart(buckets, unit, with_exercise=bool(exercises))
    out = ['<section id="adherence" class="keep"><h2>Water and home exercises</h2>']
    caption = (
        "Water: bars, glasses a day"
        + (" (on days with water recorded)" if unit != "day" else "")
        + "; dashes, the goal. "
        + (
            "Home exercise: rounds done as a share of those prescribed; dashes, all rounds done."
            if exercises
            else ""
        )
    )
    out.append(_figure(chart, caption, "No water or home exercise recorded yet."))
    recorded = [r for r in rows if r.glasses > 0]
    if recorded:
        met = sum(1 for r in recorded if r.glasses >= r.goal)
        average = sum(r.glasses for r in recorded) / len(recorded)
        out.append(
            f"<p>Water: goal met on {met} of {count(len(recorded), 'day')} with water recorded "
            f"({count(len(rows), 'day')} in this report); {average:.1f} glasses a day on average "
            "on those days.</p>"
        )
    if exercises and rows:
        days = [ChecklistDay(r.date, frozenset(r.checklist_done)) for r in rows]
        results = adherence(exercises, days, rows[0].date, rows[-1].date)
        table_rows = [
            [text(a.exercise.name), text(a.exercise.dose), f"{a.done} of {a.due} ({a.percent}%)"]
            for a in results
        ]
        out.append(
            _table([("Home exercise", "text"), ("Prescribed", ""), ("Rounds done", "num")], table_rows)
        )
    out.append("</section>")
    return "".join(out)


def _notes(data: ReportData) -> str:
    since = _local(data.now).date() - dt.timedelta(days=NOTES_DAYS - 1)
    rows: list[tuple[dt.date, str, str, str]] = []
    for session in data.sessions:
        day = _local(session.started_at).date()
        if day >= since and session.note.strip():
            areas = ", ".join(session.areas)
            where = f" ({one_line(areas)})" if areas else ""
            rows.append((day, f"{_day(day)}", f"Session{where}", session.note))
    for row in data.rows:
        if row.date >= since and row.checkin is not None and row.checkin.note.strip():
            rows.append((row.date, _day(row.date), "Check-in", row.checkin.note))
    rows.sort(key=lambda r: r[0])
    out = [f'<section id="notes"><h2>Notes, last {NOTES_DAYS} days</h2>']
    if rows:
        out.append(
            _table(
                [("Date", "when"), ("With", "text"), ("Note", "text")],
                (
                    [when, kind, f'<span class="note">{text(note.strip())}</span>']
                    for _, when, kind, note in rows
                ),
                css="notes",
            )
        )
    else:
        out.append("<p>No notes in the last four weeks.</p>")
    out.append("</section>")
    return "".join(out)


def _protocol_name(protocol: Protocol) -> str:
    if protocol.clinic is not None:
        return (
            f"the protocol of {text(protocol.clinic.name)} (its instructions override the general guidance)"
        )
    return text(protocol.name)


def _protocol(data: ReportData) -> str:
    protocol = data.protocol
    out = ['<section id="protocol" class="keep"><h2>The protocol in effect</h2>']
    groups: list[tuple[Protocol, list[Session]]] = []
    for session in data.sessions:
        used = protocol.for_session(session)
        if groups and groups[-1][0] is used:
            groups[-1][1].append(session)
        else:
            groups.append((used, [session]))
    if len(groups) > 1:
        items = []
        for used, sessions in groups:
            first, last = _local(sessions[0].started_at).date(), _local(sessions[-1].started_at).date()
            when = _day(first) if first == last else f"{_day(first)} to {_day(last)}"
            count = f"{len(sessions)} session{'s' if len(sessions) != 1 else ''}"
            items.append(f"<li>Sessions {when} ({count}): {_protocol_name(used)}</li>")
        out.append(
            "<p>The protocol changed during the course; each session keeps its own:</p>"
            f"<ul>{''.join(items)}</ul>"
        )
    else:
        out.append(f"<p>Every session: {_protocol_name(protocol)}.</p>")
    groups_by_hours: dict[str, list[str]] = {}
    for restriction in protocol.restrictions:
        standard, intense = restriction.hours_for("standard"), restriction.hours_for("intense")
        hours = (
            "with no set time in the sources (kept while the timed ones last)"
            if standard is None or intense is None
            else f"for {standard:g} h after a standard session, {intense:g} h after an intense one"
        )
        origin = (
            f"as instructed by {text(protocol.clinic.name)}"
            if restriction.origin == "clinic" and protocol.clinic
            else ", ".join(text(s) for s in restriction.sources)
        )
        groups_by_hours.setdefault(hours, []).append(f"{text(restriction.title.lower())} ({origin})")
    avoided = "".join(f"<li>{'; '.join(titles)}: {hours}</li>" for hours, titles in groups_by_hours.items())
    out.append(f"<p>After each session, the protocol asks to avoid:</p><ul>{avoided}</ul>")
    out.append(f'<p class="small">{text(protocol.thresholds_note)}</p>')
    out.append(f'<p class="disclaimer">{text(protocol.disclaimer)}</p></section>')
    return "".join(out)


# --------------------------------------------------------------------------- the page


def render_html(
    protocol: Protocol,
    sessions: Iterable[Session],
    rows: Iterable[HistoryRow],
    course: Course,
    now: DateTime,
    plan: CarePlan | None = None,
) -> str:
    """The report page. ``rows``: every day from the first record, in any order."""
    data = ReportData(
        protocol=protocol,
        sessions=sorted(sessions, key=lambda s: s.started_at.timestamp()),
        rows=sorted(rows, key=lambda r: r.date),
        course=course,
        plan=plan or CarePlan(),
        now=now,
    )
    title = f"Recovery report, {_local(now).date().isoformat()}"
    body = "\n".join(
        [
            _header(data),
            _questions(data.plan),
            _course(data),
            _recovery(data),
            _alerts(data),
            _intake(data),
            _adherence(data),
            _notes(data),
            _protocol(data),
        ]
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="generator" content="companion">'
        f"<title>{title}</title><style>\n{STYLE}\n</style></head>\n<body>\n{body}\n</body></html>\n"
    )
