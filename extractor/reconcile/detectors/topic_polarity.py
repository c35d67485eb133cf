"""One event: a topic claimed discussed by one account and explicitly not discussed by another.

Only topic_discussed against topic_not_discussed counts. Context an article gives around a call
("Trump had just reported a pause on certain arms transfers") is a statement, not a topic, so it
never meets a denial (N5). Topics match by their content words, strictly: a loose match here would
be a false alarm, and "Ukrainian settlement" is not "weapons deliveries to Ukraine".
"""

from __future__ import annotations

from extractor.reconcile.detectors import (
    DetectorContext,
    cap,
    event_name,
    make_conflict,
    quoted,
    side_of,
    similarity,
    topic_words,
)
from extractor.records import Claim, ClaimKind, Conflict, ConflictKind, Severity

DETECTOR = "topic_polarity"
MATCH = 0.5  # Dice overlap of content words for "the same topic"
SAME = 0.8  # nearly the same words: both cannot be true


def detect(ctx: DetectorContext) -> list[Conflict]:
    out = []
    for eid, event in ctx.events.items():
        said = ctx.claims_of(eid, ClaimKind.TOPIC_DISCUSSED)
        denied = ctx.claims_of(eid, ClaimKind.TOPIC_NOT_DISCUSSED)
        if not said or not denied:
            continue
        drop = event.participants
        for no in denied:
            no_words = topic_words(no, drop)
            matches = [(similarity(topic_words(yes, drop), no_words), yes) for yes in said]
            matches = [(s, yes) for s, yes in matches if s >= MATCH]
            if not matches:
                continue
            score, yes = max(matches, key=lambda t: (t[0], t[1].id))
            severity = Severity.HIGH if score >= SAME else Severity.MEDIUM
            explanation = (
                f"{cap(event_name(event))}: {_who(ctx, yes)} says "
                f"{quoted(yes.topic or yes.evidence.quote, 60)} was discussed: {quoted(yes.evidence.quote)}; "
                f"{_who(ctx, no)} says it was not: {quoted(no.evidence.quote)}."
            )
            sides = [
                side_of(yes, f"discussed: {yes.topic or ''}"),
                side_of(no, f"not discussed: {no.topic or ''}"),
            ]
            kind = ConflictKind.TOPIC_POLARITY
            out.append(make_conflict(kind, severity, eid, sides, explanation, DETECTOR))
    return out


def _who(ctx: DetectorContext, c: Claim) -> str:
    return f"{ctx.label(c.article_id)} ({c.attribution.side})"
