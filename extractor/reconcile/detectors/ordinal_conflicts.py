"""Ordinals ("the sixth call this year") against each other and against the timeline.

An ordinal is read AS OF its event: only events of the same series on or before it count. So
"second" on 18 March and "sixth" on 3 July both hold (N1). Against the timeline only an excess is a
conflict: more earlier events than the ordinal allows. Fewer only means the rest went unreported.
An ordinal that placed its own undated event is consistent by construction and is skipped.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from extractor.reconcile.detectors import (
    MAX_SIDES,
    DetectorContext,
    cap,
    event_name,
    first_in_text,
    fmt_date,
    make_conflict,
    quoted,
    side_of,
)
from extractor.reconcile.resolve import ordinal_of
from extractor.reconcile.result import PlacementMethod
from extractor.records import Channel, Claim, ClaimKind, Conflict, ConflictKind, Event, OrdinalValue, Severity

DETECTOR = "ordinal_conflicts"
_SAME_SERIES_DAYS = 31  # "since January" and "this year" start the same series


def rank_as_of(ctx: DetectorContext, event: Event, v: OrdinalValue, channel: Channel) -> list[Event]:
    """The series events up to and including `event`, in date order, one per day (a same-day
    duplicate with an extra participant is not a second contact for the count)."""
    if event.date is None or v.series_start is None:
        return []
    series = ctx.timeline.series(event.participants, channel, v.series_start, event.date)
    return list({e.date: e for e in series}.values())


def detect(ctx: DetectorContext) -> list[Conflict]:
    out: list[Conflict] = []
    for eid, event in ctx.events.items():
        if event.date is None:
            continue
        if event.date_end is not None or len(event.participants) < 2:
            continue  # a month is no point in a series; one person's series mixes every counterpart
        ordinals = []
        for c in first_in_text(ctx.claims_of(eid, ClaimKind.ORDINAL)):
            v = ordinal_of(c, ctx.articles.get(c.article_id))
            # an ordinal that placed its own undated event agrees with the timeline by construction
            if v is not None and ctx.placements[c.id].method != PlacementMethod.ORDINAL:
                ordinals.append((c, v))
        out.extend(_against_each_other(ctx, event, ordinals))
        for c, v in ordinals:
            out.extend(_against_timeline(ctx, event, c, v))
    return out


_Ordinal = tuple[Claim, OrdinalValue]


def _against_each_other(ctx: DetectorContext, event: Event, ordinals: list[_Ordinal]) -> list[Conflict]:
    per_article: dict[str, list[_Ordinal]] = defaultdict(list)
    for c, v in ordinals:
        per_article[c.article_id].append((c, v))
    out = []
    for a, b in combinations(sorted(per_article), 2):
        for ca, va in per_article[a]:
            for cb, vb in per_article[b]:
                if va.rank == vb.rank or va.series_start is None or vb.series_start is None:
                    continue
                if abs((va.series_start - vb.series_start).days) > _SAME_SERIES_DAYS:
                    continue  # different series: "first since 2022" and "second this year" may both hold
                explanation = (
                    f"{cap(event_name(event))}: {ctx.label(a)} calls it {quoted(va.text)} "
                    f"(rank {va.rank}); {ctx.label(b)} calls it {quoted(vb.text)} (rank {vb.rank}), "
                    f"both counting from about {fmt_date(va.series_start)}."
                )
                sides = [side_of(ca, f"rank {va.rank}"), side_of(cb, f"rank {vb.rank}")]
                out.append(
                    make_conflict(
                        ConflictKind.ORDINAL, Severity.MEDIUM, event.id, sides, explanation, DETECTOR
                    )
                )
    return out


def _against_timeline(ctx: DetectorContext, event: Event, c: Claim, v: OrdinalValue) -> list[Conflict]:
    channel = event.channel if event.channel != Channel.UNKNOWN else c.event.channel
    if channel == Channel.UNKNOWN or event.date is None or v.series_start is None:
        return []
    series = rank_as_of(ctx, event, v, channel)
    if len(series) <= v.rank:
        return []
    earlier = ", ".join(fmt_date(e.date) for e in series if e.date is not None)
    explanation = (
        f"{ctx.label(c.article_id)} calls {event_name(event)} {quoted(v.text)} (rank {v.rank} since "
        f"{fmt_date(v.series_start)}), but the timeline already holds {len(series)} such events up to it: "
        f"{earlier}."
    )
    sides = [side_of(c, f"rank {v.rank}")]
    for e in series[-MAX_SIDES:]:
        rep = ctx.representative(e.id) if e.id != event.id else None
        if rep is not None:
            sides.append(side_of(rep, f"reports the event of {fmt_date(e.date or event.date)}"))
    return [make_conflict(ConflictKind.ORDINAL, Severity.MEDIUM, event.id, sides, explanation, DETECTOR)]
