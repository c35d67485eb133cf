"""What a reviewer sees of a conflict: each side's quote inside its sentence, with who says it where.

Views are plain pydantic records built from the store; renderers (terminal, HTML, Markdown) only
lay them out. Article and model text stays data: renderers escape it, never interpret it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from extractor.grounding import ground, sentence_around
from extractor.reconcile.result import QUESTIONS, PairJudgement
from extractor.records import Article, Claim, ConflictSide, Decision, Event, ReviewStatus, Severity
from extractor.store import Store
from extractor.store.lookup import ConflictFilter, ConflictRow
from extractor.textnorm import find_phrase

SEVERITIES = [s.value for s in sorted(Severity, key=lambda s: s.rank)]  # most severe first
CONTEXT_CHARS = 320  # at most this much of the neighbouring sentence on each side


class Segment(BaseModel):
    """A run of article text: context around the quote, the quote, or the key phrase inside it."""

    text: str
    role: Literal["context", "quote", "key"]


class SideView(BaseModel):
    side: str
    speaker: str | None = None
    statement: str = ""
    claim_id: str
    claim_kind: str | None = None
    value_text: str | None = None
    article_id: str
    article_name: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    article_flags: list[str] = Field(default_factory=list)
    quote: str
    highlights: list[str] = Field(default_factory=list, description="the words that differ, when judged")
    located: bool = Field(description="the quote was found in the stored article text")
    segments: list[Segment]


class EventView(BaseModel):
    id: str
    date: str | None = None
    date_end: str | None = None
    channel: str
    participants: list[str]
    sources: list[str]
    republished_by: list[str] = Field(default_factory=list)


class ConflictView(BaseModel):
    id: str
    kind: str
    severity: str
    explanation: str
    summary: str = Field(default="", description="what is wrong, in one sentence: the explanation's first")
    detector: str
    event: EventView | None = None
    sides: list[SideView]
    status: ReviewStatus
    decision: Decision | None = None
    history: list[Decision] = Field(default_factory=list)
    version: int = Field(description="latest decision id (0: none); sent back with a decision")
    first_seen: str
    last_seen: str
    active: bool
    gone_reason: str | None = Field(
        default=None, description="why the latest reconcile no longer finds it (None while it does)"
    )
    superseded_by: str | None = None


class AccountLine(BaseModel):
    side: str
    speaker: str | None = None
    article_name: str
    kind: str
    value_text: str | None = None
    quote: str


class CandidateView(BaseModel):
    event_id: str
    date: str | None = None
    score: float
    basis: str
    sources: list[str]


class UnplacedView(BaseModel):
    """One article's account that fits no event, or several equally well, with its candidates."""

    event_id: str
    articles: list[str]
    participants: list[str]
    channel: str
    reason: str
    claims: int
    quotes: list[str]
    candidates: list[CandidateView]


class ComparedLine(BaseModel):
    """One pair of statements the comparer judged: what was checked, whatever it found."""

    aspect: str
    question: str
    verdict: str
    label: str = Field(description="'compared: consistent', 'compared: contradicts', ...")
    side_a: str
    quote_a: str
    side_b: str
    quote_b: str
    reason: str
    model: str
    conflict_id: str | None = None


class EventAccounts(BaseModel):
    """One event: its timeline entry and each side's account of it, side by side."""

    event: EventView
    accounts: dict[str, list[AccountLine]]
    conflict_ids: list[str]
    compared: list[ComparedLine] = Field(default_factory=list)


_LABELS = {
    "same": "compared: consistent",
    "unrelated": "compared: about different things",
    "adds_detail": "compared: worded differently",
    "contradicts": "compared: contradicts",
    "unjudged": "compared: unjudged (the model's answers failed the checks)",
    "skipped": "not compared",
}


def compared_lines(judgements: Iterable[PairJudgement]) -> list[ComparedLine]:
    return [
        ComparedLine(
            aspect=j.aspect.value,
            question=QUESTIONS[j.aspect],
            verdict=j.comparison.verdict.value,
            label=_LABELS[j.comparison.verdict.value],
            side_a=j.side_a,
            quote_a=j.quote_a,
            side_b=j.side_b,
            quote_b=j.quote_b,
            reason=j.comparison.reason,
            model=j.comparison.model,
            conflict_id=j.conflict_id,
        )
        for j in judgements
    ]


