"""`companion report [--open]` and `companion export --format html`: the report as a page.

Both call :func:`html_report`. `report` writes it to a new dated file in the user's
documents folder (``companion-report-2026-11-22.html``; a second one that day gets
``-2``, and so on: an earlier report is never replaced), mode 600 because it holds
health data, prints the path, and with ``--open`` opens it in the default browser
(or says where it is when there is none).

The folder is ``platformdirs.user_documents_dir()`` (on Linux the XDG documents
folder, else ~/Documents), or ``$COMPANION_REPORT_DIR`` when set (the tests use it,
so they never write to the real folder). Nothing here imports matplotlib until a
report is made.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from companion.cli.arguments import path_argument
from companion.cli.output import EXIT_OK

if TYPE_CHECKING:
    from pendulum import DateTime

    from companion.context import Context

REPORT_DIR_ENV = "COMPANION_REPORT_DIR"
MAX_SAME_DAY = 999
"""Reports made the same day before companion gives up finding a free name."""


def html_report(ctx: Context, now: DateTime) -> bytes:
    """The whole report page, from everything stored, as UTF-8."""
    from companion import queries
    from companion.core.care_plan import CarePlan
    from companion.export.html_report import render_html

    store = ctx.store
    rows = queries.load_history(store, ctx.protocol, include_empty=True)
    course = queries.load_course(store, ctx.protocol, now)
    plan = CarePlan(store.appointments(), store.exercises(), store.questions(), store.all_intake())
    return render_html(ctx.protocol, store.sessions(), rows, course, now, plan).encode()


def report_folder() -> Path:
    """Where `companion report` writes: $COMPANION_REPORT_DIR, else the documents folder."""
    env = os.environ.get(REPORT_DIR_ENV)
    if env and env.strip():
        return path_argument(env, REPORT_DIR_ENV)
    from platformdirs import user_documents_dir

    return Path(user_documents_dir())


def report_command(ctx: Context, args: argparse.Namespace) -> int:
    from companion.core import clock
    from companion.store import StoreError
    from companion.store.atomic_storage import describe_os_error

    now = clock.now()
    payload = html_report(ctx, now)
    folder = report_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(describe_os_error(exc, folder, verb="create")) from exc
    if not folder.is_dir():
        raise StoreError(f"cannot write the report: {folder} is not a folder")
    day = clock.to_local(now).date().isoformat()
    try:
        path = write_new(folder, f"companion-report-{day}", ".html", payload)
    except OSError as exc:
        raise StoreError(
            describe_os_error(exc, folder / f"companion-report-{day}.html", verb="write")
        ) from exc
    print(path)
    if args.open:
        if open_in_browser(path):
            print("Opened it in your web browser.", file=sys.stderr)
        else:
            print(
                f"No web browser could be started here: open {path} in one yourself "
                "(or copy it to a computer that has one).",
                file=sys.stderr,
            )
    return EXIT_OK


def write_new(folder: Path, stem: str, suffix: str, payload: bytes) -> Path:
    """Write ``payload`` to a new file ``stem.suffix``, or ``stem-2.suffix``... if taken.

    Never replaces a file: the complete, flushed content is linked under the first free
    name (a link fails when the name exists), so no reader ever sees half a report and
    two reports made at once both survive. Mode 600.
    """
    from companion.store.atomic_storage import fsync_dir, write_new_file, write_temp

    tmp = write_temp(folder, stem, payload)
    try:
        for number in range(1, MAX_SAME_DAY + 1):
            path = folder / (f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}")
            try:
                os.link(tmp, path)
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
                    raise
                # A folder without hard links (a FAT stick): create the name exclusively instead.
                try:
                    write_new_file(path, payload)
                except FileExistsError:
                    continue
            fsync_dir(folder)
            return path
        raise FileExistsError(errno.EEXIST, f"{MAX_SAME_DAY} reports already made today", str(folder))
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def open_in_browser(path: Path) -> bool:
    """Open the page in the default browser; False when there is none (never raises)."""
    import webbrowser

    try:
        return bool(webbrowser.open(path.resolve().as_uri()))
    except (webbrowser.Error, OSError):
        return False
