"""Issue 14's table in one run: how close companion is to the floor, at 0, 10 and 30 years.

Not a test: prints one table. Every figure is a median over interleaved rounds and every
ratio is against a baseline measured in the same run (the same rounds, alternating who
goes first), with CPU time next to wall time: the machine is shared, and CPU time (read
from ``/proc/<pid>/task/*/schedstat`` for a program in a terminal, from ``wait4``'s rusage
for a command) is disturbed far less by the neighbours than the wall clock.

Rows (each at 0, 10 and 30 years of daily history; "0 years" is today alone, with the
session running):

1. idle: CPU (%) and bytes per second written to the terminal by companion on Today with
   a session running (its countdowns tick), against a bare Textual app (Header, Static,
   Footer), both left alone for ``--idle`` seconds;
2. first screen: CPU time (and wall time) from start to the full first screen (its data,
   a countdown and the footer keys), against the bare app to its text and footer keys;
3. ``companion status --json`` against ``python -c 'import pendulum, tinydb'``, and against
   itself on a store of today alone (the 0-years store) in the same rounds;
4. History: wall time from a key press (Down, Up, Down...) to the line under the table
   showing the row it moves to, while older years are still loading (or whatever the screen does just after
   it opened) against the same once everything has loaded; the CPU the app spent meanwhile;
5. memory (VmRSS) with History open (fully loaded) against the dashboard before it;
6. one ``companion water`` tick against the same tick on an empty store.

Run: python benchmarks/bench_floor.py [--rounds 5] [--years 0,10,30] [--quick] [--rows 2,3,6]
(``--quick``: 3 rounds, 4 s idle windows: about four minutes; ``--rows``: only those rows,
the app then quits as soon as its first screen is there when rows 1, 4 and 5 are left out.)
Programs run in their own tmux server (``tmux -L``), 100x30, as in the issue.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: tests.seeding

from tests.seeding import seed_data_dir

SIZE = (100, 30)
COMPANION = Path(sys.executable).parent / "companion"
DASHBOARD_MARKER = ("Today's check-in", "Done for today", " left ", "Water today", "q Quit")
HISTORY_MARKER = "newest first"
LOADING = "loading"
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
FLOOR = [sys.executable, "-c", "import pendulum, tinydb"]
KEYS_PER_PHASE = 5
ALL_ROWS = frozenset(range(1, 7))
KEY_TIMEOUT = 20.0


# --------------------------------------------------------------------------- measuring a process


def cpu_seconds(pid: int) -> float:
    """CPU time the process has had so far, all its threads (schedstat: ns on the CPU)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 1e9


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def run_command(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of a command; CPU from wait4's rusage (user + system)."""
    began = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {err[-400:]}")
    if proc.stderr:
        proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------- a terminal


class Terminal:
    """One program in a tmux pane of its own tmux server; what it writes is counted."""

    def __init__(self, socket: str, command: str, out: Path) -> None:
        self.socket = socket
        self.name = f"b{uuid.uuid4().hex[:8]}"
        self.command = command
        self.out = out
        self.presses = 0

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        ).stdout

    def start(self) -> float:
        w, h = SIZE
        began = time.perf_counter()
        self.tmux("new-session", "-d", "-s", self.name, "-x", str(w), "-y", str(h), self.command)
        self.pid = int(self.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())
        self.out.write_bytes(b"")
        self.tmux("pipe-pane", "-t", self.name, "-o", f"cat >> '{self.out}'")
        return began

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_until(self, check: Callable[[str], bool], what: str, timeout: float = 60.0) -> str:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.003)
        raise RuntimeError(f"{what} never showed:\n{self.screen()}")

    def wait_for(self, markers: tuple[str, ...] | str) -> str:
        wanted = (markers,) if isinstance(markers, str) else markers
        return self.wait_until(lambda s: all(m in s for m in wanted), repr(wanted))

    def key(self, key: str) -> None:
        self.tmux("send-keys", "-t", self.name, key)

    def written(self) -> int:
        return self.out.stat().st_size

    def alive(self) -> bool:
        return bool(self.tmux("list-sessions", "-F", "#{session_name}").count(self.name))

    def quit(self) -> None:
        self.key("q")
        deadline = time.perf_counter() + 10
        while self.alive() and time.perf_counter() < deadline:
            time.sleep(0.02)
        if self.alive():
            self.tmux("kill-session", "-t", self.name)


