"""What the review page needs beyond the shared views: each side's whole article with its quote marked,
and conflict lists that tolerate conflicts on undated events."""

from __future__ import annotations

from extractor.grounding import ground
from extractor.records import ConflictSide
from extractor.review.view import (
    ConflictView,
    Segment,
    segments_for,
)
from extractor.store import Store


def _locate(side: ConflictSide, text: str) -> tuple[int, int] | None:
    if side.start is not None and side.end is not None and text[side.start : side.end] == side.quote:
        return side.start, side.end
    found = ground(side.quote, text, hint=side.start)
    return (found.start, found.end) if found.start is not None and found.end is not None else None


def full_texts(store: Store, view: ConflictView) -> list[list[Segment] | None]:
    """Per side of `view`: the whole stored article as segments, the quote (and its key words) marked;
    None when the article is not stored or the quote is not found in it."""
    conflict = store.conflict(view.id)
    articles = store.articles_by_id(s.article_id for s in conflict.sides)
    out: list[list[Segment] | None] = []
    for side, shown in zip(conflict.sides, view.sides, strict=False):
        article = articles.get(side.article_id)
        where = _locate(side, article.text) if article is not None else None
        if article is None or where is None:
            out.append(None)
            continue
        start, end = where
        text = article.text
        marks = shown.highlights or shown.value_text
        middle = [s for s in segments_for(text, start, end, marks) if s.role != "context"]
        before, after = Segment(text=text[:start], role="context"), Segment(text=text[end:], role="context")
        parts = [before, *middle, after]
        out.append([p for p in parts if p.text])
    return out
