"""Durations of calls and meetings (minutes) and long spans between events (days).

Conventions. A stated figure X with a qualifier becomes an interval; its ends are open or closed by
qualifier (`interval_bounds`), so two values *agree* when their intervals share a point:

=========  =====================================  ================  ====================
qualifier  words                                  interval          "an hour" (minutes)
=========  =====================================  ================  ====================
EXACT      "50 minutes", "hour-and-a-half"        [X, X]            [60, 60]
ABOUT      about, around, approximately, roughly  [0.8X, 1.2X]      [48, 72]
NEARLY     nearly, almost, just under, close to   [0.75X, X)        [45, 60)
OVER       over, more than, longer than, at least (X, 1.5X)         (60, 90)
UNDER      under, less than, up to, no more than  [0, X)            [0, 60)
RANGE      "10 to 15 minutes", "30-45 minutes"    [a, b]            -
=========  =====================================  ================  ====================

"Over X" is capped at 1.5X (never unbounded) and both of its ends are open, so "over X" and
"nearly 2X" are disjoint: "over 90 minutes" (90, 135) vs "nearly three hours" [135, 180) do not agree,
nor do "nearly an hour" and "over an hour". `minutes` is the figure as stated (a range's midpoint).
`DurationValue.high` is therefore never None.

Minutes are only read from minute and hour units: "30-day moratorium" is not a call length and
`find_durations` ignores it. Days, weeks, months, years and decades are spans (`parse_span`, in days):
the same qualifiers apply, except that EXACT and RANGE spans are widened by half their unit either
side (a quarter for "and a half" figures), since "three years" is a rounded figure ([2.5, 3.5] years;
"two and a half years" [2.25, 2.75] years), and ABOUT is at least that wide. Days are
converted with a month of 30.4375 days and a year of 365.25 days.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import NamedTuple

from extractor.normalise.counts import CARDINAL, cardinal_value
from extractor.records.values import DurationQualifier, DurationValue

__all__ = [
    "Span",
    "durations_agree",
    "find_durations",
    "find_spans",
    "interval_bounds",
    "parse_duration",
    "parse_span",
    "span_consistent",
]

Q = DurationQualifier
_QUALIFIERS = {
    Q.NEARLY: r"nearly|almost|just\s+under|a\s+little\s+under|just\s+short\s+of|close\s+to|barely",
    Q.ABOUT: r"about|around|approximately|roughly|some|an\s+estimated|approx\.",
    Q.OVER: r"over|more\s+than|longer\s+than|just\s+over|a\s+little\s+over|upwards\s+of|in\s+excess\s+of"
    r"|at\s+least",
    Q.UNDER: r"under|less\s+than|shorter\s+than|up\s+to|no\s+more\s+than",
}
_QUAL_BEFORE = re.compile(r"\b(?P<q>" + "|".join(_QUALIFIERS.values()) + r")\s+$", re.IGNORECASE)
_RATE_BEFORE = re.compile(r"\b(?:times|twice|thrice|once)\s+$", re.IGNORECASE)
_NB = rf"(?:{CARDINAL})"
_N = rf"(?<![\w.,:$£€-]){_NB}"
_ONE = r"(?<![\w-])(?:an?|one)"
_HALF = r"[\s-]+and[\s-]+a[\s-]+half"

_MINUTE_UNITS = {"min": 1.0, "hou": 60.0, "hr": 60.0}
_MINUTE_UNIT = r"(?:hours?|hrs?|minutes?|mins?)(?![a-z])"
_SPAN_UNITS = {"day": 1.0, "wee": 7.0, "mon": 30.4375, "yea": 365.25, "dec": 3652.5}
_SPAN_UNIT = r"(?:days?|weeks?|months?|years?|decades?)(?![a-z])"


_Patterns = list[tuple[str, re.Pattern[str]]]


def _patterns(unit: str, single: str, minutes: bool) -> _Patterns:
    flags = re.IGNORECASE
    hm = rf"(?P<n>{_N})[\s-]*(?P<u>hours?|hrs?),?\s*(?:and\s+)?(?P<n2>{_NB})[\s-]*(?:minutes?|mins?)(?![a-z])"
    head = [("hm", re.compile(hm, flags))] if minutes else []
    return [
        *head,
        (
            "unit_half",
            re.compile(rf"(?:(?P<n>{_N}|{_ONE})[\s-]+)?(?<![\w-])(?P<u>{unit}){_HALF}(?![\w-])", flags),
        ),
        ("n_half", re.compile(rf"(?P<n>{_N}|{_ONE}){_HALF}[\s-]+(?P<u>{unit})", flags)),
        ("half", re.compile(rf"(?<![\w-])(?:half\s+an?\s+|(?:a\s+)?half[\s-])(?P<u>{unit})", flags)),
        (
            "range",
            re.compile(
                rf"(?:between\s+(?P<a1>{_N})\s+and\s+|(?P<a2>{_N})\s*(?:[-–—]|to)\s*)(?P<b>{_NB})[\s-]*(?P<u>{unit})",
                flags,
            ),
        ),
        ("simple", re.compile(rf"(?P<n>{_N}|{_ONE})[\s-]*(?P<u>{unit})", flags)),
        ("long", re.compile(rf"(?:{_ONE}[\s-]+)?(?<![\w-])(?P<u>{single})[\s-]?long(?![a-z])", flags)),
    ]


_DURATION_PATTERNS = _patterns(_MINUTE_UNIT, "hour", minutes=True)
_SPAN_PATTERNS = _patterns(_SPAN_UNIT, "(?:day|week|month|year|decade)", minutes=False)


def _number(word: str | None) -> float:
    if word is None or word.strip().lower() in ("a", "an", "one"):
        return 1.0
    value = cardinal_value(word)
    if value is None:
        raise ValueError(word)
    return value


class _Amount(NamedTuple):
    start: int
    end: int
    low: float  # in the pattern's unit scale (minutes or days)
    high: float
    grain: float  # half the precision of the stated figure, same scale (for spans)


def _amounts(text: str, patterns: _Patterns, scale: dict[str, float]) -> list[_Amount]:
    found = [(m.start(), m.end(), kind, m) for kind, p in patterns for m in p.finditer(text)]
    found.sort(key=lambda f: (f[0] - f[1], f[0]))
    out: list[_Amount] = []
    for s, e, kind, m in found:
        if any(s < a.end and e > a.start for a in out):
            continue
        u = m["u"].lower()
        unit = scale[u[:3]] if u[:3] in scale else scale[u[:2]]  # "hours" -> "hou", "hrs" -> "hr"
        if kind == "hm":
            x = _number(m["n"]) * unit + _number(m["n2"])
            out.append(_Amount(s, e, x, x, 0.5))
        elif kind == "range":
            a, b = _number(m["a1"] or m["a2"]), _number(m["b"])
            if b <= a:
                continue
            out.append(_Amount(s, e, a * unit, b * unit, unit / 2))
        else:
            if kind in ("unit_half", "n_half"):
                n, grain = _number(m["n"]) + 0.5, unit / 4
            elif kind == "half":
                n, grain = 0.5, unit / 4
            else:
                n, grain = (1.0 if kind == "long" else _number(m["n"])), unit / 2
            if n > 0:
                out.append(_Amount(s, e, n * unit, n * unit, grain))
    return sorted(out)


def _qualified(text: str, amount: _Amount) -> tuple[int, DurationQualifier]:
    m = _QUAL_BEFORE.search(text[max(0, amount.start - 30) : amount.start])
    if m is None:
        return amount.start, Q.RANGE if amount.low != amount.high else Q.EXACT
    word = " ".join(m["q"].lower().split())
    qual = next(q for q, words in _QUALIFIERS.items() if re.fullmatch(words, word))
    return amount.start - len(m[0]), qual


def _interval(low: float, high: float, qual: DurationQualifier, grain: float = 0.0) -> tuple[float, float]:
    if qual in (Q.EXACT, Q.RANGE):
        return low - grain, high + grain
    if qual is Q.ABOUT:
        return min(0.8 * low, low - grain), max(1.2 * high, high + grain)
    if qual is Q.NEARLY:
        return 0.75 * low, high
    if qual is Q.OVER:
        return low, 1.5 * high
    return 0.0, high


def interval_bounds(low: float, high: float | None, qualifier: DurationQualifier) -> tuple[bool, bool]:
    """Whether the (low, high) ends of a value with this qualifier are closed."""
    return qualifier is not Q.OVER, qualifier not in (Q.NEARLY, Q.OVER, Q.UNDER) and high is not None


def _contains(low: float, high: float | None, qual: DurationQualifier, x: float) -> bool:
    low_closed, high_closed = interval_bounds(low, high, qual)
    top = math.inf if high is None else high
    return (low < x or (low_closed and x == low)) and (x < top or (high_closed and x == top))


_Bounds = tuple[float, float | None, DurationQualifier]


def _overlap(a: _Bounds, b: _Bounds) -> bool:
    lo = max(a[0], b[0])
    hi = min(math.inf if a[1] is None else a[1], math.inf if b[1] is None else b[1])
    if lo < hi:
        return True
    return lo == hi and _contains(*a, lo) and _contains(*b, lo)


def find_durations(text: str) -> list[tuple[int, int, DurationValue]]:
    """Every call/meeting length in `text` (minute and hour units only) as `(start, end, value)`."""
    out = []
    for amount in _amounts(text, _DURATION_PATTERNS, _MINUTE_UNITS):
        start, qual = _qualified(text, amount)
        if qual is not Q.RANGE and amount.low != amount.high:
            qual = Q.ABOUT if qual is Q.ABOUT else Q.RANGE  # a qualified range is only widened by "about"
        low, high = _interval(amount.low, amount.high, qual)
        value = DurationValue(
            text=text[start : amount.end],
            minutes=(amount.low + amount.high) / 2,
            low=low,
            high=high,
            qualifier=qual,
        )
        out.append((start, amount.end, value))
    return out


def parse_duration(text: str) -> DurationValue | None:
    """The first call/meeting length in `text`, or None."""
    found = find_durations(text)
    return found[0][2] if found else None


ROUND_MINUTES = 30  # "two hours", "an hour and a half", "90-minute": round figures, said of 2 h 05
ROUND_TOLERANCE = 0.1


def _as_said(v: DurationValue) -> _Bounds:
    """A plain round figure is how people say a length, not a measurement: "two hours" is heard as
    about two hours (within 10%), so it agrees with "2 hours and 5 minutes" and "more than two
    hours"; "two and a half hours" still does not."""
    if v.qualifier is Q.EXACT and v.high == v.low and v.low > 0 and v.low % ROUND_MINUTES == 0:
        return (v.low * (1 - ROUND_TOLERANCE), v.low * (1 + ROUND_TOLERANCE), Q.RANGE)
    return (v.low, v.high, v.qualifier)


