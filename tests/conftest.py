"""Tests never reach the network (pytest-recording's --block-network is on in pyproject) and need no key."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from extractor.errors import NotFoundError
from extractor.ingest import read_article
from extractor.records import Article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
RECORDINGS = ROOT / "fixtures" / "cassettes"
ENV_VARS = (
    "OPENAI_BASE_URL",
    "OPENAI_API_KEY",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "CLAIMDIFF_MODEL",
    "CLAIMDIFF_DB",
    "CLAIMDIFF_RECORDINGS",
    "CLAIMDIFF_ENTITIES",
    "CLAIMDIFF_DEBUG",
)


@pytest.fixture(autouse=True)
def no_endpoint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Whatever the developer's shell holds, a test sees no endpoint, no key and no config file."""
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    yield


# The whole suite runs a second time against PostgreSQL when this is set (.ci/run does so): every
# store a test opens by file path is then a fresh schema of that database instead of a SQLite file.
PG_URL = os.environ.get("CLAIMDIFF_TEST_DATABASE_URL")


def pg_url_for(target: str | Path) -> str:
    """The PostgreSQL stand-in for a SQLite path: one schema per resolved path."""
    assert PG_URL
    schema = "t_" + hashlib.sha1(str(Path(target).resolve()).encode()).hexdigest()[:24]
    with _pg_admin() as admin:
        admin.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"


def _pg_schema_exists(target: str | Path) -> bool:
    schema = "t_" + hashlib.sha1(str(Path(target).resolve()).encode()).hexdigest()[:24]
    with _pg_admin() as admin:
        return admin.execute("SELECT to_regclass(%s)", (f"{schema}._migrations",)).fetchone()[0] is not None


def _pg_admin():  # type: ignore[no-untyped-def]
    import psycopg

    assert PG_URL
    return psycopg.connect(PG_URL, autocommit=True)


@pytest.fixture(scope="session", autouse=True)
def store_backend(fresh_pg_schemas: None) -> Iterator[str]:
    """'sqlite', or 'postgresql' when CLAIMDIFF_TEST_DATABASE_URL is set: then for the whole session
    (module fixtures included) a store opened by file path is that path's schema in PostgreSQL."""
    if not PG_URL:
        yield "sqlite"
        return
    import extractor.store.store as store_module
    from extractor.store import db as dbmod

    def redirected(target: str | Path, *, create: bool = True) -> dbmod.Database:
        if not dbmod.is_url(target):
            if not create and not _pg_schema_exists(target):
                raise NotFoundError(f"{target}: no such database (run `claimdiff run` first)")
            target = pg_url_for(target)
        db = dbmod.connect(target, create=create)
        _OPENED.append(db)
        return db

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(store_module, "connect", redirected)
        yield "postgresql"
    for db in _OPENED:
        db.close()


_OPENED: list[Any] = []


@pytest.fixture(autouse=True)
def close_test_stores() -> Iterator[None]:
    """Tests leave stores open, as the CLI does; a test's own PostgreSQL connections are closed when it
    ends (before the garbage collector would warn), those of module fixtures when the session ends."""
    first = len(_OPENED)
    yield
    for db in _OPENED[first:]:
        db.close()
    del _OPENED[first:]


@pytest.fixture(scope="session", autouse=True)
def fresh_pg_schemas() -> Iterator[None]:
    """Schemas left by an earlier PostgreSQL run are dropped first, so every test starts empty."""
    if PG_URL:
        with _pg_admin() as admin:
            for (name,) in admin.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'"
            ).fetchall():
                admin.execute(f"DROP SCHEMA {name} CASCADE")
    yield


@pytest.fixture(scope="session")
def seed_articles() -> list[Article]:
    return [read_article(p) for p in sorted(SEEDS.glob("*.txt"))]
