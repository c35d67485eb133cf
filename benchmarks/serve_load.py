"""Load on `claimdiff serve`: readers and reviewers at once over a large store, SQLite or PostgreSQL.

    python benchmarks/serve_load.py [--claims 20000] [--seconds 20] [--readers 4] [--reviewers 4]
    python benchmarks/serve_load.py --db-url postgresql://user@host/db       # a new schema in it
    python benchmarks/serve_load.py --db big.db --reuse                      # build once, keep, reuse

The store is the synthetic one of reconcile_scaling.py (`_fill`: N claims, two reports an event),
then `claimdiff reconcile` makes its events and conflicts (about 8 conflicts per 100 claims). It is
a temporary SQLite file, or a new schema of the `--db-url` database, both thrown away afterwards;
`--db FILE` / `--schema NAME` keep it, and `--reuse` takes such a kept store as it is.

`claimdiff serve` then runs as a child process on 127.0.0.1 (a free port) and is stopped at the
end whatever happens. For `--seconds`, reader threads fetch the list page (with and without a
filter) and random conflicts' pages; reviewer threads, in pairs, each read a conflict's page, take
its form's `version` and `csrf`, and post a decision with the page's Origin. In about a third of
the rounds both reviewers of a pair decide on the same conflict having read the same version, so
one of them must be refused (409, nothing written).

Printed: requests per second, p50/p95 latency per route, errors (any answer but 200, or 303/409
for a decision, and transport errors), and the decision accounting, checked in the database after
the load: each 303 names its decision (`?decided=ID`), which must be exactly one new row, for that
conflict and status, and the 409s none. Exits 1 on any error or mismatch. The load generator shares
the machine with the server (and PostgreSQL): the figures are for this machine as it was.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import lxml.html

from tests.serving import serving

REVIEWER = "load-bench"
REQUEST_TIMEOUT = 300.0  # seconds: a slow list page is a figure, not an error
WAIT = 600.0  # seconds a reviewer waits for its pair partner before the round counts as broken
ROUTES = ("list", "list filtered", "conflict", "decide")
COLLIDE = 0.33  # share of pair rounds where both reviewers decide on one conflict


# -- the store ----------------------------------------------------------------------------------
def _sql(db: str, query: str, params: tuple[Any, ...] = ()) -> list[Any]:
    from extractor.store import Store

    store = Store(db, create=False)
    try:
        return list(store.db.execute(query, params).fetchall())
    finally:
        store.close()


def _count(db: str, table: str) -> int:
    """Rows in `table`; 0 when the store or the table does not exist yet."""
    try:
        return int(_sql(db, f"SELECT COUNT(*) FROM {table}")[0][0])
    except Exception:
        return 0


def build(db: str, claims: int) -> None:
    """The synthetic claims written through the store, then the real `claimdiff reconcile`."""
    from reconcile_scaling import _cli, _fill

    started = time.perf_counter()
    n = _fill(db, claims)
    filled = time.perf_counter() - started
    reconcile_wall, _, _ = _cli(db)
    print(f"built: {n:,} claims in {filled:.1f} s, `claimdiff reconcile` {reconcile_wall:.1f} s")


@contextmanager
def sqlite_store(path: str | None) -> Iterator[str]:
    """The named SQLite file (kept), or one in a temporary folder (removed)."""
    if path:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="serve-load-") as tmp:
        yield str(Path(tmp) / "serve_load.db")


@contextmanager
def postgres_store(url: str, schema: str | None) -> Iterator[str]:
    """A URL whose search path is the named schema (kept) or a new one (dropped afterwards)."""
    import psycopg

    name = schema or f"serve_load_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA IF NOT EXISTS {name}")
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options={quote(f'-csearch_path={name}')}"
    finally:
        if not schema:
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


# -- the server ---------------------------------------------------------------------------------
# -- what the load saw --------------------------------------------------------------------------
@dataclass
class Tally:
    """Latencies per route, errors, and every decision's answer; shared by the load threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {r: [] for r in ROUTES})
    errors: Counter[str] = field(default_factory=Counter)
    accepted: list[tuple[int, str, str]] = field(default_factory=list)  # (decision id, conflict, status)
    stale: int = 0
    collisions: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, route: str, seconds: float) -> None:
        with self.lock:
            self.latencies[route].append(seconds)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] += 1

    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def fetch(client: httpx.Client, route: str, url: str, tally: Tally) -> httpx.Response | None:
    """GET `url`; its latency under `route`; None (an error counted) unless it answered 200."""
    started = time.perf_counter()
    try:
        response = client.get(url)
    except httpx.HTTPError as e:
        tally.error(f"{route}: {type(e).__name__}")
        return None
    tally.timed(route, time.perf_counter() - started)
    if response.status_code != 200:
        tally.error(f"{route}: HTTP {response.status_code}")
        return None
    return response


