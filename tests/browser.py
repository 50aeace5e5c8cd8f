"""Headless Chromium for the report's tests: print to PDF, screenshot, and a DOM measured in the page.

Debian's `chromium` package (.ci/run installs it). When it is missing the tests fail,
they do not skip: the report is only tested once a real browser has laid it out.

Measuring: :func:`measured` opens a *copy* of the report (the report itself holds no
script, and its Content-Security-Policy would block one) with the body set to the
width of A4's printable area at the report's own @page margins, and a script that
writes what it found into the page before Chromium dumps the DOM: every element's box
against the body's, every chart's size, how many data lines, bars and texts each
chart draws on screen, and each figure's place on the page.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

A4_WIDTH_PX, A4_HEIGHT_PX = 794, 1123
"""A4 at 96 px per inch (210 x 297 mm)."""
PRINT_WIDTH_MM = 210 - 2 * 11
"""A4 less the report's left and right @page margins (11 mm each)."""
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
"""Screenshots and PDFs the browser tests keep, for a person to look at (gitignored)."""
TIMEOUT = 120


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        "Chromium is not installed: the report is tested in a real browser (apt-get install chromium)"
    )


def _run(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    env = {**os.environ, "HOME": str(profile)}
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    assert result.returncode == 0, f"chromium failed ({result.returncode}): {result.stderr[-2000:]}"
    return result


def print_pdf(page: Path, pdf: Path, profile: Path) -> Path:
    _run(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()], profile)
    assert pdf.is_file() and pdf.stat().st_size > 0, f"no PDF written at {pdf}"
    return pdf


def screenshot(page: Path, png: Path, profile: Path, height: int = A4_HEIGHT_PX) -> Path:
    _run([f"--screenshot={png}", f"--window-size={A4_WIDTH_PX},{height}", page.as_uri()], profile)
    assert png.is_file() and png.stat().st_size > 0, f"no screenshot written at {png}"
    return png


def dump_dom(page: Path, profile: Path) -> str:
    return _run(
        [
            "--dump-dom",
            "--virtual-time-budget=5000",
            f"--window-size={A4_WIDTH_PX},{A4_HEIGHT_PX}",
            page.as_uri(),
        ],
        profile,
    ).stdout


def pdf_pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


MEASURE = """
<style>body { width: %(width)smm !important; max-width: none !important;
  margin: 0 !important; padding: 0 !important; }</style>
<script>
(function () {
  const body = document.body.getBoundingClientRect();
  const out = { body: { left: body.left, right: body.right, width: body.width },
                overflow: [], textOutsideChart: [], charts: {}, scripts: 0, onerror: 0,
                hacked: typeof window.hacked, docScrollWidth: document.documentElement.scrollWidth,
                docClientWidth: document.documentElement.clientWidth };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.className && typeof el.className === "string" ? "." + el.className : "");
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    if (el.id === "measure" || el.tagName.toLowerCase() === "script" ) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > body.right + 0.5 || r.left < body.left - 0.5) {
      out.overflow.push({ el: name(el), left: r.left, right: r.right,
                          text: (el.textContent || "").slice(0, 60) });
    }
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible") {
      out.overflow.push({ el: name(el), scrollWidth: el.scrollWidth, clientWidth: el.clientWidth });
    }
  }
  for (const figure of document.querySelectorAll("figure")) {
    const svg = figure.querySelector("svg");
    const box = svg ? svg.getBoundingClientRect() : null;
    // Each data series and bar is a group named by the report's charts (matplotlib's gid).
    const drawn = (g) => { const b = g.getBBox(); return b.width > 0.5 || b.height > 0.5; };
    const lines = svg ? [...svg.querySelectorAll(`g[id^="${figure.id}-data-"]`)].filter(drawn) : [];
    const bars = svg ? [...svg.querySelectorAll(`g[id^="${figure.id}-bar-"]`)].filter((g) => {
        const b = g.getBBox(); return b.width > 0.5 && b.height > 0.5; }) : [];
    const texts = svg ? [...svg.querySelectorAll("text")] : [];
    for (const t of texts) {
      const r = t.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 ||
          r.bottom > box.bottom + 0.5) {
        out.textOutsideChart.push({ chart: figure.id, text: t.textContent, left: r.left, right: r.right });
      }
    }
    out.charts[figure.id] = { svg: !!svg, width: box ? box.width : 0, height: box ? box.height : 0,
        top: box ? box.top + window.scrollY : 0, left: box ? box.left : 0,
        lines: lines.length, bars: bars.length, texts: texts.length,
        title: svg && svg.querySelector("title") ? svg.querySelector("title").textContent : "" };
  }
  out.scripts = document.querySelectorAll("script").length;
  out.onerror = document.querySelectorAll("[onerror]").length;
  out.height = document.documentElement.scrollHeight;
  const pre = document.createElement("pre");
  pre.id = "measure";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')


def measured(page: Path, work: Path, profile: Path) -> dict[str, Any]:
    """What the measuring script found in a copy of ``page`` laid out at A4's printable width."""
    html = page.read_text(encoding="utf-8")
    copy = work / f"{page.stem}-measured.html"
    without_policy, found = _CSP.subn("", html, count=1)
    assert found == 1, "the report has no Content-Security-Policy to take out of the test copy"
    copy.write_text(
        without_policy.replace("</body>", MEASURE % {"width": PRINT_WIDTH_MM} + "</body>", 1),
        encoding="utf-8",
    )
    dom = dump_dom(copy, profile)
    match = re.search(r'<pre id="measure">(.*?)</pre>', dom, re.S)
    assert match, f"the measuring script wrote nothing: {dom[-500:]}"
    import html as html_module

    return json.loads(html_module.unescape(match.group(1)))


class Elements(HTMLParser):
    """Every element's tag and attributes in a DOM dump."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(dom: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(dom)
    parser.close()
    return parser.tags


def artifacts(name: str) -> Path:
    folder = ARTIFACTS / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
