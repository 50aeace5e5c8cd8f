"""The footer's keys: all of them when they fit, closer together when space is short,
and never without the way to help and quit."""

from __future__ import annotations

import pytest

from companion.store import Store
from companion.ui.screens.help import HelpScreen
from companion.ui.widgets.key_footer import FooterEntry, KeyLine, place
from tests.ui.conftest import add_session, at, history_loaded, shown
from tests.waiting import wait_for


def entry(key: str, description: str, essential: bool = False) -> FooterEntry:
    return FooterEntry(key, key, description, True, "", essential)


PLAN_KEYS = (
    entry("^s", "Add"),
    entry("del", "Remove"),
    entry("esc", "Back"),
    entry("w", "Water"),
    entry("c", "Check-in"),
    entry("l", "List"),
    entry("h", "History"),
    entry("s", "Session"),
    entry("p", "Plan"),
    entry("?", "Help", essential=True),
    entry("q", "Quit", essential=True),
)


def drawn(entries: tuple[FooterEntry, ...], width: int) -> str:
    placed, left_out = place(entries, width)
    line = ""
    for p in placed:
        assert p.start >= len(line)
        line = line.ljust(p.start, "…") + p.key + p.description
    return line + ("…" if left_out and "…" not in line else "")


def test_keys_that_fit_are_drawn_as_textuals_footer_draws_them() -> None:
    assert drawn(PLAN_KEYS, 120).startswith(" ^s Add  del Remove  esc Back  w Water ")
    assert place(PLAN_KEYS, 120) == place(PLAN_KEYS, 106)


def test_keys_move_closer_before_any_is_left_out() -> None:
    keys = PLAN_KEYS[2:]  # without the two list keys: 9 keys
    wide = drawn(keys, 200)
    assert len(wide) > 80
    line = drawn(keys, 80)
    assert line.startswith("esc Back w Water c Check-in")
    assert line.rstrip().endswith("? Help q Quit")
    assert "…" not in line


@pytest.mark.parametrize("width", [80, 60, 40])
def test_a_narrow_line_keeps_help_and_quit_and_marks_what_is_left_out(width: int) -> None:
    line = drawn(PLAN_KEYS, width)
    assert len(line) <= width
    assert line.rstrip().endswith("? Help q Quit")
    assert "…" in line
    shown = [p.index for p in place(PLAN_KEYS, width)[0]]
    assert shown == sorted(shown)  # in their order
    assert shown[0] == 0  # the screen's own keys come first


async def test_history_at_80_columns_still_shows_help_and_quit(make_app, store: Store, frozen) -> None:
    add_session(store, at(2026, 11, 22, 8, 0))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        history = await history_loaded(pilot)
        await wait_for(
            pilot,
            lambda: "Open day" in history.query_one(KeyLine).render().plain,
            what="History's keys",
        )
        keys = history.query_one(KeyLine).render().plain
        assert keys.rstrip().endswith("? Help q Quit")
        assert "…" in keys  # some keys left out for lack of room, not help and quit
        assert len(keys.rstrip()) <= 80
        help_at = keys.index("? Help")
        await pilot.click(KeyLine, offset=(help_at, 0))
        await shown(pilot, HelpScreen)