def reader(
    base: str,
    ids: list[str],
    filters: list[str],
    until: float,
    stop: threading.Event,
    tally: Tally,
    seed: int,
) -> None:
    """List pages (a quarter unfiltered, a quarter filtered) and random conflicts' pages."""
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        while not stop.is_set() and time.monotonic() < until:
            roll = rng.random()
            if roll < 0.25:
                fetch(client, "list", "/", tally)
            elif roll < 0.5:
                fetch(client, "list filtered", "/?" + rng.choice(filters), tally)
            else:
                fetch(client, "conflict", f"/conflicts/{rng.choice(ids)}", tally)


# -- reviewers, in pairs ------------------------------------------------------------------------
@dataclass
class Form:
    version: int
    csrf: str


def read_form(html: str) -> Form | None:
    doc = lxml.html.fromstring(html)
    version = doc.xpath("//input[@type='hidden'][@name='version']/@value")
    csrf = doc.xpath("//input[@type='hidden'][@name='csrf']/@value")
    if not version or not csrf:
        return None
    return Form(int(version[0]), str(csrf[0]))


class Pair:
    """Two reviewers in lock step: each round both read their conflict's page, wait for each other,
    then post. In a collision round it is the same conflict, so (unless a third reviewer came first)
    one decision lands and the other is refused as stale."""

    def __init__(
        self, size: int, ids: list[str], until: float, stop: threading.Event, tally: Tally, seed: int
    ) -> None:
        self.ids, self.until, self.stop, self.tally = ids, until, stop, tally
        self.seed = seed
        self.rng = random.Random(seed)
        self.size = size
        self.start = threading.Barrier(size, action=self._next_round)
        self.read = threading.Barrier(size)
        self.targets: list[str] = []
        self.collide = False
        self.over = False
        self.results: list[tuple[int, int] | None] = [None] * size  # (version read, HTTP status)

    def _next_round(self) -> None:
        """Run by one thread once both arrive: settle the last round, choose this one."""
        self._settle()
        self.over = self.stop.is_set() or time.monotonic() >= self.until
        self.collide = self.size == 2 and self.rng.random() < COLLIDE
        first = self.rng.choice(self.ids)
        self.targets = [
            first if self.collide or i == 0 else self.rng.choice(self.ids) for i in range(self.size)
        ]
        self.results = [None] * self.size

    def _settle(self) -> None:
        if not self.collide:
            return
        if any(r is None for r in self.results):
            self.tally.collisions["broken (an error in the round)"] += 1
            return
        versions = {r[0] for r in self.results if r}
        statuses = sorted(r[1] for r in self.results if r)
        if len(versions) != 1:
            self.tally.collisions["read different versions (another reviewer came between)"] += 1
        elif statuses == [303, 409]:
            self.tally.collisions["one 303 and one 409"] += 1
        elif statuses == [303, 303]:
            self.tally.collisions["BOTH ACCEPTED on one version"] += 1
        else:
            self.tally.collisions[f"answers {statuses} (a third reviewer came first)"] += 1

    def run(self, me: int, base: str) -> None:
        rng = random.Random(self.seed * 10 + me)  # this reviewer's choice of status
        try:
            with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
                while True:
                    self.start.wait(WAIT)
                    if self.over:
                        return
                    self._round(client, me, rng.choice(["confirmed", "dismissed"]), base)
        except threading.BrokenBarrierError:
            self.tally.error("decide: reviewer pair broken (partner failed or stalled)")
        except Exception as e:
            self.tally.error(f"decide: reviewer crashed: {type(e).__name__}: {e}")
            self.start.abort()
            self.read.abort()

    def _round(self, client: httpx.Client, me: int, status: str, base: str) -> None:
        conflict = self.targets[me]
        page = fetch(client, "conflict", f"/conflicts/{conflict}", self.tally)
        form = read_form(page.text) if page is not None else None
        if page is not None and form is None:
            self.tally.error("conflict: page without the version and csrf inputs")
        self.read.wait(WAIT)  # both have read before either posts
        if form is None:
            return
        answer = post_decision(client, conflict, status, form, base, self.tally)
        if answer is not None:
            self.results[me] = (form.version, answer)


