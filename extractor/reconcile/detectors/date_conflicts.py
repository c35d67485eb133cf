"""One event dated differently by different reports (S1: 2 July in one, "on Thursday" = 3 July in another).

Resolution only puts two dates on one event when the match is unambiguous (one day apart, no other
event of the participants near, no article reporting both), so every difference left here is a
disagreement about the date of one event, not two events. One conflict per event, listing each
date with the articles that give it.
"""

from __future__ import annotations

import datetime as dt

from extractor.reconcile.detectors import (
    MAX_PER_VALUE,
    DetectorContext,
    cap,
    channel_noun,
    event_name,
    first_in_text,
    fmt_date,
    make_conflict,
    one_per_article,
    quoted,
    side_of,
)
from extractor.reconcile.readings import claim_date, is_firm
from extractor.records import Claim, ClaimKind, Conflict, ConflictKind, DateValue, Event, Severity

DETECTOR = "date_conflicts"
_Dated = tuple[Claim, DateValue]


def detect(ctx: DetectorContext) -> list[Conflict]:
    out = []
    for eid, event in ctx.events.items():
        if event.date is None:
            continue
        by_date: dict[tuple[dt.date, dt.date], list[Claim]] = {}
        values: dict[str, DateValue] = {}
        for c in ctx.claims_of(eid):
            d = claim_date(c)
            if d is not None and is_firm(d) and d.start is not None:
                by_date.setdefault((d.start, d.end or d.start), []).append(c)
                values[c.id] = d
        if len(by_date) > 1:
            out.append(_conflict(ctx, event, by_date, values))
    return out


def _conflict(
    ctx: DetectorContext,
    event: Event,
    by_date: dict[tuple[dt.date, dt.date], list[Claim]],
    values: dict[str, DateValue],
) -> Conflict:
    noun = channel_noun(event.channel)
    phrases: list[str] = []
    reps: list[_Dated] = []
    for key in sorted(by_date):
        # an "event" claim states the date most directly; otherwise the first mention in the text
        ordered = sorted(first_in_text(by_date[key]), key=lambda c: c.kind != ClaimKind.EVENT)
        per_article = one_per_article(ordered)
        c = per_article[0]
        others = len(per_article) - 1
        more = f" (so do {others} more articles)" if others else ""
        phrases.append(_phrase(ctx, c, values[c.id], noun) + more)
        reps.extend((x, values[x.id]) for x in per_article[:MAX_PER_VALUE])
    day_only = all(d.resolved and (d.end is None or d.end == d.start) for _, d in reps)
    kept = f" The event is kept on {fmt_date(event.date)}: {event.date_basis}." if event.date else ""
    explanation = f"{cap(event_name(event))}: " + "; ".join(phrases) + "." + kept
    sides = [side_of(c, f"dates the {noun} {_when(d)}") for c, d in reps]
    severity = Severity.HIGH if day_only else Severity.MEDIUM
    return make_conflict(ConflictKind.DATE, severity, event.id, sides, explanation, DETECTOR)


def _when(d: DateValue) -> str:
    assert d.start is not None
    if d.end is not None and d.end != d.start:
        return f"{fmt_date(d.start)} to {fmt_date(d.end)}"
    return fmt_date(d.start)


def _phrase(ctx: DetectorContext, c: Claim, d: DateValue, noun: str) -> str:
    assert d.start is not None
    label = ctx.label(c.article_id)
    if str(d.start.year) in d.text:
        return f"{label} dates the {noun} {_when(d)} ({quoted(d.text)})"
    pub = ctx.published(c.article_id)
    published = f" (published {pub.isoformat()})" if pub is not None else ""
    return f"{label}{published} says {quoted(d.text)}, i.e. {_when(d)}"
