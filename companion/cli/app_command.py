"""`companion` with no subcommand: the full-screen app (the only command that imports Textual)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.context import Context


def open_app(context: Context, args: Any) -> int:
    from companion.ui.app import run_app

    return run_app(context)
