"""Disagreements inside one article: a weekday that is not its date's (S2), and a stated gap
("their first contact in nearly three years") that does not fit the two dates the article gives
for it (N3 fits: 11 September 2022 to 1 July 2025 is nearly three years).

The gap is only checked against the previous event the same article reports for the same
participants: another article's timeline may hold contacts the phrase deliberately leaves out
("the first contact between the leaders of Russia and the United States in three years").
"""

from __future__ import annotations

import calendar
import re

from extractor.normalise import find_spans, span_consistent
from extractor.reconcile.detectors import (
    DetectorContext,
    event_name,
    first_in_text,
    fmt_date,
    make_conflict,
    quoted,
    side_of,
)
from extractor.reconcile.readings import claim_date
from extractor.records import Claim, Conflict, ConflictKind, ConflictSide, Event, Severity

DETECTOR = "internal_consistency"
# a span is a gap since the last contact only in these frames: "in nearly three years",
# "after a break of two and a half years"; "a 30-day moratorium" is not one
_GAP_BEFORE = re.compile(r"\b(?:in|after|of|for)\s+$", re.I)
_GAP_WORDS = re.compile(r"\b(?:first|break|hiatus|pause|resum\w*|since)\b", re.I)


def detect(ctx: DetectorContext) -> list[Conflict]:
    out: list[Conflict] = []
    for eid, event in ctx.events.items():
        claims = first_in_text(ctx.claims_of(eid))
        out.extend(_weekdays(ctx, event, claims))
        out.extend(_gaps(ctx, event, claims))
    return out


def _weekdays(ctx: DetectorContext, event: Event, claims: list[Claim]) -> list[Conflict]:
    out, seen = [], set()
    for c in claims:
        d = claim_date(c)
        if d is None or d.weekday_matches is not False or d.start is None:
            continue
        key = (c.article_id, d.start, (d.weekday_stated or "").lower())
        if key in seen:
            continue  # one finding per article and date, however many claims repeat it
        seen.add(key)
        actual = calendar.day_name[d.start.weekday()]
        explanation = (
            f"{ctx.label(c.article_id)} writes {quoted(d.text)}, but {fmt_date(d.start)} was a {actual}, "
            f"not a {d.weekday_stated}."
        )
        side = side_of(c, f"{d.weekday_stated}, {fmt_date(d.start)}")
        out.append(_internal(event, [side], explanation))
    return out


def _internal(event: Event, sides: list[ConflictSide], explanation: str) -> Conflict:
    return make_conflict(ConflictKind.INTERNAL, Severity.MEDIUM, event.id, sides, explanation, DETECTOR)


def gap_phrase(quote: str) -> str | None:
    if not _GAP_WORDS.search(quote):
        return None
    for start, end, _span in find_spans(quote):
        if _GAP_BEFORE.search(quote[:start]):
            return quote[start:end]
    return None


def _gaps(ctx: DetectorContext, event: Event, claims: list[Claim]) -> list[Conflict]:
    if event.date is None:
        return []
    out, seen = [], set()
    for c in claims:
        phrase = gap_phrase(c.evidence.quote)
        if phrase is None or (c.article_id, phrase) in seen:
            continue
        seen.add((c.article_id, phrase))
        earlier = [
            e
            for e in ctx.timeline.events_with(event.participants)
            if c.article_id in e.article_ids and e.date is not None and (e.date_end or e.date) < event.date
        ]
        if not earlier:
            continue  # the article gives no earlier contact to measure the gap from
        prev = earlier[-1]
        prev_day = prev.date_end or prev.date
        assert prev_day is not None
        if span_consistent(phrase, prev_day, event.date):
            continue
        days = (event.date - prev_day).days
        explanation = (
            f"{ctx.label(c.article_id)} says {quoted(phrase)} for {event_name(event)}, but the same article "
            f"dates the previous contact {fmt_date(prev_day)}: {days} days "
            f"({days / 365.25:.1f} years) earlier."
        )
        sides = [side_of(c, f"a gap of {phrase}")]
        rep = next((x for x in first_in_text(ctx.claims_of(prev.id)) if x.article_id == c.article_id), None)
        if rep is not None:
            sides.append(side_of(rep, f"the previous contact, {fmt_date(prev_day)}"))
        out.append(_internal(event, sides, explanation))
    return out
