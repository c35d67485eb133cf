"""Builds Article and Claim records directly, so reconciler tests need no model, importer or database.

Values are written out by hand with the normaliser's conventions ("nearly an hour" is [45, 60),
"approximately two dozen" is [20, 28]), so a detector test says exactly what it feeds the detector.
Quotes are looked up in the article text, so offsets are real when the text holds the quote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypedDict

from extractor.reconcile import StatementComparer
from extractor.reconcile.detectors import DetectorContext
from extractor.reconcile.resolve import resolve
from extractor.reconcile.timeline import TimelineIndex
from extractor.records import (
    Article,
    Attribution,
    Channel,
    Claim,
    ClaimKind,
    CountValue,
    DatePrecision,
    DateValue,
    DurationQualifier,
    DurationValue,
    EventRef,
    Evidence,
    GroundingStatus,
    OrdinalValue,
    Origin,
    SideKind,
    Value,
    claim_id_for,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TRUMP_PUTIN = ("Donald Trump", "Vladimir Putin")
MACRON_PUTIN = ("Emmanuel Macron", "Vladimir Putin")
CALL = Channel.PHONE_CALL

SEED_FILES = {
    "000": "000_8d948d0d75002828.txt",
    "001": "001_9c5fcfdce62e093a.txt",
    "002": "002_a9cd37bf453c0c8e.txt",
    "003": "003_d399de622995a746.txt",
    "004": "004_a44e26b8cb7867dd.txt",
}


def article(
    name: str, text: str | None = None, published: dt.date | None = None, outlet: str | None = None
) -> Article:
    """A seed by its number ("004") read from seeds/, or any text under a made-up file name."""
    if text is None:
        file = SEED_FILES[name]
        text = (SEEDS / file).read_text(encoding="utf-8")
        source = f"seeds/{file}"
    else:
        source = f"articles/{name}.txt"
    return Article.from_text(text, source=source, published=published, outlet=outlet)


def claim(
    art: Article,
    kind: ClaimKind | str,
    quote: str,
    *,
    participants: Sequence[str] = TRUMP_PUTIN,
    channel: Channel = CALL,
    date: DateValue | None = None,
    date_text: str | None = None,
    value: Value | None = None,
    topic: str | None = None,
    side: str | None = None,
    side_kind: SideKind = SideKind.OUTLET,
    speaker: str | None = None,
    summary: str = "",
    at: int | None = None,
) -> Claim:
    kind = ClaimKind(kind)
    start = art.text.find(quote) if at is None else at
    found = start >= 0
    if kind == ClaimKind.EVENT and date is not None and value is None:
        value = date
    return Claim(
        id=claim_id_for(art.id, kind.value, quote, topic),
        article_id=art.id,
        kind=kind,
        attribution=Attribution(
            speaker=speaker,
            chain=[c for c in (speaker, side) if c],
            side=side or art.outlet or art.source,
            side_kind=side_kind,
        ),
        event=EventRef(
            participants=sorted(participants),
            channel=channel,
            date_text=date.text if date is not None else date_text,
            date=date,
        ),
        value=value,
        topic=topic,
        summary=summary,
        evidence=Evidence(
            quote=quote,
            start=start if found else None,
            end=start + len(quote) if found else None,
            status=GroundingStatus.VERIFIED if found else GroundingStatus.NOT_FOUND,
            score=1.0 if found else 0.0,
        ),
        origin=Origin(source="gold"),
    )


class Official(TypedDict):
    side: str
    side_kind: SideKind


def official(side: str) -> Official:
    return {"side": side, "side_kind": SideKind.OFFICIAL}


# values ---------------------------------------------------------------------------------------------


def day(
    y: int,
    m: int,
    d: int,
    text: str | None = None,
    *,
    basis: str = "date stated in full",
    weekday: str | None = None,
) -> DateValue:
    date = dt.date(y, m, d)
    matches = None if weekday is None else date.strftime("%A").lower() == weekday.lower()
    return DateValue(
        text=text or f"{date:%B} {d}, {y}",
        start=date,
        end=date,
        precision=DatePrecision.DAY,
        resolved=True,
        basis=basis,
        weekday_stated=weekday,
        weekday_matches=matches,
    )


def relative_day(y: int, m: int, d: int, text: str, anchor: dt.date) -> DateValue:
    return day(y, m, d, text, basis=f"relative ({text!r}) to the anchor {anchor.isoformat()}")


def month(y: int, m: int, text: str | None = None) -> DateValue:
    start = dt.date(y, m, 1)
    end = dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
    return DateValue(
        text=text or f"{start:%B %Y}",
        start=start,
        end=end,
        precision=DatePrecision.MONTH,
        resolved=True,
        basis="month and year stated",
    )


def unresolved(text: str, weekday: str | None = None) -> DateValue:
    return DateValue(
        text=text,
        precision=DatePrecision.DAY,
        resolved=False,
        weekday_stated=weekday,
        basis=f"relative ({text!r}); no publication date to anchor it",
    )


def duration(text: str, low: float, high: float | None, qualifier: DurationQualifier) -> DurationValue:
    minutes = high if qualifier in (DurationQualifier.NEARLY, DurationQualifier.UNDER) and high else low
    if qualifier == DurationQualifier.OVER:
        minutes = low
    return DurationValue(text=text, minutes=minutes, low=low, high=high, qualifier=qualifier)


def count(
    text: str,
    value: float,
    *,
    low: float | None = None,
    high: float | None = None,
    unit: str = "calls",
    per: str | None = None,
    window: tuple[dt.date, dt.date] | None = None,
    window_text: str | None = None,
    approximate: bool = False,
) -> CountValue:
    return CountValue(
        text=text,
        value=value,
        low=value if low is None else low,
        high=value if high is None else high,
        approximate=approximate,
        unit=unit,
        per=per,
        window_text=window_text,
        window_start=window[0] if window else None,
        window_end=window[1] if window else None,
    )


def ordinal(
    text: str,
    rank: int,
    series_start: dt.date | None = None,
    series_start_text: str | None = None,
    series: str = "call",
) -> OrdinalValue:
    return OrdinalValue(
        text=text, rank=rank, series=series, series_start=series_start, series_start_text=series_start_text
    )


# running a detector on its own ---------------------------------------------------------------------


def context(
    claims: list[Claim], articles: list[Article], comparer: StatementComparer | None = None
) -> DetectorContext:
    r = resolve(claims, articles)
    return DetectorContext(
        events={e.id: e for e in r.events},
        claims_by_event=r.claims_by_event,
        series_claims=r.series_claims,
        placements={p.claim_id: p for p in r.placements},
        articles={a.id: a for a in articles},
        timeline=TimelineIndex(r.events),
        comparer=comparer,
    )


def call_on(
    art: Article, date: DateValue, quote: str | None = None, people: Sequence[str] = TRUMP_PUTIN, **kw: Any
) -> Claim:
    """An event claim: a call between `people` on `date` (the quote defaults to the date text)."""
    return claim(art, ClaimKind.EVENT, quote or date.text, participants=people, date=date, **kw)
