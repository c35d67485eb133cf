"""Who speaks and who took part, from the claims in a database, against a gold set.

    python benchmarks/voices_eval.py --db seeds.db                       # the seeds, fixtures/gold
    python benchmarks/voices_eval.py --db corpus.db --corpus fixtures/corpus/articles \
        --gold fixtures/corpus/gold
    python benchmarks/voices_eval.py --db corpus.db ... --show           # every miss, one a line

Prints the share of gold claims with an official speaker whose overlapping model claims carry the
gold side, the gold claims in the outlet's voice that the model credits to an official side, and the
share of the reconciler's events (from the model's claims) whose participants are exactly a set the
gold gives. How each is counted: `extractor/evaluate/voices.py`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extractor.evaluate.gold import load_gold
from extractor.evaluate.voices import score_participants, score_sides
from extractor.reconcile import reconcile

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a database holding the model's claims (never created)")
    ap.add_argument("--gold", default=str(ROOT / "fixtures" / "gold"))
    ap.add_argument("--show", action="store_true", help="list every wrong side and every wrong event")
    args = ap.parse_args(argv)
    if not Path(args.db).is_file():
        print(f"error: {args.db}: no such database", file=sys.stderr)
        return 2
    from extractor.store import Store

    store = Store(args.db, create=False)
    articles, claims = store.articles(), store.current_claims()
    gold = load_gold(Path(args.gold), articles)
    run = [c for c in claims if c.article_id in gold.article_ids]
    sides = score_sides(run, gold.claims)
    result = reconcile(claims, articles, copies=store.copies())
    people = score_participants(result.events, run, gold.claims)
    share = f"{sides.official_share:.1%}" if sides.official_share is not None else "—"
    print(f"{Path(args.db).name}: {len(gold.article_ids)} annotated reports, {len(run)} model claims")
    print(
        f"official side right: {sides.official_right} of {sides.official} covered gold claims with an "
        f"official speaker ({share}); {sides.official_uncovered} such gold claims no model claim covers"
    )
    print(
        f"outlet's voice credited to an official side: {sides.outlet_credited_official} of {sides.outlet} "
        "covered gold claims in the outlet's voice"
    )
    ps = f"{people.share:.1%}" if people.share is not None else "—"
    print(
        f"events with exactly the gold participants: {people.right} of {people.judged} judged ({ps}); "
        f"{people.unjudged} events overlap no gold claim with participants"
    )
    if args.show:
        names = gold.names
        for g, got in sides.wrong:
            print(
                f"- side {g.attribution.side!r} read as {got}: {names.get(g.article_id, g.article_id)}: "
                f"{g.evidence.quote[:100]!r}"
            )
        for e, sets in people.wrong:
            print(f"- event {e.participants} {e.date} ({len(e.claim_ids)} claims): gold {sets}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
