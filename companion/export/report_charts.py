"""The HTML report's charts, drawn by matplotlib's SVG backend and embedded inline.

Only the report imports this module (and so matplotlib, about half a second): the
app and every other command never pay for it.

Each chart survives greyscale printing and colour-blind readers: every series has
its own line style and marker as well as its colour (the Okabe-Ito palette), the
usual-course band is hatched, not only shaded, and the series are named by direct
labels or a key of line samples. Charts hold no text the patient typed (activities
are A1, A2... keyed in the HTML, where the text is escaped): matplotlib would read a
``$`` as the start of mathematics.

The SVG is deterministic: text stays text (``svg.fonttype = 'none'``, which also
lets the reader's system font draw it), the ids matplotlib derives use a fixed salt
(one per chart, so two charts on one page never share an id), and there is no date
in the metadata.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from companion.core.wording import count

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from companion.core.recovery import AfterSession, UsualCourse

WIDTH_IN = 7.0
"""A4's text width with 14 mm margins is 7.2 in; the SVG scales to the page anyway."""
FONT_STACK = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"]
INK = "#222222"
MUTED = "#555555"
BAND_EDGE = "#777777"
# Okabe-Ito colours, dark ones first (each still apart from the others in grey).
COLOURS = ("#000000", "#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00")
LINE_STYLES = ("-", "--", ":", "-.", (0, (6, 2, 1, 2, 1, 2)), (0, (1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P")
HATCHES = ("////", "xx", "\\\\\\\\", "..")
SESSION_LINES_UP_TO = 40
"""With more sessions than this on the time axis, they are marked by ticks only."""
LABEL_GAP = 1.7
"""The least distance, in scale points, between two direct labels at the lines' ends (a panel
is about 5 pt a scale point high: a label's height)."""


@dataclass(frozen=True)
class Chart:
    """A chart ready for the page: an ``<svg>`` element with its own title and description."""

    key: str  # the figure's id in the page
    title: str
    description: str  # what it shows, in words (the alt text)
    svg: str


@dataclass(frozen=True)
class Series:
    """One outcome across the course: a short name ('Pain', 'A1') and its points."""

    name: str
    points: tuple[tuple[dt.date, int], ...]
    higher_is_better: bool


@dataclass(frozen=True)
class Bucket:
    """Water and home-exercise adherence over a day, a week or a month."""

    first: dt.date
    last: dt.date
    glasses_per_day: float | None  # on days with water recorded; None: none recorded
    goal: float  # the average goal of those days
    exercise_done: int
    exercise_due: int


# --------------------------------------------------------------------------- drawing helpers


def _style() -> Any:
    # Any: matplotlib types rc_context's keys as one Literal of every setting's name
    return {
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.sans-serif": FONT_STACK,
        "font.size": 8,
        "axes.titlesize": 9,
        "axes.labelsize": 8,
        "axes.edgecolor": INK,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "text.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "hatch.linewidth": 0.6,
        "legend.frameon": False,
        "legend.fontsize": 7.5,
        "text.usetex": False,
    }


def _figure(height_in: float) -> Figure:
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, height_in), layout="constrained")
    FigureCanvasSVG(figure)
    return figure


def _layout(figure: Figure) -> Any:
    """The figure's constrained layout engine (its typed base class takes no padding)."""
    engine = figure.get_layout_engine()
    assert engine is not None, "the figure is made with a constrained layout"
    return engine


def _svg(figure: Figure, key: str, title: str, description: str) -> Chart:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({**_style(), "svg.hashsalt": f"companion-report-{key}"}):
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    return Chart(key, title, description, _inline(buffer.getvalue(), key, title, description))


_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.S)
_ROOT = re.compile(r"<svg\b([^>]*)>")
_SIZE = re.compile(r'\s(width|height)="[^"]*"')


def _inline(document: str, key: str, title: str, description: str) -> str:
    """matplotlib's SVG document as an element for inline HTML: no XML prologue, sized by
    the page (its viewBox keeps the shape), with a title and a description for readers
    that cannot see it."""
    svg = _PROLOGUE.sub("", document, count=1)
    root = _ROOT.search(svg)
    assert root is not None, "matplotlib wrote no <svg> element"
    attributes = _SIZE.sub("", root.group(1))
    opening = (
        f'<svg{attributes} role="img" aria-labelledby="{key}-title {key}-desc" '
        f'class="chart" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(description)}</desc>'
    )
    return svg[: root.start()] + opening + svg[root.end() :]


