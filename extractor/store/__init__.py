"""Storage behind one interface; SQLite by default."""

from extractor.store.store import Store

__all__ = ["Store"]