# A sentence ends at . ! or ? (perhaps closed by a quote or bracket) before a space and a capital,
# not at an initial or a title ("U.S. President", "Mr. Ushakov").
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)[.!?][)'\"’”]?(?=\s+[A-Z(“'\"])"
)


def first_sentence(text: str) -> str:
    """The first sentence of an explanation: what is wrong, for lists that show one line each."""
    m = _SENTENCE_END.search(text)
    return text[: m.end()] if m else text.strip()


def article_name(article: Article) -> str:
    return source_name(article.source)


def source_name(source: str) -> str:
    """How an article is named in views: its address, or its file's name."""
    return source if "://" in source else Path(source).name


def _value_text(claim: Claim | None, conflict_kind: str | None = None) -> str | None:
    """The words a side's claim turns on: its date for a date conflict, else its value."""
    if claim is None:
        return None
    date_text = claim.event.date.text if claim.event.date is not None else None
    if conflict_kind == "date" and date_text:
        return date_text
    if claim.value is not None:
        return claim.value.text
    return date_text


def key_spans(quote: str, keys: Iterable[str]) -> list[tuple[int, int]]:
    """Where each key phrase is in the quote (first occurrence, case and quote marks aside), in order,
    without overlaps; a key not found is left out (nothing is highlighted that is not there)."""
    spans: list[tuple[int, int]] = []
    for key in keys:
        found = find_phrase(key.strip(), quote)
        if found and all(found.end() <= a or found.start() >= b for a, b in spans):
            spans.append((found.start(), found.end()))
    return sorted(spans)


def segments_for(text: str, start: int, end: int, key: str | list[str] | None) -> list[Segment]:
    """Context sentence(s) around text[start:end], the quote, and the key phrase(s) highlighted inside it."""
    lo, hi = sentence_around(text, start, end)
    before_lo, _ = sentence_around(text, max(lo - 2, 0), max(lo - 1, 0)) if lo > 0 else (lo, lo)
    _, after_hi = sentence_around(text, min(hi + 1, len(text)), min(hi + 2, len(text)))
    before_lo = max(before_lo, start - CONTEXT_CHARS, 0) if lo > 0 else lo
    after_hi = min(max(after_hi, hi), end + CONTEXT_CHARS, len(text))
    out = []
    if text[before_lo:start].strip():
        out.append(Segment(text=text[before_lo:start], role="context"))
    quote = text[start:end]
    keys = [key] if isinstance(key, str) else list(key or [])
    at = 0
    for a, b in key_spans(quote, keys):
        if a > at:
            out.append(Segment(text=quote[at:a], role="quote"))
        out.append(Segment(text=quote[a:b], role="key"))
        at = b
    if at < len(quote) or not quote:
        out.append(Segment(text=quote[at:], role="quote"))
    if text[end:after_hi].strip():
        out.append(Segment(text=text[end:after_hi], role="context"))
    return out


def _event_view(event: Event, names: dict[str, str]) -> EventView:
    return EventView(
        id=event.id,
        date=str(event.date) if event.date else None,
        date_end=str(event.date_end) if event.date_end and event.date_end != event.date else None,
        channel=event.channel.value,
        participants=list(event.participants),
        sources=[names.get(a, a) for a in event.article_ids],
        republished_by=[names.get(a, a) for a in event.republished_by],
    )


class _Context:
    """What a set of conflicts' views need, read by id: their articles, claims, events, decisions and
    the store's dates for them; nothing else in the store is read."""

    def __init__(self, store: Store, rows: dict[str, ConflictRow]) -> None:
        conflicts = [r.conflict for r in rows.values()]
        self.rows = rows
        self.articles = store.articles_by_id(s.article_id for c in conflicts for s in c.sides)
        self.events = store.events_by_id(c.event_id for c in conflicts if c.event_id)
        sources = store.article_sources(
            a for e in self.events.values() for a in (*e.article_ids, *e.republished_by)
        )
        sources.update((i, a.source) for i, a in self.articles.items())
        self.names = {i: source_name(src) for i, src in sources.items()}
        found = store.claims_by_id((s.article_id, s.claim_id) for c in conflicts for s in c.sides)
        self.claims = {claim_id: claim for (_, claim_id), claim in found.items()}
        self.decisions = store.decisions_of(rows)