def _score_axis(axes: Axes, label: str) -> None:
    axes.set_ylim(-0.4, 10.4)
    axes.set_yticks(range(0, 11, 2))
    axes.set_ylabel(label)
    axes.grid(axis="y", color="#dddddd", linewidth=0.5)
    axes.set_axisbelow(True)


def _spread(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Label heights near ``wanted`` (in order), at least ``gap`` apart, within low..high."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [0.0] * len(wanted)
    floor = low
    for i in order:
        placed[i] = max(wanted[i], floor)
        floor = placed[i] + gap
    overflow = max(0.0, max(placed, default=low) - high)
    return [p - overflow for p in placed]


def _gids(bars: Any, prefix: str) -> None:
    """Name each bar in the SVG (``<g id="prefix-N">``): the browser tests count them."""
    for n, bar in enumerate(bars):
        bar.set_gid(f"{prefix}-{n}")


# --------------------------------------------------------------------------- the course


def course_chart(
    series: Sequence[Series], session_days: Sequence[dt.date], first: dt.date, last: dt.date
) -> Chart | None:
    """Usual pain (above) and the activities (below) by week, sessions marked on the time
    axis; None when nothing was rated."""
    rated = [s for s in series if s.points]
    if not rated:
        return None
    import matplotlib
    from matplotlib import dates as mdates

    pain = [s for s in rated if not s.higher_is_better]
    activities = [s for s in rated if s.higher_is_better]
    panels = [p for p in (pain, activities) if p]
    span_days = max(1, (last - first).days)
    pad = dt.timedelta(days=max(1, round(span_days * 0.02)))
    with matplotlib.rc_context(_style()):
        figure = _figure(0.5 + 1.0 * len(panels))
        axes_list = figure.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
        style = 0
        for axes, group in zip(axes_list, panels, strict=True):
            pain_panel = group is pain
            _score_axis(
                axes,
                "usual pain\n0-10" if pain_panel else "activities\n0-10",
            )
            _mark_sessions(axes, session_days)
            ends: list[tuple[float, str, str, dt.date]] = []
            for one in group:
                days = [d for d, _ in one.points]
                values = [v for _, v in one.points]
                n = style % len(COLOURS)
                style += 1
                every = max(1, math.ceil(len(days) / 40))
                axes.plot(
                    days,
                    values,
                    color=COLOURS[n],
                    linestyle=LINE_STYLES[n],
                    marker=MARKERS[n],
                    markevery=every,
                    markersize=4,
                    linewidth=1.4,
                    label=one.name,
                    clip_on=False,
                    gid=f"course-data-{one.name}",
                )
                ends.append((float(values[-1]), one.name, COLOURS[n], days[-1]))
            heights = _spread([e[0] for e in ends], LABEL_GAP, 0.0, 10.0)
            for (value, name, colour, day), height in zip(ends, heights, strict=True):
                axes.annotate(
                    f"{name} {value:.0f}",
                    xy=(mdates.date2num(day), value),
                    xytext=(mdates.date2num(last + pad * 2), height),
                    textcoords="data",
                    va="center",
                    ha="left",
                    color=colour,
                    fontweight="bold",
                    arrowprops={"arrowstyle": "-", "color": "#999999", "linewidth": 0.5},
                    annotation_clip=False,
                )
        bottom = axes_list[-1]
        bottom.set_xlim(mdates.date2num(first - pad), mdates.date2num(last + pad))
        locator = mdates.AutoDateLocator(minticks=3, maxticks=9)
        bottom.xaxis.set_major_locator(locator)
        bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=True))
        bottom.set_xlabel("date (▲ and dotted lines: sessions)")
        _layout(figure).set(w_pad=0.05, h_pad=0.04, rect=(0, 0, 0.9, 1))  # room for the labels
    names = ", ".join(s.name for s in rated)
    description = (
        f"Line chart of {names} from {first.isoformat()} to {last.isoformat()}, 0-10 scales, one point per "
        f"week, with {count(len(session_days), 'session')} marked on the time axis."
    )
    return _svg(figure, "course", "Usual pain and activities across the course", description)


