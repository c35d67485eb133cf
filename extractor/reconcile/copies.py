"""Republished copies in the reconciler's result: events say who republished their reports, and a
conflict that sets an edited copy against its original says so."""

from __future__ import annotations

from pathlib import PurePath

from extractor.reconcile.detectors import article_label
from extractor.reconcile.result import ReconcileResult
from extractor.records import CARRIED, Article, Claim, CopyRelation
from extractor.textnorm import normalise_for_match


def own_claims(claims: list[Claim], copies: dict[str, CopyRelation], articles: list[Article]) -> list[Claim]:
    """The claims of copies that are their own: only an edited copy has any, and only where its text
    differs from the original's at the claim. Claims carried over, or extracted from a copy before it
    was known to be one, on words the original has, are the original's, not a second source."""
    wanted = {r.original_id for r in copies.values() if r.edited}
    texts = {a.id: " ".join(normalise_for_match(a.text).lower().split()) for a in articles if a.id in wanted}
    out = []
    for c in claims:
        r = copies.get(c.article_id)
        if r is None or not r.edited or c.origin.source == CARRIED:
            continue
        quote = " ".join(normalise_for_match(c.evidence.quote).lower().split())
        if quote and quote not in texts.get(r.original_id, ""):
            out.append(c)
    return out


def mark_copies(
    result: ReconcileResult, copies: dict[str, CopyRelation], articles: dict[str, Article]
) -> ReconcileResult:
    by_original: dict[str, list[str]] = {}
    for r in copies.values():
        by_original.setdefault(r.original_id, []).append(r.article_id)
    events = []
    for e in result.events:
        republished = sorted({c for a in e.article_ids for c in by_original.get(a, [])} - set(e.article_ids))
        events.append(e.model_copy(update={"republished_by": republished}) if republished else e)
    conflicts = []
    for c in result.conflicts:
        arts = {s.article_id for s in c.sides}
        notes = [
            f"{_label(articles, r.article_id)} is an edited copy of {_label(articles, r.original_id)}"
            for r in copies.values()
            if r.article_id in arts and r.original_id in arts
        ]
        conflicts.append(
            c.model_copy(update={"explanation": f"{c.explanation} (edited copy: {'; '.join(notes)})"})
            if notes
            else c
        )
    return result.model_copy(update={"events": events, "conflicts": conflicts})


def _label(articles: dict[str, Article], article_id: str) -> str:
    art = articles.get(article_id)
    return article_label(art, article_id) if art is not None else PurePath(article_id).name
