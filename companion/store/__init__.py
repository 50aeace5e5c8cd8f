"""The store: TinyDB files written atomically, locked across processes."""

from companion.store.atomic_storage import StoreError
from companion.store.store import DayRecords, ImportCounts, Store

__all__ = ["DayRecords", "ImportCounts", "Store", "StoreError"]
