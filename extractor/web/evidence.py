"""What the review page needs beyond the shared views: each side's whole article with its quote marked,
and conflict lists that tolerate conflicts on undated events."""

from __future__ import annotations

from collections.abc import Iterable

from extractor.grounding import ground
from extractor.records import ConflictSide
from extractor.review.view import (
    SEVERITY_ORDER,
    ConflictView,
    Segment,
    conflict_view,
    conflict_views,
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
    out: list[list[Segment] | None] = []
    for side, shown in zip(conflict.sides, view.sides, strict=False):
        article = store.article(side.article_id)
        where = _locate(side, article.text) if article is not None else None
        if article is None or where is None:
            out.append(None)
            continue
        start, end = where
        text = article.text
        middle = [s for s in segments_for(text, start, end, shown.value_text) if s.role != "context"]
        before, after = Segment(text=text[:start], role="context"), Segment(text=text[end:], role="context")
        parts = [before, *middle, after]
        out.append([p for p in parts if p.text])
    return out


def matching_views(
    store: Store,
    *,
    severity: Iterable[str] = (),
    kind: Iterable[str] = (),
    status: Iterable[str] = (),
    event: str | None = None,
) -> list[ConflictView]:
    """`conflict_views`, most severe first.

    Stopgap: view.conflict_views sorts by event date and fails (TypeError) when two conflicts of one
    severity and kind are about a dated and an undated event; then the views are built one by one and
    sorted with undated events last. Remove once the sort key in view.py reads `v.event.date or ""`.
    """
    severity, kind, status = set(severity), set(kind), set(status)
    try:
        return conflict_views(store, severity=severity, kind=kind, status=status, event=event)
    except TypeError:
        pass
    views = []
    for c in store.conflicts():
        if (severity and c.severity.value not in severity) or (kind and c.kind.value not in kind):
            continue
        if event and c.event_id != event:
            continue
        v = conflict_view(store, c.id)
        if status and v.status.value not in status:
            continue
        views.append(v)
    return sorted(
        views,
        key=lambda v: (SEVERITY_ORDER[v.severity], v.kind, (v.event.date or "") if v.event else "", v.id),
    )
