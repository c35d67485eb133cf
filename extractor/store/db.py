"""One small connection interface over SQLite and PostgreSQL, so the store's SQL is written once.

The store writes portable SQL with `?` placeholders (`ON CONFLICT` upserts, `RETURNING`, no
`rowid`); this module opens the right engine for a path or a `postgresql://` URL, turns placeholders
into the driver's, and gives one `transaction()` that takes the write lock up front on SQLite
(`BEGIN IMMEDIATE`) and is a real transaction on PostgreSQL, where rows are locked as they are
written (and with `FOR UPDATE` where the store asks for it).
"""

from __future__ import annotations

import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit, urlunsplit

from extractor.errors import NotFoundError, StoreError

PG_SCHEMES = ("postgresql", "postgres")
SCHEMA_LOCK = 0x636C6D64  # an arbitrary advisory-lock key for claimdiff's migrations
BUSY_TIMEOUT = 60.0  # seconds a SQLite connection waits for another process's lock
T = TypeVar("T")


def is_url(target: str | Path) -> bool:
    return str(target).split("://", 1)[0] in PG_SCHEMES and "://" in str(target)


def redact(url: str) -> str:
    """A database URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{netloc[-1]}"))


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Row:
    """A result row readable by position and by column name, like sqlite3.Row."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: tuple[str, ...], values: Sequence[Any]) -> None:
        self._names = names
        self._values = tuple(values)

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, int):
            return self._values[key]
        return self._values[self._names.index(key)]

    def keys(self) -> list[str]:
        return list(self._names)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._names, self._values, strict=True))!r})"


class Database:
    """Base: what the store may use. Subclasses adapt one engine."""

    dialect = ""
    label = ""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def script(self, sql: str) -> None:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        raise NotImplementedError
        yield

    def integrity_ok(self) -> bool:
        raise NotImplementedError

    def lock_schema(self) -> None:
        """Inside a transaction: serialise schema changes between processes."""

    def close(self) -> None:
        raise NotImplementedError

    @property
    def for_update(self) -> str:
        """Appended to a SELECT inside a transaction to lock the rows it reads (PostgreSQL only;
        SQLite's transaction already holds the database's write lock)."""
        return ""


class SQLiteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.label = str(path)
        if not create and (str(path) == ":memory:" or not Path(path).is_file()):
            raise NotFoundError(f"{path}: no such database (run `claimdiff run` or `claimdiff extract`)")
        try:
            self.conn = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{path}: cannot open the database: {e}") from None
        try:
            self._prepare(path)
        except sqlite3.DatabaseError as e:
            self.conn.close()
            raise StoreError(f"{path}: cannot open the database: {e}") from None
        except BaseException:
            self.conn.close()
            raise
        self._depth = 0
        self._lock = threading.RLock()

    def _prepare(self, path: str | Path) -> None:
        """WAL, pragmas, and one write transaction, all within one timeout however many processes
        open the same (new) file at once."""
        self.conn.row_factory = sqlite3.Row
        deadline = time.monotonic() + BUSY_TIMEOUT
        if str(path) != ":memory:":
            self._use_wal(path, deadline)
            # In WAL mode NORMAL never corrupts and never loses a commit when a process dies;
            # only a power cut can undo the last commits. It saves an fsync per transaction.
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        # Fails now, clearly, if the file is not a database. A read, so that opening a store to read
        # it (each request of the review page does) never waits for a writer's lock.
        self._until_free(lambda: self.conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone(), deadline)

    def _use_wal(self, path: str | Path, deadline: float) -> None:
        """Switch the file to WAL (a no-op once it is: the mode is stored in the file).

        Switching a new file takes the write lock while already holding a read lock. When another
        process holds the write lock (it is switching the same file), SQLite returns SQLITE_BUSY at
        once instead of calling the busy handler, because two readers waiting for each other's
        write lock would deadlock (see sqlite3_busy_handler's documentation). So the busy timeout
        does not cover it and we retry ourselves. The pragma answers the mode in force, and a mode
        it could not change comes back without an error, hence the check. The store needs WAL:
        readers must not block the writer (`claimdiff serve` reads while workers write) and
        synchronous=NORMAL is only safe in it."""
        mode = self._until_free(lambda: self.conn.execute("PRAGMA journal_mode=WAL").fetchone()[0], deadline)
        if str(mode).lower() != "wal":
            raise StoreError(
                f"{path}: cannot open the database: it stays in journal mode {mode!r} and the store "
                "needs WAL (a file system without shared memory, such as a network share?)"
            )

    def _until_free(self, step: Callable[[], T], deadline: float) -> T:
        """`step()`, retried while another process holds the lock SQLite would not wait for.

        Each attempt waits in SQLite's busy handler at most until `deadline` (so the whole open is
        bounded by the one timeout), then a short, growing, jittered pause lets the other process
        finish before the next attempt. Any other error (not a database, read-only...) is raised
        at once."""
        pause = 0.002
        while True:
            left_ms = max(1, int((deadline - time.monotonic()) * 1000))
            self.conn.execute(f"PRAGMA busy_timeout={left_ms}")
            try:
                return step()
            except sqlite3.OperationalError as e:
                if not _busy(e) or time.monotonic() + pause >= deadline:
                    raise
            finally:
                self.conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            time.sleep(pause * random.uniform(0.5, 1.5))
            pause = min(pause * 2, 0.1)

    @contextmanager
    def _writable(self) -> Iterator[None]:
        """A write refused because the file (or its folder) is read-only, said as such."""
        try:
            yield
        except sqlite3.OperationalError as e:
            if (e.sqlite_errorcode & 0xFF) != sqlite3.SQLITE_READONLY:
                raise
            raise StoreError(
                f"{self.label}: the database is read-only (the file or its folder cannot be written): "
                "make both writable, or copy the database somewhere writable and pass --db COPY"
            ) from None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        with self._lock, self._writable():
            return self.conn.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._lock, self._writable():
            self.conn.executemany(sql, [tuple(r) for r in rows])

    def script(self, sql: str) -> None:
        # Statement by statement: executescript() would commit the surrounding transaction.
        with self._lock, self._writable():
            for statement in sql.split(";"):
                if statement.strip():
                    self.conn.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            with self._writable():
                self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self.conn.execute("ROLLBACK")
                raise
            self._depth = 0
            with self._writable():
                self.conn.execute("COMMIT")

    def integrity_ok(self) -> bool:
        return bool(self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    def close(self) -> None:
        self.conn.close()


_PLACEHOLDER = re.compile(r"\?")


def _busy(e: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY and its extended codes (BUSY_RECOVERY, BUSY_SNAPSHOT...): another process's lock."""
    return (e.sqlite_errorcode & 0xFF) == sqlite3.SQLITE_BUSY


def _pg_sql(sql: str) -> str:
    return _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, url: str, *, create: bool = True) -> None:
        import psycopg

        self.label = redact(url)
        try:
            self.conn = psycopg.connect(url, autocommit=True, row_factory=_pg_rows)
        except psycopg.Error as e:
            raise StoreError(f"{self.label}: cannot open the database: {_pg_message(e)}") from None
        self._lock = threading.RLock()
        if not create and self.execute("SELECT to_regclass('_migrations')").fetchone()[0] is None:
            self.conn.close()
            raise NotFoundError(f"{self.label}: no claimdiff database here (run `claimdiff run` first)")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        with self._lock:
            return self.conn.execute(_pg_sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._lock, self.conn.cursor() as cur:
            cur.executemany(_pg_sql(sql), [tuple(r) for r in rows])

    def script(self, sql: str) -> None:
        with self._lock:
            self.conn.execute(sql.encode())  # several statements, no parameters

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock, self.conn.transaction():
            yield

    def integrity_ok(self) -> bool:
        return self.execute("SELECT 1").fetchone()[0] == 1

    def lock_schema(self) -> None:
        self.execute("SELECT pg_advisory_xact_lock(?)", (SCHEMA_LOCK,))

    def close(self) -> None:
        self.conn.close()

    @property
    def for_update(self) -> str:
        return " FOR UPDATE"


def _pg_rows(cursor: Any) -> Any:
    names = tuple(d.name for d in cursor.description or ())

    def make(values: Sequence[Any]) -> Row:
        return Row(names, values)

    return make


def _pg_message(e: Exception) -> str:
    return str(e).splitlines()[0] if str(e) else type(e).__name__


def connect(target: str | Path, *, create: bool = True) -> Database:
    """A path (SQLite, the default) or a postgresql:// URL; `create=False` refuses a new database."""
    if is_url(target):
        # str.__str__: the URL as written, even from a wrapper that prints itself without a password
        raw = str.__str__(target) if isinstance(target, str) else str(target)
        return PostgresDatabase(raw, create=create)
    return SQLiteDatabase(target, create=create)


def pg_ddl(sql: str) -> str:
    """SQLite DDL as PostgreSQL: identity keys, double precision, nothing else changes."""
    sql = re.sub(
        r"INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql
    )
    sql = re.sub(r"\bid INTEGER PRIMARY KEY\b", "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql)
    return re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)