def detail_line(screen: str) -> str:
    """History's line under the table (between the table's last rule and the footer)."""
    lines = screen.rstrip("\n").splitlines()
    rules = [i for i, line in enumerate(lines) if line.startswith("────")]
    start = rules[-1] + 1 if rules else len(lines) - 2
    return "\n".join(lines[start:-1])


# --------------------------------------------------------------------------- one round


@dataclass
class Figures:
    """Each figure's values over the rounds."""

    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, key: str, value: float) -> None:
        self.values.setdefault(key, []).append(value)

    def med(self, key: str) -> float:
        got = self.values.get(key)
        return statistics.median(got) if got else float("nan")


def launch(program: list[str], env: dict[str, str], socket: str, work: Path) -> Terminal:
    prefix = " ".join(f"{k}='{v}'" for k, v in env.items())
    quoted = " ".join(f"'{part}'" for part in program)
    # `env` execs the program: the pane's process is the program itself.
    return Terminal(socket, f"exec env -u PYTHONDONTWRITEBYTECODE {prefix} {quoted}", work / "out.bin")


def idle(term: Terminal, seconds: float, figures: Figures, who: str) -> None:
    time.sleep(1.0)  # the first frames and the reminders after them are not idling
    cpu0, bytes0, t0 = cpu_seconds(term.pid), term.written(), time.perf_counter()
    time.sleep(seconds)
    cpu1, bytes1, t1 = cpu_seconds(term.pid), term.written(), time.perf_counter()
    figures.add(f"{who} idle cpu %", 100 * (cpu1 - cpu0) / (t1 - t0))
    figures.add(f"{who} idle B/s", (bytes1 - bytes0) / (t1 - t0))


def press_down(term: Terminal) -> tuple[float, float, str] | None:
    """(wall, CPU) from pressing Down to the line under the table changing, and the screen
    then; Up instead on a session's row (a history of one day has two rows: the day and its
    session). None if the key changed nothing within KEY_TIMEOUT seconds (a lost key)."""
    before = detail_line(term.screen())
    key = "Up" if before.strip().startswith("Session") else "Down"
    cpu0 = cpu_seconds(term.pid)
    began = time.perf_counter()
    term.key(key)
    try:
        screen = term.wait_until(lambda s: detail_line(s) != before, "the next row's detail", KEY_TIMEOUT)
    except RuntimeError:
        return None
    return time.perf_counter() - began, cpu_seconds(term.pid) - cpu0, screen


def companion_round(
    env: dict[str, str],
    socket: str,
    work: Path,
    idle_s: float,
    figures: Figures,
    rows: frozenset[int] = ALL_ROWS,
) -> None:
    term = launch([str(COMPANION)], env, socket, work)
    began = term.start()
    term.wait_for(DASHBOARD_MARKER)
    figures.add("app first cpu", cpu_seconds(term.pid))
    figures.add("app first wall", time.perf_counter() - began)
    if not rows & {1, 4, 5}:
        term.quit()
        return
    idle(term, idle_s, figures, "app")
    figures.add("app rss dashboard", rss_mib(term.pid))
    term.key("h")
    screen = term.wait_for(HISTORY_MARKER)
    loading: list[tuple[float, float]] = []
    loaded: list[tuple[float, float]] = []
    # While older years load (if they do); a key's figure counts only if loading was still
    # going on when it was pressed.
    lost = 0
    while LOADING in screen and len(loading) + lost < KEYS_PER_PHASE:
        pressed = press_down(term)
        if pressed is None:
            lost += 1
            screen = term.screen()
            continue
        wall, cpu, screen = pressed
        loading.append((wall, cpu))
    if not loading and not lost:  # nothing loads in the background: the keys just after opening
        for _ in range(KEYS_PER_PHASE):
            pressed = press_down(term)
            if pressed is None:
                lost += 1
            else:
                loading.append(pressed[:2])
    term.wait_until(lambda s: HISTORY_MARKER in s and LOADING not in s, "history loaded", timeout=120)
    time.sleep(0.5)
    for _ in range(KEYS_PER_PHASE):
        pressed = press_down(term)
        if pressed is None:
            lost += 1
        else:
            loaded.append(pressed[:2])
    figures.add("keys lost", lost)
    figures.add("app rss history", rss_mib(term.pid))
    if loading:
        figures.add("key loading wall", statistics.median(w for w, _ in loading))
        figures.add("key loading cpu", statistics.median(c for _, c in loading))
    figures.add("key loaded wall", statistics.median(w for w, _ in loaded))
    figures.add("key loaded cpu", statistics.median(c for _, c in loaded))
    term.quit()


