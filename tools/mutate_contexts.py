"""A pytest plugin for tools/mutate.py's coverage pass: which test reached which line.

In the pytest process each test runs under its own coverage context (its node id), its
fixtures included. A process a test starts (the CLI) writes a data file of its own when
it exits: a file that appeared while a test ran belongs to that test (tests run one at a
time). The mapping, and the order the tests ran in, go to children.json beside the data.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

_FOLDER = Path(os.environ["MUTATE_COVERAGE_DIR"])
_children: dict[str, str] = {}
_order: list[str] = []


def _data_files() -> set[str]:
    return {p.name for p in _FOLDER.iterdir() if p.name.startswith("data.")}


def _switch(context: str) -> None:
    import coverage

    current = coverage.Coverage.current()
    if current is not None:
        current.switch_context(context)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    before = _data_files()
    _order.append(item.nodeid)
    _switch(item.nodeid)
    yield
    _switch("")
    for name in _data_files() - before:
        _children[name] = item.nodeid


def pytest_sessionfinish(session: pytest.Session) -> None:
    (_FOLDER / "children.json").write_text(json.dumps({"children": _children, "order": _order}))
