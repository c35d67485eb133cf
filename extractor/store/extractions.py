"""Batch state per article, in the store: pending, in flight, done, needs review, failed.

Pending is no extraction row at all. Taking an article writes an 'in_flight' row in its own
transaction, with the taker's id, process id, host and a lease, before the first call; a second
process that finds a live lease leaves the article alone, and one that finds an expired lease (or a
dead process on the same host) takes it over. Claims and the 'done' mark go in one transaction
(Store.save_claims). Input files that could not be read are kept with their problem.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from extractor.timeutil import utc_stamp

HOST = socket.gethostname()
Taken = Literal["taken", "done", "busy"]
STATES = ("pending", "in_flight", "done", "needs_review", "failed")


def process_alive(pid: int) -> bool:
    """Is process `pid` running on this host? A zombie (killed, not yet reaped) is not."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[:1] != ["Z"]


@dataclass(frozen=True)
class ArticleState:
    article_id: str
    name: str
    state: str  # one of STATES
    failure_class: str | None = None
    reason: str | None = None
    flags: tuple[str, ...] = ()
    updated_at: str | None = None


@contextmanager
def _write(db: Any) -> Iterator[None]:
    """One write transaction that holds the write lock from its start (BEGIN IMMEDIATE on SQLite)."""
    transaction = getattr(db, "transaction", None)
    if transaction is not None:
        with transaction():
            yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class ExtractionStateStore:
    """Mixed into Store; uses its `db` (a sqlite3 connection or a store.db.Database)."""

    db: Any

    def take_extraction(
        self,
        article_id: str,
        cache_key: str,
        *,
        owner: str,
        run_id: str | None,
        lease_seconds: float,
        force: bool = False,
        review: str | None = None,
        clock: Callable[[], float] = time.time,
        forced_since: str | None = None,
    ) -> Taken:
        """Mark the article in flight for `owner`, atomically. 'done' when it is already extracted
        (and not forced), 'busy' when another extractor holds a live lease on it. Forced, an
        extraction finished after `forced_since` (the forcing batch's start, a UTC ISO stamp to the
        second) is 'done' too: another process forcing the same batch did it already."""
        now = clock()
        with _write(self.db):
            row = self.db.execute(
                "SELECT status, owner, pid, host, lease_until, updated_at FROM extractions "
                "WHERE article_id=? AND cache_key=?" + getattr(self.db, "for_update", ""),
                (article_id, cache_key),
            ).fetchone()
            if row is not None and row["status"] == "done" and (not force or _since(row, forced_since)):
                return "done"
            if row is not None and row["status"] == "in_flight" and _held(row, owner, now):
                return "busy"
            # No row yet: FOR UPDATE locked nothing, so on PostgreSQL another worker may insert the same
            # row at the same moment. Only one INSERT can win; the other sees rowcount 0: busy.
            on_conflict = (
                "DO NOTHING"
                if row is None
                else "DO UPDATE SET run_id=excluded.run_id, status=excluded.status, failure_class=NULL, "
                "error=NULL, owner=excluded.owner, pid=excluded.pid, host=excluded.host, "
                "lease_until=excluded.lease_until, review=excluded.review, updated_at=excluded.updated_at"
            )
            cur = self.db.execute(
                "INSERT INTO extractions (article_id, cache_key, run_id, status, owner, pid, host, "
                "lease_until, review, updated_at) VALUES (?,?,?,'in_flight',?,?,?,?,?,?) "
                "ON CONFLICT (article_id, cache_key) " + on_conflict,
                (
                    article_id,
                    cache_key,
                    run_id,
                    owner,
                    os.getpid(),
                    HOST,
                    now + lease_seconds,
                    review,
                    utc_stamp(),
                ),
            )
            if cur.rowcount != 1:
                return "busy"
        return "taken"

    def renew_lease(
        self,
        article_id: str,
        cache_key: str,
        owner: str,
        lease_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        with _write(self.db):
            self.db.execute(
                "UPDATE extractions SET lease_until=? WHERE article_id=? AND cache_key=? AND owner=? "
                "AND status='in_flight'",
                (clock() + lease_seconds, article_id, cache_key, owner),
            )

    def release_extraction(self, article_id: str, cache_key: str, owner: str) -> None:
        """An extraction stopped by something other than the model (a bug, Ctrl-C): pending again."""
        with _write(self.db):
            self.db.execute(
                "DELETE FROM extractions WHERE article_id=? AND cache_key=? AND owner=? "
                "AND status='in_flight'",
                (article_id, cache_key, owner),
            )

    # -- input files ------------------------------------------------------------------------
    def note_input_problem(self, source: str, problem: str, run_id: str | None = None) -> None:
        with _write(self.db):
            self.db.execute(
                "INSERT INTO input_problems (source, problem, failure_class, run_id, seen_at) "
                "VALUES (?,?,'bad_input',?,?) ON CONFLICT (source) DO UPDATE SET problem=excluded.problem, "
                "run_id=excluded.run_id, seen_at=excluded.seen_at",
                (source, problem, run_id, utc_stamp()),
            )

    def clear_input_problem(self, source: str) -> None:
        with _write(self.db):
            self.db.execute("DELETE FROM input_problems WHERE source=?", (source,))

    def input_problems(self) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT source, problem, failure_class, seen_at FROM input_problems ORDER BY source"
        )
        return [dict(zip(("source", "problem", "failure_class", "seen_at"), r, strict=True)) for r in rows]

    # -- state --------------------------------------------------------------------------------
    def article_states(self, clock: Callable[[], float] = time.time) -> list[ArticleState]:
        """Each stored article's state: what its latest extraction says (a live in-flight one first)."""
        now = clock()
        rows = self.db.execute(
            "SELECT a.id, a.name, a.flags, e.status, e.failure_class, e.error, e.review, e.owner, e.pid, "
            "e.host, e.lease_until, e.updated_at FROM articles a "
            "LEFT JOIN extractions e ON e.article_id = a.id ORDER BY a.name, a.id"
        ).fetchall()
        by_article: dict[str, list[Any]] = {}
        names: dict[str, tuple[str, tuple[str, ...]]] = {}
        for r in rows:
            names[r["id"]] = (r["name"], tuple(json.loads(r["flags"])) if r["flags"] else ())
            if r["status"] is not None:
                by_article.setdefault(r["id"], []).append(r)
        out: list[ArticleState] = []
        for article_id, (name, flags) in names.items():
            extractions = by_article.get(article_id, [])
            live = [e for e in extractions if e["status"] == "in_flight" and _held(e, None, now)]
            if live:
                e = live[0]
                out.append(
                    ArticleState(
                        article_id,
                        name,
                        "in_flight",
                        None,
                        f"pid {e['pid']} on {e['host']}",
                        flags,
                        e["updated_at"],
                    )
                )
                continue
            settled = [e for e in extractions if e["status"] in ("done", "failed")]
            if not settled:
                stale = [e for e in extractions if e["status"] == "in_flight"]
                reason = "interrupted; taken again by the next run" if stale else None
                out.append(ArticleState(article_id, name, "pending", None, reason, flags))
                continue
            e = max(settled, key=lambda x: x["updated_at"] or "")
            if e["status"] == "failed":
                state = ArticleState(
                    article_id, name, "failed", e["failure_class"], e["error"], flags, e["updated_at"]
                )
            elif e["review"] or flags:
                reason = e["review"] or f"flagged: {', '.join(flags)}"
                state = ArticleState(article_id, name, "needs_review", None, reason, flags, e["updated_at"])
            else:
                state = ArticleState(article_id, name, "done", None, None, flags, e["updated_at"])
            out.append(state)
        return out


def _since(row: Any, stamp: str | None) -> bool:
    """Was this extraction finished after the second `stamp` names?"""
    return stamp is not None and row["updated_at"] is not None and row["updated_at"] > stamp


def _held(row: Any, owner: str | None, now: float) -> bool:
    """Does another extractor still hold this in-flight row?"""
    if owner is not None and row["owner"] == owner:
        return True  # ours already: never take an article twice
    if row["lease_until"] is None or float(row["lease_until"]) <= now:
        return False
    return not (row["host"] == HOST and row["pid"] is not None and not process_alive(int(row["pid"])))
