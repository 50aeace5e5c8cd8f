"""How fast the course of treatment is with ten years of history. Not a test: prints figures.

- ``companion course --json`` against ``companion status --json`` on the same ten-year
  store (tests/seeding.py: with the complaint, weekly activity ratings, the usual
  pain, one home exercise and weekly intake), interleaved in the same run, median of N
  each. The issue's target is for the app: the course view opens within 1.5x the
  dashboard's first paint; this CLI ratio is the same work on both sides without a
  screen, reported as a guide, not as that target.
- In-process figures for ``queries.load_course``: where its time goes.

Run: python benchmarks/bench_course.py [--runs 15] [--days 3650] [--keep]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cli import child_env, companion_command, interleaved, ms

from tests.seeding import TEN_YEARS, seed_data_dir

GUIDE = 1.5
CPU_TIMES: dict[str, list[float]] = {}


def run_measured(label: str, command: list[str], env: dict[str, str], cwd: Path) -> float:
    """Wall-clock time of one run; its CPU time (user + system) is kept under ``label``:
    on a busy machine the CPU time says more than the wall clock."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {proc.stderr.decode()[-400:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    CPU_TIMES.setdefault(label, []).append(cpu)
    return took


def in_process(ten: Path) -> list[str]:
    from companion import queries
    from companion.core import clock
    from companion.core.complaint import current
    from companion.core.course import build_course
    from companion.core.protocol import default_protocol
    from companion.store import Store

    protocol = default_protocol()
    clock.apply_zone(None)
    lines = []

    def timed(label: str, fn: Callable[[], object], repeat: int = 5) -> object:
        took, result = [], None
        for _ in range(repeat):
            started = time.perf_counter()
            result = fn()
            took.append(time.perf_counter() - started)
        lines.append(f"  {label:<56} {statistics.median(took) * 1000:7.1f} ms")
        return result

    timed(
        "open Store + load_status", lambda: queries.load_status(Store(ten), protocol, clock.apply_zone(None))
    )
    timed("open Store + load_course (everything)", lambda: queries.load_course(Store(ten), protocol))
    store = Store(ten)
    days = timed("  all_days (read and parse the month files)", lambda: Store(ten).all_days())
    timed("  all_ratings", lambda: Store(ten).all_ratings())
    timed("  all_intake", lambda: Store(ten).all_intake())
    timed(
        "  build_course (from records already read)",
        lambda: build_course(
            protocol,
            now=clock.now(),
            sessions=store.sessions(),
            checkins=days.checkins,  # type: ignore[attr-defined]
            hydration=days.hydration,  # type: ignore[attr-defined]
            checklist=days.checklist,  # type: ignore[attr-defined]
            intake=store.all_intake(),
            exercises=store.exercises(),
            complaint=current(store.complaints()),
            activities=store.activities(),
            ratings=store.all_ratings(),
        ),
    )
    timed("open Store + load_ratings_due (the Today prompt)", lambda: queries.load_ratings_due(Store(ten)))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="course benchmark on a ten-year store")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--days", type=int, default=TEN_YEARS)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="companion-bench-course-"))
    try:
        ten, pycache = root / "ten-years", root / "pycache"
        started = time.perf_counter()
        counts = seed_data_dir(ten, args.days)
        seeded = time.perf_counter() - started
        env = child_env(pycache)
        companion = companion_command()

        def cli(*rest: str) -> Callable[[], float]:
            command = [*companion, "--data-dir", str(ten), *rest]
            return lambda: run_measured(rest[0], command, env, root)

        course, status = cli("course", "--json"), cli("status", "--json")
        for warm in (status, course, status, course):
            warm()
        CPU_TIMES.clear()
        course_times, status_times = interleaved(args.runs, course, status)
        ratio = statistics.median(course_times) / statistics.median(status_times)
        cpu_course, cpu_status = (statistics.median(CPU_TIMES[k]) for k in ("course", "status"))
        print(f"companion course benchmark ({' '.join(companion)}; {args.runs} interleaved runs each)")
        print(
            f"ten-year store: {counts.checkins} days, {counts.sessions} sessions, "
            f"{counts.other} other records (seeded in {seeded:.2f} s)"
        )
        print()
        print(f"  course --json, ten years       {ms(course_times)}")
        print(f"  status --json, ten years       {ms(status_times)}")
        print(
            f"  => course / status: {ratio:.2f}x (the app's target, for comparison: <= {GUIDE}x first paint)"
        )
        print(
            f"  CPU time (user + system): course {cpu_course * 1000:.0f} ms, "
            f"status {cpu_status * 1000:.0f} ms"
            f" => {cpu_course / cpu_status:.2f}x"
        )
        print()
        print("in-process figures (median):")
        for line in in_process(ten):
            print(line)
        if args.keep:
            print(f"\nkept {root}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
