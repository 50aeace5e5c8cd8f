"""Reusable widgets of the companion app (each carries its own DEFAULT_CSS)."""