def bare_round(
    env: dict[str, str],
    socket: str,
    work: Path,
    app: Path,
    idle_s: float,
    figures: Figures,
    rows: frozenset[int] = ALL_ROWS,
) -> None:
    term = launch([sys.executable, str(app)], env, socket, work)
    began = term.start()
    term.wait_for(BARE_MARKER)
    figures.add("bare first cpu", cpu_seconds(term.pid))
    figures.add("bare first wall", time.perf_counter() - began)
    if not rows & {1, 5}:
        term.quit()
        return
    idle(term, idle_s, figures, "bare")
    figures.add("bare rss", rss_mib(term.pid))
    term.quit()


def cli_rounds(
    rounds: int,
    env: dict[str, str],
    data: Path,
    empty: Path,
    today_only: Path,
    figures: Figures,
    rows: frozenset[int] = ALL_ROWS,
) -> None:
    """Row 3's commands (status on this store, the floor, and status on a store of today alone,
    the 0-years store: "the same at 30 years as at 0" is read from the same rounds, not from
    another minute of a shared machine) and row 6's, each group interleaved, order alternating."""
    companion = [str(COMPANION)]
    status = [*companion, "--data-dir", str(data), "status", "--json"]
    status_today = [*companion, "--data-dir", str(today_only), "status", "--json"]
    water = [*companion, "--data-dir", str(data), "water"]
    water_empty = [*companion, "--data-dir", str(empty), "water"]
    for warm in (status, FLOOR, status_today, water, water_empty):  # bytecode, OS caches, backups
        run_command(warm, env)
    groups = [
        group
        for row, group in (
            (3, [("status", status), ("floor", FLOOR), ("status today alone", status_today)]),
            (6, [("water", water), ("water empty", water_empty)]),
        )
        if row in rows
    ]
    for i in range(rounds):
        for group in groups:
            for name, command in group if i % 2 == 0 else reversed(group):
                wall, cpu = run_command(command, env)
                figures.add(f"{name} wall", wall)
                figures.add(f"{name} cpu", cpu)


# --------------------------------------------------------------------------- the table


def ratio(figures: Figures, a: str, b: str) -> float:
    return figures.med(a) / figures.med(b)


