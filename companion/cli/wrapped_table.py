"""A text table that fits a width by wrapping cells onto more lines, never cutting them."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Collection, Sequence

WIDTH = 80
GAP = 2
MIN_WRAPPED = 6  # a wrapping column keeps at least this width before the others give way


def _words(text: str) -> list[str]:
    return text.split() or [""]


def column_widths(
    rows: Sequence[Sequence[str]],
    width: int = WIDTH,
    gap: int = GAP,
    wrap: Collection[int] | None = None,
) -> list[int]:
    """Each column's natural width, narrowed (widest first) until the row fits ``width``.

    Only the columns in ``wrap`` (all when None) are narrowed, first down to their
    longest word; then words are broken; the other columns give way last.
    """
    count = max(map(len, rows))
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(count)]
    floors = [max(len(w) for row in rows if i < len(row) for w in _words(row[i])) for i in range(count)]
    wrapping = set(range(count)) if wrap is None else set(wrap)
    room = width - gap * (count - 1)
    stages: tuple[Callable[[int], bool], ...] = (
        lambda i: i in wrapping and widths[i] > floors[i],
        lambda i: i in wrapping and widths[i] > MIN_WRAPPED,
        lambda i: widths[i] > 1,
    )
    for can_give in stages:
        while sum(widths) > room:
            shrinkable = [i for i in range(count) if can_give(i)]
            if not shrinkable:
                break
            widths[max(shrinkable, key=lambda i: widths[i])] -= 1
    return widths


def wrapped_table(
    rows: Sequence[Sequence[str]],
    width: int = WIDTH,
    gap: int = GAP,
    indent: str = "",
    wrap: Collection[int] | None = None,
) -> list[str]:
    """Left-aligned columns (the first row is the heading) within ``width`` columns;
    the cells of the ``wrap`` columns (all when None) go onto more lines first."""
    if not rows:
        return []
    widths = column_widths(rows, width - len(indent), gap, wrap)
    if gap > 1 and _breaks_words(rows, widths):
        gap = 1  # closer columns before any word is broken
        widths = column_widths(rows, width - len(indent), gap, wrap)
    lines: list[str] = []
    for row in rows:
        cells = [
            textwrap.wrap(cell, widths[i], break_long_words=True, break_on_hyphens=False) or [""]
            for i, cell in enumerate(row)
        ]
        for depth in range(max(map(len, cells))):
            parts = [
                (cell[depth] if depth < len(cell) else "").ljust(widths[i]) for i, cell in enumerate(cells)
            ]
            lines.append((indent + (" " * gap).join(parts)).rstrip())
    return lines


def _breaks_words(rows: Sequence[Sequence[str]], widths: list[int]) -> bool:
    return any(len(w) > widths[i] for row in rows for i, cell in enumerate(row) for w in _words(cell))


def wrapped(text: str, width: int = WIDTH, indent: str = "") -> list[str]:
    """A paragraph wrapped at ``width`` (long words broken rather than overflowing)."""
    return textwrap.wrap(
        text, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    ) or [indent.rstrip()]
