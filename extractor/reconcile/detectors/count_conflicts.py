"""Counts of contacts that cannot both hold: against each other, and against the timeline.

S3: "six meetings and ... approximately two dozen" calls in 2017-2021 (about 30 in four years)
against "on average five times a year, including face-to-face meetings" (about 20). One article's
meeting and call counts over one window are summed when the other counts all contacts; rates are
turned into totals with the window's length in years; approximate figures keep a margin.

Against the timeline only an excess is a conflict: if the timeline holds more events in the window
than the count allows, the count is short. Fewer events only means nobody reported the rest (N2).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from extractor.normalise import find_counts
from extractor.reconcile.detectors import (
    MAX_PER_VALUE,
    MAX_SIDES,
    DetectorContext,
    first_in_text,
    fmt_date,
    make_conflict,
    one_per_article,
    quoted,
    side_of,
    surname,
    who,
    words,
)
from extractor.reconcile.readings import is_firm
from extractor.records import (
    Article,
    Channel,
    Claim,
    Conflict,
    ConflictKind,
    ConflictSide,
    CountValue,
    Severity,
)
from extractor.textnorm import normalise_for_match

DETECTOR = "count_conflicts"
ALL = frozenset({Channel.MEETING, Channel.PHONE_CALL, Channel.VISIT})
# the normaliser's canonical units; "conversations", "talks" and "events" take the claim's channel
_UNITS = {
    "calls": frozenset({Channel.PHONE_CALL}),
    "meetings": frozenset({Channel.MEETING}),
    "summits": frozenset({Channel.MEETING}),
    "visits": frozenset({Channel.VISIT}),
    "contacts": ALL,
    "exchanges": ALL,
    "encounters": ALL,
    "interactions": ALL,
}
_PER_YEARS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}
_MARGIN = 0.2  # "approximately", "on average": ±20% unless the normaliser already gave a range
# words that place a window in time relative to the writer, not what the window is
_DEICTIC = frozenset("previous last first current past next recent former whole entire".split())


@dataclass
class _Count:
    claim: Claim
    value: CountValue
    scope: frozenset[Channel]


def scope(claim: Claim, v: CountValue) -> frozenset[Channel]:
    # "five times a year, including face-to-face meetings" counts every kind of contact
    if re.search(r"\bincluding\b[^.;]*\b(meetings?|face-to-face|in person)\b", claim.evidence.quote, re.I):
        return ALL
    if v.unit.lower() in _UNITS:
        return _UNITS[v.unit.lower()]
    if claim.event.channel in ALL:
        return frozenset({claim.event.channel})
    return ALL


def count_of(claim: Claim, article: Article | None) -> CountValue | None:
    """The claim's count with its unit and window read from the whole quote.

    A count read from its phrase alone ("approximately two dozen times") has lost the verb that
    gives its unit ("spoke by telephone") and the window ("in 2017-2021") elsewhere in the
    sentence; the quote is read again and the same count taken. A window still missing is the
    claim's event date, which for a count is its window.
    """
    v = claim.value
    if not isinstance(v, CountValue):
        return None
    if v.window_start is None or v.unit == "events":
        anchor = article.published if article is not None else None
        key = normalise_for_match(v.text).lower()
        for _s, _e, found in find_counts(claim.evidence.quote, anchor):
            text = normalise_for_match(found.text).lower()
            if found.value == v.value and (key in text or text in key):
                v = found
                break
    date = claim.event.date
    if v.window_start is None and date is not None and is_firm(date):
        v = v.model_copy(
            update={
                "window_start": date.start,
                "window_end": date.end or date.start,
                "window_text": v.window_text or date.text,
            }
        )
    if v.window_text is None and claim.event.date_text:
        v = v.model_copy(update={"window_text": claim.event.date_text})
    return v


def years(start: dt.date, end: dt.date) -> float:
    # "2017-2021" (a term) is four years, not five: a span of whole years is read as end minus start
    if start.month == start.day == 1 and end.year > start.year and (end.month, end.day) in ((1, 1), (12, 31)):
        return float(end.year - start.year)
    return max((end - start).days + 1, 1) / 365.25


def bounds(v: CountValue, span_years: float | None) -> tuple[float, float] | None:
    lo, hi = v.low, v.high
    if v.per:
        per = _PER_YEARS.get(v.per.lower().strip().rstrip("s"))
        if per is None or span_years is None:
            return None
        lo, hi = lo * span_years / per, hi * span_years / per
    if (v.approximate or v.per) and lo == hi:
        lo, hi = lo * (1 - _MARGIN), hi * (1 + _MARGIN)
    return lo, hi


def _rng(b: tuple[float, float]) -> str:
    lo, hi = round(b[0], 1), round(b[1], 1)
    return f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"


def detect(ctx: DetectorContext) -> list[Conflict]:
    by_pair: dict[tuple[str, ...], dict[str, list[_Count]]] = defaultdict(lambda: defaultdict(list))
    against: dict[tuple[tuple[str, ...], tuple[object, ...]], list[_Count]] = defaultdict(list)
    for c in first_in_text(ctx.series_claims):
        pkey = tuple(sorted(set(c.event.participants)))
        value = count_of(c, ctx.articles.get(c.article_id))
        if len(pkey) < 2 or value is None:
            continue
        item = _Count(c, value, scope(c, value))
        by_pair[pkey][c.article_id].append(item)
        against[(pkey, _signature([item]))].append(item)
    out: list[Conflict] = []
    for (pkey, _), items in against.items():  # one check per distinct count, however often repeated
        out.extend(_against_timeline(ctx, pkey, items))
    for pkey, per_article in by_pair.items():
        # articles giving the same counts are compared once, as one group
        groups: dict[tuple[object, ...], list[str]] = defaultdict(list)
        for article in sorted(per_article):
            groups[_signature(per_article[article])].append(article)
        for ga, gb in combinations(groups.values(), 2):
            more = ([per_article[a][0].claim for a in ga[1:]], [per_article[b][0].claim for b in gb[1:]])
            out.extend(_between(ctx, pkey, per_article[ga[0]], per_article[gb[0]], more))
    return out


def _signature(items: list[_Count]) -> tuple[object, ...]:
    return tuple(
        sorted(
            (
                normalise_for_match(it.value.text).lower(),
                it.value.low,
                it.value.high,
                it.value.per,
                it.value.window_start,
                it.value.window_end,
                it.value.window_text,
                tuple(sorted(it.scope)),
            )
            for it in items
        )
    )


def _window_words(item: _Count) -> frozenset[str]:
    return words(item.value.window_text, item.claim.event.participants) - _DEICTIC


def _same_window(x: _Count, y: _Count) -> tuple[dt.date, dt.date] | bool | None:
    """The shared dated window, True when both are undated with the same text, else None."""
    vx, vy = x.value, y.value
    if vx.window_start and vx.window_end and vy.window_start and vy.window_end:
        lo, hi = max(vx.window_start, vy.window_start), min(vx.window_end, vy.window_end)
        longest = max((vx.window_end - vx.window_start).days, (vy.window_end - vy.window_start).days, 1)
        return (vx.window_start, vx.window_end) if (hi - lo).days >= 0.8 * longest else None
    for dated, vague in ((x, y), (y, x)):
        dv = dated.value
        if dv.window_start and dv.window_end and not (vague.value.window_start and vague.value.window_end):
            # "the previous presidential term" is the window of "Trump's first presidential term in
            # 2017-2021" when its content words all occur in the dated claim
            want = _window_words(vague)
            have = words(f"{dv.window_text or ''} {dated.claim.evidence.quote}")
            return (dv.window_start, dv.window_end) if want and want <= have else None
    tx, ty = _window_words(x), _window_words(y)
    return (bool(tx) and tx == ty) or None


def _bundles(items: list[_Count]) -> dict[tuple[object, ...], list[_Count]]:
    out: dict[tuple[object, ...], list[_Count]] = defaultdict(list)
    for it in items:
        v = it.value
        out[(v.window_start, v.window_end, v.window_text)].append(it)
    return out


_Total = tuple[tuple[float, float], list[_Count]]  # (low, high) and the claims summed into it


def _totals(items: list[_Count], span: float | None) -> dict[frozenset[Channel], _Total]:
    per_scope: dict[frozenset[Channel], _Total] = {}
    for it in items:
        b = bounds(it.value, span)
        if b is not None and it.scope not in per_scope:  # the same scope twice is a repetition
            per_scope[it.scope] = (b, [it])
    parts = [s for s in per_scope if len(s) == 1]
    if ALL not in per_scope and len(parts) >= 2:
        lo = sum(per_scope[s][0][0] for s in parts)
        hi = sum(per_scope[s][0][1] for s in parts)
        per_scope[ALL] = ((lo, hi), [it for s in parts for it in per_scope[s][1]])
    return per_scope


_More = tuple[list[Claim], list[Claim]]  # the first claims of other articles giving the same counts


def _between(
    ctx: DetectorContext, pkey: tuple[str, ...], xs: list[_Count], ys: list[_Count], more: _More
) -> list[Conflict]:
    out = []
    for bx in _bundles(xs).values():
        for by in _bundles(ys).values():
            window = _same_window(bx[0], by[0])
            if window is None or window is False:
                continue
            span = years(*window) if isinstance(window, tuple) else None
            tx, ty = _totals(bx, span), _totals(by, span)
            for sc in sorted(set(tx) & set(ty), key=len, reverse=True):
                (bx_, cx), (by_, cy) = tx[sc], ty[sc]
                if bx_[0] <= by_[1] and by_[0] <= bx_[1]:
                    break  # the widest shared scope agrees: narrower ones add nothing
                out.append(_count_conflict(ctx, pkey, sc, window, span, (bx_, cx), (by_, cy), more))
                break
    return out


def _describe(ctx: DetectorContext, items: list[_Count], b: tuple[float, float], more: list[Claim]) -> str:
    parts = " + ".join(quoted(it.value.text, 60) for it in items)
    v = items[0].value
    where = f" over {quoted(v.window_text, 60)}" if v.window_text else ""
    return f"{who(ctx, [items[0].claim, *more])} says {parts}{where}: {_rng(b)}"


def _count_conflict(
    ctx: DetectorContext,
    pkey: tuple[str, ...],
    sc: frozenset[Channel],
    window: tuple[dt.date, dt.date] | bool,
    span: float | None,
    x: tuple[tuple[float, float], list[_Count]],
    y: tuple[tuple[float, float], list[_Count]],
    more: _More,
) -> Conflict:
    pair = "–".join(surname(p) for p in pkey)
    what = "contacts" if sc == ALL else "+".join(sorted(ch.value for ch in sc))
    when = ""
    if isinstance(window, tuple):
        when = f" from {fmt_date(window[0])} to {fmt_date(window[1])} ({span:g} years)"
    explanation = (
        f"{pair} {what}{when}: {_describe(ctx, x[1], x[0], more[0])}; {_describe(ctx, y[1], y[0], more[1])}. "
        "The ranges (with a margin for approximate figures and averages) do not overlap."
    )
    sides = [side_of(it.claim, f"counts {it.value.text}") for it in [*x[1], *y[1]]]
    sides += [side_of(c, f"counts {c.evidence.quote}") for c in [*more[0], *more[1]][:MAX_PER_VALUE]]
    return make_conflict(ConflictKind.COUNT, Severity.MEDIUM, None, sides, explanation, DETECTOR)


def _against_timeline(ctx: DetectorContext, pkey: tuple[str, ...], items: list[_Count]) -> list[Conflict]:
    item = items[0]
    v = item.value
    if not (v.window_start and v.window_end):
        return []
    b = bounds(v, years(v.window_start, v.window_end))
    if b is None:
        return []
    events = {
        e.id: e for ch in item.scope for e in ctx.timeline.series(pkey, ch, v.window_start, v.window_end)
    }
    # distinct days, not events: one article's meeting "which also included Lavrov and Tillerson" is
    # the same day's meeting, and undercounting can only hide a conflict, never invent one
    days_held = {e.date for e in events.values()}
    if len(days_held) <= b[1] + 1e-9:
        return []
    listed = sorted({e.date: e for e in events.values()}.values(), key=lambda e: e.date or dt.date.min)
    claims = one_per_article(it.claim for it in items)
    sides: list[ConflictSide] = [side_of(c, f"counts {v.text}") for c in claims[:MAX_PER_VALUE]]
    for e in listed[:MAX_SIDES]:
        rep = ctx.representative(e.id)
        if rep is not None:
            sides.append(side_of(rep, f"reports the event of {fmt_date(e.date or dt.date.min)}"))
    days = ", ".join(
        f"{fmt_date(e.date)} ({', '.join(ctx.label(a) for a in e.article_ids[:3])}"
        f"{'…' if len(e.article_ids) > 3 else ''})"
        for e in listed
        if e.date
    )
    explanation = (
        f"{who(ctx, claims)} says {quoted(v.text)} between {fmt_date(v.window_start)} and "
        f"{fmt_date(v.window_end)} (at most {_rng((b[1], b[1]))}); "
        f"the timeline holds {len(days_held)}: {days}."
    )
    return [make_conflict(ConflictKind.COUNT, Severity.MEDIUM, None, sides, explanation, DETECTOR)]
