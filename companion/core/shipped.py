"""The TOML files companion ships (assets/), read once per process.

Parsing them is a measurable part of every start (`companion status` runs from shell
prompts and timers): tomllib is pure Python. So each may have a ready-parsed copy beside it,
``NAME.parsed.json`` (written by ``tools/shipped_json.py``), holding the exact text it was
parsed from. The copy is used only when that text is the file's text now, character for
character; otherwise (a file edited by hand, a copy missing or damaged) the TOML is parsed
as always. The TOML stays the one source: the copy can make a start slower, never different.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PARSED_SUFFIX = ".parsed.json"


def parsed_copy_path(path: Path) -> Path:
    return path.with_name(path.stem + PARSED_SUFFIX)


def read_toml(path: Path) -> dict[str, Any]:
    """A shipped TOML file, parsed. Raises OSError when it cannot be read and ValueError
    (tomllib.TOMLDecodeError, UnicodeDecodeError) when it is not valid UTF-8 TOML."""
    text = path.read_text(encoding="utf-8")
    try:
        copy = json.loads(parsed_copy_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        copy = None
    if isinstance(copy, dict) and copy.get("source") == text and isinstance(copy.get("parsed"), dict):
        parsed: dict[str, Any] = copy["parsed"]
        return parsed
    import tomllib  # only when there is no ready copy of this text

    return tomllib.loads(text)


def parsed_copy(path: Path) -> str:
    """The text of ``path``'s ready-parsed copy (what tools/shipped_json.py writes)."""
    import tomllib

    text = path.read_text(encoding="utf-8")
    return json.dumps({"source": text, "parsed": tomllib.loads(text)}, ensure_ascii=False, indent=1) + "\n"
