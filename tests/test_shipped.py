"""The shipped TOML files are read from their ready-parsed copies only when those were made
from exactly their text; the TOML stays the one source (companion/core/shipped.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from companion.core.protocol import guidance_path
from companion.core.shipped import parsed_copy, parsed_copy_path, read_toml
from companion.core.substances import substances_path

TOML = 'title = "a"\n[[substance]]\nrestriction = "alcohol"\nnames = ["beer"]\n'


@pytest.mark.parametrize("where", [guidance_path, substances_path])
def test_each_shipped_copy_is_of_the_file_as_it_is(where: object) -> None:
    path = where()  # type: ignore[operator]
    copy = parsed_copy_path(path)
    assert copy.is_file(), f"run tools/shipped_json.py: {copy} is missing"
    data = json.loads(copy.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    assert data["source"] == text, f"{path.name} changed: run tools/shipped_json.py"
    assert data["parsed"] == tomllib.loads(text)
    assert copy.read_text(encoding="utf-8") == parsed_copy(path)


def test_the_copy_is_used_only_for_the_very_text_it_was_made_from(tmp_path: Path) -> None:
    path = tmp_path / "table.toml"
    path.write_text(TOML, encoding="utf-8")
    assert read_toml(path) == tomllib.loads(TOML)  # no copy: parsed
    copy = parsed_copy_path(path)
    assert copy.name == "table.parsed.json"
    copy.write_text(json.dumps({"source": TOML, "parsed": {"from": "the copy"}}), encoding="utf-8")
    assert read_toml(path) == {"from": "the copy"}  # the copy of this very text is read
    path.write_text(TOML.replace("beer", "wine"), encoding="utf-8")  # edited by hand since
    assert read_toml(path)["substance"][0]["names"] == ["wine"]
    for damaged in ("{not json", '["a list"]', json.dumps({"source": TOML}), ""):
        copy.write_text(damaged, encoding="utf-8")
        assert read_toml(path)["substance"][0]["names"] == ["wine"]
    path.write_text("title = ", encoding="utf-8")
    with pytest.raises(ValueError):
        read_toml(path)


def test_a_start_parses_no_toml() -> None:
    """The guidance and the substances come from their copies: tomllib is not even imported."""
    code = (
        "import sys; from companion.core.protocol import default_protocol; "
        "p = default_protocol(); assert p.restrictions and p.substances.names; "
        "print('tomllib' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
