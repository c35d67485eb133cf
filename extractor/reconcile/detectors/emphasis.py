"""Different emphasis: articles give one event topics, and what one puts first others leave out.

S5: 004 opens the 14 June call with Trump's birthday; 000 lists the Middle East, a prisoner
exchange and negotiations. To stay quiet on ordinary variation an article's first topic (its
emphasis) counts only against articles that give topics for the event, mention nothing like it,
and share at most half of the shorter topic list. Topics match leniently by content words.

One conflict per event and emphasis, listing the articles that put it first and those that omit
it: a call reported by two hundred articles gives a handful of conflicts, not one per pair.
"""

from __future__ import annotations

from collections import defaultdict

from extractor.reconcile.detectors import (
    MAX_PER_VALUE,
    DetectorContext,
    cap,
    content,
    covers,
    event_name,
    make_conflict,
    quoted,
    side_of,
    topic_position,
    topic_words,
    who,
)
from extractor.records import Claim, ClaimKind, Conflict, ConflictKind, Event, Severity

DETECTOR = "emphasis"
_Vocab = dict[str, frozenset[str]]


def detect(ctx: DetectorContext) -> list[Conflict]:
    out: list[Conflict] = []
    for eid, event in ctx.events.items():
        per_article: dict[str, list[Claim]] = defaultdict(list)
        for c in sorted(ctx.claims_of(eid, ClaimKind.TOPIC_DISCUSSED), key=topic_position):
            per_article[c.article_id].append(c)
        if len(per_article) < 2:
            continue
        vocab = {c.id: topic_words(c, event.participants) for cs in per_article.values() for c in cs}
        leads: dict[frozenset[str], list[str]] = defaultdict(list)
        holders: dict[frozenset[str], set[str]] = defaultdict(set)  # each distinct topic: who gives it
        for article, topics in per_article.items():
            leads[content(vocab[topics[0].id])].append(article)
            for t in topics:
                holders[vocab[t.id]].add(article)
        for key in sorted(leads, key=lambda k: sorted(k)):
            lead = vocab[per_article[leads[key][0]][0].id]
            mention = set().union(*(arts for v, arts in holders.items() if covers(lead, v)))
            conflict = _emphasis(ctx, event, leads[key], per_article, vocab, mention)
            if conflict is not None:
                out.append(conflict)
    return out


def _mentions(topics: list[Claim], lead: Claim, vocab: _Vocab) -> bool:
    return any(covers(vocab[lead.id], vocab[t.id]) for t in topics)


def _mostly_shared(xs: list[Claim], ys: list[Claim], vocab: _Vocab) -> bool:
    shorter, longer = (xs, ys) if len(xs) <= len(ys) else (ys, xs)
    shared = sum(1 for t in shorter if _mentions(longer, t, vocab))
    return shared * 2 > len(shorter)


def _emphasis(
    ctx: DetectorContext,
    event: Event,
    stressing: list[str],
    per_article: dict[str, list[Claim]],
    vocab: _Vocab,
    mention: set[str],
) -> Conflict | None:
    """`mention`: the articles giving a topic like the lead one (they include the stressing ones)."""
    first = per_article[stressing[0]]
    lead = first[0]
    omitting = [
        a
        for a, topics in per_article.items()
        if a not in mention and not _mostly_shared(first, topics, vocab)
    ]
    if not omitting:
        return None
    leads = [per_article[a][0] for a in stressing]
    others = [per_article[a][0] for a in omitting]
    topic = quoted(lead.topic or lead.evidence.quote, 60)

    def lists(a: str) -> str:
        return ", ".join(quoted(c.topic or c.evidence.quote, 60) for c in per_article[a])

    explanation = (
        f"{cap(event_name(event))}: {who(ctx, leads)} puts {topic} first ({ctx.label(stressing[0])} gives "
        f"{lists(stressing[0])}); {who(ctx, others)} does not mention it ({ctx.label(omitting[0])} gives "
        f"{lists(omitting[0])})."
    )
    sides = [side_of(c, f"topic: {c.topic or c.summary}") for c in first]
    sides += [side_of(c, f"topic: {c.topic or c.summary}") for c in per_article[omitting[0]]]
    for a in [*stressing[1:MAX_PER_VALUE], *omitting[1:MAX_PER_VALUE]]:
        sides.append(side_of(per_article[a][0], f"topic: {per_article[a][0].topic or ''}"))
    return make_conflict(ConflictKind.EMPHASIS, Severity.LOW, event.id, sides, explanation, DETECTOR)
