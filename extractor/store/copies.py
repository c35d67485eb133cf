"""Signatures of stored articles and the copies found among them (mixed into Store)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from extractor.records import CopyRelation
from extractor.store.db import Database
from extractor.timeutil import utc_stamp


class CopyStore:
    """Mixed into Store; uses its `db` connection."""

    db: Database

    def save_signatures(self, rows: list[tuple[str, str]]) -> None:
        """(article id, base64 signature) pairs; an article's signature never changes (its text is its id)."""
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO signatures (article_id, data) VALUES (?, ?) ON CONFLICT (article_id) DO NOTHING",
                rows,
            )

    def signatures(self) -> Iterator[tuple[str, str]]:
        for row in self.db.execute("SELECT article_id, data FROM signatures ORDER BY article_id"):
            yield row["article_id"], row["data"]

    def signed(self) -> set[str]:
        return {r["article_id"] for r in self.db.execute("SELECT article_id FROM signatures")}

    def save_copies(self, relations: list[CopyRelation]) -> None:
        stamp = utc_stamp()
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO copies (article_id, original_id, similarity, containment, edited, basis, "
                "found_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT (article_id) DO UPDATE SET "
                "original_id=excluded.original_id, similarity=excluded.similarity, "
                "containment=excluded.containment, edited=excluded.edited, basis=excluded.basis, "
                "found_at=excluded.found_at",
                [
                    (r.article_id, r.original_id, r.similarity, r.containment, int(r.edited), r.basis, stamp)
                    for r in relations
                ],
            )

    def copies(self) -> dict[str, CopyRelation]:
        """Every copy by its article id."""
        return {r["article_id"]: _relation(r) for r in self.db.execute("SELECT * FROM copies")}

    def copy_of(self, article_id: str) -> CopyRelation | None:
        row = self.db.execute("SELECT * FROM copies WHERE article_id=?", (article_id,)).fetchone()
        return _relation(row) if row is not None else None


def _relation(row: Any) -> CopyRelation:
    return CopyRelation(
        article_id=row["article_id"],
        original_id=row["original_id"],
        similarity=row["similarity"],
        containment=row["containment"],
        edited=bool(row["edited"]),
        basis=row["basis"] or "",
    )
