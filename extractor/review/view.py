"""What a reviewer sees of a conflict: each side's quote inside its sentence, with who says it where.

Views are plain pydantic records built from the store; renderers (terminal, HTML, Markdown) only
lay them out. Article and model text stays data: renderers escape it, never interpret it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from extractor.grounding import ground, sentence_around
from extractor.records import Article, Claim, Conflict, ConflictSide, Decision, Event, ReviewStatus
from extractor.store import Store

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
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


class EventAccounts(BaseModel):
    """One event: its timeline entry and each side's account of it, side by side."""

    event: EventView
    accounts: dict[str, list[AccountLine]]
    conflict_ids: list[str]


def article_name(article: Article) -> str:
    return article.source if "://" in article.source else Path(article.source).name


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


def segments_for(text: str, start: int, end: int, key: str | None) -> list[Segment]:
    """Context sentence(s) around text[start:end], the quote, and `key` highlighted inside it."""
    lo, hi = sentence_around(text, start, end)
    before_lo, _ = sentence_around(text, max(lo - 2, 0), max(lo - 1, 0)) if lo > 0 else (lo, lo)
    _, after_hi = sentence_around(text, min(hi + 1, len(text)), min(hi + 2, len(text)))
    before_lo = max(before_lo, start - CONTEXT_CHARS, 0) if lo > 0 else lo
    after_hi = min(max(after_hi, hi), end + CONTEXT_CHARS, len(text))
    out = []
    if text[before_lo:start].strip():
        out.append(Segment(text=text[before_lo:start], role="context"))
    quote = text[start:end]
    k = quote.find(key) if key else -1
    if key and k >= 0:
        if k:
            out.append(Segment(text=quote[:k], role="quote"))
        out.append(Segment(text=key, role="key"))
        if quote[k + len(key) :]:
            out.append(Segment(text=quote[k + len(key) :], role="quote"))
    else:
        out.append(Segment(text=quote, role="quote"))
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
    """Articles, claims and events loaded once for many views."""

    def __init__(self, store: Store) -> None:
        self.articles = {a.id: a for a in store.articles()}
        self.names = {i: article_name(a) for i, a in self.articles.items()}
        self.claims = {c.id: c for c in store.current_claims()}
        self.events = {e.id: e for e in store.events()}
        self.decisions = store.current_decisions()
        self.gone = store.gone_conflicts()


