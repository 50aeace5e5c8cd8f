"""How long `companion export --format html` takes next to `--format md`, on the same store.

Run: python benchmarks/bench_report.py [--days 3650] [--runs 3]

Seeds a store (ten years by default, tests/seeding.py) in a temporary folder, then
runs each export as the patient would (a new process each time, so imports count) and
prints the best and the median wall time of each, and the HTML's size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: tests.seeding

from tests.seeding import TEN_YEARS, seed_data_dir


def _time(data_dir: Path, fmt: str, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "companion",
            "--data-dir",
            str(data_dir),
            "export",
            "--format",
            fmt,
            "--output",
            str(out),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "COMPANION_REPORT_DIR": str(out.parent)},
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=TEN_YEARS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        seed_data_dir(data_dir, args.days)
        times: dict[str, list[float]] = {"md": [], "html": []}
        for _ in range(args.runs):  # alternate, so both see the same machine load
            for fmt in times:
                times[fmt].append(_time(data_dir, fmt, Path(tmp) / f"report.{fmt}"))
        size = (Path(tmp) / "report.html").stat().st_size
        for fmt, runs in times.items():
            print(f"export --format {fmt:4}: best {min(runs):.2f} s, median {statistics.median(runs):.2f} s")
        ratio = statistics.median(times["html"]) / statistics.median(times["md"])
        print(f"{args.days} days: html takes {ratio:.1f}x the md report; the page is {size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
