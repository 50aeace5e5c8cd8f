"""Record ids: random, so exports from two devices merge without clashes."""

from __future__ import annotations

import uuid


def new_id() -> str:
    return uuid.uuid4().hex
