"""The patient's own settings, kept in the store."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Settings:
    default_goal: int = 8
    timezone: str | None = None  # IANA name; None: the system's zone
    theme: str | None = None  # the Textual theme last chosen

    def to_record(self) -> dict[str, Any]:
        return {"default_goal": self.default_goal, "timezone": self.timezone, "theme": self.theme}

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
    )
