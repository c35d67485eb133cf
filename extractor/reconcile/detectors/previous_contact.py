"""Relational references: "their previous call was on June 4", "the two last spoke on 14 June".

Such a claim dates an earlier contact relative to the one its article reports (the anchor: the
article's most-claimed event of the same participants after that date). It is resolved against the
timeline: the previous contact is the latest event of the same participants and channel strictly
before the anchor. Two findings:
- two reports date the previous contact of one anchor event differently;
- a report's previous contact is contradicted by the timeline: another event of the same kind lies
  strictly between the date it gives and the anchor.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from extractor.reconcile.detectors import (
    MAX_PER_VALUE,
    DetectorContext,
    event_name,
    fmt_date,
    make_conflict,
    one_per_article,
    quoted,
    side_of,
)
from extractor.reconcile.readings import claim_date, is_firm, named_start, single_previous_reference
from extractor.records import (
    Channel,
    Claim,
    Conflict,
    ConflictKind,
    ConflictSide,
    DatePrecision,
    Event,
    Severity,
)

DETECTOR = "previous_contact"
_LOOSE = (Channel.UNKNOWN, Channel.OTHER, Channel.STATEMENT)


def _anchor(
    ctx: DetectorContext, claim: Claim, day: dt.date, events_of: dict[str, list[Event]]
) -> Event | None:
    """The event the claim's article reports, after the previous contact it dates: its most-claimed."""
    people = set(claim.event.participants)
    best: tuple[int, Event] | None = None
    for e in events_of.get(claim.article_id, []):
        if e.date is None or e.date <= day or not people <= set(e.participants) or e.unplaced:
            continue
        n = sum(1 for c in ctx.claims_of(e.id) if c.article_id == claim.article_id)
        if best is None or n > best[0]:
            best = (n, e)
    return best[1] if best else None


def detect(ctx: DetectorContext) -> list[Conflict]:
    events_of: dict[str, list[Event]] = defaultdict(list)
    for e in ctx.events.values():
        for a in e.article_ids:
            events_of[a].append(e)
    refs: dict[str, dict[_Span, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    named_by_since: set[str] = set()
    for eid in ctx.events:
        for c in ctx.claims_of(eid):
            if len(set(c.event.participants)) < 2:
                continue
            span = _previous_of(c)
            if span is None:
                continue
            if single_previous_reference(c) is None:
                named_by_since.add(c.id)
            anchor = _anchor(ctx, c, span[1], events_of) if single_previous_reference(c) else ctx.events[eid]
            if anchor is not None and anchor.date is not None and anchor.date > span[1]:
                refs[anchor.id][span].append(c)
    out: list[Conflict] = []
    for anchor_id, by_span in refs.items():
        anchor = ctx.events[anchor_id]
        apart = _disjoint_groups(by_span)
        if len(apart) > 1:
            out.append(_disagree(ctx, anchor, apart))
        for span, claims in sorted(by_span.items()):
            stated = [c for c in claims if c.id not in named_by_since]  # "since X" is the ordinal check's
            if stated and span[0] == span[1]:
                out.extend(_against_timeline(ctx, anchor, span[0], one_per_article(stated)))
    return out


_Span = tuple[dt.date, dt.date]


def _previous_of(c: Claim) -> _Span | None:
    """The days of the contact a claim names as the previous one: "their previous call was on
    June 4" (its date), or "the first meeting since November 2022" (the month it names)."""
    if single_previous_reference(c) is not None:
        d = claim_date(c)
        if is_firm(d) and d is not None and d.start is not None and d.end is not None:
            if d.precision in (DatePrecision.DAY, DatePrecision.MONTH):
                return d.start, d.end
        return None
    named = named_start(c)
    if named is None or named.start is None or named.end is None:
        return None
    if named.precision not in (DatePrecision.DAY, DatePrecision.MONTH):
        return None  # "since 2019" is too wide to set against another report's month
    return named.start, named.end


def _disjoint_groups(by_span: dict[_Span, list[Claim]]) -> dict[_Span, list[Claim]]:
    """Spans that overlap name one contact ("December 2, 2022" and "December 2022"): merged, so
    only spans that cannot be the same day remain apart."""
    merged: list[tuple[_Span, list[Claim]]] = []
    for span, claims in sorted(by_span.items()):
        for i, (other, found) in enumerate(merged):
            if span[0] <= other[1] and other[0] <= span[1]:
                narrow = span if (span[1] - span[0]) < (other[1] - other[0]) else other
                merged[i] = (narrow, found + claims)
                break
        else:
            merged.append((span, list(claims)))
    return dict(merged)


def _when(span: _Span) -> str:
    if span[0] == span[1]:
        return fmt_date(span[0])
    return f"{fmt_date(span[0])} to {fmt_date(span[1])}"


def _disagree(ctx: DetectorContext, anchor: Event, by_span: dict[_Span, list[Claim]]) -> Conflict:
    phrases: list[str] = []
    sides: list[ConflictSide] = []
    for span, claims in sorted(by_span.items()):
        per = one_per_article(claims)
        c = per[0]
        d = claim_date(c)
        text = d.text if d is not None and single_previous_reference(c) else c.evidence.quote
        phrases.append(f"{ctx.label(c.article_id)} puts it {_when(span)} ({quoted(text)})")
        sides.extend(side_of(x, f"the previous contact was {_when(span)}") for x in per[:MAX_PER_VALUE])
    explanation = f"The contact before {event_name(anchor)}: " + "; ".join(phrases) + "."
    return make_conflict(ConflictKind.DATE, Severity.MEDIUM, anchor.id, sides, explanation, DETECTOR)


def _against_timeline(
    ctx: DetectorContext, anchor: Event, day: dt.date, claims: list[Claim]
) -> list[Conflict]:
    assert anchor.date is not None
    c = claims[0]
    channel = c.event.channel if c.event.channel not in _LOOSE else anchor.channel
    if channel in _LOOSE:
        return []
    between = [
        e
        for e in ctx.timeline.series(anchor.participants, channel, day + dt.timedelta(days=1), anchor.date)
        if e.id != anchor.id and e.date is not None and e.date < anchor.date and not e.unplaced
    ]
    if not between:
        return []
    shown = ", ".join(fmt_date(e.date) for e in between if e.date is not None)
    explanation = (
        f"{ctx.label(c.article_id)} says the contact before {event_name(anchor)} was on {fmt_date(day)} "
        f"({quoted(single_previous_reference(c) or '')}), but the timeline holds a later one before it: "
        f"{shown}."
    )
    sides = [side_of(x, f"the previous contact was on {fmt_date(day)}") for x in claims[:MAX_PER_VALUE]]
    rep = ctx.representative(between[-1].id)
    if rep is not None:
        sides.append(side_of(rep, f"reports {event_name(between[-1])}"))
    return [make_conflict(ConflictKind.DATE, Severity.MEDIUM, anchor.id, sides, explanation, DETECTOR)]