def _mark_sessions(axes: Axes, session_days: Sequence[dt.date]) -> None:
    from matplotlib import dates as mdates

    if not session_days:
        return
    xs = [mdates.date2num(d) for d in session_days]
    if len(xs) <= SESSION_LINES_UP_TO:
        for x in xs:
            axes.axvline(x, color="#888888", linestyle=(0, (1, 2)), linewidth=0.7, zorder=0)
    axes.plot(
        xs,
        [-0.4] * len(xs),
        linestyle="none",
        marker="^",
        markersize=5,
        color=MUTED,
        clip_on=False,
        zorder=3,
    )


# --------------------------------------------------------------------------- after each session


def recovery_chart(
    curves: Sequence[AfterSession], usual: UsualCourse, *, latest: int = 4, max_days: int = 14
) -> Chart | None:
    """Soreness and fatigue by day since each session (the latest ``latest`` sessions as
    lines, the earlier ones as their median by day), with the usual course hatched."""
    from companion.core.recovery import median_by_day

    with_readings = [c for c in curves if c.readings]
    if not with_readings:
        return None
    import matplotlib

    shown = with_readings[-latest:]
    earlier = with_readings[:-latest]
    furthest = max(r.hours for c in shown for r in c.readings) / 24
    days = min(max_days, max(7, math.ceil(furthest)))
    usual_days, longest_days = usual.usual_hours / 24, usual.longest_hours / 24
    with matplotlib.rc_context(_style()):
        figure = _figure(2.0)
        axes_pair = figure.subplots(1, 2, sharey=True)
        for axes, field, title in zip(
            axes_pair,
            ("soreness", "fatigue"),
            ("Soreness after the session", "Fatigue after the session"),
            strict=True,
        ):
            axes.set_title(title, loc="left")
            _score_axis(axes, "0 none - 10 worst" if field == "soreness" else "")
            if field == "soreness":  # the guidance gives hours for soreness only
                axes.axvspan(
                    0, usual_days, facecolor="#f2f2f2", edgecolor=BAND_EDGE, hatch=HATCHES[0], linewidth=0
                )
                if longest_days > usual_days:
                    axes.axvspan(
                        usual_days,
                        longest_days,
                        facecolor="white",
                        edgecolor=BAND_EDGE,
                        hatch=HATCHES[3],
                        linewidth=0,
                    )
                axes.text(
                    usual_days / 2,
                    10.1,
                    f"usual\n≤ {usual.usual_hours:g} h",
                    ha="center",
                    va="top",
                    fontsize=7,
                    color=MUTED,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                )
                if longest_days > usual_days:
                    axes.text(
                        (usual_days + longest_days) / 2,
                        10.1,
                        f"up to\n{usual.longest_hours:g} h",
                        ha="center",
                        va="top",
                        fontsize=7,
                        color=MUTED,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                    )
            if earlier:
                medians = median_by_day(earlier, field, days + 1)
                xs = [d + 0.5 for d, m in enumerate(medians) if m is not None and d < days]
                ys = [m for d, m in enumerate(medians) if m is not None and d < days]
                axes.plot(
                    xs,
                    ys,
                    color="#9a9a9a",
                    linewidth=3.2,
                    solid_capstyle="round",
                    label=f"median of the {len(earlier)} earlier sessions",
                    zorder=2,
                    gid=f"recovery-data-{field}-median",
                )
            for n, curve in enumerate(shown):
                points = [r for r in curve.readings if r.hours / 24 <= days]
                axes.plot(
                    [r.hours / 24 for r in points],
                    [getattr(r, field) for r in points],
                    color=COLOURS[n % len(COLOURS)],
                    linestyle=LINE_STYLES[n % len(LINE_STYLES)],
                    marker=MARKERS[n % len(MARKERS)],
                    markersize=4,
                    linewidth=1.3,
                    label=f"session {curve.label}",
                    zorder=3,
                    gid=f"recovery-data-{field}-{n}",
                )
            axes.set_xlim(0, days)
            axes.set_xticks(range(0, days + 1, 1 if days <= 8 else 2))
            axes.set_xlabel("days since the session (24 h each, by check-in time)")
        handles, labels = axes_pair[0].get_legend_handles_labels()
        figure.legend(
            handles, labels, loc="outside lower center", ncols=min(3, len(labels)), handlelength=3.2
        )
    where = f"the latest {len(shown)} session{'s' if len(shown) > 1 else ''}"
    if earlier:
        where += f" and the median of the {len(earlier)} earlier ones"
    description = (
        f"Two line charts, soreness and fatigue (0-10) by day since the session, for {where}; the "
        f"usual course of soreness (up to {usual.usual_hours:g} h, at most {usual.longest_hours:g} h) "
        "is a hatched band."
    )
    return _svg(figure, "recovery", "Soreness and fatigue after each session", description)


