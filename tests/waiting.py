"""The one way a test waits: for a condition, with a generous wall-clock deadline.

A test never sleeps a fixed time or counts `pilot.pause()` calls: on a loaded machine a
fixed pause is sometimes too short, and on an idle one it only wastes time. Instead it
names what it needs and waits until that holds; if the deadline passes, it fails saying
what it waited for (and what the condition last raised, if it raised).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.css.query import NoMatches, WrongType

DEADLINE = 30.0
"""Seconds: far longer than anything should take, even with both cores busy."""

POLL = 0.01
"""Seconds between two looks in `wait_until` (a subprocess or tmux cannot tell us when)."""

Condition = Callable[[], object]


def _check(condition: Condition) -> tuple[bool, BaseException | None]:
    """Whether the condition holds; a query that finds no widget yet counts as 'not yet'."""
    try:
        return bool(condition()), None
    except (NoMatches, WrongType) as exc:  # the screen or widget is not there yet
        return False, exc


def _timed_out(what: str, timeout: float, last_error: BaseException | None) -> AssertionError:
    detail = f" (the check last raised {type(last_error).__name__}: {last_error})" if last_error else ""
    return AssertionError(f"waited {timeout:g} s for {what}, in vain{detail}")


async def wait_for(pilot: Any, condition: Condition, *, what: str, timeout: float = DEADLINE) -> None:
    """Let the app run until `condition()` is true; fail naming `what` after `timeout` seconds.

    Each round lets the app process what is pending (`pilot.pause()` waits for the screen's
    messages and a moment of idle), then looks again.
    """
    deadline = time.monotonic() + timeout
    while True:
        holds, error = _check(condition)
        if holds:
            return
        if time.monotonic() > deadline:
            raise _timed_out(what, timeout, error)
        await pilot.pause()


def wait_until(condition: Condition, timeout: float = DEADLINE, *, what: str) -> None:
    """For subprocesses and terminals: look every few milliseconds until `condition()` is
    true; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        holds, error = _check(condition)
        if holds:
            return
        if time.monotonic() > deadline:
            raise _timed_out(what, timeout, error)
        time.sleep(POLL)


async def drained(pilot: Any, *, timeout: float = DEADLINE) -> None:
    """Before asserting that something did NOT happen: wait until the app and every widget of
    the current screen have handled each message already queued for them (a callback is
    queued behind them on each, and all must have run). Not a pause of some length: a
    barrier. What those messages set off in turn is not covered; prefer waiting for a
    positive sign where there is one."""
    app = pilot.app
    pumps = [app, *app.screen.walk_children(with_self=True)]
    left = len(pumps)
    done = asyncio.Event()

    def one_done() -> None:
        nonlocal left
        left -= 1
        if left == 0:
            done.set()

    for pump in pumps:
        if not pump.call_later(one_done):  # closing: nothing more will be handled there
            one_done()
    try:
        await asyncio.wait_for(done.wait(), timeout)
    except TimeoutError:
        raise AssertionError(f"waited {timeout:g} s for the app to handle its queued messages") from None
