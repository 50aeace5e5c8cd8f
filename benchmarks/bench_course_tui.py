"""How fast the course view opens in the app with ten years of history. Not a test: prints figures.

Each round starts companion in a real terminal (tmux, 80x24) on a ten-year store with a
course of treatment (tests/seeding.py ``seed_data_dir``) and measures, in the same process:

- the dashboard's first paint (bench_tui.py's rule: from starting the process until the
  dashboard with its data and its footer keys is on screen): the baseline;
- the course view opening: from Enter on "Open the course of treatment" in the command
  palette until its sessions table is on screen (read in a worker, like History).

Wall-clock time and CPU time (user + system of the app's process, from /proc, 10 ms
ticks) for both; medians over the rounds; the target is course <= 1.5x first paint.

Run: python benchmarks/bench_course_tui.py [--runs 5] [--days 3650]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: tests.seeding

from bench_tui import COMPANION, DASHBOARD_MARKER, Terminal

from tests.seeding import seed_data_dir

TARGET = 1.5
COURSE_MARKER = ("Sessions (", "oldest first", "esc Back")
PALETTE_HIT = "Open the course of treatment"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def one_round(env: dict[str, str]) -> tuple[float, float, float, float]:
    """(first paint wall, first paint CPU, course wall, course CPU) of one app process."""
    env_prefix = " ".join(f"{k}={v}" for k, v in env.items())
    term = Terminal(f"exec env -u PYTHONDONTWRITEBYTECODE {env_prefix} '{COMPANION}'", (80, 24))
    began = term.start()
    try:
        painted = term.wait_for(DASHBOARD_MARKER)
        pid = term.pid()
        paint_cpu = cpu_seconds(pid)
        time.sleep(0.5)  # let the dashboard settle (the course line is read after the first paint)
        term.tmux("send-keys", "-t", term.name, "C-p")
        term.wait_for("Search for commands")
        term.tmux("send-keys", "-t", term.name, "-l", "course of treatment")
        term.wait_for(PALETTE_HIT)
        time.sleep(0.3)
        cpu_before = cpu_seconds(pid)
        pressed = time.perf_counter()
        term.tmux("send-keys", "-t", term.name, "Enter")
        opened = term.wait_for(COURSE_MARKER)
        course_cpu = cpu_seconds(pid) - cpu_before
        return painted - began, paint_cpu, opened - pressed, course_cpu
    finally:
        term.quit()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--days", type=int, default=3650)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed: this benchmark needs a real terminal")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data_dir = work / "data"
        began = time.perf_counter()
        counts = seed_data_dir(data_dir, args.days, course=True, running_session=True)
        print(
            f"seeded {args.days} days ({counts.sessions} sessions, {counts.other} other records) "
            f"in {time.perf_counter() - began:.1f} s"
        )
        env = {
            "COMPANION_DATA_DIR": str(data_dir),
            "TERM": "xterm-256color",
            "PYTHONPYCACHEPREFIX": str(work / "pycache"),
        }
        one_round(env)  # unmeasured: fills the bytecode cache
        paint, paint_cpu, course, course_cpu = [], [], [], []
        for _ in range(args.runs):
            a, b, c, d = one_round(env)
            paint.append(a)
            paint_cpu.append(b)
            course.append(c)
            course_cpu.append(d)
    med = statistics.median
    rows = [
        ("dashboard first paint, wall (s)", med(paint)),
        ("course view open, wall (s)", med(course)),
        (f"  ratio, wall (target <= {TARGET})", med(course) / med(paint)),
        ("dashboard first paint, CPU (s)", med(paint_cpu)),
        ("course view open, CPU (s)", med(course_cpu)),
        (f"  ratio, CPU (target <= {TARGET})", med(course_cpu) / med(paint_cpu)),
    ]
    print(f"\n{args.days} days of history, {args.runs} rounds (each: first paint, then the course), medians")
    for label, value in rows:
        print(f"{label:<50} {value:8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
