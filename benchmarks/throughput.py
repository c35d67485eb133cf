"""Extraction throughput against a FAKE OpenAI-compatible server with a fixed latency per request.

    python benchmarks/throughput.py                      # 500 articles at concurrency 1, 8 and 32
    python benchmarks/throughput.py --latency 0.3 --articles 500 --concurrency 1 8 32 --memory 100 250 500

What runs: benchmarks/fake_server.py in its own process on 127.0.0.1 (named FAKE: no model, made-up
answers, a real `time.sleep(latency)` per request, never recorded), and claimdiff's real pipeline
(`Extractor` in live mode, default `sentences` strategy, `LLMClient` → instructor → openai → HTTP)
in a fresh child process per measurement, each with a new SQLite database. The synthetic articles
have exactly one candidate sentence each, so one article is one model call; the calls are counted at
the FAKE server, and the ideal wall time is calls × latency ÷ concurrency.

Figures: wall time against that ideal (and against whole waves of `concurrency` calls), CPU seconds
per article in the claimdiff process (everything but the model: prompt building, HTTP client,
instructor, grounding, normalisation, SQLite), peak RSS of the child, the Python heap's peak
(tracemalloc, a separate run because it slows Python down) at several article counts, and a second
run over the same articles and database, which must make zero model calls. The machine is shared,
so wall times are noisy; CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAIRS = [
    ("Donald Trump", "Vladimir Putin"),
    ("Emmanuel Macron", "Vladimir Putin"),
    ("Donald Trump", "Emmanuel Macron"),
]
FILLER = [
    "The weather in the capital was mild.",
    "Officials gave few details.",
    "Markets were quiet in early trading.",
    "Analysts expect little change.",
    "Diplomats remain cautious about progress.",
    "The region has seen tension for years.",
    "Several ministers were present in the building.",
    "Reporters waited outside the residence.",
    "The statement was brief and formal.",
    "Neither side gave a timetable for the next steps.",
    "Commentators were divided on its meaning.",
    "Security around the venue was tight.",
    "The embassy declined to comment further.",
    "Local newspapers carried the story on their front pages.",
]


def make_articles(n: int) -> list[Any]:
    """n distinct articles, each with exactly one sentence that claimdiff sends to the model."""
    import datetime as dt

    from extractor.records import Article

    out = []
    for i in range(n):
        rng = random.Random(i)
        a, b = PAIRS[i % len(PAIRS)]
        day = dt.date(2024, 1, 1) + dt.timedelta(days=i)
        event = f"{a} and {b} spoke by phone on {day:%B} {day.day}, {day.year}."
        filler = rng.sample(FILLER, 12)
        text = f"{filler[0]} {event} " + " ".join(filler[1:6]) + "\n\n" + " ".join(filler[6:]) + "\n"
        out.append(
            Article.from_text(
                text, f"synthetic/{i:04d}.txt", outlet="Synthetic Wire", published=day + dt.timedelta(days=1)
            )
        )
    return out


# -- child: one measured extraction run -------------------------------------------------------------


def child(args: argparse.Namespace) -> None:
    from extractor.extract.strategies import STRATEGIES
    from extractor.providers.config import ProviderConfig
    from extractor.store import Store
    from extractor.wiring import make_extractor

    articles = make_articles(args.articles)
    strategy = STRATEGIES[args.strategy]()
    candidates = sum(len(list(strategy.requests(a))) for a in articles)
    store = Store(args.db)
    for a in articles:
        store.add_article(a)
    config = ProviderConfig(
        base_url=f"http://127.0.0.1:{args.port}/v1",
        api_key="fake-key-for-the-FAKE-server",  # not a secret: the FAKE server ignores it
        model="FAKE",
        transport_retries=0,
        reasks=0,
    )
    extractor = make_extractor(store, config, "live", {"strategy": args.strategy})
    extractor.run_id = store.start_run("benchmark", "live", model="FAKE")
    if args.tracemalloc:
        tracemalloc.start()
    cpu, wall, began = time.process_time(), time.perf_counter(), time.time()
    concurrency = args.concurrency[0]
    outcomes = extractor.run(articles, concurrency=concurrency)
    cpu, wall, ended = time.process_time() - cpu, time.perf_counter() - wall, time.time()
    heap_peak = tracemalloc.get_traced_memory()[1] / 1e6 if args.tracemalloc else None
    statuses: dict[str, int] = {}
    for o in outcomes:
        statuses[o.status] = statuses.get(o.status, 0) + 1
    print(
        json.dumps(
            {
                "articles": len(articles),
                "candidate_sentences": candidates,
                "concurrency": concurrency,
                "wall": wall,
                "began": began,
                "ended": ended,
                "cpu": cpu,
                "claims": sum(o.claims for o in outcomes),
                "statuses": statuses,
                "errors": sorted({str(o.error)[:200] for o in outcomes if o.error})[:3],
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "heap_peak_mb": heap_peak,
            }
        )
    )


# -- parent: the FAKE server and the measurements ----------------------------------------------------


def fake_requests(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=10) as r:
        return int(json.loads(r.read())["requests"])


def run_child(port: int, db: Path, n: int, concurrency: int, strategy: str, trace: bool) -> dict[str, Any]:
    before = fake_requests(port)
    cmd = [sys.executable, __file__, "--child", "--port", str(port), "--db", str(db), "--articles", str(n)]
    cmd += ["--concurrency", str(concurrency), "--strategy", strategy] + (["--tracemalloc"] if trace else [])
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        raise SystemExit(f"child failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["fake_calls"] = fake_requests(port) - before
    return result


def run_children(
    port: int, db: Path, n: int, concurrency: int, processes: int, strategy: str
) -> dict[str, Any]:
    """`processes` children at once on one database, `concurrency // processes` threads each: they share
    the articles through the store's in-flight leases (as several `claimdiff extract` processes do)."""
    before = fake_requests(port)
    cmd = [sys.executable, __file__, "--child", "--port", str(port), "--db", str(db), "--articles", str(n)]
    cmd += ["--concurrency", str(concurrency // processes), "--strategy", strategy]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    outs = [p.communicate(timeout=1800) for p in procs]
    results = []
    for proc, (out, errs) in zip(procs, outs, strict=True):
        if proc.returncode != 0:
            raise SystemExit(f"child failed ({proc.returncode}):\n{errs[-3000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    statuses: dict[str, int] = {}
    for r in results:
        for k, v in r["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    return {
        # From the first child starting its run to the last finishing it (interpreter start, imports and
        # loading the articles excluded, as in the single-process figures).
        "wall": max(r["ended"] for r in results) - min(r["began"] for r in results),
        "cpu": sum(r["cpu"] for r in results),
        "maxrss_mb": max(r["maxrss_mb"] for r in results),
        "claims": sum(r["claims"] for r in results),
        "statuses": statuses,
        "fake_calls": fake_requests(port) - before,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--latency", type=float, default=0.3, help="seconds the FAKE server sleeps per request")
    p.add_argument("--articles", type=int, default=500)
    p.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    p.add_argument("--memory", type=int, nargs="*", default=[100, 250, 500], help="article counts")
    p.add_argument("--strategy", default="sentences", choices=["sentences", "single"])
    p.add_argument(
        "--processes",
        type=int,
        default=2,
        help="also run the highest concurrency split over this many processes",
    )
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    p.add_argument("--db", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(args)
        return

    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("fake_server.py")), "--latency", str(args.latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline().strip()
        port = int(line.rsplit(":", 1)[1])
        print(f"{line}; latency {args.latency * 1000:.0f} ms a request; claimdiff in a child process per run")
        print(f"machine: {os.cpu_count()} CPUs, shared with other work (wall times are noisy)\n")
        with tempfile.TemporaryDirectory() as tmp:
            measure(args, port, Path(tmp))
    finally:
        server.terminate()
        server.wait(timeout=10)


def measure(args: argparse.Namespace, port: int, tmp: Path) -> None:
    n, lat = args.articles, args.latency
    print(
        f"{'articles':>8} {'conc':>5} {'calls':>6} {'wall s':>7} {'ideal s':>7} {'waves s':>7} "
        f"{'vs ideal':>8} {'cpu ms/art':>10} {'peak RSS MB':>11} {'claims':>6}"
    )
    last_db = None
    for c in args.concurrency:
        db = tmp / f"c{c}.db"
        r = run_child(port, db, n, c, args.strategy, False)
        ideal = r["fake_calls"] * lat / c
        waves = math.ceil(r["fake_calls"] / c) * lat
        print(
            f"{n:>8} {c:>5} {r['fake_calls']:>6} {r['wall']:>7.2f} {ideal:>7.2f} {waves:>7.2f} "
            f"{(r['wall'] / ideal - 1) * 100:>+7.1f}% {r['cpu'] / n * 1000:>10.2f} "
            f"{r['maxrss_mb']:>11.1f} {r['claims']:>6}"
            + (f"  statuses {r['statuses']} {r['errors']}" if r["statuses"].get("done") != n else "")
        )
        last_db = db
    c = args.concurrency[-1]
    if args.processes > 1 and c >= args.processes:
        r = run_children(port, tmp / f"p{c}.db", n, c, args.processes, args.strategy)
        ideal = r["fake_calls"] * lat / c
        print(
            f"\nthe same {c} requests in flight from {args.processes} processes "
            f"({c // args.processes} threads each) "
            f"on one database, sharing the articles by lease\n"
            f"(wall: from the first run's start to the last one's end; CPU: both processes):\n"
            f"{n:>8} {c:>5} {r['fake_calls']:>6} {r['wall']:>7.2f} {ideal:>7.2f} "
            f"{math.ceil(r['fake_calls'] / c) * lat:>7.2f} {(r['wall'] / ideal - 1) * 100:>+7.1f}% "
            f"{r['cpu'] / n * 1000:>10.2f} {r['maxrss_mb']:>11.1f} {r['claims']:>6}  statuses {r['statuses']}"
        )
    if last_db is not None:
        again = run_child(port, last_db, n, args.concurrency[-1], args.strategy, False)
        print(
            f"\nsecond run over the same {n} articles and database: {again['fake_calls']} model calls at "
            f"the FAKE server, statuses {again['statuses']}, {again['wall']:.2f} s wall, "
            f"{again['cpu'] / n * 1000:.2f} ms CPU an article"
        )
    if args.memory:
        c = args.concurrency[-1]
        print(f"\nmemory against the number of articles (concurrency {c}; each a fresh process):")
        print(f"{'articles':>8} {'peak RSS MB':>11} {'heap peak MB':>12} {'wall s':>7} {'cpu ms/art':>10}")
        for m in args.memory:
            r = run_child(port, tmp / f"m{m}.db", m, c, args.strategy, False)
            t = run_child(port, tmp / f"t{m}.db", m, c, args.strategy, True)
            print(
                f"{m:>8} {r['maxrss_mb']:>11.1f} {t['heap_peak_mb']:>12.2f} {r['wall']:>7.2f} "
                f"{r['cpu'] / m * 1000:>10.2f}"
            )


if __name__ == "__main__":
    main()
