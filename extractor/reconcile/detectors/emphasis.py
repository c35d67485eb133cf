"""Different emphasis: two articles give one event topics where one stresses what the other omits.

S5: 004 opens the 14 June call with Trump's birthday; 000 lists the Middle East, a prisoner
exchange and negotiations. To stay quiet on ordinary variation, an article pair is flagged only
when both give topics for the event, the topic one of them puts first (its emphasis) is absent
from the other's topics, and at most half of the shorter list is shared. Topics match leniently by
content words. One conflict per event and article pair.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from extractor.reconcile.detectors import (
    DetectorContext,
    cap,
    covers,
    event_name,
    make_conflict,
    quoted,
    side_of,
    topic_position,
    topic_words,
)
from extractor.records import Claim, ClaimKind, Conflict, ConflictKind, Event, Severity

DETECTOR = "emphasis"


def detect(ctx: DetectorContext) -> list[Conflict]:
    out: list[Conflict] = []
    for eid, event in ctx.events.items():
        per_article: dict[str, list[Claim]] = defaultdict(list)
        for c in sorted(ctx.claims_of(eid, ClaimKind.TOPIC_DISCUSSED), key=topic_position):
            per_article[c.article_id].append(c)
        if len(per_article) < 2:
            continue
        vocab = {c.id: topic_words(c, event.participants) for cs in per_article.values() for c in cs}
        for a, b in combinations(sorted(per_article), 2):
            conflict = _pair(ctx, event, per_article[a], per_article[b], vocab)
            if conflict is not None:
                out.append(conflict)
    return out


def _missing(topics: list[Claim], other: list[Claim], vocab: dict[str, frozenset[str]]) -> list[Claim]:
    return [t for t in topics if not any(covers(vocab[t.id], vocab[o.id]) for o in other)]


def _pair(
    ctx: DetectorContext, event: Event, xs: list[Claim], ys: list[Claim], vocab: dict[str, frozenset[str]]
) -> Conflict | None:
    if not _missing(xs[:1], ys, vocab) and not _missing(ys[:1], xs, vocab):
        return None  # the usual case, decided cheaply: each account's first topic is in the other
    only_x, only_y = _missing(xs, ys, vocab), _missing(ys, xs, vocab)
    lead_x, lead_y = xs[0] in only_x, ys[0] in only_y
    shorter, only = (xs, only_x) if len(xs) <= len(ys) else (ys, only_y)
    if (len(shorter) - len(only)) * 2 > len(shorter):
        return None  # most topics are shared: a different first topic is ordinary variation

    def says(cs: list[Claim], only: list[Claim]) -> str:
        listed = ", ".join(quoted(c.topic or c.evidence.quote, 60) for c in cs)
        omitted = ", ".join(quoted(c.topic or c.evidence.quote, 60) for c in only)
        article = ctx.label(cs[0].article_id)
        return f"{article} gives {listed}" + (f" ({article} alone: {omitted})" if only else "")

    leads = [
        f"{ctx.label(cs[0].article_id)} puts {quoted(cs[0].topic or cs[0].evidence.quote, 60)} first"
        for cs, lead in ((xs, lead_x), (ys, lead_y))
        if lead
    ]
    explanation = (
        f"{cap(event_name(event))}: {says(xs, only_x)}; {says(ys, only_y)}. "
        f"{' and '.join(leads)}, which the other account does not mention."
    )
    sides = [side_of(c, f"topic: {c.topic or c.summary}") for c in [*xs, *ys]]
    return make_conflict(ConflictKind.EMPHASIS, Severity.LOW, event.id, sides, explanation, DETECTOR)