def post_decision(
    client: httpx.Client, conflict: str, status: str, form: Form, base: str, tally: Tally
) -> int | None:
    """POST one decision; the HTTP status, and a 303's decision id kept for the accounting."""
    data = {"status": status, "note": "", "version": str(form.version), "csrf": form.csrf}
    started = time.perf_counter()
    try:
        response = client.post(f"/conflicts/{conflict}/decide", data=data, headers={"Origin": base})
    except httpx.HTTPError as e:
        tally.error(f"decide: {type(e).__name__}")
        return None
    tally.timed("decide", time.perf_counter() - started)
    if response.status_code == 303:
        decided = parse_qs(urlsplit(response.headers.get("location", "")).query).get("decided", [""])[0]
        if not decided.isdigit():
            tally.error("decide: 303 without ?decided=ID")
            return None
        with tally.lock:
            tally.accepted.append((int(decided), conflict, status))
    elif response.status_code == 409:
        with tally.lock:
            tally.stale += 1
    else:
        tally.error(f"decide: HTTP {response.status_code}")
    return response.status_code


# -- one run ------------------------------------------------------------------------------------
def run_load(base: str, ids: list[str], filters: list[str], args: argparse.Namespace) -> tuple[Tally, float]:
    tally, stop = Tally(), threading.Event()
    until = time.monotonic() + args.seconds
    threads = [
        threading.Thread(
            target=reader, args=(base, ids, filters, until, stop, tally, args.seed + i), daemon=True
        )
        for i in range(args.readers)
    ]
    for p in range(0, args.reviewers, 2):
        pair = Pair(min(2, args.reviewers - p), ids, until, stop, tally, args.seed + 1000 + p)
        threads += [
            threading.Thread(target=pair.run, args=(me, base), daemon=True) for me in range(pair.size)
        ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    try:
        for t in threads:
            t.join()
    finally:
        stop.set()  # on Ctrl-C the threads end their current request and stop
    return tally, time.perf_counter() - started


def check_decisions(db: str, before: int, tally: Tally) -> bool:
    """Every 303 is exactly one new row (its conflict, its status, our reviewer); nothing else was
    written. Prints the verdict."""
    rows = {
        int(r[0]): (r[1], r[2], r[3])
        for r in _sql(db, "SELECT id, conflict_id, status, reviewer FROM decisions WHERE id > ?", (before,))
    }
    said = Counter(d for d, _, _ in tally.accepted)
    landed = [
        d
        for d, conflict, status in tally.accepted
        if rows.get(d) == (conflict, status, REVIEWER) and said[d] == 1
    ]
    extra = sorted(set(rows) - set(said))
    if len(landed) == len(tally.accepted) and not extra:
        print(f"decisions landed: {len(landed)} of {len(tally.accepted)}, exactly once")
        return True
    print(
        f"decisions landed: {len(landed)} of {len(tally.accepted)} answered 303; "
        f"{len(rows)} new rows, {len(extra)} of them without a 303 (ids {extra[:10]}), "
        f"{sum(1 for n in said.values() if n > 1)} decision ids answered twice"
    )
    return False


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def report(tally: Tally, seconds: float) -> bool:
    """The figures; True when nothing failed."""
    total = tally.requests()
    print(f"requests: {total} in {seconds:.1f} s = {total / seconds:.1f} per second")
    print(f"{'route':<14} {'count':>6} {'p50 ms':>9} {'p95 ms':>9}")
    for route in ROUTES:
        lat = tally.latencies[route]
        p50, p95 = percentile(lat, 0.5) * 1000, percentile(lat, 0.95) * 1000
        print(f"{route:<14} {len(lat):>6} {p50:>9.1f} {p95:>9.1f}")
    errors = sum(tally.errors.values())
    print(f"errors: {errors}" + "".join(f"\n  {n:>5} x {what}" for what, n in tally.errors.most_common()))
    print(f"decide answers: {len(tally.accepted)} x 303, {tally.stale} x 409")
    for what, n in tally.collisions.most_common():
        print(f"  collision rounds (one conflict, both reviewers): {n} x {what}")
    return errors == 0 and tally.collisions["BOTH ACCEPTED on one version"] == 0


def measure(db: str, args: argparse.Namespace) -> bool:
    if args.reuse and _count(db, "conflicts"):
        print("reusing the store as it is")
    elif _count(db, "claims"):
        raise SystemExit("that store already holds claims: add --reuse, or name a new --db / --schema")
    else:
        build(db, args.claims)
    ids = [r[0] for r in _sql(db, "SELECT id FROM conflicts ORDER BY id")]
    if not ids:
        raise SystemExit("the store holds no conflict: nothing to review")
    kinds = [r[0] for r in _sql(db, "SELECT DISTINCT kind FROM conflicts ORDER BY kind")]
    severities = [r[0] for r in _sql(db, "SELECT DISTINCT severity FROM conflicts ORDER BY severity")]
    filters = [f"severity={s}" for s in severities] + [f"kind={k}" for k in kinds] + ["status=open"]
    print(f"store: {_count(db, 'claims'):,} claims, {len(ids):,} conflicts")
    before = int(_sql(db, "SELECT COALESCE(MAX(id), 0) FROM decisions")[0][0])
    with (
        tempfile.TemporaryDirectory(prefix="serve-load-log-") as tmp,
        serving(db, Path(tmp) / "serve.log", REVIEWER) as base,
    ):
        links = set(_links(httpx.get(base + "/", timeout=REQUEST_TIMEOUT).text))
        if not links or not links <= set(ids):
            raise SystemExit(f"the list page links {len(links)} conflicts, not those of the store")
        print(
            f"load: {args.readers} readers, {args.reviewers} reviewers, {args.seconds:g} s on {base} "
            f"(the list page links {len(links)} conflicts)"
        )
        tally, seconds = run_load(base, ids, filters, args)
    clean = report(tally, seconds)
    return check_decisions(db, before, tally) and clean


def _links(html: str) -> list[str]:
    doc = lxml.html.fromstring(html)
    return [h.split("/conflicts/", 1)[1] for h in doc.xpath("//a/@href") if h.startswith("/conflicts/")]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--claims", type=int, default=20_000, help="claims in the synthetic store")
    p.add_argument("--seconds", type=float, default=20.0, help="how long the load runs")
    p.add_argument("--readers", type=int, default=4)
    p.add_argument("--reviewers", type=int, default=4, help="reviewer threads, in pairs")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--db", help="SQLite file to build (and keep) the store in")
    p.add_argument("--db-url", help="a PostgreSQL database: the store is a schema in it")
    p.add_argument("--schema", help="with --db-url: this schema (kept) instead of a new one (dropped)")
    p.add_argument("--reuse", action="store_true", help="use the kept store as it is when it has conflicts")
    args = p.parse_args()
    if args.reuse and not (args.db or args.schema):
        raise SystemExit("--reuse needs a kept store: --db FILE, or --db-url URL --schema NAME")
    if args.db and args.db_url:
        raise SystemExit("--db (SQLite) and --db-url (PostgreSQL) exclude each other")
    if args.schema and not args.db_url:
        raise SystemExit("--schema names a schema of the --db-url database")
    if args.readers < 0 or args.reviewers < 0 or args.readers + args.reviewers == 0 or args.seconds <= 0:
        raise SystemExit("need at least one reader or reviewer and a positive --seconds")
    target = postgres_store(args.db_url, args.schema) if args.db_url else sqlite_store(args.db)
    with target as db:
        ok = measure(db, args)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
