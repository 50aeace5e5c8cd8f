"""The `companion` command line: quick logging and scripts.

Exit codes: 0 success; 2 bad usage or invalid input (the message names the field);
1 any other error (one line on stderr). No traceback reaches the patient.

Each subcommand's handler is set on its parser (``set_defaults(handler=...)``, see
parser.py) and takes the context (the store, the protocol, the zone: see
companion.context) and the parsed arguments. Only `companion` with no subcommand
imports Textual; every other command stays light.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from companion import collector
from companion.cli.app_command import open_app
from companion.cli.arguments import UsageError, check_arguments, data_dir_argument, field_name
from companion.cli.output import EXIT_ERROR, EXIT_OK, EXIT_USAGE, PrintableStream, print_notices

if TYPE_CHECKING:
    from companion.context import Context

MAX_DETAIL = 200
"""At most this much of an unexpected error's text is printed."""


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PrintableStream(stdout), PrintableStream(stderr)
    try:
        return _run(arguments)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _run(arguments: list[str]) -> int:
    from companion.core.errors import InputError, ProtocolError
    from companion.store import StoreError

    args: Any = OPEN_THE_APP
    try:
        if arguments:
            from companion.cli.parser import parse_arguments

            args = parse_arguments(arguments)
            check_arguments(args)
        with _interrupts_raise():
            return _run_command(args)
    except UsageError as exc:
        print(f"{exc}\nTry 'companion --help'.", file=sys.stderr)
        return EXIT_USAGE
    except InputError as exc:
        print(f"companion: {field_name(args, exc.field)}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except (StoreError, ProtocolError) as exc:
        print(f"companion: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        from companion.interrupt import say_interrupted

        return say_interrupted()
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: never a traceback
        detail = str(exc)
        if len(detail) > MAX_DETAIL:  # it may quote a value whole: a path, a 100 KB argument
            detail = detail[:MAX_DETAIL] + "…"
        print(f"companion: unexpected error ({type(exc).__name__}: {detail})", file=sys.stderr)
        return EXIT_ERROR


@contextmanager
def _interrupts_raise() -> Iterator[None]:
    """Inside: Ctrl+C raises KeyboardInterrupt, as Python's default does (``finally`` blocks run;
    the app's event loop cancels it and restores the terminal), caught in :func:`_run`. The
    handler set before (the calm exit of companion/interrupt.py) is back after."""
    try:
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


OPEN_THE_APP = SimpleNamespace(handler=open_app, data_dir=None)
"""What the parser would give for `companion` alone (not built then: a lighter start)."""


def _run_command(args: Any) -> int:
    """Open the data folder and run the handler the parser set for the command."""
    from companion.context import open_context

    context = open_context(data_dir_argument(args.data_dir))
    if args.handler is not open_app:  # the app resumes once its first screen is drawn
        collector.resume()
    try:
        handler: Callable[[Context, Any], int] = args.handler
        return handler(context, args)
    finally:
        print_notices(context.store)