def table(results: dict[int, Figures], rows: frozenset[int] = ALL_ROWS) -> list[str]:
    years = sorted(results)
    head = f"{'figure':<44}" + "".join(f"{f'{y} y':>22}" for y in years)
    lines = [head, "-" * len(head)]
    shown = [False]

    def row(label: str, cell: Callable[[Figures], str]) -> None:
        if label[0].isdigit():  # a row's first line: the lines under it follow it
            shown[0] = int(label[0]) in rows
        if shown[0]:
            lines.append(f"{label:<44}" + "".join(f"{cell(results[y]):>22}" for y in years))

    row(
        "1 idle CPU %: app / bare",
        lambda f: f"{f.med('app idle cpu %'):.2f} / {f.med('bare idle cpu %'):.2f}",
    )
    row(
        "  bytes/s to the terminal: app / bare",
        lambda f: f"{f.med('app idle B/s'):.0f} / {f.med('bare idle B/s'):.0f}",
    )
    row(
        "2 first screen CPU ms: app / bare",
        lambda f: f"{1000 * f.med('app first cpu'):.0f} / {1000 * f.med('bare first cpu'):.0f}",
    )
    row(
        "  ratio CPU (wall)",
        lambda f: (
            f"{ratio(f, 'app first cpu', 'bare first cpu'):.2f}x "
            f"({ratio(f, 'app first wall', 'bare first wall'):.2f}x)"
        ),
    )
    row(
        "3 status --json CPU ms: status / floor",
        lambda f: f"{1000 * f.med('status cpu'):.0f} / {1000 * f.med('floor cpu'):.0f}",
    )
    row(
        "  ratio CPU (wall)",
        lambda f: (
            f"{ratio(f, 'status cpu', 'floor cpu'):.2f}x ({ratio(f, 'status wall', 'floor wall'):.2f}x)"
        ),
    )
    row(
        "  status CPU against today alone (0 y)",
        lambda f: f"{ratio(f, 'status cpu', 'status today alone cpu'):.2f}x",
    )
    row(
        "4 History key ms: loading / loaded (wall)",
        lambda f: f"{1000 * f.med('key loading wall'):.0f} / {1000 * f.med('key loaded wall'):.0f}",
    )
    row("  ratio (wall)", lambda f: f"{ratio(f, 'key loading wall', 'key loaded wall'):.2f}x")
    row(
        "  keys lost (nothing changed in 20 s), all rounds",
        lambda f: f"{sum(f.values.get('keys lost', [])):.0f}",
    )
    row(
        "  app CPU ms meanwhile: loading / loaded",
        lambda f: f"{1000 * f.med('key loading cpu'):.0f} / {1000 * f.med('key loaded cpu'):.0f}",
    )
    row(
        "5 memory MiB: History / dashboard",
        lambda f: f"{f.med('app rss history'):.1f} / {f.med('app rss dashboard'):.1f}",
    )
    row("  ratio", lambda f: f"{ratio(f, 'app rss history', 'app rss dashboard'):.2f}x")
    row("  (bare app MiB)", lambda f: f"{f.med('bare rss'):.1f}")
    row(
        "6 water CPU ms: this store / empty",
        lambda f: f"{1000 * f.med('water cpu'):.0f} / {1000 * f.med('water empty cpu'):.0f}",
    )
    row(
        "  ratio CPU (wall)",
        lambda f: (
            f"{ratio(f, 'water cpu', 'water empty cpu'):.2f}x "
            f"({ratio(f, 'water wall', 'water empty wall'):.2f}x)"
        ),
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds of the app (default 5)")
    parser.add_argument(
        "--cli-rounds", type=int, default=15, help="interleaved rounds of the CLI (default 15)"
    )
    parser.add_argument("--idle", type=float, default=8.0, help="seconds of each idle window (default 8)")
    parser.add_argument("--years", default="0,10,30", help="sizes of history (default 0,10,30)")
    parser.add_argument("--quick", action="store_true", help="3 rounds (CLI 9), 4 s idle windows")
    parser.add_argument(
        "--rows", default="1,2,3,4,5,6", help="which rows of the table to measure (default all: 1,2,3,4,5,6)"
    )
    args = parser.parse_args()
    rows = frozenset(int(r) for r in args.rows.split(","))
    if args.quick:
        args.rounds, args.cli_rounds, args.idle = 3, 9, 4.0
    if shutil.which("tmux") is None:
        print("tmux is not installed: this benchmark needs a real terminal")
        return 1
    sizes = [int(y) for y in args.years.split(",")]
    socket = f"bench-floor-{os.getpid()}"
    results: dict[int, Figures] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bare = work / "bare_app.py"
        bare.write_text(BARE_APP)
        empty = work / "empty"
        env = {
            k: v for k, v in os.environ.items() if k not in ("COMPANION_DATA_DIR", "PYTHONDONTWRITEBYTECODE")
        }
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        env["TERM"] = "xterm-256color"
        today_only = work / "today-alone"  # row 3's 0-years store, measured in every size's rounds
        seed_data_dir(today_only, 1, course=False, running_session=True)
        try:
            for years in sizes:
                data = work / f"data-{years}"
                began = time.perf_counter()
                counts = seed_data_dir(
                    data, max(1, round(years * 365.25)), course=False, running_session=True
                )
                print(
                    f"{years} y: {counts.checkins} days, {counts.sessions} sessions "
                    f"(seeded in {time.perf_counter() - began:.1f} s)",
                    flush=True,
                )
                figures = Figures()
                tui_env = {
                    "COMPANION_DATA_DIR": str(data),
                    "TERM": "xterm-256color",
                    "PYTHONPYCACHEPREFIX": str(work / "pycache"),
                }
                if os.environ.get("PYTHONPATH"):  # another checkout's companion, say (a before/after)
                    tui_env["PYTHONPATH"] = os.environ["PYTHONPATH"]
                if rows & {1, 2, 4, 5}:
                    scratch = Figures()  # one unmeasured run of each fills the bytecode cache
                    companion_round(tui_env, socket, work, 0.2, scratch, rows)
                    bare_round(tui_env, socket, work, bare, 0.2, scratch, rows)
                    for i in range(args.rounds):
                        if i % 2 == 0:
                            companion_round(tui_env, socket, work, args.idle, figures, rows)
                            bare_round(tui_env, socket, work, bare, args.idle, figures, rows)
                        else:
                            bare_round(tui_env, socket, work, bare, args.idle, figures, rows)
                            companion_round(tui_env, socket, work, args.idle, figures, rows)
                if rows & {3, 6}:
                    cli_rounds(args.cli_rounds, env, data, empty, today_only, figures, rows)
                results[years] = figures
        finally:
            subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)
    print(
        f"\n{args.rounds} interleaved rounds of the app (idle windows {args.idle:.0f} s), "
        f"{args.cli_rounds} of the CLI; medians; tmux {SIZE[0]}x{SIZE[1]}; "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    for line in table(results, rows):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
