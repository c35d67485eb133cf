"""Judged pairs of statements (mixed into Store): the latest reconcile's judgements, and a cache of
the model's answers by pair, prompt and model, so a re-run asks nothing it has asked before."""

from __future__ import annotations

from collections.abc import Iterable

from extractor.reconcile.result import Comparison, PairJudgement
from extractor.store.db import Database
from extractor.store.lookup import chunks, marks
from extractor.timeutil import utc_stamp


class ComparisonStore:
    """Mixed into Store; uses its `db` connection."""

    db: Database

    def cached_comparison(self, key: str) -> Comparison | None:
        row = self.db.execute("SELECT data FROM comparison_cache WHERE key = ?", (key,)).fetchone()
        return Comparison.model_validate_json(row["data"]) if row else None

    def cache_comparison(self, key: str, comparison: Comparison) -> None:
        """Store (or, when asked again by `reconcile --record`, replace) the answer for a key."""
        stamp = utc_stamp()
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO comparison_cache (key, model, prompt, data, created_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT (key) DO UPDATE SET data = excluded.data, created_at = excluded.created_at",
                (key, comparison.model, comparison.prompt, comparison.model_dump_json(), stamp),
            )

    def _save_comparisons(self, judgements: list[PairJudgement]) -> None:
        """Inside save_reconciliation's transaction: the latest reconcile's judgements replace the last."""
        self.db.execute("DELETE FROM comparisons")
        self.db.executemany(
            "INSERT INTO comparisons (event_id, verdict, conflict_id, data) VALUES (?,?,?,?)",
            [
                (j.event_id, j.comparison.verdict.value, j.conflict_id, j.model_dump_json())
                for j in judgements
            ],
        )

    def comparisons(self, event_ids: Iterable[str] | None = None) -> list[PairJudgement]:
        if event_ids is None:
            rows = list(self.db.execute("SELECT data FROM comparisons ORDER BY id"))
        else:
            rows = []
            for batch in chunks(sorted(set(event_ids))):
                rows += self.db.execute(
                    f"SELECT data FROM comparisons WHERE event_id IN ({marks(len(batch))}) ORDER BY id", batch
                ).fetchall()
        return [PairJudgement.model_validate_json(r["data"]) for r in rows]
