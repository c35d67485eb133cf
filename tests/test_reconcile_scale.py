"""The reconciler stays bounded in output on large inputs: claims are indexed by event, never paired.

Timings are measured by benchmarks/reconcile_scaling.py, not asserted here.
"""

from __future__ import annotations

import datetime as dt
import gc
import random

from extractor.reconcile import reconcile
from extractor.records import Article, Claim, ClaimKind, DurationQualifier
from tests.claim_factory import article, claim, day, duration, official

TOPICS = [
    "war in Ukraine",
    "energy cooperation",
    "Middle East escalation",
    "trade deal",
    "arms control",
    "sanctions",
]


def _workload(events: int, reports: int, one_article: bool = False) -> tuple[list[Claim], list[Article]]:
    rng = random.Random(5)
    people = [f"Leader {i}" for i in range(40)]
    big = article("big", text="one long article")
    arts: list[Article] = []
    claims: list[Claim] = []
    for e in range(events):
        pair = tuple(rng.sample(people, 2))
        d = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(900))
        for r in range(reports):
            a = big if one_article else article(f"w{e}-{r}", text=f"report {e} {r}")
            arts.append(a)
            when = day(d.year, d.month, d.day)
            claims.append(claim(a, ClaimKind.EVENT, f"call {e} {r}", participants=pair, date=when))
            for t in rng.sample(TOPICS, 2):
                claims.append(
                    claim(a, ClaimKind.TOPIC_DISCUSSED, f"{t} {e} {r}", participants=pair, date=when, topic=t)
                )
            claims.append(
                claim(a, ClaimKind.STATEMENT, f"said {e} {r}", participants=pair, **official("Kremlin"))
            )
            claims.append(
                claim(
                    a,
                    ClaimKind.DURATION,
                    f"lasted {e} {r}",
                    participants=pair,
                    date=when,
                    value=duration("about an hour", 48, 72, DurationQualifier.ABOUT),
                )
            )
    return claims, list({a.id: a for a in arts}.values())


def test_many_claims_are_all_placed() -> None:
    # How fast this is lives in benchmarks/, not in a timed test.
    claims, arts = _workload(events=500, reports=2)
    result = reconcile(claims, arts)
    assert len(result.placements) == len(claims)


def test_a_hot_event_gives_a_bounded_number_of_conflicts() -> None:
    claims, arts = _workload(events=2, reports=300)
    result = reconcile(claims, arts)
    assert len(result.conflicts) <= 2 * (len(TOPICS) + 2)
    assert all(len(c.sides) <= 40 for c in result.conflicts)


def test_the_cyclic_collector_is_restored() -> None:
    claims, arts = _workload(events=3, reports=1)
    assert gc.isenabled()
    reconcile(claims, arts)
    assert gc.isenabled()
    gc.disable()
    try:
        reconcile(claims, arts)
        assert not gc.isenabled()
    finally:
        gc.enable()
