"""Issue 11: counts agree with their number, and the example dates in hints are computed
from today (a follow-up's example is never already past)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pendulum
import pytest

from companion.cli import render
from companion.core import wording
from companion.core.hydration import HydrationDay
from tests.conftest import run_cli
from tests.launch import TEST_NOW


def test_a_clinic_file_setting_one_item_says_1_item(tmp_path: Path, data_dir: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(
        "schema = 1\n[[restriction]]\nid = 'alcohol'\nhours = { standard = 48, intense = 72 }\n"
    )
    result = run_cli("protocol", "import", str(clinic), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "1 item set by the clinic" in result.stdout


def test_a_goal_of_one_glass_is_said_in_the_singular(data_dir: Path) -> None:
    result = run_cli("water", "--goal", "1", data_dir=data_dir)
    assert "Daily goal set to 1 glass." in result.stdout
    assert "of 1 glass today" in render.water_line(HydrationDay(TEST_NOW.date(), 0, 1))


def test_the_command_line_has_one_way_to_count() -> None:
    assert "def count(" not in inspect.getsource(render)  # core/wording.count is the one
    assert render.count is wording.count


def example_in(text: str) -> pendulum.DateTime:
    found = re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)
    assert found, text
    return pendulum.parse(found.group(0), tz=TEST_NOW.tz)  # type: ignore[return-value]


def test_the_follow_up_example_in_the_command_line_help_is_a_week_from_today(data_dir: Path) -> None:
    help_text = run_cli("appointment", "add", "--help", data_dir=data_dir).stdout
    assert example_in(help_text).date() == TEST_NOW.date().add(days=7)


@pytest.mark.parametrize("today", [pendulum.datetime(2026, 12, 3, 9, 0, tz="Europe/Berlin"), TEST_NOW])
def test_the_plans_follow_up_example_is_never_past(today: pendulum.DateTime, store) -> None:  # type: ignore[no-untyped-def]
    from companion.core.protocol import default_protocol
    from companion.ui.screens.plan import AppointmentsPane

    with pendulum.travel_to(today, freeze=True):
        pane = AppointmentsPane(store, default_protocol())
        placeholder = next(iter(pane.compose_fields())).fields[0].placeholder  # type: ignore[attr-defined]
    assert example_in(placeholder) > today
    assert example_in(placeholder).date() == today.date().add(days=7)