def _side_view(side: ConflictSide, kind: str, ctx: _Context) -> SideView:
    article = ctx.articles.get(side.article_id)
    claim = ctx.claims.get(side.claim_id)
    key = _value_text(claim, kind)
    marks: str | list[str] | None = list(side.highlights) if side.highlights else key
    text = article.text if article else ""
    start, end = side.start, side.end
    located = start is not None and end is not None and text[start:end] == side.quote
    if not located and article:
        ev = ground(side.quote, text, hint=start)
        if ev.start is not None and ev.end is not None:
            start, end, located = ev.start, ev.end, True
    segments = (
        segments_for(text, start, end, marks)
        if located and start is not None and end is not None
        else [Segment(text=side.quote, role="quote")]
    )
    return SideView(
        side=side.side,
        speaker=side.speaker,
        statement=side.statement,
        claim_id=side.claim_id,
        claim_kind=claim.kind.value if claim else None,
        value_text=", ".join(side.highlights) if side.highlights else key,
        highlights=list(side.highlights),
        article_id=side.article_id,
        article_name=ctx.names.get(side.article_id, side.article_id),
        outlet=article.outlet if article else None,
        title=article.title if article else None,
        published=str(article.published) if article and article.published else None,
        article_flags=list(getattr(article, "flags", None) or []),
        quote=side.quote,
        located=located,
        segments=segments,
    )


def _view(store: Store, row: ConflictRow, ctx: _Context, *, with_history: bool) -> ConflictView:
    conflict = row.conflict
    decision = ctx.decisions.get(conflict.id)
    event = ctx.events.get(conflict.event_id) if conflict.event_id else None
    return ConflictView(
        id=conflict.id,
        kind=conflict.kind.value,
        severity=conflict.severity.value,
        explanation=conflict.explanation,
        summary=first_sentence(conflict.explanation),
        detector=conflict.detector,
        event=_event_view(event, ctx.names) if event else None,
        sides=[_side_view(s, conflict.kind.value, ctx) for s in conflict.sides],
        status=decision.status if decision else ReviewStatus.OPEN,
        decision=decision,
        history=store.history(conflict.id) if with_history else [],
        version=decision.id if decision else 0,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        active=row.active,
        gone_reason=row.gone_reason,
        superseded_by=row.superseded_by,
    )


def views_of(store: Store, ids: list[str], *, with_history: bool = False) -> list[ConflictView]:
    """The views of these conflicts, in the order given, reading only their own rows."""
    rows = store.conflict_rows(ids)
    ctx = _Context(store, rows)
    return [_view(store, rows[i], ctx, with_history=with_history) for i in ids if i in rows]


def conflict_view(store: Store, ref: str) -> ConflictView:
    """One conflict by id or unique prefix, with its full decision history."""
    conflict = store.conflict(ref)
    return views_of(store, [conflict.id], with_history=True)[0]


def conflict_filter(
    *,
    severity: Iterable[str] = (),
    kind: Iterable[str] = (),
    status: Iterable[str] = (),
    event: str | None = None,
    include_inactive: bool = False,
) -> ConflictFilter:
    return ConflictFilter(
        severity=tuple(severity),
        kind=tuple(kind),
        status=tuple(status),
        event=event or None,
        include_inactive=include_inactive,
    )


def conflict_views(
    store: Store,
    *,
    severity: Iterable[str] = (),
    kind: Iterable[str] = (),
    status: Iterable[str] = (),
    event: str | None = None,
    include_inactive: bool = False,
    with_history: bool = False,
) -> list[ConflictView]:
    """Conflicts matching every filter given, most severe first (filtered and ordered in the store)."""
    where = conflict_filter(
        severity=severity, kind=kind, status=status, event=event, include_inactive=include_inactive
    )
    return views_of(store, store.conflict_index(where).ids, with_history=with_history)


def iter_conflict_views(
    store: Store, where: ConflictFilter, *, with_history: bool = False, chunk: int = 200
) -> Iterator[ConflictView]:
    """Like conflict_views, a chunk of views at a time: for exports of any size."""
    ids = store.conflict_index(where).ids
    for i in range(0, len(ids), chunk):
        yield from views_of(store, ids[i : i + chunk], with_history=with_history)


class ConflictPage(BaseModel):
    """One page of the conflict list, with how many match and the counts per filter value."""

    views: list[ConflictView]
    total: int = Field(description="conflicts matching the filters, on every page")
    page: int
    pages: int
    per_page: int
    counts: dict[str, dict[str, int]]


