"""A compositor whose partial updates render only the widgets, and the lines, they change.

Textual's compositor (8.2.8, pinned) answers a partial update (a countdown's few cells)
by rendering every widget whose *clip* meets the changed area, each over its whole
height: on Today that is fourteen widgets (the header, the footer, the help line, every
box of the page) for four countdowns, most of the idle app's CPU (issue 14). Only the
lines of the changed area are written to the terminal, so the rest is thrown away.

Here a widget is rendered only if its visible part meets the changed area and is not
hidden there behind the widgets in front of it, and only the lines of it that the area
covers, over its whole visible width: the update is cut into pieces at the widgets'
edges, line by line, so a widget's line must stay whole. A widget outside the area cannot
own any piece the update writes (every piece lies inside one widget's column span, and
the update writes only pieces that meet the area); one hidden there by the widgets in
front of it owns none either (the front-most widget's piece wins, as in Textual). So what
reaches the terminal is the same, cell for cell: for a countdown's tick, the countdowns
alone are rendered, not the page, the box and the screen behind them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual._compositor import Compositor
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip


class CroppedCompositor(Compositor):
    def _get_renders(self, crop: Region | None = None) -> Iterable[tuple[Region, Region, list[Strip]]]:
        if crop is None:
            yield from super()._get_renders(crop)
            return
        in_front: dict[int, list[tuple[int, int]]] = {}
        """Per line of the area, the column spans of the widgets rendered so far (front first)."""
        for widget, (region, clip) in self.visible_widgets.items():
            visible = region.intersection(clip)
            area = visible.intersection(crop)
            if not area:
                continue
            x1, x2 = area.column_span
            if all(covers(in_front.get(y, []), x1, x2) for y in area.line_range):
                continue  # behind the widgets in front of it, wherever the area meets it
            # The whole visible width (the pieces are cut at widget edges), the area's lines.
            lines = Region(visible.x, area.y, visible.width, area.height)
            for y in lines.line_range:
                in_front.setdefault(y, []).append(visible.column_span)
            strips = widget.render_lines(lines.translate((-region.x, -region.y)))
            yield lines, lines, strips


def covers(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether the column spans (start, end) together cover the columns start..end-1."""
    reached = start
    for first, last in sorted(spans):
        if first > reached:
            return False
        reached = max(reached, last)
        if reached >= end:
            return True
    return reached >= end


def use_cropped_compositor(screen: Screen[Any]) -> None:
    """Give `screen` the compositor above (before it is mounted)."""
    screen._compositor = CroppedCompositor()
