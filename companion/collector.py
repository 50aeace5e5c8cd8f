"""The garbage collector while a `companion` process starts.

Starting (the imports, the guidance, the store, in the app Textual and the first screen)
makes a few hundred thousand objects that live as long as the process. Python's cyclic
collector would go through them again and again while they are made: in the app, one full
collection of them took 50-100 ms, more than a bare Textual app's whole first screen.

So a process started as `companion` (see companion/__init__.py) holds collection from its
first line until its start is done (a command: before it runs; the app: once its first
screen is drawn), then freezes what it made so far (``gc.freeze``: kept, never scanned
again) and collects as usual from there on: what a command or the app makes while it runs
is collected as always. Reference counting frees everything else meanwhile; only a cycle
made while starting is kept, and nothing of companion's builds many.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """No cyclic collection until :func:`resume` (a process that collects already: no change
    if it had turned collection off itself)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def resume() -> None:
    """The start is done: freeze what was made, collect as usual from now on. Only undoes
    :func:`hold` (a program importing companion that turned collection off keeps it off)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