def _side_view(side: ConflictSide, kind: str, ctx: _Context) -> SideView:
    article = ctx.articles.get(side.article_id)
    claim = ctx.claims.get(side.claim_id)
    key = _value_text(claim, kind)
    text = article.text if article else ""
    start, end = side.start, side.end
    located = start is not None and end is not None and text[start:end] == side.quote
    if not located and article:
        ev = ground(side.quote, text, hint=start)
        if ev.start is not None and ev.end is not None:
            start, end, located = ev.start, ev.end, True
    segments = (
        segments_for(text, start, end, key)
        if located and start is not None and end is not None
        else [Segment(text=side.quote, role="quote")]
    )
    return SideView(
        side=side.side,
        speaker=side.speaker,
        statement=side.statement,
        claim_id=side.claim_id,
        claim_kind=claim.kind.value if claim else None,
        value_text=key,
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


def _view(store: Store, conflict: Conflict, ctx: _Context, *, with_history: bool) -> ConflictView:
    first, last, active = store.conflict_dates(conflict.id)
    decision = ctx.decisions.get(conflict.id)
    event = ctx.events.get(conflict.event_id) if conflict.event_id else None
    return ConflictView(
        id=conflict.id,
        kind=conflict.kind.value,
        severity=conflict.severity.value,
        explanation=conflict.explanation,
        detector=conflict.detector,
        event=_event_view(event, ctx.names) if event else None,
        sides=[_side_view(s, conflict.kind.value, ctx) for s in conflict.sides],
        status=decision.status if decision else ReviewStatus.OPEN,
        decision=decision,
        history=store.history(conflict.id) if with_history else [],
        version=decision.id if decision else 0,
        first_seen=first,
        last_seen=last,
        active=active,
        gone_reason=None if active else ctx.gone.get(conflict.id, ("no longer found", None))[0],
        superseded_by=None if active else ctx.gone.get(conflict.id, ("", None))[1],
    )


def conflict_view(store: Store, ref: str) -> ConflictView:
    """One conflict by id or unique prefix, with its full decision history."""
    conflict = store.conflict(ref)
    return _view(store, conflict, _Context(store), with_history=True)


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
    """Conflicts matching every filter given, most severe first."""
    ctx = _Context(store)
    severity, kind, status = set(severity), set(kind), set(status)
    views = []
    for c in store.conflicts(include_inactive=include_inactive, decided_gone=True):
        if (severity and c.severity.value not in severity) or (kind and c.kind.value not in kind):
            continue
        if event and c.event_id != event:
            continue
        d = ctx.decisions.get(c.id)
        if status and (d.status.value if d else "open") not in status:
            continue
        views.append(_view(store, c, ctx, with_history=with_history))
    return sorted(views, key=_order)


def _order(v: ConflictView) -> tuple[int, str, str, str]:
    """Most severe first; within a kind, by event date (undated events first), then id."""
    return (SEVERITY_ORDER[v.severity], v.kind, (v.event.date or "") if v.event else "", v.id)


def event_accounts(store: Store, *, only_with_conflicts: bool = False) -> list[EventAccounts]:
    """Day-dated events in date order, each side's claims about it side by side."""
    ctx = _Context(store)
    conflicts_by_event: dict[str, list[str]] = {}
    for c in store.conflicts():
        if c.event_id:
            conflicts_by_event.setdefault(c.event_id, []).append(c.id)
    out = []
    for e in sorted(ctx.events.values(), key=lambda e: (e.date is None, e.date or "", e.id)):
        if e.date is None or (e.date_end is not None and e.date_end != e.date):
            continue  # a timeline is of days
        if only_with_conflicts and e.id not in conflicts_by_event:
            continue
        accounts: dict[str, list[AccountLine]] = {}
        for cid in e.claim_ids:
            claim = ctx.claims.get(cid)
            if claim is None:
                continue
            accounts.setdefault(claim.attribution.side, []).append(
                AccountLine(
                    side=claim.attribution.side,
                    speaker=claim.attribution.speaker,
                    article_name=ctx.names.get(claim.article_id, claim.article_id),
                    kind=claim.kind.value,
                    value_text=_value_text(claim),
                    quote=claim.evidence.quote,
                )
            )
        out.append(
            EventAccounts(
                event=_event_view(e, ctx.names),
                accounts=dict(sorted(accounts.items())),
                conflict_ids=sorted(conflicts_by_event.get(e.id, [])),
            )
        )
    return out


UNPLACED_QUOTES = 3


def unplaced_accounts(store: Store) -> list[UnplacedView]:
    """Accounts the reconciler did not link to an event, each with its candidate events and why."""
    ctx = _Context(store)
    out = []
    for e in sorted(ctx.events.values(), key=lambda e: (e.article_ids, e.id)):
        if not e.unplaced:
            continue
        quotes = [ctx.claims[c].evidence.quote for c in e.claim_ids if c in ctx.claims][:UNPLACED_QUOTES]
        cands = []
        for c in e.candidates:
            target = ctx.events.get(c.event_id)
            cands.append(
                CandidateView(
                    event_id=c.event_id,
                    date=str(c.date) if c.date else None,
                    score=c.score,
                    basis=c.basis,
                    sources=[ctx.names.get(a, a) for a in (target.article_ids if target else [])],
                )
            )
        out.append(
            UnplacedView(
                event_id=e.id,
                articles=[ctx.names.get(a, a) for a in e.article_ids],
                participants=list(e.participants),
                channel=e.channel.value,
                reason=e.unplaced_reason,
                claims=len(e.claim_ids),
                quotes=quotes,
                candidates=cands,
            )
        )
    return out
