"""Record ids: random, so exports from two devices merge without clashes."""

from __future__ import annotations

import os


def new_id() -> str:
    """128 random bits as 32 hex digits (like uuid4().hex, without importing uuid)."""
    return os.urandom(16).hex()
