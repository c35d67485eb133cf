"""Windows over a subject that two reports of one event cannot both state: "the lack of a direct line
between the militaries over the past three years" against "military contacts that China severed after
... August 2022" (about 15 months before the meeting).

A *window* is a span back from the event ("over the past three years", "for the last two years");
a *start* is a date after which something stopped or began ("severed after August 2022", "suspended
since March 2023"). The two are compared only when they come from different reports of one event
and their words share a subject (a content word, compared by its stem, that is not a participant's
name); and only a window that no day of the start can fit is flagged.
"""

from __future__ import annotations

import datetime as dt
import re

from extractor.normalise import find_dates, find_spans, span_consistent
from extractor.reconcile.detectors import (
    DetectorContext,
    event_name,
    first_in_text,
    fmt_date,
    make_conflict,
    quoted,
    side_of,
)
from extractor.records import Claim, ClaimKind, Conflict, ConflictKind, Event, Severity

DETECTOR = "windows"
_WINDOW = re.compile(r"\b(?:over|in|for|during)\s+the\s+(?:past|last|previous)\s+$", re.IGNORECASE)
_STOPPED = re.compile(
    r"\b(?:severed|suspended|cut|halted|stopped|frozen|broke\s+off|ended|paused|cancel+ed)\b[^.;]{0,80}?"
    r"\b(?:after|since|in)\s+$",
    re.IGNORECASE,
)
_STEM = 6
_COMMON = frozenset(
    """about after again against among because before being between could during their there these
    those through under which while would should other leaders leader president presidents countries
    country government governments official officials talks contacts contact dialogue communication
    communications relations negotiations meetings meeting calls ties cooperation channels channel
    exchanges lines""".split()
)


def _stems(text: str, names: set[str]) -> set[str]:
    # the subject is what the talks or contacts were about ("military", "trade"), not that they were
    words = re.findall(r"[a-z]{5,}", text.lower())
    return {w[:_STEM] for w in words if w not in _COMMON and w not in names}


_MAYBE_WINDOW = re.compile(r"\b(?:past|last|previous)\s+(?:\w+\s+){0,3}?(?:years?|months?|weeks?)\b", re.I)
_MAYBE_STOP = re.compile(
    r"\b(?:severed|suspended|cut|halted|stopped|frozen|broke\s+off|ended|paused|cancel+ed)\b", re.I
)


def _window(c: Claim) -> tuple[str, dt.date | None] | None:
    if not _MAYBE_WINDOW.search(c.evidence.quote):
        return None  # cheap test first: most claims state no window
    for start, end, _span in find_spans(c.evidence.quote):
        if _WINDOW.search(c.evidence.quote[:start]):
            return c.evidence.quote[start:end], None
    return None


def _stop(c: Claim) -> tuple[str, dt.date, dt.date] | None:
    if not _MAYBE_STOP.search(c.evidence.quote):
        return None
    for start, _end, d in find_dates(c.evidence.quote):
        if d.resolved and d.start and d.end and _STOPPED.search(c.evidence.quote[:start]):
            return d.text, d.start, d.end
    return None


def detect(ctx: DetectorContext) -> list[Conflict]:
    out: list[Conflict] = []
    for eid, event in ctx.events.items():
        if event.date is None or event.date_end is not None:
            continue
        claims = [c for c in first_in_text(ctx.claims_of(eid)) if c.kind != ClaimKind.EVENT]
        windows = [(c, w) for c in claims if (w := _window(c))]
        stops = [(c, s) for c in claims if (s := _stop(c))] if windows else []
        if windows and stops:
            out.extend(_compare(ctx, event, windows, stops))
    return out


def _compare(
    ctx: DetectorContext,
    event: Event,
    windows: list[tuple[Claim, tuple[str, dt.date | None]]],
    stops: list[tuple[Claim, tuple[str, dt.date, dt.date]]],
) -> list[Conflict]:
    assert event.date is not None
    names = {part.lower() for p in event.participants for part in p.split()}
    out = []
    for w, (phrase, _) in windows:
        for s, (text, first, last) in stops:
            if w.article_id == s.article_id:
                continue
            shared = _stems(w.evidence.quote, names) & _stems(s.evidence.quote, names)
            if not shared:
                continue  # not about the same subject
            try:
                if any(
                    span_consistent(phrase, day, event.date)
                    for day in (first, first + (last - first) / 2, last)
                ):
                    continue
            except ValueError:
                continue
            months = (event.date - last).days / 30.44
            explanation = (
                f"For {event_name(event)}, {ctx.label(w.article_id)} speaks of {quoted(phrase)} "
                f"({quoted(w.evidence.quote, 80)}); {ctx.label(s.article_id)} dates the start "
                f"{quoted(text)}, about {months:.0f} months before {fmt_date(event.date)}."
            )
            sides = [side_of(w, f"a window of {phrase}"), side_of(s, f"since {text}")]
            out.append(
                make_conflict(ConflictKind.ORDINAL, Severity.MEDIUM, event.id, sides, explanation, DETECTOR)
            )
    return out
