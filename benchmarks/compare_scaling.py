"""How many comparisons the statement comparer asks as the store grows: linear in events.

    python benchmarks/compare_scaling.py [100 1000 10000]

Synthetic events (never stored or sent anywhere), each reported by four articles from two official
sides, each article with three statements on what was agreed and one on who initiated the call: 16
claims an event that could be paired in 120 ways. A counting comparer (no model) answers "same";
the figure is how many pairs the reconciler asks, in all and per event, against the budget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractor.reconcile import reconcile
from extractor.reconcile.detectors.statements import PAIR_BUDGET
from extractor.reconcile.result import Aspect, Comparison, Verdict
from extractor.records import Claim, ClaimKind
from tests.claim_factory import article, claim, day, official

SIDES = ("Kremlin", "White House")


class Counting:
    def __init__(self) -> None:
        self.asked = 0

    def compare(self, a: Claim, b: Claim, aspect: Aspect) -> Comparison:
        self.asked += 1
        return Comparison(verdict=Verdict.SAME)


def workload(events: int) -> tuple[list[Claim], list]:  # type: ignore[type-arg]
    claims, arts = [], []
    for e in range(events):
        when = dt.date(2023, 1, 1) + dt.timedelta(days=e % 900)
        pair = (f"Leader {e % 37} A", f"Leader {e % 41} B")
        date = day(when.year, when.month, when.day)
        for r in range(4):
            side = SIDES[r % 2]
            lines = [
                f"The two sides agreed to resume talks on trade in round {e}-{r}.",
                f"They agreed on a prisoner exchange, report {e}-{r} said.",
                f"Both agreed to meet again soon, according to report {e}-{r}.",
                f"The call was held at the initiative of the other side, report {e}-{r} said.",
            ]
            art = article(f"s{e}-{r}", text=" ".join(lines))
            arts.append(art)
            for i, line in enumerate(lines):
                kind = ClaimKind.INITIATOR if i == 3 else ClaimKind.STATEMENT
                claims.append(claim(art, kind, line[:-1], participants=pair, date=date, **official(side)))
    return claims, arts


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10000])
    args = p.parse_args()
    print(f"{'events':>7} {'claims':>7} {'pairs asked':>11} {'per event':>9} {'budget':>6} {'cpu s':>6}")
    for n in args.sizes:
        claims, arts = workload(n)
        counting = Counting()
        cpu = time.process_time()
        result = reconcile(claims, arts, comparer=counting)
        cpu = time.process_time() - cpu
        events = len({j.event_id for j in result.comparisons})
        print(
            f"{events:>7} {len(claims):>7} {counting.asked:>11} {counting.asked / max(events, 1):>9.2f} "
            f"{PAIR_BUDGET:>6} {cpu:>6.2f}"
        )


if __name__ == "__main__":
    main()