def durations_agree(a: DurationValue, b: DurationValue) -> bool:
    """Whether two durations can both be true: their intervals, as said, share at least one point."""
    return _overlap(_as_said(a), _as_said(b))


class Span(NamedTuple):
    """A long span in days: "nearly three years" is Span(821.8125, 1095.75, NEARLY)."""

    low_days: float
    high_days: float | None
    qualifier: DurationQualifier


def find_spans(text: str) -> list[tuple[int, int, Span]]:
    """Every span of days, weeks, months, years or decades in `text` as `(start, end, span)`."""
    out = []
    for amount in _amounts(text, _SPAN_PATTERNS, _SPAN_UNITS):
        if _RATE_BEFORE.search(text, 0, amount.start) and text[amount.start] in "aA":
            continue  # "five times a year" is a rate, not a span
        start, qual = _qualified(text, amount)
        if qual is not Q.RANGE and amount.low != amount.high:
            qual = Q.ABOUT if qual is Q.ABOUT else Q.RANGE
        low, high = _interval(amount.low, amount.high, qual, amount.grain)
        out.append((start, amount.end, Span(max(0.0, low), high, qual)))
    return out


def parse_span(text: str) -> Span | None:
    """The first long span in `text` ("nearly three years", "in two years", "30-day"), or None."""
    found = find_spans(text)
    return found[0][2] if found else None


def span_consistent(span_text: str, start_date: dt.date, end_date: dt.date) -> bool:
    """Whether the time between two dates fits the span stated in `span_text`.

    "their first contact in nearly three years" with 2022-09-11 and 2025-07-01 (1024 days) is
    consistent: nearly three years is [821.8, 1095.75) days. Raises ValueError when there is no span.
    """
    span = parse_span(span_text)
    if span is None:
        raise ValueError(f"no span of days, months or years in {span_text!r}")
    return _contains(span.low_days, span.high_days, span.qualifier, abs((end_date - start_date).days))
