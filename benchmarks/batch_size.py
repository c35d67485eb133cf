"""How many sentences a labelling call should carry: recall, tokens and model seconds by batch size.

    python benchmarks/batch_size.py                                   # the default size, fixtures/
    python benchmarks/batch_size.py 4=/tmp/rec4 8=fixtures/cassettes 16=/tmp/rec16

Each `SIZE=DIR` names recordings of `claimdiff record seeds/ --batch-size SIZE --recordings DIR` (and
of the corpus, when DIR holds them) made from the same recording model. Every article is replayed
through today's pipeline (no model, no network), and the figures are:

- calls, prompt and completion tokens: the recorded servers' usage;
- model seconds: what `claimdiff record` measured per article (`recorded_with.seconds`);
- claims stored, prompt tokens per claim, and claim recall against the gold set (the same scorer as
  `claimdiff eval`).

An article with no recording in a DIR is reported as missing, and left out of that size's figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETS = {
    "seeds": (ROOT / "seeds", ROOT / "fixtures" / "gold"),
    "corpus": (ROOT / "fixtures" / "corpus" / "articles", ROOT / "fixtures" / "corpus" / "gold"),
}


def measure(size: int, recordings: Path, folder: Path, gold_dir: Path) -> dict[str, float] | None:
    from extractor.evaluate.gold import load_gold
    from extractor.evaluate.report import evaluate
    from extractor.extract.strategies import LabelledBatches
    from extractor.ingest import iter_paths, read_article
    from extractor.providers import recordings as rec
    from extractor.providers.config import ProviderConfig
    from extractor.reconcile import reconcile
    from extractor.store import Store
    from extractor.wiring import REPLAY_BASE_URL, make_extractor

    strategy = LabelledBatches(size=size)
    articles = [read_article(p) for p in iter_paths([str(folder)])]
    present = [a for a in articles if rec.cassette_path(recordings, strategy.prompt.name, a.id).is_file()]
    if not present:
        return None
    meta = rec.recorded_with(recordings, strategy.prompt.name)
    config = ProviderConfig(base_url=REPLAY_BASE_URL, model=meta.get("model", "unknown"), transport_retries=0)
    seconds = sum(
        float(
            rec.read_metadata(rec.cassette_path(recordings, strategy.prompt.name, a.id)).get("seconds") or 0
        )
        for a in present
    )
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "replay.db")
        for a in articles:
            store.add_article(a)
        opts = {"strategy": "batches", "batch_size": size, "recordings_dir": recordings}
        outcomes = make_extractor(store, config, "replay", opts).run(present)
        claims = store.current_claims()
        gold = load_gold(gold_dir, present)
        result = reconcile(claims, store.articles(), copies=store.copies())
        report = evaluate(gold, claims, result.conflicts, result.events)
        store.close()
    total = report.claims_by_kind["all"]
    stored = sum(o.claims for o in outcomes)
    prompt = sum(o.prompt_tokens for o in outcomes)
    return {
        "articles": len(present),
        "missing": len(articles) - len(present),
        "failed": sum(o.status == "failed" for o in outcomes),
        "calls": sum(o.calls for o in outcomes),
        "prompt": prompt,
        "completion": sum(o.completion_tokens for o in outcomes),
        "seconds": seconds,
        "claims": stored,
        "per_claim": prompt / stored if stored else 0.0,
        "recall": total.recall or 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", default=[f"8={ROOT / 'fixtures' / 'cassettes'}"], help="SIZE=DIR")
    args = ap.parse_args(argv)
    print(
        f"{'set':<7} {'size':>4} {'articles':>8} {'calls':>5} {'prompt':>8} {'compl':>6} {'model s':>8} "
        f"{'s/article':>9} {'claims':>6} {'prompt/claim':>12} {'recall':>6}"
    )
    for item in args.sizes:
        size_text, _, folder = item.partition("=")
        if not size_text.isdigit() or not folder or not Path(folder).is_dir():
            print(
                f"error: {item!r}: expected SIZE=DIR with an existing folder of recordings", file=sys.stderr
            )
            return 2
        for name, (articles, gold) in SETS.items():
            m = measure(int(size_text), Path(folder), articles, gold)
            if m is None:
                continue
            note = f"  ({m['missing']:.0f} without a recording)" if m["missing"] else ""
            note += f"  ({m['failed']:.0f} failed)" if m["failed"] else ""
            print(
                f"{name:<7} {size_text:>4} {m['articles']:>8.0f} {m['calls']:>5.0f} {m['prompt']:>8,.0f} "
                f"{m['completion']:>6,.0f} {m['seconds']:>8,.0f} {m['seconds'] / m['articles']:>9.1f} "
                f"{m['claims']:>6.0f} {m['per_claim']:>12.1f} {m['recall']:>6.3f}{note}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
