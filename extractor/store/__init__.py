"""Storage behind one interface; SQLite by default."""

from extractor.store.sqlite import Store

__all__ = ["Store"]
