"""`companion export --format html` and `companion report`: the page's content, escaping and files.

The browser tests (test_report_browser.py) look at the page laid out; these read its
source and the files the commands write.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from companion.core.care_plan import CarePlan
from companion.core.course import build_course
from companion.core.history import build_history
from companion.core.protocol import default_protocol
from companion.export.html_report import render_html
from companion.store import Store
from tests.conftest import run_cli
from tests.helpers_report import FIRST_DAY, a_fortnight, seed_fortnight
from tests.launch import TEST_NOW

SECTIONS = ("questions", "course", "recovery", "alerts", "intake", "adherence", "notes", "protocol")


@pytest.fixture
def fortnight_dir(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    seed_fortnight(Store(data_dir))
    return data_dir


def _export(data_dir: Path) -> str:
    result = run_cli("export", "--format", "html", "--output", "-", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_html_export_holds_every_section_in_order(fortnight_dir: Path) -> None:
    page = _export(fortnight_dir)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    places = [page.index(f'<section id="{section}"') for section in SECTIONS]
    assert places == sorted(places), "sections out of order"
    # The questions first: the open ones, not the one already asked.
    assert "Can I go back to swimming this week?" in page and "Should I ice or heat it?" not in page
    # The course: the complaint, the change sentence, one row per session.
    assert "stiff neck when driving" in page
    assert "usual pain 7 to 5, 2 points lower*" in page
    assert page.count('<td class="when"><time datetime="2026-11-') >= 2
    # Alerts with their dates; what was taken during a pause; adherence; the protocol.
    assert "Thu 12 Nov 2026" in page and "Soreness lasting more than 72 hours" in page
    assert "ibuprofen" in page and "Anti-inflammatory medicine" in page
    assert "Water: goal met on" in page and "23 of 28 (82%)" in page
    assert "General after-care guidance for dry needling" in page
    assert "companion is a reminder, not a clinician" in page
    # Dates and times in the patient's zone.
    assert 'Made <time datetime="2026-11-22T10:0' in page and "Europe/Berlin" in page
    assert '<time datetime="2026-11-09T21:00:00+01:00">Mon 9 Nov 2026 21:00</time>' in page


def test_html_export_needs_nothing_from_outside(fortnight_dir: Path) -> None:
    page = _export(fortnight_dir)
    assert "<script" not in page.lower()
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"\burl\((?!#)", page), "a style fetches something"
    assert not re.search(r"@import|@font-face", page)
    refs = re.findall(r'\b(?:xlink:)?(?:href|src)="([^"]*)"', page)
    assert refs and all(ref.startswith("#") for ref in refs), "only references inside the page"
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "@page" in page and "break-inside: avoid" in page


def test_charts_are_matplotlib_svg_with_titles(fortnight_dir: Path) -> None:
    page = _export(fortnight_dir)
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert len(svgs) == 3
    for svg, key in zip(svgs, ("course", "recovery", "adherence"), strict=True):
        assert f'aria-labelledby="{key}-title {key}-desc"' in svg and f'<title id="{key}-title">' in svg
        assert "<text" in svg, "text drawn as paths (svg.fonttype must be 'none')"
        assert f'id="{key}-data-' in svg or f'id="{key}-bar-' in svg
        assert not re.search(r"<svg[^>]*\swidth=", svg), "a fixed size: the page sizes the chart"
        assert "<dc:date>" not in svg
    assert 'id="course-data-Pain"' in page and 'id="course-data-A3"' in page
    assert 'id="recovery-data-soreness-0"' in page and 'id="recovery-data-fatigue-1"' in page
    assert page.count('id="adherence-bar-water-') == 14 and 'id="adherence-bar-exercise-' in page
    assert "hatch" in page or "<pattern" in page  # the usual-course band is hatched


def test_the_same_records_give_the_same_page(fortnight_dir: Path, tmp_path: Path) -> None:
    code = (
        f"import sys, pendulum; sys.path.insert(0, {str(Path(__file__).parent.parent)!r})\n"
        "from companion.context import open_context\n"
        "from companion.cli.report_commands import html_report\n"
        f"ctx = open_context(__import__('pathlib').Path({str(fortnight_dir)!r}))\n"
        f"sys.stdout.buffer.write(html_report(ctx, pendulum.parse({TEST_NOW.isoformat()!r})))\n"
    )
    env = {**os.environ, "TZ": "Europe/Berlin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, env=env, timeout=120, check=True
        ).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1] and b"<svg" in runs[0]


def test_hostile_text_is_escaped_in_the_source(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    seed_fortnight(Store(data_dir), hostile=True)
    page = _export(data_dir)
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;window.hacked = 1&lt;/script&gt;" in page  # the note, the complaint
    assert page.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;") >= 5  # area, question, activity...
    assert not re.search(r"<[^>]*\son\w+=", page), "an event handler attribute in a tag"


def test_control_characters_and_long_words_in_records_never_reach_the_page() -> None:
    """The store cleans control characters as it reads; the renderer shows any that got
    past it as marks, and gives a very long word places to break."""
    backup = a_fortnight()
    protocol = default_protocol()
    bad = backup.sessions[0].__class__(
        **{**backup.sessions[0].__dict__, "note": "title \x1b]0;owned\x07 bell \x9b31m " + "x" * 300}
    )
    sessions = [bad, *backup.sessions[1:]]
    checkins = backup.checkins
    rows = build_history(
        protocol,
        first=FIRST_DAY,
        last=TEST_NOW.date(),
        sessions=sessions,
        checkins=checkins,
        hydration=backup.hydration,
        checklist=backup.checklist,
        default_goal=8,
    )
    course = build_course(protocol, now=TEST_NOW, sessions=sessions, checkins=checkins)
    page = render_html(protocol, sessions, rows, course, TEST_NOW, CarePlan())
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", page)
    assert "title ␛]0;owned␇ bell" in page
    assert "x" * 25 not in page and ("x" * 24 + "<wbr>") in page


def test_the_md_report_is_unchanged_by_the_html_one(fortnight_dir: Path) -> None:
    md = run_cli("export", "--format", "md", data_dir=fortnight_dir)
    assert md.returncode == 0 and md.stdout.startswith("# Recovery report") and "<svg" not in md.stdout


# --------------------------------------------------------------------------- companion report


def _report(
    data_dir: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_cli("report", *args, data_dir=data_dir, env=env)


def test_report_writes_a_dated_file_and_never_replaces_one(fortnight_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "reports" / "not-there-yet"
    env = {"COMPANION_REPORT_DIR": str(folder)}
    first = _report(fortnight_dir, env=env)
    assert first.returncode == 0, first.stderr
    path = Path(first.stdout.strip())
    assert path == folder / "companion-report-2026-11-22.html"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # health data
    content = path.read_bytes()
    assert content.startswith(b"<!DOCTYPE html>") and b"stiff neck when driving" in content

    second = _report(fortnight_dir, env=env)
    third = _report(fortnight_dir, env=env)
    assert Path(second.stdout.strip()) == folder / "companion-report-2026-11-22-2.html"
    assert Path(third.stdout.strip()) == folder / "companion-report-2026-11-22-3.html"
    assert path.read_bytes() == content
    assert sorted(p.name for p in folder.iterdir()) == [
        "companion-report-2026-11-22-2.html",
        "companion-report-2026-11-22-3.html",
        "companion-report-2026-11-22.html",
    ]  # no temporary file left behind


def test_report_goes_to_the_documents_folder_by_default(fortnight_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    config = home / ".config"
    config.mkdir(parents=True)
    (config / "user-dirs.dirs").write_text('XDG_DOCUMENTS_DIR="$HOME/Papers"\n')
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(config), "COMPANION_REPORT_DIR": ""}
    result = _report(fortnight_dir, env=env)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == home / "Papers" / "companion-report-2026-11-22.html"

    (config / "user-dirs.dirs").unlink()  # no XDG user dirs: ~/Documents, made if missing
    result = _report(fortnight_dir, env=env)
    assert Path(result.stdout.strip()) == home / "Documents" / "companion-report-2026-11-22.html"


def test_report_open_uses_the_default_browser(fortnight_dir: Path, tmp_path: Path) -> None:
    seen = tmp_path / "opened.txt"
    fake = tmp_path / "fake-browser"
    fake.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {seen}\n')
    fake.chmod(0o755)
    result = _report(fortnight_dir, "--open", env={"BROWSER": str(fake), "DISPLAY": ""})
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert seen.read_text() == path.as_uri()
    assert "Opened it in your web browser" in result.stderr


def test_report_open_without_a_browser_says_where_the_file_is(fortnight_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    env = {"PATH": str(empty), "BROWSER": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    result = _report(fortnight_dir, "--open", env=env)
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.is_file()
    assert "No web browser could be started here" in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_report_folder_that_is_a_file_is_one_clear_line(fortnight_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = _report(fortnight_dir, env={"COMPANION_REPORT_DIR": str(blocker / "sub")})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_only_the_report_imports_matplotlib(fortnight_dir: Path) -> None:
    data = str(fortnight_dir)
    code = (
        "import sys; from companion.cli.main import main\n"
        "for args in (['status', '--json'], ['water'], ['history'], ['course', '--json'],\n"
        "             ['export', '--format', 'md'], ['export', '--format', 'csv'], ['--help']):\n"
        "    try:\n"
        f"        main(['--data-dir', {data!r}, *args])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "    assert 'matplotlib' not in sys.modules, ('matplotlib imported by', args)\n"
        f"main(['--data-dir', {data!r}, 'export', '--format', 'html', '--output', '-'])\n"
        "assert 'matplotlib' in sys.modules, 'the report draws its charts with matplotlib'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
