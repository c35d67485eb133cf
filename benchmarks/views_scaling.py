"""What each review view costs on stores of growing size: the page's list and one conflict, the
terminal's `review show` and `review set`, and the filtered and full reports.

    python benchmarks/views_scaling.py [20000 100000]             # SQLite files in a temporary folder
    python benchmarks/views_scaling.py 20000 --db-url URL         # PostgreSQL: schema views_SIZE, kept
    python benchmarks/views_scaling.py 100000 --keep DIR          # keep (and reuse) the SQLite stores

Each store holds the synthetic workload of benchmarks/reconcile_scaling.py (ten claims an event, two
reports an event), reconciled by the real `claimdiff reconcile`; building it is not timed.

- list page, conflict page: server time per request, measured in this process through the web app
  (Starlette's test client: the request handler, the store's queries and the HTML, no network). The
  figure is the median of several requests after one warm-up; p95 is printed beside it.
- `review show`, `review set`, `report`: the real commands in a child process, wall time, interpreter
  start and imports included (the median of three runs).
The machine is shared: run it on a quiet machine and read the medians.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.reconcile_scaling import _fill

EXE = shutil.which("claimdiff", path=str(Path(sys.executable).parent)) or "claimdiff"


def build(target: str, size: int) -> None:
    """A store with the workload's articles and claims, then `claimdiff reconcile` on it."""
    _fill(target, size)
    run(["reconcile", "--db", target])


def run(args: list[str]) -> float:
    """One `claimdiff` command in a child process; its wall time."""
    start = time.perf_counter()
    done = subprocess.run([EXE, *args], capture_output=True, text=True, timeout=1800)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"claimdiff {' '.join(args[:2])} failed:\n{done.stderr[-2000:]}")
    return wall


def timed(fn: Callable[[], object], times: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def measure(target: str, out_dir: Path) -> dict[str, str]:
    from starlette.testclient import TestClient

    from extractor.store import Store
    from extractor.web import create_app

    store = Store(target, create=False)
    ids = sorted(c.id for c in store.conflicts())
    high = sorted(c.id for c in store.conflicts() if c.severity.value == "high")
    claims = store.db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    store.close()
    rng = random.Random(7)
    client = TestClient(create_app(target, "bench"), base_url="http://127.0.0.1")

    def get(path: str) -> None:
        r = client.get(path)
        if r.status_code != 200:
            raise SystemExit(f"GET {path}: {r.status_code}")

    figures: dict[str, str] = {"claims": str(claims), "conflicts": str(len(ids))}
    lists = timed(lambda: get("/"), 9)
    figures["list page"] = f"{statistics.median(lists) * 1000:.0f} ms (p95 {p95(lists) * 1000:.0f})"
    filtered = timed(lambda: get("/?severity=high&status=open"), 9)
    figures["filtered list"] = f"{statistics.median(filtered) * 1000:.0f} ms"
    sample = rng.sample(ids, min(20, len(ids)))
    pages = iter(sample * 2)
    conflict = timed(lambda: get(f"/conflicts/{next(pages)}"), len(sample) - 1)
    figures["conflict page"] = f"{statistics.median(conflict) * 1000:.0f} ms (p95 {p95(conflict) * 1000:.0f})"
    db = ["--db", target]
    show = [run(["review", "show", i, *db]) for i in sample[:3]]
    figures["review show"] = f"{statistics.median(show):.2f} s"
    decide = [
        run(["review", "set", i, "--status", "confirmed", "--reviewer", "bench", *db]) for i in sample[3:6]
    ]
    figures["review set"] = f"{statistics.median(decide):.2f} s"
    filtered_dir = out_dir / "open-high"
    small = [
        run(["report", *db, "--severity", "high", "--status", "open", "--out", str(filtered_dir)])
        for _ in range(3)
    ]
    figures["report open high"] = f"{statistics.median(small):.2f} s, {_size(filtered_dir)}"
    whole = run(["report", *db, "--out", str(out_dir / "all")])
    figures["report (all)"] = f"{whole:.2f} s, {_size(out_dir / 'all')}"
    figures["high conflicts"] = str(len(high))
    return figures


def _size(folder: Path) -> str:
    files = [p for p in folder.rglob("*") if p.is_file()]
    largest = max((p.stat().st_size for p in files), default=0)
    total = sum(p.stat().st_size for p in files)
    return f"{len(files)} files, {total / 1e6:.1f} MB, largest {largest / 1e6:.2f} MB"


def pg_target(url: str, size: int) -> tuple[str, bool]:
    """The schema views_SIZE in the database at `url` (created when missing); whether it is built."""
    import psycopg

    schema = f"views_{size}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        built = admin.execute("SELECT to_regclass(%s)", (f"{schema}.conflicts",)).fetchone()[0] is not None
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}", built


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sizes", nargs="*", type=int, default=[20_000, 100_000])
    p.add_argument("--db-url", help="a PostgreSQL URL: each size gets a new schema in it")
    p.add_argument("--keep", type=Path, help="keep the SQLite stores in this folder and reuse them")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            if args.db_url:
                target, built = pg_target(args.db_url, size)
                if not built:
                    build(target, size)
            else:
                folder = args.keep or Path(tmp)
                folder.mkdir(parents=True, exist_ok=True)
                target = str(folder / f"views-{size}.db")
                if not Path(target).exists():
                    build(target, size)
            figures = measure(target, Path(tmp) / f"report-{size}")
            print(f"-- {size} claims requested ({'PostgreSQL' if args.db_url else 'SQLite'})")
            for name, value in figures.items():
                print(f"  {name:<18} {value}")


if __name__ == "__main__":
    main()
