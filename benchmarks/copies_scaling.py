"""Finding republished copies among many articles: time and memory at growing sizes.

    python benchmarks/copies_scaling.py [1000 10000 100000]

Synthetic articles (never stored, never sent anywhere): 250 to 400 words drawn from a 20,000-word
vocabulary; 3% are copies of an earlier article with a header, tags and a footer added, one in ten
of those with one sentence changed (edited); 1% are different reports that share a quoted readout
of 60 words. Each article goes through `CopyIndex.check` as `find_copies` does: its MinHash
signature, the LSH lookup among the articles before it, and the exact check of every candidate.
Printed per size: articles, copies planted, copies found, false copies, CPU and wall seconds,
microseconds an article, tracemalloc's peak, and "reindex": what every later run does first, the
stored signatures decoded into a new LSH index.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractor.copies.find import CopyIndex
from extractor.records import Article

VOCABULARY = 20_000
HEADER = "WORLD | Diplomacy\nPosted by Newsdesk, 3 min read\n\n"
FOOTER = "\n\nTags: politics, world\nShare this story. Subscribe to our newsletter.\n"


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    return " ".join(rng.choices(words, k=n)).capitalize() + "."


def workload(size: int, seed: int = 7) -> tuple[list[Article], set[tuple[int, int]]]:
    """Articles in the order they arrive, and the (copy index, original index) pairs planted."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(VOCABULARY)]
    texts: list[str] = []
    planted: set[tuple[int, int]] = set()
    readout = " ".join(_sentence(rng, words, 12) for _ in range(5))
    for i in range(size):
        roll = rng.random()
        if i > 10 and roll < 0.03:
            j = rng.randrange(i)
            while any(c == j for c, _ in planted):  # copies of originals only
                j = rng.randrange(i)
            body = texts[j]
            if rng.random() < 0.1:  # one copy in ten is edited
                sentences = body.split(". ")
                sentences[len(sentences) // 2] = _sentence(rng, words, 14).rstrip(".")
                body = ". ".join(sentences)
            texts.append(HEADER + body + FOOTER)
            planted.add((i, j))
        elif roll < 0.04:
            own = [_sentence(rng, words, 14) for _ in range(18)]
            texts.append(" ".join(own[:9]) + ' "' + readout + '" ' + " ".join(own[9:]))
        else:
            n = rng.randint(250, 400)
            texts.append(" ".join(_sentence(rng, words, 14) for _ in range(n // 14)))
    return [Article.from_text(t, f"synthetic-{i}.txt") for i, t in enumerate(texts)], planted


def measure(size: int) -> dict[str, float]:
    articles, planted = workload(size)
    position: dict[str, int] = {}
    for i, a in enumerate(articles):
        position.setdefault(a.id, i)  # the same text twice is one article, first seen
    by_id = {a.id: a for a in articles}
    index = CopyIndex(by_id.get)
    found: set[tuple[int, int]] = set()
    signatures: dict[str, str] = {}
    # timed without tracemalloc (it slows Python several times over), then measured with it
    cpu, wall = time.process_time(), time.perf_counter()
    for a in articles:
        signatures[a.id], relations = index.check(a)
        for r in relations:
            found.add((position[r.article_id], position[r.original_id]))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    # what every later run does first: the stored signatures decoded into a new index
    rebuild = time.process_time()
    fresh = CopyIndex(by_id.get)
    for aid, data in signatures.items():
        fresh.add_signature(aid, data)
    rebuild = time.process_time() - rebuild
    again = CopyIndex(by_id.get)
    tracemalloc.start()
    for a in articles:
        again.check(a)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # the same text planted twice is one article; a copy found against another copy of its original
    # (find_copies then follows it to the original) is found, not false
    ids = [a.id for a in articles]
    first_of = {}
    for i, aid in enumerate(ids):
        first_of.setdefault(aid, i)
    truth = {(first_of[ids[c]], o) for c, o in planted}
    original_of = dict(truth)
    resolved = {(c, original_of.get(o, o)) for c, o in found}
    return {
        "articles": size,
        "planted": len(truth),
        "found": len(resolved & truth),
        "false": len(resolved - truth),
        "cpu": cpu,
        "wall": wall,
        "us_per_article": 1e6 * cpu / size,
        "rebuild": rebuild,
        "peak_mb": peak / 1e6,
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000, 100_000])
    args = p.parse_args(argv)
    head = ("articles", "planted", "found", "false", "cpu s", "wall s", "us/art", "peak MB", "reindex s")
    print("{:>9} {:>8} {:>6} {:>6} {:>8} {:>8} {:>7} {:>8} {:>9}".format(*head))
    for size in args.sizes:
        m = measure(size)
        print(
            f"{m['articles']:>9} {m['planted']:>8} {m['found']:>6} {m['false']:>6} {m['cpu']:>8.2f} "
            f"{m['wall']:>8.2f} {m['us_per_article']:>7.0f} {m['peak_mb']:>8.1f} {m['rebuild']:>9.2f}"
        )


if __name__ == "__main__":
    main()
