"""Batch API jobs in the store: which articles' requests went in which batch, and what came back.

A batch's local row and its items are written before anything is uploaded; the API's batch id is
written as soon as the API returns it. Each line's raw response is kept before it is parsed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from extractor.store.db import Database
from extractor.timeutil import utc_stamp

OPEN_STATES = ("preparing", "validating", "in_progress", "finalizing", "cancelling")
FINISHED_STATES = ("completed", "expired", "failed", "cancelled")


@dataclass(frozen=True)
class BatchItem:
    batch_id: str
    custom_id: str
    article_id: str
    cache_key: str
    idx: int
    state: str
    error: str | None
    response: str | None


class BatchStore:
    """Mixed into Store; uses its `db` connection."""

    db: Database

    def add_batch(self, batch_id: str, items: Iterable[tuple[str, str, str, int]], **meta: Any) -> None:
        """A new local batch (status 'preparing') with its items (custom_id, article, cache key, index)."""
        stamp = utc_stamp()
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO batches (id, status, endpoint, model, mode, prompt, schema, strategy, requests, "
                "bytes, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    batch_id,
                    "preparing",
                    meta.get("endpoint"),
                    meta.get("model"),
                    meta.get("mode"),
                    meta.get("prompt"),
                    meta.get("schema"),
                    meta.get("strategy"),
                    meta.get("requests", 0),
                    meta.get("bytes", 0),
                    stamp,
                    stamp,
                ),
            )
            self.db.executemany(
                "INSERT INTO batch_items (batch_id, custom_id, article_id, cache_key, idx, state) "
                "VALUES (?,?,?,?,?, 'submitted')",
                [(batch_id, *item) for item in items],
            )

    def update_batch(self, batch_id: str, **fields: Any) -> None:
        allowed = {"provider_id", "input_file_id", "output_file_id", "error_file_id", "status", "error"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown batch fields {sorted(unknown)}")
        sets = ", ".join(f"{k}=?" for k in fields)
        with self.db.transaction():
            self.db.execute(
                f"UPDATE batches SET {sets}, updated_at=? WHERE id=?",
                (*fields.values(), utc_stamp(), batch_id),
            )

    def batches(self, *, states: Iterable[str] | None = None) -> list[dict[str, Any]]:
        rows = [dict(r) for r in self.db.execute("SELECT * FROM batches ORDER BY created_at, id")]
        wanted = set(states) if states is not None else None
        return [r for r in rows if wanted is None or r["status"] in wanted]

    def batch_items(self, batch_id: str) -> list[BatchItem]:
        rows = self.db.execute(
            "SELECT batch_id, custom_id, article_id, cache_key, idx, state, error, response FROM batch_items "
            "WHERE batch_id=? ORDER BY article_id, idx",
            (batch_id,),
        )
        return [BatchItem(**dict(r)) for r in rows]

    def set_item_results(
        self, batch_id: str, results: Iterable[tuple[str, str, str | None, str | None]]
    ) -> None:
        """(custom_id, state, error, raw response) for lines read from the output and error files."""
        with self.db.transaction():
            self.db.executemany(
                "UPDATE batch_items SET state=?, error=?, response=COALESCE(?, response) "
                "WHERE batch_id=? AND custom_id=?",
                [(state, error, raw, batch_id, cid) for cid, state, error, raw in results],
            )

    def articles_in_open_batches(self) -> set[str]:
        """Cache keys whose requests sit in a batch that has not been collected: never submitted twice."""
        rows = self.db.execute(
            "SELECT DISTINCT i.cache_key FROM batch_items i JOIN batches b ON b.id=i.batch_id "
            f"WHERE b.status IN ({','.join('?' * len(OPEN_STATES + FINISHED_STATES))}) "
            "AND i.state IN ('submitted', 'answered')",
            (*OPEN_STATES, *FINISHED_STATES),
        )
        return {r[0] for r in rows}
