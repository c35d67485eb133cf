"""Review decisions in the store: an append-only history per conflict, the latest entry current.

Decisions are never updated in place, so two reviewers cannot overwrite each other silently: a
reviewer who saw version N of a conflict's history and decides after someone else wrote N+1 gets a
StaleDecisionError (when they say which version they saw, as the review page and `review` do).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from extractor.errors import NotFoundError, StaleDecisionError, UserError
from extractor.records import Conflict, Decision, ReviewStatus
from extractor.store.db import Database
from extractor.timeutil import utc_stamp

MIN_PREFIX = 4


def decision_from_row(row: Any) -> Decision:
    return Decision(
        id=row["id"],
        conflict_id=row["conflict_id"],
        status=ReviewStatus(row["status"]),
        reviewer=row["reviewer"],
        note=row["note"],
        reason=row["reason"],
        evidence_hash=row["evidence_hash"],
        decided_at=dt.datetime.fromisoformat(row["decided_at"]),
    )


class ReviewStore:
    """Mixed into Store; uses its `db` connection."""

    db: Database

    def conflict(self, ref: str) -> Conflict:
        """A conflict by id or by a unique id prefix of at least four characters."""
        ref = ref.strip()
        row = self.db.execute("SELECT data FROM conflicts WHERE id=?", (ref,)).fetchone()
        if row is None and len(ref) < MIN_PREFIX:
            raise NotFoundError(
                f"conflict id prefix {ref!r} is too short: give at least {MIN_PREFIX} characters "
                "of an id (claimdiff conflicts lists them)"
            )
        if row is None:
            rows = self.db.execute(
                "SELECT id, data FROM conflicts WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 3",
                (ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",),
            ).fetchall()
            if len(rows) > 1:
                some = ", ".join(r["id"] for r in rows[:2]) + (", ..." if len(rows) > 2 else "")
                raise NotFoundError(
                    f"conflict id prefix {ref!r} is ambiguous: it starts {some}; give more characters"
                )
            row = rows[0] if rows else None
        if row is None:
            raise NotFoundError(f"no conflict {ref!r} in this database (claimdiff conflicts lists them)")
        return Conflict.model_validate_json(row["data"])

    def conflict_dates(self, conflict_id: str) -> tuple[str, str, bool]:
        """(first seen, last seen, still found by the latest reconciliation)."""
        row = self.db.execute(
            "SELECT first_seen, last_seen, active FROM conflicts WHERE id=?", (conflict_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no conflict {conflict_id!r} in this database")
        return row["first_seen"], row["last_seen"], bool(row["active"])

    def decide(
        self,
        conflict_id: str,
        status: ReviewStatus | str,
        *,
        reviewer: str,
        note: str | None = None,
        expect: int | None = None,
        reason: str | None = None,
    ) -> Decision:
        """Append a decision. `expect` is the history version (latest decision id, 0 for none) the
        reviewer saw; if someone decided since, nothing is written and StaleDecisionError says who."""
        status = ReviewStatus(status)
        note = (note or "").strip() or None
        reviewer = reviewer.strip()
        if not reviewer:
            raise UserError("a decision needs a reviewer name (--reviewer or $CLAIMDIFF_REVIEWER)")
        if status is ReviewStatus.RESOLVED and not note:
            raise UserError("'resolved' needs a note saying how the discrepancy was settled")
        with self.db.transaction():
            # The conflict's row is locked (PostgreSQL) or the database is (SQLite) until the decision
            # is written, so two reviewers' version checks cannot both pass.
            row = self.db.execute(
                "SELECT evidence_hash FROM conflicts WHERE id=?" + self.db.for_update, (conflict_id,)
            ).fetchone()
            if row is None:
                raise NotFoundError(f"no conflict {conflict_id!r} in this database")
            latest = self.db.execute(
                "SELECT * FROM decisions WHERE conflict_id=? ORDER BY id DESC LIMIT 1", (conflict_id,)
            ).fetchone()
            version = latest["id"] if latest else 0
            if expect is not None and expect != version:
                who = f"{latest['reviewer']} set it to {latest['status']}" if latest else "it changed"
                raise StaleDecisionError(
                    f"conflict {conflict_id} changed since you looked at it ({who}); "
                    "reload it and decide again"
                )
            new = self.db.execute(
                "INSERT INTO decisions (conflict_id, status, reviewer, note, reason, evidence_hash, "
                "decided_at) VALUES (?,?,?,?,?,?,?) RETURNING *",
                (conflict_id, status.value, reviewer, note, reason, row["evidence_hash"], utc_stamp()),
            ).fetchone()
        return decision_from_row(new)

    def decision(self, conflict_id: str) -> Decision | None:
        """The current decision (None: never decided, so open)."""
        row = self.db.execute(
            "SELECT * FROM decisions WHERE conflict_id=? ORDER BY id DESC LIMIT 1", (conflict_id,)
        ).fetchone()
        return decision_from_row(row) if row else None

    def history(self, conflict_id: str) -> list[Decision]:
        rows = self.db.execute("SELECT * FROM decisions WHERE conflict_id=? ORDER BY id", (conflict_id,))
        return [decision_from_row(r) for r in rows]

    def current_decisions(self) -> dict[str, Decision]:
        rows = self.db.execute(
            "SELECT d.* FROM decisions d JOIN (SELECT conflict_id, MAX(id) AS id FROM decisions "
            "GROUP BY conflict_id) latest ON d.id = latest.id"
        )
        return {r["conflict_id"]: decision_from_row(r) for r in rows}

    def status_of(self, conflict_id: str) -> ReviewStatus:
        d = self.decision(conflict_id)
        return d.status if d else ReviewStatus.OPEN
