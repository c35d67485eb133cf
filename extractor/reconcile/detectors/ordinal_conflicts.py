"""Ordinals ("the sixth call this year") against each other and against the timeline.

An ordinal is read AS OF its event: only events of the same series on or before it count. So
"second" on 18 March and "sixth" on 3 July both hold (N1). Against the timeline only an excess is a
conflict: more earlier events than the ordinal allows. Fewer only means the rest went unreported.
An ordinal that placed its own undated event is consistent by construction and is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import combinations

from extractor.reconcile.detectors import (
    MAX_PER_VALUE,
    MAX_SIDES,
    DetectorContext,
    cap,
    event_name,
    first_in_text,
    fmt_date,
    make_conflict,
    one_per_article,
    quoted,
    side_of,
    who,
)
from extractor.reconcile.readings import named_start, ordinal_of
from extractor.reconcile.result import PlacementMethod
from extractor.records import Channel, Claim, ClaimKind, Conflict, ConflictKind, Event, OrdinalValue, Severity

DETECTOR = "ordinal_conflicts"
_SAME_SERIES_DAYS = 31  # "since January" and "this year" start the same series


def rank_as_of(ctx: DetectorContext, event: Event, series_start: dt.date, channel: Channel) -> list[Event]:
    """The series events up to and including `event`, in date order, one per day (a same-day
    duplicate with an extra participant is not a second contact for the count)."""
    if event.date is None:
        return []
    series = ctx.timeline.series(event.participants, channel, series_start, event.date)
    return list({e.date: e for e in series}.values())


def detect(ctx: DetectorContext) -> list[Conflict]:
    out: list[Conflict] = []
    for eid, event in ctx.events.items():
        if event.date is None or event.date_end is not None or len(event.participants) < 2:
            continue  # a month is no point in a series; one person's series mixes every counterpart
        by_value: dict[tuple[int, dt.date], list[Claim]] = defaultdict(list)
        for c in first_in_text(ctx.claims_of(eid, ClaimKind.ORDINAL)):
            v = ordinal_of(c, ctx.articles.get(c.article_id))
            # an ordinal that placed its own undated event agrees with the timeline by construction;
            # one without a series start ("the first contact in three years") cannot be checked
            if v is None or v.series_start is None or ctx.placements[c.id].method == PlacementMethod.ORDINAL:
                continue
            by_value[(v.rank, v.series_start)].append(c)
        groups = {k: one_per_article(cs) for k, cs in sorted(by_value.items())}
        out.extend(_against_each_other(ctx, event, groups))
        for (rank, start), claims in groups.items():
            out.extend(_against_timeline(ctx, event, claims, rank, series_after(claims[0], rank, start)))
    return out


def series_after(claim: Claim, rank: int, start: dt.date) -> dt.date:
    """Where a series really starts. "The first call since September 2022" says the previous call was
    in September 2022: "since X" excludes the event X names, so that series starts after X."""
    named = named_start(claim) if rank == 1 else None
    if named is None or named.end is None:
        return start
    return max(start, named.end + dt.timedelta(days=1))


def _against_each_other(
    ctx: DetectorContext, event: Event, groups: dict[tuple[int, dt.date], list[Claim]]
) -> list[Conflict]:
    out = []
    for (ra, sa), (rb, sb) in combinations(groups, 2):
        xs, ys = groups[(ra, sa)], groups[(rb, sb)]
        if ra == rb or abs((sa - sb).days) > _SAME_SERIES_DAYS:
            continue  # different series: "first since 2022" and "second this year" may both hold
        if {c.article_id for c in xs} == {c.article_id for c in ys}:
            continue
        explanation = (
            f"{cap(event_name(event))}: {who(ctx, xs)} calls it {quoted(_text(xs[0]))} (rank {ra}); "
            f"{who(ctx, ys)} calls it {quoted(_text(ys[0]))} (rank {rb}), "
            f"both counting from about {fmt_date(min(sa, sb))}."
        )
        sides = [side_of(c, f"rank {ra}") for c in xs[:MAX_PER_VALUE]]
        sides += [side_of(c, f"rank {rb}") for c in ys[:MAX_PER_VALUE]]
        out.append(
            make_conflict(ConflictKind.ORDINAL, Severity.MEDIUM, event.id, sides, explanation, DETECTOR)
        )
    return out


def _text(c: Claim) -> str:
    return c.value.text if isinstance(c.value, OrdinalValue) else c.evidence.quote


def _against_timeline(
    ctx: DetectorContext, event: Event, claims: list[Claim], rank: int, start: dt.date
) -> list[Conflict]:
    c = claims[0]
    channel = event.channel if event.channel != Channel.UNKNOWN else c.event.channel
    if channel == Channel.UNKNOWN or event.date is None:
        return []
    series = rank_as_of(ctx, event, start, channel)
    if len(series) <= rank:
        return []  # fewer events than the rank: the timeline may simply be incomplete
    earlier = ", ".join(fmt_date(e.date) for e in series if e.date is not None)
    explanation = (
        f"{who(ctx, claims)} calls {event_name(event)} {quoted(_text(c))} (rank {rank} since "
        f"{fmt_date(start)}), but the timeline already holds {len(series)} such events up to it: {earlier}."
    )
    sides = [side_of(x, f"rank {rank}") for x in claims[:MAX_PER_VALUE]]
    for e in series[-MAX_SIDES:]:
        rep = ctx.representative(e.id) if e.id != event.id else None
        if rep is not None:
            sides.append(side_of(rep, f"reports the event of {fmt_date(e.date or event.date)}"))
    return [make_conflict(ConflictKind.ORDINAL, Severity.MEDIUM, event.id, sides, explanation, DETECTOR)]
