"""How fast the full-screen app is in a real terminal (tmux), with ten years of history.

Not a test: prints a table of figures and ratios.

- first paint: time from starting the process to the full dashboard on screen
  (its data, countdowns and footer keys), against a bare Textual app (Header,
  Static, Footer) measured the same way, i.e. until its text and its footer key
  are on screen (target: within 1.35x);
- history: time from pressing `h` to the history table on screen, against the
  dashboard's own first paint (target: under 1.5x);
- peak memory (VmHWM, the peak RSS) of both apps, the companion one after the
  history screen has loaded (target: within 1.5x).

Run: python benchmarks/bench_tui.py [--runs 5] [--days 3650]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: tests.seeding

from tests.seeding import seed_data_dir

COMPANION = Path(sys.executable).parent / "companion"
# "First full paint", the same rule for both apps: everything the screen will show is on it,
# the footer's keys included (Textual's Footer draws them a frame after the rest).
# For companion that means its data too: today's check-in as read from the store and a live
# countdown, so an empty frame drawn before the data would not count.
DASHBOARD_MARKER = ("Today's check-in", "Done for today", "until ", "Water today", "q Quit")
HISTORY_MARKER = "newest first"
BARE_TEXT = "bare app ready"
BARE_MARKER = (BARE_TEXT, "q Quit")

BARE_APP = f'''
from textual.app import App
from textual.widgets import Footer, Header, Static


class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Static("{BARE_TEXT}")
        yield Footer()


Bare().run()
'''


class Terminal:
    """One tmux session running one program at 80x24 (or a given size)."""

    def __init__(self, command: str, size: tuple[int, int]) -> None:
        self.name = f"bench-{uuid.uuid4().hex[:8]}"
        self.command = command
        self.size = size

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout

    def start(self) -> float:
        began = time.perf_counter()
        w, h = self.size
        self.tmux("new-session", "-d", "-s", self.name, "-x", str(w), "-y", str(h), self.command)
        return began

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, marker: str | tuple[str, ...], timeout: float = 60.0) -> float:
        """When every marker is on screen (and, in `first_seen`, when the first one was)."""
        markers = (marker,) if isinstance(marker, str) else marker
        self.first_seen: float | None = None
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            screen = self.screen()
            if self.first_seen is None and markers[0] in screen:
                self.first_seen = time.perf_counter()
            if all(m in screen for m in markers):
                return time.perf_counter()
            time.sleep(0.005)
        raise RuntimeError(f"{marker!r} never appeared:\n{self.screen()}")

    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def quit(self) -> None:
        self.tmux("send-keys", "-t", self.name, "q")
        deadline = time.perf_counter() + 10
        while self.alive() and time.perf_counter() < deadline:
            time.sleep(0.02)
        if self.alive():
            self.tmux("kill-session", "-t", self.name)


def measure(
    program: list[str],
    marker: str | tuple[str, ...],
    env: dict[str, str],
    then: Callable[[Terminal], float] | None,
) -> tuple[float, float, float | None, int]:
    """(seconds to all markers, to the first marker, for the follow-up step; peak RSS in KiB).

    The program runs directly in the pane (no wrapper process to start first); its peak
    RSS is read from /proc (VmHWM) after the last step, just before it is asked to quit.
    """
    env_prefix = " ".join(f"{k}={v}" for k, v in env.items())
    quoted = " ".join(f"'{part}'" for part in program)
    # Bytecode is cached as in a real install (pip compiles it), even where the
    # environment sets PYTHONDONTWRITEBYTECODE: otherwise each run compiles companion.
    # `env` execs the program, so the pane's process is the program itself.
    command = f"exec env -u PYTHONDONTWRITEBYTECODE {env_prefix} {quoted}"
    term = Terminal(command, (80, 24))
    began = term.start()
    shown = term.wait_for(marker)
    first_frame = term.first_seen or shown
    follow = then(term) if then else None
    rss = peak_rss_kib(term.pid())
    term.quit()
    return shown - began, first_frame - began, follow, rss


def peak_rss_kib(pid: int) -> int:
    """The process's peak resident set size so far (what getrusage reports at its exit)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for process {pid}")


def open_history(term: Terminal) -> float:
    time.sleep(0.3)  # let the dashboard settle
    began = time.perf_counter()
    term.tmux("send-keys", "-t", term.name, "h")
    return term.wait_for(HISTORY_MARKER) - began


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
        seed_data_dir(data_dir, args.days, course=False, running_session=True)
        print(f"seeded {args.days} days in {time.perf_counter() - began:.1f} s ({data_dir})")
        bare = work / "bare_app.py"
        bare.write_text(BARE_APP)
        env = {
            "COMPANION_DATA_DIR": str(data_dir),
            "TERM": "xterm-256color",
            "PYTHONPYCACHEPREFIX": str(work / "pycache"),
        }
        # One unmeasured run of each fills the bytecode cache.
        measure([str(COMPANION)], DASHBOARD_MARKER, env, None)
        measure([sys.executable, str(bare)], BARE_MARKER, env, None)
        app_first, app_hist, app_rss, bare_first, bare_frame, bare_rss = [], [], [], [], [], []
        for _ in range(args.runs):
            first, _, hist, rss = measure([str(COMPANION)], DASHBOARD_MARKER, env, open_history)
            app_first.append(first)
            app_hist.append(hist or 0.0)
            app_rss.append(rss)
            first, frame, _, rss = measure([sys.executable, str(bare)], BARE_MARKER, env, None)
            bare_first.append(first)
            bare_frame.append(frame)
            bare_rss.append(rss)
    med = statistics.median
    rows = [
        ("first paint, companion (s)", med(app_first)),
        ("first paint, bare Textual app (s)", med(bare_first)),
        ("  ratio (target <= 1.35)", med(app_first) / med(bare_first)),
        ("bare app's first frame, before its footer keys (s)", med(bare_frame)),
        ("  companion's full paint to it (stricter; no target)", med(app_first) / med(bare_frame)),
        ("history open, companion (s)", med(app_hist)),
        ("  ratio to dashboard first paint (target < 1.5)", med(app_hist) / med(app_first)),
        ("peak RSS, companion (MiB)", med(app_rss) / 1024),
        ("peak RSS, bare Textual app (MiB)", med(bare_rss) / 1024),
        ("  ratio (target <= 1.5)", med(app_rss) / max(1, med(bare_rss))),
    ]
    print(f"\n{args.days} days of history, {args.runs} runs each, medians, 80x24 tmux")
    for label, value in rows:
        print(f"{label:<50} {value:8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
