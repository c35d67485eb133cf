"""Windows and recency: "the first call in nearly two years", "the first since September 2022".

Two checks, each on one event:
- *inside one report*: a gap ("in nearly two years") and a named start ("since September 2022")
  given for the same event must agree: from the end of September 2022 to a July 2025 call is nearly
  three years, not nearly two;
- *against the timeline*: a gap is measured from the latest earlier event of the same participants
  and channel, as other reports date it. Only a gap that the timeline contradicts is flagged: the
  phrase deliberately counts only contacts of its own kind, so a different channel never counts, and
  only a contact *more recent* than the gap allows is a contradiction (a longer gap may count other
  people's contacts: "the first contact between the leaders of the two countries in three years"),
  and only one that two reports date (one report's passing date or mislabelled channel is too weak).
  The same-article comparison is `internal_consistency`'s; this one needs another report's date.
"""

from __future__ import annotations

import datetime as dt

from extractor.normalise import parse_span, span_consistent
from extractor.reconcile.detectors import (
    DetectorContext,
    event_name,
    first_in_text,
    fmt_date,
    make_conflict,
    quoted,
    side_of,
)
from extractor.reconcile.detectors.internal_consistency import gap_phrase
from extractor.reconcile.readings import named_start
from extractor.records import Channel, Claim, Conflict, ConflictKind, Event, Severity

DETECTOR = "recency"
MIN_REPORTS = 2  # the earlier contact a gap is measured from is dated by this many reports at least


def detect(ctx: DetectorContext) -> list[Conflict]:
    out: list[Conflict] = []
    for eid, event in ctx.events.items():
        if event.date is None or event.date_end is not None or len(event.participants) < 2:
            continue
        claims = first_in_text(ctx.claims_of(eid))
        out.extend(_gap_against_since(ctx, event, claims))
        out.extend(_gap_against_timeline(ctx, event, claims))
    return out


def _since(claim: Claim) -> tuple[str, dt.date, dt.date] | None:
    """ "The first ... since September 2022": the named start, as the interval of days it names."""
    named = named_start(claim)
    if named is None or named.start is None or named.end is None:
        return None
    return named.text, named.start, named.end


def _gap_against_since(ctx: DetectorContext, event: Event, claims: list[Claim]) -> list[Conflict]:
    """A gap ("the first in nearly two years") and a named start ("the first since September 2022")
    for one event must agree: in one report that is its own inconsistency; across reports, the two
    disagree about how long the break was."""
    assert event.date is not None
    gaps: dict[str, tuple[Claim, str]] = {}
    sinces: dict[str, tuple[Claim, tuple[str, dt.date, dt.date]]] = {}
    for c in claims:
        if (p := gap_phrase(c.evidence.quote)) and c.article_id not in gaps:
            gaps[c.article_id] = (c, p)
        if (since := _since(c)) and c.article_id not in sinces:
            sinces[c.article_id] = (c, since)
    out = []
    for g_article, (g, phrase) in gaps.items():
        for s_article, (s, (text, first, last)) in sinces.items():
            # only when no day of the named start fits the gap: "since 2019" and "in seven years"
            # can both hold for a meeting early in 2019
            middle = first + (last - first) / 2
            try:
                if any(span_consistent(phrase, day, event.date) for day in (first, middle, last)):
                    continue
            except ValueError:
                continue
            years = (event.date - middle).days / 365.25
            same = g_article == s_article
            who = (
                f"{ctx.label(g_article)} calls {event_name(event)} the first {quoted(phrase)} and also"
                if same
                else f"{ctx.label(g_article)} calls {event_name(event)} the first {quoted(phrase)}; "
                f"{ctx.label(s_article)} calls it"
            )
            explanation = (
                f"{who} the first since {quoted(text)}: from {text} to {fmt_date(event.date)} is about "
                f"{years:.1f} years."
            )
            sides = [side_of(g, f"a gap of {phrase}"), side_of(s, f"the first since {text}")]
            kind = ConflictKind.INTERNAL if same else ConflictKind.ORDINAL
            out.append(make_conflict(kind, Severity.MEDIUM, event.id, sides, explanation, DETECTOR))
    return out


def _gap_against_timeline(ctx: DetectorContext, event: Event, claims: list[Claim]) -> list[Conflict]:
    assert event.date is not None
    if event.channel in (Channel.UNKNOWN, Channel.OTHER, Channel.STATEMENT):
        return []
    earlier = [
        e
        for e in ctx.timeline.series(event.participants, event.channel, None, event.date)
        if e.id != event.id and e.date is not None and e.date < event.date
    ]
    if not earlier:
        return []
    prev = earlier[-1]
    if len(prev.article_ids) < MIN_REPORTS:
        return []  # one report's contact (a mislabelled channel, a date in passing) contradicts nothing
    assert prev.date is not None
    out = []
    seen: set[str] = set()
    for c in claims:
        phrase = gap_phrase(c.evidence.quote)
        if phrase is None or c.article_id in seen or c.article_id in prev.article_ids:
            continue  # its own article dating the previous contact is internal_consistency's check
        span = parse_span(phrase)
        if span is None:
            continue
        seen.add(c.article_id)
        days = (event.date - prev.date).days
        # only a contact more recent than the gap allows contradicts it: a longer gap may count other
        # people's contacts too ("the first contact between the leaders of the two countries in ...")
        if span_consistent(phrase, prev.date, event.date) or days >= span.low_days:
            continue
        explanation = (
            f"{ctx.label(c.article_id)} calls {event_name(event)} the first {quoted(phrase)}, but "
            f"{event_name(prev)} is dated by other reports: {days} days ({days / 365.25:.1f} years) earlier."
        )
        sides = [side_of(c, f"a gap of {phrase}")]
        rep = ctx.representative(prev.id)
        if rep is not None:
            sides.append(side_of(rep, f"an earlier {event_name(prev)}"))
        out.append(
            make_conflict(ConflictKind.ORDINAL, Severity.MEDIUM, event.id, sides, explanation, DETECTOR)
        )
    return out
