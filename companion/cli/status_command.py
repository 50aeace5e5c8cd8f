"""`companion status`: the command scripts poll most, so it imports only what it needs (the
other handlers' modules, with every command's rules, are in commands.py)."""

from __future__ import annotations

import argparse

from companion import queries
from companion.cli.output import EXIT_OK, print_json
from companion.context import Context


def status(ctx: Context, args: argparse.Namespace) -> int:
    snapshot = queries.load_status(ctx.store, ctx.protocol, ctx.zone)
    if args.json:
        print_json(snapshot.to_json())
    else:
        from companion.cli import render  # the words, only when they are printed

        print(render.status_text(snapshot, ctx.protocol))
    return EXIT_OK
