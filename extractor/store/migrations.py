"""Named, ordered schema migrations, each recorded in `_migrations` when applied."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from extractor.store.db import Database, pg_ddl

Migration = Callable[[Database], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(name: str) -> Callable[[Migration], Migration]:
    def register(fn: Migration) -> Migration:
        MIGRATIONS.append((name, fn))
        return fn

    return register


@migration("m001_initial")
def m001_initial(db: Database) -> None:
    ddl(
        db,
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            name TEXT NOT NULL,
            outlet TEXT, title TEXT, published TEXT, published_basis TEXT,
            content_type TEXT NOT NULL, encoding TEXT NOT NULL,
            text TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE INDEX articles_name ON articles(name);
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            command TEXT NOT NULL,
            mode TEXT NOT NULL,
            model TEXT, endpoint TEXT, prompt TEXT, schema TEXT,
            started_at TEXT NOT NULL, finished_at TEXT,
            articles INTEGER DEFAULT 0, failed INTEGER DEFAULT 0,
            prompt_tokens INTEGER DEFAULT 0, completion_tokens INTEGER DEFAULT 0,
            seconds REAL DEFAULT 0
        );
        CREATE TABLE extractions (
            article_id TEXT NOT NULL REFERENCES articles(id),
            cache_key TEXT NOT NULL,
            run_id TEXT REFERENCES runs(id),
            status TEXT NOT NULL,
            failure_class TEXT, error TEXT,
            model TEXT, prompt TEXT,
            prompt_tokens INTEGER DEFAULT 0, completion_tokens INTEGER DEFAULT 0,
            seconds REAL DEFAULT 0, calls INTEGER DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (article_id, cache_key)
        );
        CREATE TABLE calls (
            id INTEGER PRIMARY KEY,
            run_id TEXT, article_id TEXT, cache_key TEXT, chunk INTEGER, attempt INTEGER,
            prompt_tokens INTEGER, completion_tokens INTEGER, seconds REAL,
            finish_reason TEXT, error TEXT, raw TEXT
        );
        CREATE TABLE claims (
            id TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id),
            cache_key TEXT NOT NULL,
            kind TEXT NOT NULL, side TEXT NOT NULL, grounding TEXT NOT NULL,
            needs_review INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (cache_key, id)
        );
        CREATE INDEX claims_article ON claims(article_id);
        CREATE TABLE events (id TEXT PRIMARY KEY, data TEXT NOT NULL);
        CREATE TABLE conflicts (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL, severity TEXT NOT NULL, event_id TEXT,
            evidence_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
            data TEXT NOT NULL
        );
        """,
    )


@migration("m002_decisions")
def m002_decisions(db: Database) -> None:
    """Review decisions: an append-only history; a conflict's status is its latest row (none = open)."""
    ddl(
        db,
        """
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conflict_id TEXT NOT NULL REFERENCES conflicts(id),
            status TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            note TEXT,
            reason TEXT,
            evidence_hash TEXT,
            decided_at TEXT NOT NULL
        );
        CREATE INDEX decisions_conflict ON decisions(conflict_id, id);
        """,
    )


@migration("m003_batch_state")
def m003_batch_state(db: Database) -> None:
    """Batch state per article. No extraction row: pending. An 'in_flight' row names its owner (an
    extractor, its process id and host) and a lease, renewed after every call: a crashed process's
    articles are taken again once its lease has expired or its process is gone. A row with a review
    reason is 'needs review' once done. Articles keep the flags that sent them to review; input files
    that could not be read are kept with their problem until they read cleanly."""
    ddl(
        db,
        """
        ALTER TABLE extractions ADD COLUMN owner TEXT;
        ALTER TABLE extractions ADD COLUMN pid INTEGER;
        ALTER TABLE extractions ADD COLUMN host TEXT;
        ALTER TABLE extractions ADD COLUMN lease_until REAL;
        ALTER TABLE extractions ADD COLUMN review TEXT;
        ALTER TABLE articles ADD COLUMN flags TEXT;
        CREATE TABLE input_problems (
            source TEXT PRIMARY KEY,
            problem TEXT NOT NULL,
            failure_class TEXT NOT NULL,
            run_id TEXT,
            seen_at TEXT NOT NULL
        );
        CREATE INDEX extractions_status ON extractions(status);
        """,
    )


@migration("m004_batch_api")
def m004_batch_api(db: Database) -> None:
    """OpenAI Batch API jobs: the local row (and its id, sent as metadata) exists before the upload,
    and the API's batch id is written the moment it is known, so a restart adopts, never resubmits."""
    ddl(
        db,
        """
        CREATE TABLE batches (
            id TEXT PRIMARY KEY,
            provider_id TEXT UNIQUE,
            input_file_id TEXT, output_file_id TEXT, error_file_id TEXT,
            status TEXT NOT NULL,
            endpoint TEXT, model TEXT, mode TEXT, prompt TEXT, schema TEXT, strategy TEXT,
            requests INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE TABLE batch_items (
            batch_id TEXT NOT NULL REFERENCES batches(id),
            custom_id TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id),
            cache_key TEXT NOT NULL,
            idx INTEGER NOT NULL,
            state TEXT NOT NULL,
            error TEXT,
            response TEXT,
            PRIMARY KEY (batch_id, custom_id)
        );
        CREATE INDEX batch_items_article ON batch_items(article_id, cache_key);
        """,
    )


