"""Several processes opening one NEW database at the same moment: how many opens fail.

    python benchmarks/open_race.py [--processes 3] [--trials 40] [--db-url postgresql://...]

Workers are started once and stay up; every trial each of them waits at a barrier, then calls
`Store(target)` on that trial's new database (a new SQLite file in a temporary folder, or with
`--db-url` a new schema in that PostgreSQL database), so the opens really start together: the
first open of a new SQLite file switches it to WAL and all of them race to migrate it. Printed: the
failures out of the opens, the distinct error messages, and any database whose migrations were not
recorded exactly once. Exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BARRIER_TIMEOUT = 120.0


def _worker(targets: list[str], barrier: Any, results: Any) -> None:
    """One process: open each trial's database right after the barrier, report ok or the error."""
    from extractor.store import Store

    for trial, target in enumerate(targets):
        barrier.wait(BARRIER_TIMEOUT)
        try:
            store = Store(target)
            store.db.execute("SELECT COUNT(*) FROM _migrations").fetchone()
            store.close()
            results.put((trial, None))
        except Exception as e:  # every failure is counted, whatever its class
            results.put((trial, f"{type(e).__name__}: {e}".replace(target, "<db>")))


def _sqlite_targets(folder: Path, trials: int) -> list[str]:
    return [str(folder / f"race{t}.db") for t in range(trials)]


def _pg_targets(url: str, trials: int) -> tuple[list[str], list[str]]:
    """A new, empty schema per trial, and the URLs that make each one the search path."""
    import psycopg

    schemas = [f"open_race_{uuid.uuid4().hex[:12]}" for _ in range(trials)]
    with psycopg.connect(url, autocommit=True) as admin:
        for schema in schemas:
            admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    return schemas, [f"{url}{sep}options={quote(f'-csearch_path={schema}')}" for schema in schemas]


def _drop_pg(url: str, schemas: list[str]) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        for schema in schemas:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


COUNT_MIGRATIONS = "SELECT name, COUNT(*) FROM _migrations GROUP BY name"


def migration_counts(target: str) -> Counter[str]:
    """How many times each migration was recorded in one database (a path or a URL); none when the
    database was never migrated (every open of it failed)."""
    if "://" in target:
        import psycopg

        with psycopg.connect(target) as con:
            try:
                return Counter(dict(con.execute(COUNT_MIGRATIONS).fetchall()))
            except psycopg.Error:
                return Counter()
    con = sqlite3.connect(target)
    try:
        return Counter(dict(con.execute(COUNT_MIGRATIONS).fetchall()))
    except sqlite3.Error:
        return Counter()
    finally:
        con.close()


def race(targets: list[str], processes: int) -> tuple[list[str | None], float]:
    """Open every target from `processes` processes at once; the outcomes (None = ok) and seconds."""
    ctx = mp.get_context("spawn")  # a child starts without the parent's connections or threads
    barrier = ctx.Barrier(processes)
    results = ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(targets, barrier, results)) for _ in range(processes)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    outcomes: list[str | None] = []
    try:
        for _ in range(len(targets) * processes):
            outcomes.append(results.get(timeout=BARRIER_TIMEOUT)[1])
    finally:
        for w in workers:
            w.join(timeout=BARRIER_TIMEOUT)
            if w.is_alive():
                w.terminate()
                w.join()
    return outcomes, time.perf_counter() - started


def report(outcomes: list[str | None], targets: list[str], seconds: float, processes: int) -> bool:
    """Print the figures; True when every open succeeded and every migration was recorded once."""
    from extractor.store.migrations import MIGRATIONS

    failures = [o for o in outcomes if o is not None]
    expected = Counter(dict.fromkeys((name for name, _ in MIGRATIONS), 1))
    wrong = [t for t in targets if migration_counts(t) != expected]
    print(
        f"{processes} processes x {len(targets)} trials: {len(failures)} of {len(outcomes)} opens failed, "
        f"{len(wrong)} databases with migrations not recorded exactly once ({seconds:.1f} s)"
    )
    for message, n in Counter(failures).most_common():
        print(f"  {n:>4} x {message}")
    return not failures and not wrong


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--processes", type=int, default=3)
    p.add_argument("--trials", type=int, default=40)
    p.add_argument("--db-url", help="race on new schemas of this PostgreSQL database instead of SQLite")
    args = p.parse_args()
    if args.processes < 1 or args.trials < 1:
        raise SystemExit("--processes and --trials must be at least 1")
    if args.db_url:
        schemas, targets = _pg_targets(args.db_url, args.trials)
        try:
            outcomes, seconds = race(targets, args.processes)
            ok = report(outcomes, targets, seconds, args.processes)
        finally:
            _drop_pg(args.db_url, schemas)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            targets = _sqlite_targets(Path(tmp), args.trials)
            outcomes, seconds = race(targets, args.processes)
            ok = report(outcomes, targets, seconds, args.processes)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
