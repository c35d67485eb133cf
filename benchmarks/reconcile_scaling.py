"""Time and peak memory of the reconciler on synthetic claim sets of growing size.

    python benchmarks/reconcile_scaling.py [1000 10000 100000]            # the reconcile function
    python benchmarks/reconcile_scaling.py --store [1000 10000 100000]    # the whole `claimdiff reconcile`

Synthetic claims come from the same workload builder the scale tests use (tests/test_reconcile_scale.py):
many Trump–Putin-style events among 40 leaders, each reported by two articles with dates, durations,
topics and a statement (ten claims an event), so the events are unrelated to one another.

`--store` first writes the claims into a new SQLite database through the store's own methods (not
timed), then measures, in this process, the three steps `claimdiff reconcile` takes (load the current
claims and articles, reconcile, save events and conflicts), and finally runs the real command,
`claimdiff reconcile --db FILE`, in a child process: its wall time, CPU time (user + system) and peak
RSS, interpreter start and imports included. The machine is shared: CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractor.reconcile import reconcile
from tests.test_reconcile_scale import _workload


def function_mode(sizes: list[int]) -> None:
    print(f"{'claims':>8} {'events':>7} {'conflicts':>9} {'cpu s':>7} {'wall s':>7} {'peak MB':>8}")
    for size in sizes:
        claims, arts = _workload(events=max(1, size // 10), reports=2)
        # Timed without tracemalloc (it slows Python several times over), then measured with it.
        cpu, wall = time.process_time(), time.perf_counter()
        result = reconcile(claims, arts)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        tracemalloc.start()
        reconcile(claims, arts)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(
            f"{len(claims):>8} {len(result.events):>7} {len(result.conflicts):>9} "
            f"{cpu:>7.2f} {wall:>7.2f} {peak:>8.1f}"
        )


def _fill(db: Path | str, size: int) -> int:
    """A store holding the workload's articles and claims, written as `claimdiff import` would.
    `db` is a SQLite file or a postgresql:// URL (benchmarks/serve_load.py fills either)."""
    from extractor.store import Store

    claims, arts = _workload(events=max(1, size // 10), reports=2)
    store = Store(db)
    if store.dialect == "sqlite":  # setup only: the measured command opens its own connection
        store.db.execute("PRAGMA synchronous=OFF")
    for a in arts:
        store.add_article(a)
    by_article: dict[str, list] = {}
    for c in claims:
        by_article.setdefault(c.article_id, []).append(c)
    for article_id, cs in by_article.items():
        store.save_claims(article_id, "import:bench", None, cs, model="import", prompt="import:bench")
    store.close()
    return len(claims)


def _steps(db: Path) -> tuple[dict[str, tuple[float, float]], int, int]:
    from extractor.store import Store

    times: dict[str, tuple[float, float]] = {}
    store = Store(db)

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        cpu, wall = time.process_time(), time.perf_counter()
        out = fn()
        times[name] = (time.process_time() - cpu, time.perf_counter() - wall)
        return out

    claims, arts = timed("load", lambda: (store.current_claims(), store.articles()))
    result = timed("reconcile", lambda: reconcile(claims, arts))
    timed("save", lambda: store.save_reconciliation(result.events, result.conflicts))
    store.close()
    return times, len(result.events), len(result.conflicts)


def _cli(db: Path | str) -> tuple[float, float, float]:
    exe = shutil.which("claimdiff", path=str(Path(sys.executable).parent)) or "claimdiff"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run([exe, "reconcile", "--db", str(db)], capture_output=True, text=True, timeout=1800)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"claimdiff reconcile failed:\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024  # the largest child so far: children run in growing size


def store_mode(sizes: list[int]) -> None:
    print("in-process steps of `claimdiff reconcile` (cpu s / wall s), then the command itself in a child")
    print(
        f"{'claims':>8} {'events':>7} {'conflicts':>9} {'load':>11} {'reconcile':>11} {'save':>11} "
        f"{'total cpu':>9} | {'cli wall':>8} {'cli cpu':>7} {'cli RSS MB':>10}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            db = Path(tmp) / f"r{size}.db"
            n = _fill(db, size)
            times, events, conflicts = _steps(db)
            cli_wall, cli_cpu, rss = _cli(db)
            cells = " ".join(f"{c:>5.2f}/{w:<5.2f}" for c, w in times.values())
            total = sum(c for c, _ in times.values())
            print(
                f"{n:>8} {events:>7} {conflicts:>9} {cells} {total:>9.2f} | {cli_wall:>8.2f} {cli_cpu:>7.2f} "
                f"{rss:>10.1f}"
            )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000, 100_000])
    p.add_argument("--store", action="store_true", help="time the whole `claimdiff reconcile` on SQLite")
    args = p.parse_args()
    (store_mode if args.store else function_mode)(args.sizes)


if __name__ == "__main__":
    main()