def conflict_page(store: Store, where: ConflictFilter, *, page: int = 1, per_page: int = 50) -> ConflictPage:
    """Page `page` (from 1; past the end: the last) of the conflicts matching `where`."""
    per_page = max(1, per_page)
    index = store.conflict_index(
        where, limit=per_page, offset=(max(page, 1) - 1) * per_page, with_counts=True
    )
    pages = max(1, -(-index.total // per_page))
    if page > pages:
        return conflict_page(store, where, page=pages, per_page=per_page)
    return ConflictPage(
        views=views_of(store, index.ids),
        total=index.total,
        page=max(page, 1),
        pages=pages,
        per_page=per_page,
        counts=index.counts,
    )


def event_accounts(
    store: Store, *, only_with_conflicts: bool = False, event_ids: Iterable[str] | None = None
) -> list[EventAccounts]:
    """Day-dated events in date order (all, or those of `event_ids`), each side's claims about it
    side by side; only those events' claims and articles' names are read."""
    events = store.events() if event_ids is None else list(store.events_by_id(event_ids).values())
    conflicts_by_event = store.active_conflicts_by_event()
    events = [
        e
        for e in events
        if e.date is not None
        and (e.date_end is None or e.date_end == e.date)  # a timeline is of days
        and (not only_with_conflicts or e.id in conflicts_by_event)
    ]
    article_ids = {a for e in events for a in e.article_ids}
    claims = {c.id: c for c in store.current_claims(None if event_ids is None else article_ids)}
    names = {
        i: source_name(src)
        for i, src in store.article_sources(
            article_ids | {a for e in events for a in e.republished_by}
        ).items()
    }
    judged: dict[str, list[PairJudgement]] = {}
    for j in store.comparisons([e.id for e in events]):
        judged.setdefault(j.event_id, []).append(j)
    out = []
    for e in sorted(events, key=lambda e: (e.date or "", e.id)):
        accounts: dict[str, list[AccountLine]] = {}
        for cid in e.claim_ids:
            claim = claims.get(cid)
            if claim is None:
                continue
            accounts.setdefault(claim.attribution.side, []).append(
                AccountLine(
                    side=claim.attribution.side,
                    speaker=claim.attribution.speaker,
                    article_name=names.get(claim.article_id, claim.article_id),
                    kind=claim.kind.value,
                    value_text=_value_text(claim),
                    quote=claim.evidence.quote,
                )
            )
        out.append(
            EventAccounts(
                event=_event_view(e, names),
                accounts=dict(sorted(accounts.items())),
                conflict_ids=sorted(conflicts_by_event.get(e.id, [])),
                compared=compared_lines(judged.get(e.id, [])),
            )
        )
    return out


UNPLACED_QUOTES = 3


def unplaced_accounts(store: Store, *, limit: int | None = None) -> list[UnplacedView]:
    """Accounts the reconciler did not link to an event, each with its candidate events and why
    (the first `limit` of them, when given); only those events, their candidates and claims are read."""
    unplaced = sorted(store.unplaced_events(), key=lambda e: (e.article_ids, e.id))
    if limit is not None:
        unplaced = unplaced[:limit]
    targets = store.events_by_id(c.event_id for e in unplaced for c in e.candidates)
    article_ids = {a for e in unplaced for a in e.article_ids}
    sources = store.article_sources(article_ids | {a for t in targets.values() for a in t.article_ids})
    names = {i: source_name(src) for i, src in sources.items()}
    claims = {c.id: c for c in store.current_claims(article_ids)} if unplaced else {}
    out = []
    for e in unplaced:
        quotes = [claims[c].evidence.quote for c in e.claim_ids if c in claims][:UNPLACED_QUOTES]
        cands = []
        for c in e.candidates:
            target = targets.get(c.event_id)
            cands.append(
                CandidateView(
                    event_id=c.event_id,
                    date=str(c.date) if c.date else None,
                    score=c.score,
                    basis=c.basis,
                    sources=[names.get(a, a) for a in (target.article_ids if target else [])],
                )
            )
        out.append(
            UnplacedView(
                event_id=e.id,
                articles=[names.get(a, a) for a in e.article_ids],
                participants=list(e.participants),
                channel=e.channel.value,
                reason=e.unplaced_reason,
                claims=len(e.claim_ids),
                quotes=quotes,
                candidates=cands,
            )
        )
    return out
