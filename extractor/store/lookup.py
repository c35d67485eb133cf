"""Reads that cost what they show (mixed into Store): rows by id, and conflict listings filtered,
counted, ordered and paged in the database.

A review view needs one conflict, its claims, its articles, its event and its history; a page of the
list needs fifty conflicts and a count per filter value. These queries read exactly that, through the
primary keys and the indexes of migration m008, so their cost does not grow with the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from extractor.records import Article, Claim, Conflict, ConflictKind, Decision, Event, Severity
from extractor.store.db import Database
from extractor.store.review import decision_from_row

CHUNK = 500  # ids per IN (...): well under every engine's parameter limit
FACETS = ("severity", "kind", "status", "event")
EVENT_FACET_MAX = 300  # events counted for the event filter's menu; past this, callers show a text box

# The latest decision of each conflict, as a derived table (decisions(conflict_id, id) is indexed).
_LATEST = (
    "(SELECT d.conflict_id, d.status FROM decisions d JOIN (SELECT conflict_id, MAX(id) AS id "
    "FROM decisions GROUP BY conflict_id) m ON d.id = m.id)"
)
_STATUS = "COALESCE(l.status, 'open')"
_EXPR = {"severity": "c.severity", "kind": "c.kind", "status": _STATUS, "event": "c.event_id"}


def _rank(column: str, values: Sequence[str]) -> str:
    """An ORDER BY term that sorts `column` in the given order on any engine (no collation involved)."""
    whens = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(values))
    return f"CASE {column} {whens} ELSE {len(values)} END"


_SEVERITIES = [s.value for s in sorted(Severity, key=lambda s: s.rank)]
_KINDS = sorted(k.value for k in ConflictKind)
_ORDER = f"{_rank('c.severity', _SEVERITIES)}, {_rank('c.kind', _KINDS)}, COALESCE(e.date, ''), c.id"


def chunks(ids: Iterable[str], size: int = CHUNK) -> Iterator[list[str]]:
    batch: list[str] = []
    for i in ids:
        batch.append(i)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def marks(n: int) -> str:
    return ",".join("?" * n)


def article_from_row(row: Any) -> Article:
    import datetime as dt

    return Article(
        id=row["id"],
        source=row["source"],
        text=row["text"],
        outlet=row["outlet"],
        title=row["title"],
        published=dt.date.fromisoformat(row["published"]) if row["published"] else None,
        published_basis=row["published_basis"],
        url=row["url"],
        content_type=row["content_type"],
        encoding=row["encoding"],
        flags=tuple(json.loads(row["flags"])) if row["flags"] else (),
    )


@dataclass(frozen=True)
class ConflictFilter:
    """Which conflicts a listing shows; every field given must match (values within one field: any)."""

    severity: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    event: str | None = None
    include_inactive: bool = False

    def where(self, skip: str = "") -> tuple[str, list[Any]]:
        """The SQL condition and its parameters; facets named in `skip` are left out (for counts)."""
        if self.include_inactive:
            terms: list[str] = ["1=1"]
        else:
            # the latest reconcile's conflicts, and those it no longer finds but someone decided
            terms = [f"(c.active = 1 OR {_STATUS} <> 'open')"]
        params: list[Any] = []
        for facet, values in (("severity", self.severity), ("kind", self.kind), ("status", self.status)):
            if values and facet not in skip.split(","):
                terms.append(f"{_EXPR[facet]} IN ({marks(len(values))})")
                params += list(values)
        if self.event and "event" not in skip.split(","):
            terms.append("c.event_id = ?")
            params.append(self.event)
        return " AND ".join(terms), params


@dataclass
class ConflictRow:
    """A stored conflict with what the store knows about it beyond the record."""

    conflict: Conflict
    first_seen: str
    last_seen: str
    active: bool
    gone_reason: str | None
    superseded_by: str | None


@dataclass
class ConflictIndex:
    """One page of a listing: the ids in order, how many match, and counts per facet value."""

    ids: list[str]
    total: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


class LookupStore:
    """Mixed into Store; uses its `db` connection."""

    db: Database

    # -- rows by id --------------------------------------------------------------------------------
    def articles_by_id(self, ids: Iterable[str]) -> dict[str, Article]:
        out: dict[str, Article] = {}
        for batch in chunks(sorted(set(ids))):
            rows = self.db.execute(f"SELECT * FROM articles WHERE id IN ({marks(len(batch))})", batch)
            out.update((r["id"], article_from_row(r)) for r in rows)
        return out

    def article_sources(self, ids: Iterable[str]) -> dict[str, str]:
        """id -> source (a path or an address), without reading the texts."""
        out: dict[str, str] = {}
        for batch in chunks(sorted(set(ids))):
            sql = f"SELECT id, source FROM articles WHERE id IN ({marks(len(batch))})"
            rows = self.db.execute(sql, batch)
            out.update((r["id"], r["source"]) for r in rows)
        return out

    def claims_by_id(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Claim]:
        """(article id, claim id) -> the claim, from each article's current claim set only.

        One query per CHUNK articles (not one per article): the rows of those articles with any of
        the ids asked for, of their latest successful extraction; pairs not asked for are dropped."""
        wanted = set(keys)
        out: dict[tuple[str, str], Claim] = {}
        articles = sorted({a for a, _ in wanted})
        for batch in chunks(articles):
            ids = sorted({c for a, c in wanted if a in set(batch)})
            rows = self.db.execute(
                "SELECT c.article_id, c.id, c.data FROM claims c "
                f"WHERE c.article_id IN ({marks(len(batch))}) AND c.id IN ({marks(len(ids))}) "
                "AND c.cache_key = (SELECT x.cache_key FROM extractions x WHERE x.article_id = c.article_id "
                "AND x.status = 'done' ORDER BY x.seq DESC LIMIT 1)",
                [*batch, *ids],
            )
            for r in rows:
                if (r["article_id"], r["id"]) in wanted:
                    claim = Claim.model_validate_json(r["data"])
                    out[(claim.article_id, claim.id)] = claim
        return out

    def events_by_id(self, ids: Iterable[str]) -> dict[str, Event]:
        out: dict[str, Event] = {}
        for batch in chunks(sorted(set(ids))):
            rows = self.db.execute(f"SELECT data FROM events WHERE id IN ({marks(len(batch))})", batch)
            for r in rows:
                event = Event.model_validate_json(r["data"])
                out[event.id] = event
        return out

    def unplaced_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM events WHERE unplaced = 1").fetchone()[0])

    def unplaced_events(self) -> list[Event]:
        rows = self.db.execute("SELECT data FROM events WHERE unplaced = 1 ORDER BY id")
        return [Event.model_validate_json(r["data"]) for r in rows]

    def active_conflicts_by_event(self) -> dict[str, list[str]]:
        """event id -> ids of the conflicts the latest reconcile found about it."""
        out: dict[str, list[str]] = {}
        rows = self.db.execute("SELECT id, event_id FROM conflicts WHERE active = 1 AND event_id IS NOT NULL")
        for r in rows:
            out.setdefault(r["event_id"], []).append(r["id"])
        return out

    def event_labels(self, ids: Iterable[str]) -> dict[str, tuple[str | None, str]]:
        """id -> (date, participants joined), without reading the events' claim lists."""
        out: dict[str, tuple[str | None, str]] = {}
        for batch in chunks(sorted(set(ids))):
            rows = self.db.execute(
                f"SELECT id, date, participants FROM events WHERE id IN ({marks(len(batch))})", batch
            )
            out.update((r["id"], (r["date"], r["participants"] or "")) for r in rows)
        return out

    def conflict_rows(self, ids: Iterable[str]) -> dict[str, ConflictRow]:
        out: dict[str, ConflictRow] = {}
        for batch in chunks(sorted(set(ids))):
            rows = self.db.execute(
                "SELECT data, first_seen, last_seen, active, gone_reason, superseded_by FROM conflicts "
                f"WHERE id IN ({marks(len(batch))})",
                batch,
            )
            for r in rows:
                conflict = Conflict.model_validate_json(r["data"])
                out[conflict.id] = ConflictRow(
                    conflict=conflict,
                    first_seen=r["first_seen"],
                    last_seen=r["last_seen"],
                    active=bool(r["active"]),
                    gone_reason=None if r["active"] else (r["gone_reason"] or "no longer found"),
                    superseded_by=None if r["active"] else r["superseded_by"],
                )
        return out

    def decisions_of(self, ids: Iterable[str]) -> dict[str, Decision]:
        """The current decision of each of these conflicts that has one."""
        out: dict[str, Decision] = {}
        for batch in chunks(sorted(set(ids))):
            rows = self.db.execute(
                "SELECT d.* FROM decisions d JOIN (SELECT conflict_id, MAX(id) AS id FROM decisions "
                f"WHERE conflict_id IN ({marks(len(batch))}) GROUP BY conflict_id) m ON d.id = m.id",
                batch,
            )
            out.update((r["conflict_id"], decision_from_row(r)) for r in rows)
        return out

    # -- listings ----------------------------------------------------------------------------------
    def conflict_index(
        self,
        where: ConflictFilter,
        *,
        limit: int | None = None,
        offset: int = 0,
        with_counts: bool = False,
    ) -> ConflictIndex:
        """Ids of the conflicts matching `where`, most severe first, then by kind, event date
        (undated first) and id; `limit`/`offset` page them. With `with_counts`, per facet, how many
        match each value given the other facets' filters (what choosing that value would show)."""
        base = (
            f"FROM conflicts c LEFT JOIN {_LATEST} l ON l.conflict_id = c.id "
            "LEFT JOIN events e ON e.id = c.event_id"
        )
        cond, params = where.where()
        page = ""
        if limit is not None:
            page = f" LIMIT {int(limit)} OFFSET {int(offset)}"
        sql = f"SELECT c.id {base} WHERE {cond} ORDER BY {_ORDER}{page}"
        ids = [r[0] for r in self.db.execute(sql, params)]
        if limit is None and not offset:
            total = len(ids)
        else:
            total = int(self.db.execute(f"SELECT COUNT(*) {base} WHERE {cond}", params).fetchone()[0])
        counts = self._facet_counts(base, where) if with_counts else {}
        return ConflictIndex(ids=ids, total=total, counts=counts)

    def conflict_tally(self, where: ConflictFilter) -> list[tuple[str, str, str, int]]:
        """(severity, kind, review status, how many) over the conflicts matching `where`."""
        base = f"FROM conflicts c LEFT JOIN {_LATEST} l ON l.conflict_id = c.id"
        return self._tally(base, where)

    def _tally(self, base: str, where: ConflictFilter, skip: str = "") -> list[tuple[str, str, str, int]]:
        cond, params = where.where(skip=skip)
        rows = self.db.execute(
            f"SELECT c.severity, c.kind, {_STATUS} AS status, COUNT(*) AS n {base} WHERE {cond} "
            f"GROUP BY c.severity, c.kind, {_STATUS}",
            params,
        )
        return [(r[0], r[1], r[2], int(r[3])) for r in rows]

    def dated_event_ids(self) -> list[str]:
        """Events placed on a date, in date order."""
        rows = self.db.execute("SELECT id FROM events WHERE date IS NOT NULL ORDER BY date, id")
        return [r[0] for r in rows]

    def _facet_counts(self, base: str, where: ConflictFilter) -> dict[str, dict[str, int]]:
        """Per facet value, how many conflicts choosing it would show (the other facets' filters
        applied): severity, kind and status from one grouped query, events from another, which stops
        counting past EVENT_FACET_MAX events (a list that long is no use as a menu)."""
        groups = self._tally(base, where, skip="severity,kind,status")
        chosen = {"severity": where.severity, "kind": where.kind, "status": where.status}
        counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
        for row in groups:
            values = {"severity": row[0], "kind": row[1], "status": row[2]}
            for facet, value in values.items():
                others_match = all(
                    not chosen[other] or values[other] in chosen[other] for other in chosen if other != facet
                )
                if others_match:
                    counts[facet][value] = counts[facet].get(value, 0) + int(row[3])
        cond, params = where.where(skip="event")
        rows = self.db.execute(
            f"SELECT c.event_id, COUNT(*) AS n {base} WHERE {cond} AND c.event_id IS NOT NULL "
            f"GROUP BY c.event_id ORDER BY c.event_id LIMIT {EVENT_FACET_MAX + 1}",
            params,
        )
        counts["event"] = {r[0]: int(r[1]) for r in rows}
        return counts
