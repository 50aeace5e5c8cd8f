"""The `companion` command line: quick logging and scripts.

Exit codes: 0 success; 2 bad usage or invalid input (the message names the field);
1 any other error (one line on stderr). No traceback reaches the patient.

Everything a command prints passes through :func:`companion.core.text.printable` (the
streams are wrapped while it runs): whatever a record, a clinic file or an argument
holds, no control sequence reaches the terminal. JSON is escaped losslessly instead.

Only `companion` with no subcommand imports Textual; every other command stays light.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
MAX_DETAIL = 200
"""At most this much of an unexpected error's text is printed."""
DATA_DIR_ENV = "COMPANION_DATA_DIR"


class UsageError(Exception):
    """Bad usage found by the parser; exit code 2."""


POSITIONALS = {"count": "N", "file": "FILE", "id": "ID", "what": "WHAT", "text": "QUESTION"}
"""The name each positional argument has in the help (its metavar), for refusals."""


class PrintableStream:
    """A text stream that writes only what a terminal shows as text (control characters
    made visible): the CLI's stdout and stderr while a command runs."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        from companion.core.text import printable

        return self.stream.write(printable(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse an argument that is not UTF-8 (the shell passed bytes Python kept as
    surrogates): nothing could store or print it. Names the option."""
    from companion.core.errors import InputError
    from companion.core.text import has_surrogates

    for dest, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and has_surrogates(item):
                name = POSITIONALS.get(dest, "--" + dest.replace("_", "-"))
                raise InputError(
                    name, "is not valid UTF-8 text; type it again, or check the terminal's encoding"
                )


MAX_NAME_BYTES, MAX_PATH_BYTES = 255, 4096
"""The longest file name and path Linux and macOS take: longer ones are the patient's typo."""


def path_argument(raw: str, field: str) -> Path:
    """A file or folder named by the patient; one too long for any file system is refused
    (exit 2, a short quote) before the OS says 'File name too long'."""
    from companion.core.errors import InputError
    from companion.core.text import has_surrogates, shown

    if has_surrogates(raw):
        raise InputError(field, "is not valid UTF-8 text; give the name in UTF-8")
    path = Path(raw).expanduser()
    too_long = len(os.fsencode(path)) > MAX_PATH_BYTES or any(
        len(os.fsencode(part)) > MAX_NAME_BYTES for part in path.parts
    )
    if too_long:
        raise InputError(field, f"{shown(raw)} is too long to be the name of a file or folder")
    return path


def default_data_dir() -> Path:
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return path_argument(env, DATA_DIR_ENV)
    from platformdirs import user_data_dir

    return Path(user_data_dir("companion", appauthor=False))


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PrintableStream(stdout), PrintableStream(stderr)  # type: ignore[assignment]
    try:
        return _run(arguments)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _run(arguments: list[str]) -> int:
    from companion.core.errors import InputError, ProtocolError
    from companion.store import StoreError

    try:
        if arguments:
            from companion.cli.parser import build_parser

            args = build_parser().parse_args(arguments)
            check_arguments(args)
            return _dispatch(args)
        return _dispatch(OPEN_THE_APP)
    except UsageError as exc:
        print(f"{exc}\nTry 'companion --help'.", file=sys.stderr)
        return EXIT_USAGE
    except InputError as exc:
        print(f"companion: {exc.field}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except (StoreError, ProtocolError) as exc:
        print(f"companion: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("companion: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: never a traceback
        detail = str(exc)
        if len(detail) > MAX_DETAIL:  # it may quote a value whole: a path, a 100 KB argument
            detail = detail[:MAX_DETAIL] + "…"
        print(f"companion: unexpected error ({type(exc).__name__}: {detail})", file=sys.stderr)
        return EXIT_ERROR


OPEN_THE_APP = SimpleNamespace(command=None, data_dir=None)
"""What the parser would give for `companion` with no arguments."""


def _dispatch(args: argparse.Namespace | SimpleNamespace) -> int:
    from companion.cli.context import open_context
    from companion.core.errors import InputError

    if args.data_dir is not None and not args.data_dir.strip():
        raise InputError("--data-dir", "is empty; give the folder for your data")
    data_dir = path_argument(args.data_dir, "--data-dir") if args.data_dir is not None else default_data_dir()
    ctx = open_context(data_dir)
    try:
        if args.command is None:
            from companion.ui.app import run_app

            return run_app(ctx.store, ctx.protocol, ctx.zone)
        from companion.cli import commands  # not needed by the app: keeps its start light

        if args.command == "session":
            if args.session_command == "add":
                return commands.session_add(ctx, args)
            if args.session_command == "list":
                return commands.session_list(ctx, args)
            if args.session_command == "remove":
                return commands.session_remove(ctx, args)
            raise UsageError("companion session: choose an action: add, list or remove")
        groups = {
            "protocol": (
                "protocol_command",
                {
                    "import": commands.protocol_import,
                    "show": commands.protocol_show,
                    "reset": commands.protocol_reset,
                },
            ),
            "appointment": (
                "appointment_command",
                {
                    "add": commands.appointment_add,
                    "list": commands.appointment_list,
                    "remove": commands.appointment_remove,
                },
            ),
            "exercise": (
                "exercise_command",
                {
                    "add": commands.exercise_add,
                    "list": commands.exercise_list,
                    "done": commands.exercise_done,
                    "remove": commands.exercise_remove,
                },
            ),
        }
        if args.command == "report":
            return args.handler(ctx, args)
        if args.command in ("complaint", "activity", "course"):
            from companion.cli import course_commands

            return course_commands.dispatch(ctx, args)
        if args.command in groups:
            attr, actions = groups[args.command]
            action = getattr(args, attr)
            if action not in actions:
                raise UsageError(f"companion {args.command}: choose an action: {', '.join(actions)}")
            return actions[action](ctx, args)
        handler = {
            "remind": commands.remind,
            "took": commands.took,
            "ask": commands.ask,
            "status": commands.status,
            "water": commands.water,
            "checkin": commands.checkin,
            "history": commands.history,
            "export": commands.export,
            "import": commands.import_file,
            "config": commands.config,
        }[args.command]
        return handler(ctx, args)
    finally:
        ctx.flush_notices()


def print_json(data: Any) -> None:
    """JSON on stdout; the characters a terminal would obey are \\u escapes (same JSON)."""
    from companion.core.text import json_escaped

    sys.stdout.write(json_escaped(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