def ddl(db: Database, sql: str) -> None:
    """Run DDL written for SQLite on either engine."""
    db.script(pg_ddl(sql) if db.dialect == "postgresql" else sql)


@migration("m005_write_order")
def m005_write_order(db: Database) -> None:
    """An explicit write order for extractions (the latest successful one is an article's current
    claim set); SQLite's rowid did this before, and PostgreSQL has none."""
    db.execute("ALTER TABLE extractions ADD COLUMN seq BIGINT NOT NULL DEFAULT 0")
    if db.dialect == "sqlite":
        db.execute("UPDATE extractions SET seq = rowid")
    else:
        db.execute("CREATE SEQUENCE IF NOT EXISTS extractions_seq")
    db.execute("CREATE INDEX extractions_seq_idx ON extractions(article_id, status, seq)")


@migration("m006_article_url_and_gone_conflicts")
def m006_article_url_and_gone_conflicts(db: Database) -> None:
    """The address an article was published at (a date in it anchors relative dates), and why a
    conflict the latest reconcile no longer found is gone: a decided conflict stays listed with it."""
    ddl(
        db,
        """
        ALTER TABLE articles ADD COLUMN url TEXT;
        ALTER TABLE conflicts ADD COLUMN gone_reason TEXT;
        ALTER TABLE conflicts ADD COLUMN superseded_by TEXT;
        """,
    )


@migration("m007_copies")
def m007_copies(db: Database) -> None:
    """Each article's MinHash signature (base64), so a new article is compared with the stored ones
    through an LSH index instead of with every text; and which articles are republished copies of
    which, with the similarity and whether the copy was edited."""
    ddl(
        db,
        """
        CREATE TABLE signatures (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            data TEXT NOT NULL
        );
        CREATE TABLE copies (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            original_id TEXT NOT NULL REFERENCES articles(id),
            similarity REAL NOT NULL,
            containment REAL NOT NULL,
            edited INTEGER NOT NULL,
            basis TEXT,
            found_at TEXT NOT NULL
        );
        CREATE INDEX copies_original ON copies(original_id);
        """,
    )


@migration("m008_lookups")
def m008_lookups(db: Database) -> None:
    """What listings filter and sort on, as columns and indexes, so a page of conflicts or one
    conflict's view reads only its own rows: an event's date, participants and whether it is
    unplaced (filled here for events stored before), the conflicts of an event, and a claim by its
    article and id."""
    ddl(
        db,
        """
        ALTER TABLE events ADD COLUMN date TEXT;
        ALTER TABLE events ADD COLUMN participants TEXT;
        ALTER TABLE events ADD COLUMN unplaced INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX conflicts_event ON conflicts(event_id);
        CREATE INDEX claims_article_id ON claims(article_id, id);
        CREATE INDEX events_unplaced ON events(unplaced);
        """,
    )
    rows = [tuple(r) for r in db.execute("SELECT id, data FROM events")]
    db.executemany(
        "UPDATE events SET date=?, participants=?, unplaced=? WHERE id=?",
        [(*event_columns(json.loads(data)), event_id) for event_id, data in rows],
    )


@migration("m009_comparisons")
def m009_comparisons(db: Database) -> None:
    """Pairs of statements the comparer judged in the latest reconcile (consistent ones included, so
    a reviewer sees what was checked), and the model's answers cached by pair, prompt and model."""
    ddl(
        db,
        """
        CREATE TABLE comparisons (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL,
            verdict TEXT NOT NULL,
            conflict_id TEXT,
            data TEXT NOT NULL
        );
        CREATE INDEX comparisons_event ON comparisons(event_id);
        CREATE TABLE comparison_cache (
            key TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            prompt TEXT NOT NULL,
            data TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
    )


def event_columns(event: dict[str, Any]) -> tuple[str | None, str, int]:
    """(date, participants, unplaced) of an event record (as JSON data), for the events table."""
    return event.get("date"), ", ".join(event.get("participants") or []), int(bool(event.get("unplaced")))


def _all_applied(db: Database) -> bool:
    """Every migration is recorded already: checked with reads, no lock taken."""
    exists = (
        "SELECT to_regclass('_migrations') IS NOT NULL"
        if db.dialect == "postgresql"
        else "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
    )
    if not db.execute(exists).fetchone()[0]:
        return False
    done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
    return all(name in done for name, _ in MIGRATIONS)


def apply(db: Database, now: str) -> list[str]:
    # The common case, an up-to-date database, takes no write lock: readers never queue behind a
    # writer just to open the store.
    if _all_applied(db):
        return []
    applied: list[str] = []
    with db.transaction():
        # Several processes opening one new database at once: one migrates, the others wait for it.
        db.lock_schema()
        db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
        for name, fn in MIGRATIONS:
            if name not in done:
                fn(db)
                db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, now))
                applied.append(name)
    return applied
