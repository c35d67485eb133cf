"""Republished copies in the reconciler's result: events say who republished their reports, and a
conflict that sets an edited copy against its original says so."""

from __future__ import annotations

from pathlib import PurePath

from extractor.reconcile.detectors import article_label
from extractor.reconcile.result import ReconcileResult
from extractor.records import Article, CopyRelation


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
