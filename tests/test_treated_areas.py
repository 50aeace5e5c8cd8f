"""The usual dry-needling sites, completed after the last comma (issue 11)."""

from __future__ import annotations

import tomllib

import pytest

from companion.core.treated_areas import complete_areas, treated_areas_path, usual_areas

AREAS = ("upper trapezius", "levator scapulae", "gluteus maximus", "gluteus medius", "neck")


@pytest.mark.parametrize(
    ("typed", "completed"),
    [
        ("upp", "upper trapezius"),
        ("Upp", "Upper trapezius"),  # what was typed is kept as typed
        ("neck, lev", "neck, levator scapulae"),
        ("neck,lev", "neck,levator scapulae"),
        ("neck, gluteus me", "neck, gluteus medius"),
        ("My Own Area, NE", "My Own Area, NEck"),
        ("gluteus maximus, glut", "gluteus maximus, gluteus medius"),  # not offered twice
    ],
)
def test_the_area_after_the_last_comma_is_completed(typed: str, completed: str) -> None:
    assert complete_areas(typed, AREAS) == completed


@pytest.mark.parametrize(
    "typed", ["", "neck, ", "neck,", "xyz", "neck", "upper trapezius", "neck, upper trapezius"]
)
def test_nothing_is_suggested_where_nothing_is_left_to_complete(typed: str) -> None:
    assert complete_areas(typed, AREAS) is None


def test_the_usual_sites_are_shipped_as_data_and_read() -> None:
    data = tomllib.loads(treated_areas_path().read_text(encoding="utf-8"))
    assert usual_areas() == tuple(data["areas"])
    for site in ("upper trapezius", "levator scapulae", "gluteus medius"):
        assert site in usual_areas()
    assert len(set(usual_areas())) == len(usual_areas())