# --------------------------------------------------------------------------- water and exercises


def adherence_chart(buckets: Sequence[Bucket], unit: str, with_exercise: bool) -> Chart | None:
    """Water against its goal, and home-exercise rounds done against due, per ``unit``
    ('day', 'week' or 'month')."""
    with_water = any(b.glasses_per_day is not None for b in buckets)
    if not buckets or not (with_water or with_exercise):
        return None
    import matplotlib
    from matplotlib import dates as mdates
    from matplotlib.ticker import MaxNLocator

    panels = [p for p, wanted in (("water", with_water), ("exercise", with_exercise)) if wanted]
    width_days = {"day": 0.8, "week": 5.6, "month": 24.0}[unit]
    xs = [mdates.date2num(b.first) + ((b.last - b.first).days + 1) / 2 for b in buckets]
    with matplotlib.rc_context(_style()):
        figure = _figure(0.4 + 0.75 * len(panels))
        axes_list = figure.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
        for axes, panel in zip(axes_list, panels, strict=True):
            axes.grid(axis="y", color="#dddddd", linewidth=0.5)
            axes.set_axisbelow(True)
            if panel == "water":
                glasses = [b.glasses_per_day or 0.0 for b in buckets]
                per = "a day, on average" if unit != "day" else ""
                _gids(
                    axes.bar(
                        xs,
                        glasses,
                        width=width_days,
                        color="#9ecae1",
                        edgecolor="#08519c",
                        hatch="///",
                        linewidth=0.5,
                        label=f"glasses {per}".strip(),
                    ),
                    "adherence-bar-water",
                )
                goals = [b.goal if b.glasses_per_day is not None else math.nan for b in buckets]
                axes.plot(
                    xs,
                    goals,
                    color=INK,
                    linestyle="--",
                    marker="_",
                    markersize=8,
                    linewidth=1.0,
                    label="goal",
                )
                axes.set_ylabel("water\nglasses a day")
                axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
                top = max([*glasses, *(g for g in goals if not math.isnan(g)), 1.0])
                axes.set_ylim(0, top * 1.15)
            else:
                percent = [100 * b.exercise_done / b.exercise_due if b.exercise_due else 0.0 for b in buckets]
                _gids(
                    axes.bar(
                        xs,
                        percent,
                        width=width_days,
                        color="#fdd0a2",
                        edgecolor="#a63603",
                        hatch="..",
                        linewidth=0.5,
                        label="rounds done, % of those due",
                    ),
                    "adherence-bar-exercise",
                )
                axes.axhline(100, color=INK, linestyle="--", linewidth=1.0, label="all rounds done")
                axes.set_ylabel("home exercise\n% of rounds")
                axes.set_ylim(0, max(110, *percent) * 1.05)
            axes.legend(loc="lower left", ncols=2, bbox_to_anchor=(0, 1.0), borderaxespad=0.1)
        bottom = axes_list[-1]
        locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
        bottom.xaxis.set_major_locator(locator)
        bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=True))
        bottom.set_xlabel(f"date (one bar a {unit})")
        bottom.set_xlim(
            mdates.date2num(buckets[0].first) - width_days, mdates.date2num(buckets[-1].last) + 1 + width_days
        )
    what = " and ".join(
        {"water": "glasses of water against the goal", "exercise": "home-exercise rounds done"}[p]
        for p in panels
    )
    description = (
        f"Bar charts of {what}, one bar a {unit}, from {buckets[0].first.isoformat()} to "
        f"{buckets[-1].last.isoformat()}."
    )
    return _svg(figure, "adherence", "Water and home exercises", description)
