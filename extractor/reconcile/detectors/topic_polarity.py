"""One event: a topic claimed discussed by one account and explicitly not discussed by another.

Only topic_discussed against topic_not_discussed counts. Context an article gives around a call
("Trump had just reported a pause on certain arms transfers") is a statement, not a topic, so it
never meets a denial (N5). Topics match by their content words, strictly: a loose match here would
be a false alarm, and "Ukrainian settlement" is not "weapons deliveries to Ukraine".
"""

from __future__ import annotations

from collections import defaultdict

from extractor.reconcile.detectors import (
    MAX_PER_VALUE,
    DetectorContext,
    cap,
    content,
    event_name,
    first_in_text,
    make_conflict,
    one_per_article,
    quoted,
    side_of,
    similarity,
    topic_words,
    who,
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
        drop = tuple(event.participants)
        # one conflict per denied topic (however many articles repeat the denial)
        denials: dict[frozenset[str], list[Claim]] = defaultdict(list)
        for no in first_in_text(denied):
            denials[content(topic_words(no, drop))].append(no)
        for key in sorted(denials, key=sorted):
            nos = one_per_article(denials[key])
            scored = [(similarity(topic_words(yes, drop), key), yes) for yes in first_in_text(said)]
            matches = [(s, yes) for s, yes in scored if s >= MATCH]
            if not matches:
                continue
            best = max(s for s, _ in matches)
            yeses = one_per_article(yes for s, yes in matches if s == best)
            severity = Severity.HIGH if best >= SAME else Severity.MEDIUM
            yes, no = yeses[0], nos[0]
            explanation = (
                f"{cap(event_name(event))}: {who(ctx, yeses)} ({yes.attribution.side}) says "
                f"{quoted(yes.topic or yes.evidence.quote, 60)} was discussed: {quoted(yes.evidence.quote)}; "
                f"{who(ctx, nos)} ({no.attribution.side}) says it was not: {quoted(no.evidence.quote)}."
            )
            sides = [side_of(c, f"discussed: {c.topic or ''}") for c in yeses[:MAX_PER_VALUE]]
            sides += [side_of(c, f"not discussed: {c.topic or ''}") for c in nos[:MAX_PER_VALUE]]
            kind = ConflictKind.TOPIC_POLARITY
            out.append(make_conflict(kind, severity, eid, sides, explanation, DETECTOR))
    return out
