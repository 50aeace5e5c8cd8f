"""The HTML report in a real browser (headless Chromium): pages, charts, nothing cut, hostile text inert.

Each test exports the report through the CLI from a seeded store, prints it to PDF
and screenshots it at A4 width (794 px), and measures a copy of it laid out at A4's
printable width (see tests/browser.py). The screenshots and PDFs are kept under
test-artifacts/ (gitignored) for a person to look at; each test prints where.

Page bounds: a fortnight fits one or two A4 pages (the issue's aim). A year: two to
five. The charts take the same room for a year as for a fortnight (the course by
week, the latest sessions and the median of the earlier ones, adherence by week) and
the notes cover the last four weeks only; what grows is the table of sessions (26 a
year, about half a page), the alerts and what was taken during a pause. Five pages
leaves room for a year with an alert or two a session, not for a report that lists
every day.
"""

from __future__ import annotations

import html
from pathlib import Path

from companion.store import Store
from tests import browser
from tests.conftest import run_cli
from tests.helpers_report import HOSTILE_NOTE, seed_days, seed_fortnight

FORTNIGHT_PAGES = (1, 2)
YEAR_PAGES = (2, 5)
CHARTS = ("course", "recovery", "adherence")
MIN_CHART_WIDTH_PX = 600
"""A chart spans the text width: A4's printable width is 188 mm, about 710 px."""


def _export(data_dir: Path, page: Path) -> Path:
    result = run_cli("export", "--format", "html", "--output", str(page), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return page


def _ink(png: Path, box: dict[str, float]) -> float:
    """The share of the chart's area on the screenshot that is not white."""
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        left, top = int(box["left"]), int(box["top"])
        crop = grey.crop((left, top, left + int(box["width"]), top + int(box["height"])))
        histogram = crop.histogram()  # pixels by grey level
    return sum(histogram[:200]) / max(1, sum(histogram))


def _check_layout(measure: dict, expected_lines: dict[str, int], expected_bars: dict[str, int]) -> None:
    assert measure["body"]["width"] > 700, measure["body"]  # laid out at the printable width
    assert not measure["overflow"], f"cut at the page edge: {measure['overflow'][:5]}"
    assert not measure["textOutsideChart"], f"chart text outside its chart: {measure['textOutsideChart'][:5]}"
    assert measure["docScrollWidth"] <= measure["docClientWidth"], "the page scrolls sideways"
    assert set(measure["charts"]) == set(CHARTS), measure["charts"].keys()
    for key, chart in measure["charts"].items():
        assert chart["svg"] and chart["title"], (key, chart)
        assert chart["width"] >= MIN_CHART_WIDTH_PX and chart["height"] > 120, (key, chart)
        assert chart["lines"] >= expected_lines[key], (key, chart)
        assert chart["bars"] >= expected_bars[key], (key, chart)
        assert chart["texts"] >= 10, (key, chart)  # tick labels, axis labels, direct labels


def _in_the_browser(page: Path, work: Path, name: str, pages: tuple[int, int]) -> dict:
    out = browser.artifacts(name)
    profile = work / "profile"
    pdf = browser.print_pdf(page, out / "report.pdf", profile)
    count = browser.pdf_pages(pdf)
    browser.screenshot(page, out / "first-page-a4.png", profile)
    measure = browser.measured(page, work, profile)
    browser.screenshot(page, out / "whole-page.png", profile, height=measure["height"] + 40)
    # The measured copy's own screenshot: its layout is the one measured, so each chart's box
    # on it is where the script found it.
    measured_copy = work / f"{page.stem}-measured.html"
    laid_out = browser.screenshot(
        measured_copy, work / "measured.png", profile, height=measure["height"] + 40
    )
    for key, chart in measure["charts"].items():
        assert _ink(laid_out, chart) > 0.02, f"the {key} chart looks empty on the screenshot"
    print(f"\n{name}: {count} pages; screenshots and PDF in {out}")
    assert pages[0] <= count <= pages[1], f"{count} pages for {name}, expected {pages}"
    return measure


def test_a_fortnight_prints_on_one_or_two_pages_with_every_chart(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    seed_fortnight(Store(data_dir))
    page = _export(data_dir, tmp_path / "fortnight.html")
    measure = _in_the_browser(page, tmp_path, "fortnight", FORTNIGHT_PAGES)
    # Usual pain and three activities; soreness and fatigue after two sessions; a bar a day.
    _check_layout(
        measure,
        expected_lines={"course": 4, "recovery": 4, "adherence": 0},
        expected_bars={"course": 0, "recovery": 0, "adherence": 2 * 13},
    )


def test_a_year_prints_within_bounds_with_every_chart(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    seed_days(data_dir, 365)
    page = _export(data_dir, tmp_path / "year.html")
    measure = _in_the_browser(page, tmp_path, "year", YEAR_PAGES)
    # Usual pain and three activities; the latest four sessions and the median of the earlier
    # ones, soreness and fatigue; a bar a week of water (the seeder ticks no exercise).
    _check_layout(
        measure,
        expected_lines={"course": 4, "recovery": 2 * 5, "adherence": 0},
        expected_bars={"course": 0, "recovery": 0, "adherence": 52},
    )


def test_hostile_text_is_text_in_the_browser(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    seed_fortnight(Store(data_dir), hostile=True)
    page = _export(data_dir, tmp_path / "hostile.html")
    source = page.read_text(encoding="utf-8")
    assert "<script" not in source and "<img" not in source and "<b>" not in source
    assert "&lt;script&gt;window.hacked = 1&lt;/script&gt;" in source
    assert "onerror=&quot;alert(1)&quot;" in source

    profile = tmp_path / "profile"
    dom = browser.dump_dom(page, profile)
    tags = browser.elements(dom)
    assert not [t for t, _ in tags if t in ("script", "img", "b", "iframe", "object")], "markup came alive"
    assert not [attrs for _, attrs in tags if any(name.startswith("on") for name in attrs)], "a handler"
    assert "&lt;script&gt;window.hacked = 1&lt;/script&gt;" in dom  # shown, as text
    # The complaint (the note's first line), as the patient typed it, is on the page as text.
    assert html.escape(HOSTILE_NOTE.splitlines()[0], quote=False) in dom

    # In a copy without the page's script ban, only the measuring script exists and runs:
    # nothing from the records became an element, an attribute or a script.
    measure = browser.measured(page, tmp_path, profile)
    assert measure["scripts"] == 1 and measure["onerror"] == 0 and measure["hacked"] == "undefined"
    assert not measure["overflow"], measure["overflow"][:5]
