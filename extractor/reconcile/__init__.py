"""The reconciler: resolves claims from many articles into events and flags where accounts disagree.

Pure code over records: no model, no database, no I/O. A `StatementComparer` (backed by a recorded
LLM prompt elsewhere) may be passed to judge pairs of official statements; without one every
decision is deterministic.

    result = reconcile(claims, articles)
    result.conflicts            # S1..S5-style findings, each with sides and a plain explanation
    timeline_for(result, ["Donald Trump", "Vladimir Putin"])
"""

from __future__ import annotations

from extractor.perf import without_cyclic_gc
from extractor.reconcile.anchors import anchored, placed_weeks, redate, redate_in_week, redate_offsets
from extractor.reconcile.copies import mark_copies, own_claims
from extractor.reconcile.detectors import DetectorContext, run_detectors
from extractor.reconcile.resolve import resolve
from extractor.reconcile.result import (
    QUESTIONS,
    Aspect,
    Comparison,
    PairJudgement,
    Placement,
    PlacementMethod,
    ReconcileResult,
    StatementComparer,
    Timeline,
    TimelineEntry,
    Verdict,
)
from extractor.reconcile.timeline import TimelineIndex, build_timelines, timeline_for
from extractor.records import Article, Claim, CopyRelation, Event

__all__ = [
    "QUESTIONS",
    "Aspect",
    "Comparison",
    "PairJudgement",
    "Placement",
    "PlacementMethod",
    "ReconcileResult",
    "StatementComparer",
    "Timeline",
    "TimelineEntry",
    "Verdict",
    "reconcile",
    "timeline_for",
]


def reconcile(
    claims: list[Claim],
    articles: list[Article],
    *,
    comparer: StatementComparer | None = None,
    copies: dict[str, CopyRelation] | None = None,
) -> ReconcileResult:
    """`copies` (copy id -> relation): a republished copy is not a second source. Its claims carried
    over from the original are left out (the original speaks for them), so they are never another
    side or a corroboration; what an edited copy says differently is compared like any report, and
    its conflicts say that it is an edited copy."""
    with without_cyclic_gc():
        copies = copies or {}
        kept = [c for c in claims if c.article_id not in copies] + own_claims(claims, copies, articles)
        result = _reconcile(kept, articles, comparer)
        return mark_copies(result, copies, {a.id: a for a in articles}) if copies else result


def _reconcile(
    claims: list[Claim], articles: list[Article], comparer: StatementComparer | None
) -> ReconcileResult:
    # an article without a publication date is read against the date its page or address gives
    articles = anchored(articles)
    by_id = {a.id: a for a in articles}
    claims = redate_offsets(redate(claims, by_id))
    resolution = resolve(claims, articles)
    # an undated article whose "on Tuesday" account was linked to a Tuesday event is of that week:
    # its other relative days are read in it, and the accounts resolved again
    weeks = placed_weeks(claims, by_id, resolution.weekday_links)
    if weeks:
        claims = redate_in_week(claims, weeks)
        resolution = resolve(claims, articles)
    index: TimelineIndex[Event] = TimelineIndex(resolution.events)
    ctx = DetectorContext(
        events={e.id: e for e in resolution.events},
        claims_by_event=resolution.claims_by_event,
        series_claims=resolution.series_claims,
        placements={p.claim_id: p for p in resolution.placements},
        articles={a.id: a for a in articles},
        timeline=index,
        comparer=comparer,
    )
    conflicts = run_detectors(ctx)
    return ReconcileResult(
        events=resolution.events,
        conflicts=conflicts,
        placements=resolution.placements,
        timelines=build_timelines(index),
        comparisons=ctx.judgements,
    )
