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
from extractor.reconcile.readings import claim_date, is_firm, previous_reference
from extractor.records import Channel, Claim, Conflict, ConflictKind, ConflictSide, Event, Severity

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
    refs: dict[str, dict[dt.date, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    for eid in ctx.events:
        for c in ctx.claims_of(eid):
            words = previous_reference(c)
            d = claim_date(c)
            if words is None or not is_firm(d) or d is None or d.start is None or d.end != d.start:
                continue
            if len(set(c.event.participants)) < 2:
                continue
            anchor = _anchor(ctx, c, d.start, events_of)
            if anchor is not None:
                refs[anchor.id][d.start].append(c)
    out: list[Conflict] = []
    for anchor_id, by_day in refs.items():
        anchor = ctx.events[anchor_id]
        if len(by_day) > 1:
            out.append(_disagree(ctx, anchor, by_day))
        for day, claims in sorted(by_day.items()):
            out.extend(_against_timeline(ctx, anchor, day, one_per_article(claims)))
    return out


def _disagree(ctx: DetectorContext, anchor: Event, by_day: dict[dt.date, list[Claim]]) -> Conflict:
    phrases: list[str] = []
    sides: list[ConflictSide] = []
    for day, claims in sorted(by_day.items()):
        per = one_per_article(claims)
        c = per[0]
        d = claim_date(c)
        text = d.text if d is not None else fmt_date(day)
        phrases.append(f"{ctx.label(c.article_id)} dates it {fmt_date(day)} ({quoted(text)})")
        sides.extend(side_of(x, f"the previous contact was on {fmt_date(day)}") for x in per[:MAX_PER_VALUE])
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
        f"({quoted(previous_reference(c) or '')}), but the timeline holds a later one before it: {shown}."
    )
    sides = [side_of(x, f"the previous contact was on {fmt_date(day)}") for x in claims[:MAX_PER_VALUE]]
    rep = ctx.representative(between[-1].id)
    if rep is not None:
        sides.append(side_of(rep, f"reports {event_name(between[-1])}"))
    return [make_conflict(ConflictKind.DATE, Severity.MEDIUM, anchor.id, sides, explanation, DETECTOR)]
