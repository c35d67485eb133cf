"""The store: the one module (with its mixins) that speaks SQL, on SQLite (WAL) or PostgreSQL.

A second backend implements the same methods; nothing outside `extractor.store` sees a cursor.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from extractor.errors import StoreError
from extractor.perf import without_cyclic_gc
from extractor.reconcile.result import PairJudgement
from extractor.records import SYSTEM_REVIEWER, Article, Claim, Conflict, Event, ReviewStatus
from extractor.store import migrations
from extractor.store.batches import BatchStore
from extractor.store.comparisons import ComparisonStore
from extractor.store.copies import CopyStore
from extractor.store.db import Database, connect
from extractor.store.extractions import ExtractionStateStore
from extractor.store.lookup import LookupStore, article_from_row, chunks, marks
from extractor.store.review import ReviewStore
from extractor.timeutil import utc_stamp


def evidence_hash(conflict: Conflict) -> str:
    parts = sorted(f"{s.article_id}:{s.start}:{s.end}:{s.quote}" for s in conflict.sides)
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


class Store(ReviewStore, BatchStore, ExtractionStateStore, CopyStore, LookupStore, ComparisonStore):
    def __init__(self, target: str | Path, *, create: bool = True) -> None:
        """`target` is a file path (SQLite) or a postgresql:// URL. With `create=False` a database
        that does not exist yet is an error (for commands that only read or review)."""
        self.db: Database = connect(target, create=create)
        self.path = self.db.label
        try:
            migrations.apply(self.db, utc_stamp())
        except Exception as e:
            if isinstance(e, StoreError):
                raise
            raise StoreError(f"{self.path}: cannot migrate the database: {e}") from None

    def close(self) -> None:
        self.db.close()

    @property
    def dialect(self) -> str:
        return self.db.dialect

    # -- articles ---------------------------------------------------------------------------
    def add_article(self, article: Article) -> bool:
        """Store an article; False when the same text is already stored (by any name)."""
        name = Path(article.source).name if "://" not in article.source else article.source
        with self.db.transaction():
            cur = self.db.execute(
                "INSERT INTO articles (id, source, name, outlet, title, published, "
                "published_basis, content_type, encoding, text, added_at, url) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT (id) DO NOTHING",
                (
                    article.id,
                    article.source,
                    name,
                    article.outlet,
                    article.title,
                    article.published.isoformat() if article.published else None,
                    article.published_basis,
                    article.content_type,
                    article.encoding,
                    article.text,
                    utc_stamp(),
                    article.url,
                ),
            )
            if article.flags:
                flags = json.dumps(list(article.flags))
                self.db.execute("UPDATE articles SET flags=? WHERE id=?", (flags, article.id))
        return cur.rowcount == 1

    def articles(self) -> list[Article]:
        return [self._article(r) for r in self.db.execute("SELECT * FROM articles ORDER BY name")]

    def article(self, ref: str) -> Article | None:
        row = self.db.execute(
            "SELECT * FROM articles WHERE id = ? OR name = ? OR source = ? ORDER BY added_at LIMIT 1",
            (ref, ref, ref),
        ).fetchone()
        return self._article(row) if row else None

    @staticmethod
    def _article(row: Any) -> Article:
        return article_from_row(row)

    # -- runs and extractions ---------------------------------------------------------------
    def start_run(self, command: str, mode: str, **meta: Any) -> str:
        run_id = uuid.uuid4().hex[:12]
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO runs (id, command, mode, model, endpoint, prompt, schema, started_at) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (
                    run_id,
                    command,
                    mode,
                    meta.get("model"),
                    meta.get("endpoint"),
                    meta.get("prompt"),
                    meta.get("schema"),
                    utc_stamp(),
                ),
            )
        return run_id

    def finish_run(self, run_id: str, **totals: float) -> None:
        with self.db.transaction():
            self.db.execute(
                "UPDATE runs SET finished_at=?, articles=?, failed=?, prompt_tokens=?, completion_tokens=?, "
                "seconds=? WHERE id=?",
                (
                    utc_stamp(),
                    totals.get("articles", 0),
                    totals.get("failed", 0),
                    totals.get("prompt_tokens", 0),
                    totals.get("completion_tokens", 0),
                    totals.get("seconds", 0.0),
                    run_id,
                ),
            )

    def extraction_status(self, article_id: str, cache_key: str) -> str | None:
        row = self.db.execute(
            "SELECT status FROM extractions WHERE article_id=? AND cache_key=?", (article_id, cache_key)
        ).fetchone()
        return row["status"] if row else None

    def save_calls(
        self, run_id: str, article_id: str, cache_key: str, calls: Iterable[dict[str, Any]]
    ) -> None:
        """Raw answers are kept before (and whatever the outcome of) parsing."""
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO calls (run_id, article_id, cache_key, chunk, attempt, prompt_tokens, "
                "completion_tokens, seconds, finish_reason, error, raw) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        run_id,
                        article_id,
                        cache_key,
                        c.get("chunk"),
                        c.get("attempt"),
                        c.get("prompt_tokens"),
                        c.get("completion_tokens"),
                        c.get("seconds"),
                        c.get("finish_reason"),
                        c.get("error"),
                        c.get("raw"),
                    )
                    for c in calls
                ],
            )

    def save_claims(
        self, article_id: str, cache_key: str, run_id: str | None, claims: list[Claim], **meta: Any
    ) -> None:
        """The claims and the 'done' mark are written in one transaction: all or nothing."""
        strays = {c.article_id for c in claims if c is not None and c.article_id != article_id}
        if strays:
            raise StoreError(f"claims of other articles {sorted(strays)} cannot be stored under {article_id}")
        with self.db.transaction():
            self.db.execute("DELETE FROM claims WHERE cache_key=? AND article_id=?", (cache_key, article_id))
            self.db.executemany(
                "INSERT INTO claims (id, article_id, cache_key, kind, side, grounding, needs_review, data) "
                "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (cache_key, id) DO NOTHING",
                [
                    (
                        c.id,
                        article_id,
                        cache_key,
                        c.kind.value,
                        c.attribution.side,
                        c.evidence.status.value,
                        int(c.needs_review),
                        c.model_dump_json(),
                    )
                    for c in claims
                ],
            )
            self._mark(article_id, cache_key, run_id, "done", None, None, meta)

    def save_failure(
        self, article_id: str, cache_key: str, run_id: str | None, failure_class: str, error: str, **meta: Any
    ) -> None:
        with self.db.transaction():
            self._mark(article_id, cache_key, run_id, "failed", failure_class, error, meta)

    def _mark(
        self,
        article_id: str,
        cache_key: str,
        run_id: str | None,
        status: str,
        failure_class: str | None,
        error: str | None,
        meta: dict[str, Any],
    ) -> None:
        seq = (
            "nextval('extractions_seq')"
            if self.db.dialect == "postgresql"
            else "(SELECT COALESCE(MAX(seq), 0) + 1 FROM extractions)"
        )
        columns = (
            "run_id, status, failure_class, error, model, prompt, prompt_tokens, completion_tokens, seconds, "
            "calls, updated_at"
        )
        self.db.execute(
            f"INSERT INTO extractions (article_id, cache_key, {columns}, seq) "
            f"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?, {seq}) "
            "ON CONFLICT (article_id, cache_key) DO UPDATE SET "
            + ", ".join(f"{c}=excluded.{c}" for c in columns.replace(" ", "").split(","))
            + ", seq=excluded.seq",
            (
                article_id,
                cache_key,
                run_id,
                status,
                failure_class,
                error,
                meta.get("model"),
                meta.get("prompt"),
                meta.get("prompt_tokens", 0),
                meta.get("completion_tokens", 0),
                meta.get("seconds", 0.0),
                meta.get("calls", 0),
                utc_stamp(),
            ),
        )

    def current_claims(self, article_ids: Iterable[str] | None = None) -> list[Claim]:
        """For each article, the claims of its most recent successful extraction or import."""
        current = (
            "SELECT c.data FROM claims c JOIN ("
            # seq grows with every write: the latest wins, no ties.
            "  SELECT article_id, cache_key FROM extractions e WHERE status='done' AND seq = ("
            "    SELECT MAX(seq) FROM extractions x WHERE x.article_id=e.article_id AND status='done')"
            "{only}) cur ON c.article_id=cur.article_id AND c.cache_key=cur.cache_key"
        )
        if article_ids is None:
            batches: list[list[str]] = [[]]
        else:
            batches = list(chunks(sorted(set(article_ids))))
        rows: list[Any] = []
        for batch in batches:
            only = f" AND e.article_id IN ({marks(len(batch))})" if article_ids is not None else ""
            rows += self.db.execute(current.format(only=only), batch).fetchall()
        rows.sort(key=lambda r: r["data"])  # the order the claims were always returned in
        with without_cyclic_gc():
            claims = [Claim.model_validate_json(r["data"]) for r in rows]
        claims.sort(key=lambda c: c.article_id)  # stable: by article, then by data
        return claims

    def claim_counts(self, article_id: str, cache_key: str) -> tuple[int, int]:
        """(claims, verified quotes) stored for one extraction."""
        row = self.db.execute(
            "SELECT COUNT(*), SUM(CASE WHEN grounding='verified' THEN 1 ELSE 0 END) FROM claims "
            "WHERE article_id=? AND cache_key=?",
            (article_id, cache_key),
        ).fetchone()
        return int(row[0]), int(row[1] or 0)

    def calls_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM calls").fetchone()[0])

    # -- reconciliation ---------------------------------------------------------------------
    def save_reconciliation(
        self, events: list[Event], conflicts: list[Conflict], comparisons: list[PairJudgement] | None = None
    ) -> dict[str, int]:
        """Upsert by stable id: re-running neither duplicates conflicts nor loses their history.
        `comparisons` (the statement comparer's judgements) replace the last reconcile's."""
        stamp = utc_stamp()
        counts = {"new": 0, "kept": 0, "changed": 0, "gone": 0}
        with self.db.transaction():
            self.db.execute("DELETE FROM events")
            self._save_comparisons(comparisons or [])
            rows = []
            for e in events:
                data = e.model_dump_json()
                rows.append((e.id, data, *migrations.event_columns(json.loads(data))))
            self.db.executemany(
                "INSERT INTO events (id, data, date, participants, unplaced) VALUES (?,?,?,?,?)", rows
            )
            existing = {
                r["id"]: (r["evidence_hash"], r["data"], r["active"])
                for r in self.db.execute("SELECT id, evidence_hash, data, active FROM conflicts")
            }
            inserts, updates = [], []
            for c in conflicts:
                h = evidence_hash(c)
                data = c.model_dump_json()
                if c.id not in existing:
                    counts["new"] += 1
                    inserts.append((c.id, c.kind.value, c.severity.value, c.event_id, h, stamp, stamp, data))
                    continue
                old_hash, old_data, _ = existing[c.id]
                counts["kept" if old_hash == h else "changed"] += 1
                if old_hash != h:
                    self._reopen(c, old_data, stamp)
                updates.append((c.kind.value, c.severity.value, c.event_id, h, stamp, data, c.id))
            self.db.executemany(
                "INSERT INTO conflicts (id, kind, severity, event_id, evidence_hash, active, first_seen, "
                "last_seen, data) VALUES (?,?,?,?,?,1,?,?,?)",
                inserts,
            )
            self.db.executemany(
                "UPDATE conflicts SET kind=?, severity=?, event_id=?, evidence_hash=?, active=1, "
                "last_seen=?, data=? WHERE id=?",
                updates,
            )
            seen = {c.id for c in conflicts}
            gone = [cid for cid, (_, _, active) in existing.items() if active and cid not in seen]
            counts["gone"] = len(gone)
            self.db.executemany("UPDATE conflicts SET active=0 WHERE id=?", [(g,) for g in gone])
            if gone:
                self._keep_decisions(gone, {cid: existing[cid][1] for cid in gone}, conflicts, stamp)
        return counts

    def _keep_decisions(
        self, gone: list[str], old_data: dict[str, str], found: list[Conflict], stamp: str
    ) -> None:
        """A decided conflict the latest reconcile no longer finds stays listed with why; a conflict
        found now whose evidence covers its evidence inherits the decision (unless it has its own)."""
        decided = {
            r["conflict_id"]: r
            for r in self.db.execute(
                "SELECT d.* FROM decisions d JOIN (SELECT conflict_id, MAX(id) AS id FROM decisions "
                "GROUP BY conflict_id) latest ON d.id = latest.id"
            )
        }
        evidence = {c.id: {(s.article_id, s.quote) for s in c.sides} for c in found}
        by_kind: dict[str, list[Conflict]] = {}
        for c in found:
            by_kind.setdefault(c.kind.value, []).append(c)
        for cid in gone:
            old = Conflict.model_validate_json(old_data[cid])
            latest = decided.get(cid)
            mine = {(s.article_id, s.quote) for s in old.sides}
            heirs = [c for c in by_kind.get(old.kind.value, []) if mine <= evidence[c.id]]
            heirs.sort(key=lambda c: (c.event_id != old.event_id, len(evidence[c.id]), c.id))
            heir = heirs[0] if heirs else None
            if heir is not None:
                reason = f"merged into conflict {heir.id}: it is found again with more evidence"
            else:
                reason = (
                    f"no longer found by the reconcile of {stamp}: its claims no longer make this conflict"
                )
            self.db.execute(
                "UPDATE conflicts SET gone_reason=?, superseded_by=? WHERE id=?",
                (reason, heir.id if heir else None, cid),
            )
            if heir is None or latest is None or latest["status"] == ReviewStatus.OPEN.value:
                continue
            if heir.id in decided and decided[heir.id]["status"] != ReviewStatus.OPEN.value:
                continue  # the new conflict has its own decision: nothing replaces it
            self.db.execute(
                "INSERT INTO decisions (conflict_id, status, reviewer, note, reason, evidence_hash, "
                "decided_at) VALUES (?,?,?,?,?,?,?)",
                (
                    heir.id,
                    latest["status"],
                    latest["reviewer"],
                    latest["note"],
                    f"inherited from conflict {cid} ({latest['reviewer']} marked it {latest['status']}): "
                    "this conflict's evidence covers that one's",
                    evidence_hash(heir),
                    stamp,
                ),
            )

    def _reopen(self, new: Conflict, old_data: str, stamp: str) -> None:
        """A decided conflict whose evidence changed is open again, and its history says why."""
        latest = self.db.execute(
            "SELECT status, reviewer FROM decisions WHERE conflict_id=? ORDER BY id DESC LIMIT 1", (new.id,)
        ).fetchone()
        if latest is None or latest["status"] == ReviewStatus.OPEN.value:
            return
        old = Conflict.model_validate_json(old_data)
        before = {(s.article_id, s.quote) for s in old.sides}
        after = {(s.article_id, s.quote) for s in new.sides}
        changes = [f"now quotes {q!r}" for _, q in sorted(after - before)]
        changes += [f"no longer quotes {q!r}" for _, q in sorted(before - after)]
        if not changes:
            changes = ["the quoted passages moved in their articles"]
        reason = (
            f"reopened: the evidence changed since {latest['reviewer']} marked it {latest['status']} ("
            + "; ".join(changes)
            + ")"
        )
        self.db.execute(
            "INSERT INTO decisions (conflict_id, status, reviewer, note, reason, evidence_hash, decided_at) "
            "VALUES (?,?,?,?,?,?,?)",
            (new.id, ReviewStatus.OPEN.value, SYSTEM_REVIEWER, None, reason, evidence_hash(new), stamp),
        )

    def events(self) -> list[Event]:
        return [Event.model_validate_json(r["data"]) for r in self.db.execute("SELECT data FROM events")]

    def conflicts(self, *, include_inactive: bool = False, decided_gone: bool = False) -> list[Conflict]:
        """Conflicts the latest reconcile found; with `decided_gone`, also those it no longer finds
        but a reviewer had decided (listings show them, marked, so no decision vanishes)."""
        if include_inactive:
            where = ""
        elif decided_gone:
            where = (
                " WHERE active=1 OR id IN (SELECT d.conflict_id FROM decisions d JOIN (SELECT conflict_id, "
                "MAX(id) AS id FROM decisions GROUP BY conflict_id) latest ON d.id = latest.id "
                "WHERE d.status <> 'open')"
            )
        else:
            where = " WHERE active=1"
        sql = "SELECT data FROM conflicts" + where + " ORDER BY id"
        return [Conflict.model_validate_json(r["data"]) for r in self.db.execute(sql)]

    def gone_conflicts(self) -> dict[str, tuple[str, str | None]]:
        """Conflicts no longer found: id -> (why, the conflict that took over its evidence, if any)."""
        rows = self.db.execute("SELECT id, gone_reason, superseded_by FROM conflicts WHERE active=0")
        return {r["id"]: (r["gone_reason"] or "no longer found", r["superseded_by"]) for r in rows}

    def integrity_ok(self) -> bool:
        return self.db.integrity_ok()
