"""The `companion` command line: quick logging and scripts.

Exit codes: 0 success; 2 bad usage or invalid input (the message names the field);
1 any other error (one line on stderr). No traceback reaches the patient.

Only `companion` with no subcommand imports Textual; every other command stays light.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
DATA_DIR_ENV = "COMPANION_DATA_DIR"


class UsageError(Exception):
    """Bad usage found by the parser; exit code 2."""


def default_data_dir() -> Path:
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("companion", appauthor=False))


def main(argv: Sequence[str] | None = None) -> int:
    from companion.core.errors import InputError, ProtocolError
    from companion.store import StoreError

    try:
        arguments = list(sys.argv[1:] if argv is None else argv)
        if arguments:
            from companion.cli.parser import build_parser

            return _dispatch(build_parser().parse_args(arguments))
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
        print(f"companion: unexpected error ({type(exc).__name__}: {exc})", file=sys.stderr)
        return EXIT_ERROR


OPEN_THE_APP = SimpleNamespace(command=None, data_dir=None)
"""What the parser would give for `companion` with no arguments."""


def _dispatch(args: argparse.Namespace | SimpleNamespace) -> int:
    from companion.cli.context import open_context
    from companion.core.errors import InputError

    if args.data_dir is not None and not args.data_dir.strip():
        raise InputError("--data-dir", "is empty; give the folder for your data")
    data_dir = Path(args.data_dir).expanduser() if args.data_dir is not None else default_data_dir()
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
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
