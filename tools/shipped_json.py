"""Write the ready-parsed copy of each shipped TOML file that every start reads
(assets/guidance.toml, assets/substances.toml): see companion/core/shipped.py.

    .venv/bin/python tools/shipped_json.py

Run it after changing one of them (tests/test_shipped.py fails until then; companion itself
parses the TOML meanwhile, a few milliseconds slower at each start).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout's companion

from companion.core.protocol import guidance_path
from companion.core.shipped import parsed_copy, parsed_copy_path
from companion.core.substances import substances_path

SHIPPED = (guidance_path, substances_path)


def main() -> int:
    for where in SHIPPED:
        path = where()
        target = parsed_copy_path(path)
        target.write_text(parsed_copy(path), encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
