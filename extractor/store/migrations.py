"""Named, ordered schema migrations, each recorded in `_migrations` when applied."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(name: str) -> Callable[[Migration], Migration]:
    def register(fn: Migration) -> Migration:
        MIGRATIONS.append((name, fn))
        return fn

    return register


@migration("m001_initial")
def m001_initial(db: sqlite3.Connection) -> None:
    db.executescript(
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
        """
    )


@migration("m002_decisions")
def m002_decisions(db: sqlite3.Connection) -> None:
    """Review decisions: an append-only history; a conflict's status is its latest row (none = open)."""
    db.executescript(
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
        """
    )


@migration("m004_batch_api")
def m004_batch_api(db: sqlite3.Connection) -> None:
    """OpenAI Batch API jobs: the local row (and its id, sent as metadata) exists before the upload,
    and the API's batch id is written the moment it is known, so a restart adopts, never resubmits."""
    db.executescript(
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
        """
    )


def apply(db: sqlite3.Connection, now: str) -> list[str]:
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        with db:
            fn(db)
            db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, now))
        applied.append(name)
    return applied
