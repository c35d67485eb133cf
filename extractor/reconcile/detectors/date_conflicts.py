"""One event dated differently by different reports (S1: 2 July in one, "on Thursday" = 3 July in another).

Resolution only puts two dates on one event when the match is unambiguous (one day apart, no other
event of the participants near, no article reporting both), so every difference left here is a
disagreement about the date of one event, not two events. One conflict per event, listing each
date with the articles that give it.
"""

from __future__ import annotations

import calendar
import datetime as dt

from extractor.normalise import weekday_matches
from extractor.reconcile.detectors import (
    MAX_PER_VALUE,
    DetectorContext,
    cap,
    channel_noun,
    event_name,
    first_in_text,
    fmt_date,
    make_conflict,
    quoted,
    side_of,
)
from extractor.reconcile.readings import claim_date, is_firm, month_days
from extractor.reconcile.result import PlacementMethod
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
        weekdays: list[Claim] = []
        for c in ctx.claims_of(eid):
            if c.kind == ClaimKind.STATEMENT:
                continue  # a date in a position or remark is when it was said or what it recalls
            d = claim_date(c)
            if d is not None and is_firm(d) and d.start is not None:
                if not _day(d) and event.date_end is None and d.start <= event.date <= (d.end or d.start):
                    continue  # "in May 2025" holds for a call of 19 May 2025
                by_date.setdefault((d.start, d.end or d.start), []).append(c)
                values[c.id] = d
            elif _weekday_against(c, event) is not None:
                weekdays.append(c)
        by_date, internal = _split_internal(by_date)
        for article_id, dates in internal.items():
            out.append(_internal(ctx, event, article_id, dates, values))
        if len(by_date) > 1 or weekdays:
            out.append(_conflict(ctx, event, by_date, values, weekdays))
    return out


def _weekday_against(c: Claim, event: Event) -> str | None:
    """A day the claim states for the event, with no date to fix which week or year, that is not the
    event's: "met Saturday" in an undated report of a Friday meeting, "on March 19" for 19 May."""
    d = claim_date(c)
    if d is None or d.resolved or event.date is None:
        return None
    if d.weekday_stated is not None:
        return None if weekday_matches(d.weekday_stated, event.date) else d.weekday_stated
    named = month_days(d.text)
    if named and (event.date.month, event.date.day) not in named:
        return d.text
    return None


# the claims that best place an event on the timeline: that it happened, then its rank in a series
_PLACING = {ClaimKind.EVENT: 0, ClaimKind.ORDINAL: 1}


def _day(d: DateValue) -> bool:
    return d.resolved and (d.end is None or d.end == d.start)


def _one_each(claims: list[Claim]) -> list[Claim]:
    """The first of each article's claims, keeping the order given."""
    seen: dict[str, Claim] = {}
    for c in claims:
        seen.setdefault(c.article_id, c)
    return list(seen.values())


def _best_first(claims: list[Claim]) -> list[Claim]:
    """The claims whose own words state the date first (an event claim before others), then by
    position: the side shown for a date is the sentence that gives it."""

    def states(c: Claim) -> bool:
        d = claim_date(c)
        return d is not None and d.text.lower() in c.evidence.quote.lower()

    return sorted(first_in_text(claims), key=lambda c: (c.kind != ClaimKind.EVENT, not states(c)))


def _weekday_fits(c: Claim, event: Event) -> bool:
    d = claim_date(c)
    if d is None or d.resolved or d.weekday_stated is None or event.date is None:
        return False
    return weekday_matches(d.weekday_stated, event.date)


def _split_internal(
    by_date: dict[tuple[dt.date, dt.date], list[Claim]],
) -> tuple[dict[tuple[dt.date, dt.date], list[Claim]], dict[str, list[tuple[dt.date, dt.date]]]]:
    """Dates given only by articles that also date the event otherwise are those articles' own
    inconsistency ("Thursday's call" and "agreed on Wednesday" after it), not another account."""
    dates_of: dict[str, set[tuple[dt.date, dt.date]]] = {}
    for key, claims in by_date.items():
        for c in claims:
            dates_of.setdefault(c.article_id, set()).add(key)
    internal: dict[str, list[tuple[dt.date, dt.date]]] = {}
    kept = {}
    for key, claims in by_date.items():
        arts = {c.article_id for c in claims}
        # most claims of the article on one date: the others are its inconsistency
        if all(len(dates_of[a]) > 1 for a in arts) and all(
            sum(1 for c in by_date[key] if c.article_id == a)
            < max(sum(1 for c in by_date[k] if c.article_id == a) for k in dates_of[a] if k != key)
            for a in arts
        ):
            for a in arts:
                internal.setdefault(a, []).append(key)
            continue
        kept[key] = claims
    return kept, internal


