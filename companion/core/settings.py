"""The patient's own settings, kept in the store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from companion.core.contact import validate_clinic_name, validate_clinic_phone
from companion.core.errors import InputError
from companion.core.hydration import GlassSize, glass_size_from_record


@dataclass(frozen=True)
class Settings:
    default_goal: int = 8
    timezone: str | None = None  # IANA name; None: the system's zone
    theme: str | None = None  # the Textual theme last chosen
    clinic_name: str | None = None  # who to call, given with `companion config` (see core.contact)
    clinic_phone: str | None = None
    glass_size: GlassSize | None = None  # chosen once (`companion config --glass-size`); None: glasses only

    def to_record(self) -> dict[str, Any]:
        return {
            "glass_size": self.glass_size.to_record() if self.glass_size else None,
            "default_goal": self.default_goal,
            "timezone": self.timezone,
            "theme": self.theme,
            "clinic_name": self.clinic_name,
            "clinic_phone": self.clinic_phone,
        }

    def changed(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def settings_from_record(data: dict[str, Any] | None, default_goal: int) -> Settings:
    data = data or {}
    goal = data.get("default_goal", default_goal)
    if isinstance(goal, bool) or not isinstance(goal, int) or not 1 <= goal <= 40:
        goal = default_goal
    timezone = data.get("timezone")
    theme = data.get("theme")
    return Settings(
        default_goal=goal,
        timezone=timezone if isinstance(timezone, str) and timezone else None,
        theme=theme if isinstance(theme, str) and theme else None,
        clinic_name=_checked(data.get("clinic_name"), validate_clinic_name),
        clinic_phone=_checked(data.get("clinic_phone"), validate_clinic_phone),
        glass_size=glass_size_from_record(data.get("glass_size")),
    )


def _checked(value: Any, validate: Callable[[str], str]) -> str | None:
    """A stored text as its validator accepts it; anything else (a hand-edited file) is left out."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return validate(value)
    except InputError:
        return None
