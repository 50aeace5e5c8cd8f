"""How fast the CLI is with ten years of daily history. Not a test: prints figures and ratios.

- ``companion status --json`` on the ten-year store against ``python -c "import pendulum,
  tinydb"`` (the floor any TinyDB + pendulum tool pays), interleaved in the same run,
  median of N each (target: ratio <= 2.0);
- one ``companion water`` tick on the ten-year store against the same tick on an empty
  store, with today's daily backup already taken in both (target: ratio <= 1.5);
- the first tick of the day (which takes the daily backup) reported on its own;
- Store-level figures in this process, for profiling.

Both commands run as real processes: the installed console script (``companion`` next
to this Python) or ``python -m companion``. Python's bytecode cache is enabled for the
children (in a temporary ``PYTHONPYCACHEPREFIX``) as it is in a real install, even when
the environment sets ``PYTHONDONTWRITEBYTECODE``: otherwise every run would compile
companion's sources and measure the compiler.

Run: python benchmarks/bench_cli.py [--runs 15] [--days 3650] [--keep]
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
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: tests.seeding

import pendulum

from tests.seeding import TEN_YEARS, seed_data_dir

STATUS_TARGET = 2.0
TICK_TARGET = 1.5
BASELINE = [sys.executable, "-c", "import pendulum, tinydb"]


def companion_command() -> list[str]:
    script = Path(sys.executable).parent / "companion"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "companion"]


def child_env(pycache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COMPANION_DATA_DIR", "PYTHONDONTWRITEBYTECODE")}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def run_timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {proc.stderr.decode()[-400:]}")
    return took


def interleaved(
    runs: int, a: Callable[[], float], b: Callable[[], float], before_each: Callable[[], None] | None = None
) -> tuple[list[float], list[float]]:
    """Alternate a and b (swapping who goes first) so drift hits both alike."""
    times_a: list[float] = []
    times_b: list[float] = []
    for i in range(runs):
        order = ((a, times_a), (b, times_b)) if i % 2 == 0 else ((b, times_b), (a, times_a))
        for fn, sink in order:
            if before_each is not None:
                before_each()
            sink.append(fn())
    return times_a, times_b


def ms(values: list[float]) -> str:
    med = statistics.median(values) * 1000
    return f"median {med:7.1f} ms  (min {min(values) * 1000:6.1f}, max {max(values) * 1000:6.1f})"


def verdict(ratio: float, target: float) -> str:
    return f"{ratio:.2f}x (target <= {target}: {'met' if ratio <= target else 'MISSED'})"


def store_level(ten: Path, scratch: Path) -> list[str]:
    """In-process figures for the store, to see where a CLI run's time goes."""
    from companion import queries
    from companion.core import clock
    from companion.core.hydration import HydrationDay
    from companion.core.protocol import default_protocol
    from companion.store import Store

    lines = []
    protocol = default_protocol()
    zone = clock.apply_zone(None)
    today = pendulum.now().date()

    def add_one(day: HydrationDay) -> HydrationDay:
        return day.add(1)

    def timed(label: str, fn: Callable[[], object], repeat: int = 9) -> None:
        took = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            took.append(time.perf_counter() - started)
        lines.append(f"  {label:<52} {statistics.median(took) * 1000:7.2f} ms")

    timed("open Store + load_status (cold caches)", lambda: queries.load_status(Store(ten), protocol, zone))
    warm = Store(ten)
    queries.load_status(warm, protocol, zone)
    timed("load_status again (served from memory)", lambda: queries.load_status(warm, protocol, zone))
    timed("open Store + sessions() (~260 sessions)", lambda: Store(ten).sessions())
    month_ago = today - dt.timedelta(days=30)
    timed("open Store + days_between(last 30 days)", lambda: Store(ten).days_between(month_ago, today))
    timed("open Store + all_days() (ten years)", lambda: Store(ten).all_days(), repeat=3)
    timed("tick (open Store + update_hydration)", lambda: Store(ten).update_hydration(today, add_one))

    def first_ever_backup() -> None:
        shutil.rmtree(ten / "backups", ignore_errors=True)
        Store(ten).update_hydration(today, add_one)

    def first_tick_of_a_day() -> None:
        backups = ten / "backups"
        shutil.rmtree(backups / (today - dt.timedelta(days=1)).isoformat(), ignore_errors=True)
        os.replace(backups / today.isoformat(), backups / (today - dt.timedelta(days=1)).isoformat())
        Store(ten).update_hydration(today, add_one)

    timed("first tick of a day (yesterday's backup exists)", first_tick_of_a_day, repeat=5)
    timed("first tick with no backup at all (copies everything)", first_ever_backup, repeat=5)

    def seed_again() -> None:
        target = scratch / f"seed-{time.monotonic_ns()}"
        seed_data_dir(target, TEN_YEARS)
        shutil.rmtree(target)

    timed("seed ten years with apply_import (121 month files)", seed_again, repeat=3)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CLI benchmarks on a ten-year store")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--days", type=int, default=TEN_YEARS)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="companion-bench-"))
    try:
        ten, empty, pycache = root / "ten-years", root / "empty", root / "pycache"
        started = time.perf_counter()
        counts = seed_data_dir(ten, args.days)
        seeded = time.perf_counter() - started
        env = child_env(pycache)
        companion = companion_command()
        today = pendulum.now().date().isoformat()

        def cli(data_dir: Path, *rest: str) -> Callable[[], float]:
            command = [*companion, "--data-dir", str(data_dir), *rest]
            return lambda: run_timed(command, env, root)

        status = cli(ten, "status", "--json")
        baseline = lambda: run_timed(BASELINE, env, root)  # noqa: E731
        tick_ten, tick_empty = cli(ten, "water"), cli(empty, "water")
        # Warm up: byte-compile, fill the OS caches, take today's backup in both stores
        # (an empty store has nothing to back up until its first tick).
        for warm in (status, baseline, tick_ten, tick_empty, tick_empty, status, baseline):
            warm()
        assert (ten / "backups" / today).is_dir() and (empty / "backups" / today).is_dir()

        status_times, base_times = interleaved(args.runs, status, baseline)
        ten_times, empty_times = interleaved(args.runs, tick_ten, tick_empty)

        yesterday = (pendulum.now().date() - dt.timedelta(days=1)).isoformat()

        def drop_todays_backup() -> None:
            for store in (ten, empty):
                shutil.rmtree(store / "backups" / today, ignore_errors=True)

        def as_if_yesterday_was_backed_up() -> None:
            # An ordinary morning: yesterday's backup holds every file but the ones
            # written since (today's month and the settings/sessions file).
            for store in (ten, empty):
                if (store / "backups" / today).is_dir():
                    shutil.rmtree(store / "backups" / yesterday, ignore_errors=True)
                    os.replace(store / "backups" / today, store / "backups" / yesterday)

        first_runs = max(5, args.runs // 3)
        first_ten, first_empty = interleaved(first_runs, tick_ten, tick_empty, drop_todays_backup)
        daily_ten, daily_empty = interleaved(first_runs, tick_ten, tick_empty, as_if_yesterday_was_backed_up)
        modules = "companion.cli.main, companion.cli.commands, companion.queries"
        imports = [sys.executable, "-c", f"import {modules}"]
        import_times, _ = interleaved(args.runs, lambda: run_timed(imports, env, root), lambda: 0.0)

        status_ratio = statistics.median(status_times) / statistics.median(base_times)
        tick_ratio = statistics.median(ten_times) / statistics.median(empty_times)
        first_ratio = statistics.median(first_ten) / statistics.median(empty_times)
        daily_ratio = statistics.median(daily_ten) / statistics.median(empty_times)
        months = len(list((ten / "days").glob("*.json")))
        print(f"companion CLI benchmarks ({' '.join(companion)}; {args.runs} interleaved runs each)")
        print(
            f"ten-year store: {counts.checkins} days of check-ins, hydration and checklists, "
            f"{counts.sessions} sessions, {months} month files (seeded in {seeded:.2f} s)"
        )
        print()
        print(f"  status --json, ten years       {ms(status_times)}")
        print(f"  python -c 'import pendulum, tinydb' {ms(base_times)}")
        print(f"  (companion's imports alone:     {ms(import_times)})")
        print(f"  => status / import floor: {verdict(status_ratio, STATUS_TARGET)}")
        print()
        print(f"  water, ten-year store          {ms(ten_times)}")
        print(f"  water, empty store             {ms(empty_times)}")
        print(f"  => ten years / empty: {verdict(tick_ratio, TICK_TARGET)}")
        print()
        print("  first tick of the day, which takes the daily backup (no target):")
        print("  - an ordinary day (yesterday's backup exists: unchanged files are linked to it)")
        print(f"  water, ten-year store          {ms(daily_ten)}")
        print(f"  water, empty store             {ms(daily_empty)}")
        print(f"  => ten years, first tick / later tick on empty: {daily_ratio:.2f}x")
        print("  - the very first backup (no earlier one: every month file is copied and fsynced)")
        print(f"  water, ten-year store          {ms(first_ten)}")
        print(f"  water, empty store             {ms(first_empty)}")
        print(f"  => ten years, first tick / later tick on empty: {first_ratio:.2f}x")
        print()
        print("store-level figures (in this process, median):")
        for line in store_level(ten, root):
            print(line)
        if args.keep:
            print(f"\nkept {root}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