def _internal(
    ctx: DetectorContext,
    event: Event,
    article_id: str,
    odd: list[tuple[dt.date, dt.date]],
    values: dict[str, DateValue],
) -> Conflict:
    mine = [c for c in ctx.claims_of(event.id) if c.article_id == article_id and c.id in values]
    odd_claims = [c for c in mine if (values[c.id].start, values[c.id].end or values[c.id].start) in odd]
    main = [c for c in mine if c not in odd_claims]
    noun = channel_noun(event.channel)
    main_c, odd_c = first_in_text(main)[0], first_in_text(odd_claims)[0]
    m, o = values[main_c.id], values[odd_c.id]
    explanation = (
        f"{ctx.label(article_id)} dates the {noun} {_when(m)} ({quoted(m.text)}) but also says "
        f"{quoted(o.text)}, i.e. {_when(o)}, of it."
    )
    sides = [side_of(main_c, f"dates the {noun} {_when(m)}"), side_of(odd_c, f"dates it {_when(o)}")]
    return make_conflict(ConflictKind.INTERNAL, Severity.MEDIUM, event.id, sides, explanation, DETECTOR)


def _conflict(
    ctx: DetectorContext,
    event: Event,
    by_date: dict[tuple[dt.date, dt.date], list[Claim]],
    values: dict[str, DateValue],
    weekdays: list[Claim],
) -> Conflict:
    noun = channel_noun(event.channel)
    phrases: list[str] = []
    reps: list[_Dated] = []
    for key in sorted(by_date):
        # an "event" claim states the date most directly; otherwise the first mention in the text
        per_article = _one_each(_best_first(by_date[key]))
        c = per_article[0]
        others = len(per_article) - 1
        more = f" (so do {others} more articles)" if others else ""
        phrases.append(_phrase(ctx, c, values[c.id], noun) + more)
        reps.extend((x, values[x.id]) for x in per_article[:MAX_PER_VALUE])
    day_only = all(_day(d) for _, d in reps)
    sides = [side_of(c, f"dates the {noun} {_when(d)}") for c, d in reps]
    assert event.date is not None
    # reports placed on the event that state no day of their own support its day too
    shown = {x.article_id for x, _ in reps}
    against = {c.article_id for c in weekdays}
    dated_by_article = [
        c
        for c in ctx.claims_of(event.id)
        if ctx.placements[c.id].method in (PlacementMethod.ARTICLE_DATE, PlacementMethod.EVIDENCE)
        and c.kind != ClaimKind.STATEMENT
        and c.article_id not in shown
        and c.article_id not in against
        and not is_firm(claim_date(c))
        and _weekday_against(c, event) is None
        and not _weekday_fits(c, event)
    ]
    per = _one_each(sorted(first_in_text(dated_by_article), key=lambda c: _PLACING.get(c.kind, 2)))
    names = ", ".join(ctx.label(c.article_id) for c in per[:MAX_PER_VALUE])
    if not reps:
        phrases.append(f"it is dated {fmt_date(event.date)}")
    if names:
        phrases.append(f"{names} state no day of their own")
    sides += [side_of(c, f"states no day; placed on {fmt_date(event.date)}") for c in per[:MAX_PER_VALUE]]
    actual = calendar.day_name[event.date.weekday()]
    # undated reports whose weekday fits the event's date support it, and are shown as such
    fitting = [
        c
        for c in ctx.claims_of(event.id)
        if _weekday_fits(c, event) and c.article_id not in {x.article_id for x, _ in reps}
    ]
    for c in _one_each(_best_first(fitting))[:MAX_PER_VALUE]:
        d = claim_date(c)
        sides.append(side_of(c, f"says {d.text if d else actual}, which fits {fmt_date(event.date)}"))
    for c in _one_each(_best_first(weekdays))[:MAX_PER_VALUE]:
        said = _weekday_against(c, event) or ""
        text = (claim_date(c) or c.event.date) and (claim_date(c) or c.event.date).text  # type: ignore[union-attr]
        but = f"it was a {actual}" if said in calendar.day_name else f"it was {fmt_date(event.date)}"
        phrases.append(f"{ctx.label(c.article_id)} says {quoted(text or said)}, but {but}")
        sides.append(side_of(c, f"says {said}"))
    kept = f" The event is kept on {fmt_date(event.date)}: {event.date_basis}." if event.date else ""
    explanation = f"{cap(event_name(event))}: " + "; ".join(phrases) + "." + kept
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
    art = ctx.articles.get(c.article_id)
    basis = (art.published_basis or "") if art is not None else ""
    if pub is None:
        published = ""
    elif basis.startswith("inferred: "):
        published = f" (dated {pub.isoformat()} by {basis.removeprefix('inferred: ')})"
    else:
        published = f" (published {pub.isoformat()})"
    return f"{label}{published} says {quoted(d.text)}, i.e. {_when(d)}"
