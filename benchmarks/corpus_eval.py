"""The reconciler on an annotated corpus, item by item: found or missed (and why), and false alarms.

    python benchmarks/corpus_eval.py                       # from the corpus's gold claims
    python benchmarks/corpus_eval.py --db corpus.db        # from the claims stored in a database
    python benchmarks/corpus_eval.py --corpus seeds --gold fixtures/gold

The first form needs no model: it reconciles the hand-made claims, so every miss is the
reconciler's. The second reconciles the claims a model extracted (`claimdiff run
fixtures/corpus/articles --db corpus.db` replays the recorded answers), so misses are the model's or
the reconciler's. Recall is over the high- and medium-severity discrepancies; a false alarm is a high
or medium conflict that matches no annotated discrepancy, or any conflict matching a look-alike.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extractor.evaluate.discrepancies import DiscrepancyReport, evaluate_discrepancies
from extractor.evaluate.gold import load_gold
from extractor.ingest import iter_paths, read_article
from extractor.reconcile import reconcile
from extractor.records import Article, Claim, CopyRelation

ROOT = Path(__file__).resolve().parent.parent


def _articles(folder: Path) -> list[Article]:
    return [read_article(p) for p in iter_paths([str(folder)])]


def _claims_from_db(
    db: str, articles: list[Article]
) -> tuple[list[Claim], list[Article], dict[str, CopyRelation]]:
    from extractor.store import Store

    store = Store(db, create=False)
    stored = store.articles()
    return store.current_claims(), stored or articles, store.copies()


def print_report(rep: DiscrepancyReport, title: str) -> None:
    print(f"## {title}\n")
    print("| item | kind | severity | result | why (for a miss) |")
    print("|---|---|---|---|---|")
    for o in rep.outcomes:
        result = "found" if o.found else "MISSED"
        why = rep.why_missed.get(o.item.id, "")
        print(f"| {o.item.id} | {o.item.kind.value} | {o.item.severity.value} | {result} | {why} |")
    serious = rep.serious
    found = sum(o.found for o in serious)
    print(
        f"\nHigh and medium: {found} of {len(serious)} found (recall {rep.recall:.0%}); "
        f"low: {sum(o.found for o in rep.outcomes if o not in serious)} "
        f"of {len(rep.outcomes) - len(serious)}."
    )
    print(
        f"False alarms: {rep.false_alarms} over {rep.reports} reports "
        f"({rep.false_alarms_per_10:.2f} per 10 reports)."
    )
    for item, c in rep.look_alikes_flagged:
        print(f"- look-alike {item.id} flagged: {c.kind.value}/{c.severity.value}: {c.explanation[:200]}")
    for c in rep.unexpected:
        print(f"- unannotated {c.kind.value}/{c.severity.value}: {c.explanation[:200]}")
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT / "fixtures" / "corpus" / "articles"))
    ap.add_argument("--gold", default=str(ROOT / "fixtures" / "corpus" / "gold"))
    ap.add_argument("--db", help="reconcile the claims stored in this database instead of the gold claims")
    args = ap.parse_args(argv)
    articles = _articles(Path(args.corpus))
    gold = load_gold(Path(args.gold), articles)
    copies: dict[str, CopyRelation] = {}
    if args.db:
        claims, articles, copies = _claims_from_db(args.db, articles)
        gold = load_gold(Path(args.gold), articles)
        title = f"From the claims in {Path(args.db).name}"
    else:
        claims = gold.claims
        title = "From the gold claims"
    result = reconcile(claims, articles, copies=copies)
    rep = evaluate_discrepancies(gold, claims, result, reports=len(gold.article_ids))
    print_report(rep, f"{title}: {len(articles)} reports, {len(claims)} claims, {len(result.events)} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
