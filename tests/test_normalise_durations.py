"""Durations in minutes (call lengths) and spans in days: seed phrases, bounds, agreement, consistency."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractor.normalise import (
    durations_agree,
    find_durations,
    find_spans,
    interval_bounds,
    parse_duration,
    parse_span,
    span_consistent,
)
from extractor.records.values import DurationQualifier as Q

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
YEAR = 365.25


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "phrase", "minutes", "low", "high", "qualifier"),
    [
        # 000
        ("The conversation lasted around two hours and focused", "around two hours", 120, 96, 144, Q.ABOUT),
        (
            "they held a call lasting about an hour and a half.",
            "about an hour and a half",
            90,
            72,
            108,
            Q.ABOUT,
        ),
        ("The conversation lasted over two hours, during which", "over two hours", 120, 120, 180, Q.OVER),
        # 003
        ("Instead of the planned 30-45 minutes, the negotiations", "30-45 minutes", 37.5, 30, 45, Q.RANGE),
        ("lasted 2 hours and 15 minutes.", "2 hours and 15 minutes", 135, 135, 135, Q.EXACT),
        (
            "They spoke one-on-one for more than two hours (longer than planned)",
            "more than two hours",
            120,
            120,
            180,
            Q.OVER,
        ),
        ("the exchange lasted 10 to 15 minutes, and the Russian", "10 to 15 minutes", 12.5, 10, 15, Q.RANGE),
        ("The discussion lasted 1 hour and 20 minutes and", "1 hour and 20 minutes", 80, 80, 80, Q.EXACT),
        (
            "The hour-and-a-half conversation held on February 12, 2025",
            "hour-and-a-half",
            90,
            90,
            90,
            Q.EXACT,
        ),
        # 004
        ("Putin and Trump spoke for nearly an hour and had detailed", "nearly an hour", 60, 45, 60, Q.NEARLY),
        # brief and variants
        ("a 50-minute call", "50-minute", 50, 50, 50, Q.EXACT),
        ("50 minutes", "50 minutes", 50, 50, 50, Q.EXACT),
        ("nearly three hours", "nearly three hours", 180, 135, 180, Q.NEARLY),
        ("over 90 minutes", "over 90 minutes", 90, 90, 135, Q.OVER),
        ("just over an hour", "just over an hour", 60, 60, 90, Q.OVER),
        ("less than an hour", "less than an hour", 60, 0, 60, Q.UNDER),
        ("half an hour", "half an hour", 30, 30, 30, Q.EXACT),
        ("a half-hour call", "a half-hour", 30, 30, 30, Q.EXACT),
        ("an hour-long call", "an hour-long", 60, 60, 60, Q.EXACT),
        ("1.5 hours", "1.5 hours", 90, 90, 90, Q.EXACT),
        ("two and a half hours", "two and a half hours", 150, 150, 150, Q.EXACT),
        ("forty-five minutes", "forty-five minutes", 45, 45, 45, Q.EXACT),
        ("between 30 and 45 minutes", "between 30 and 45 minutes", 37.5, 30, 45, Q.RANGE),
        ("about 30-45 minutes", "about 30-45 minutes", 37.5, 24, 54, Q.ABOUT),
        ("roughly 40 mins", "roughly 40 mins", 40, 32, 48, Q.ABOUT),
        ("almost two hours", "almost two hours", 120, 90, 120, Q.NEARLY),
    ],
)
def test_parse_duration(
    text: str, phrase: str, minutes: float, low: float, high: float, qualifier: Q
) -> None:
    value = parse_duration(text)
    assert value is not None
    assert (value.text, value.minutes, value.low, value.high, value.qualifier) == (
        phrase,
        minutes,
        low,
        high,
        qualifier,
    )


@pytest.mark.parametrize(
    "text",
    [
        "impose a 30-day moratorium on strikes",  # days are spans, not call lengths
        "at about 16:45 ahead of the schedule",  # a clock time
        "two days before, Trump canceled the meeting",
        "A few hours later, King Salman",  # vague and an offset, not a length
        "nearly three years",
        "$4.5 trillion",
        "1 of 160",
        "within the hour",
    ],
)
def test_not_a_call_length(text: str) -> None:
    assert parse_duration(text) is None
    assert find_durations(text) == []


SEED_DURATIONS = {
    "000": ["around two hours", "about an hour and a half", "over two hours"],
    "001": [],
    "002": [],
    "003": [
        "30-45 minutes",
        "2 hours and 15 minutes",
        "more than two hours",
        "10 to 15 minutes",
        "1 hour and 20 minutes",
        "hour-and-a-half",
    ],
    "004": ["nearly an hour"],
}


@pytest.mark.parametrize("prefix", sorted(SEED_DURATIONS))
def test_every_call_length_in_the_seed_articles(prefix: str) -> None:
    text = _seed(prefix)
    found = find_durations(text)
    assert [text[s:e] for s, e, _ in found] == SEED_DURATIONS[prefix]
    assert all(text[s:e] == v.text for s, e, v in found)


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("nearly an hour", "50 minutes", True),
        ("nearly an hour", "over an hour", False),
        # a plain round figure is heard as about that long (within 10%): reports of one call say
        # "nearly an hour" and "hour-long", "almost an hour and a half" and "an hour and a half"
        ("nearly an hour", "an hour", True),
        ("nearly an hour", "an hour and a half", False),
        ("2 hours and 5 minutes", "two hours", True),
        ("2 hours and 5 minutes", "two and a half hours", False),
        ("nearly three hours", "over 90 minutes", False),  # [135, 180) vs (90, 135)
        ("about an hour and a half", "hour-and-a-half", True),
        ("around two hours", "over two hours", True),  # (120, 144] shared
        ("around two hours", "nearly an hour", False),
        ("2 hours and 15 minutes", "30-45 minutes", False),
        ("2 hours and 15 minutes", "more than two hours", True),
        ("10 to 15 minutes", "15 minutes", True),  # closed range end
        ("less than an hour", "50 minutes", True),
        ("less than an hour", "an hour", True),
        ("less than an hour", "70 minutes", False),
        ("over 90 minutes", "135 minutes", False),  # the cap 1.5X is open
        ("1 hour and 20 minutes", "nearly an hour", False),
    ],
)
def test_durations_agree(a: str, b: str, agree: bool) -> None:
    va, vb = parse_duration(a), parse_duration(b)
    assert va is not None and vb is not None
    assert durations_agree(va, vb) is agree
    assert durations_agree(vb, va) is agree


@pytest.mark.parametrize(
    ("qualifier", "closed"),
    [
        (Q.EXACT, (True, True)),
        (Q.ABOUT, (True, True)),
        (Q.RANGE, (True, True)),
        (Q.NEARLY, (True, False)),
        (Q.OVER, (False, False)),
        (Q.UNDER, (True, False)),
    ],
)
def test_interval_bounds(qualifier: Q, closed: tuple[bool, bool]) -> None:
    assert interval_bounds(1.0, 2.0, qualifier) == closed


@pytest.mark.parametrize(
    ("text", "low_years", "high_years", "qualifier"),
    [
        # 000
        ("For the first time in nearly three years, French President", 2.25, 3.0, Q.NEARLY),
        ("their first contact in nearly three years.", 2.25, 3.0, Q.NEARLY),
        ("his first phone conversation with Vladimir Putin in two years.", 1.5, 2.5, Q.EXACT),
        ("after a break of two and a half years.", 2.25, 2.75, Q.EXACT),
        # 004
        (
            "the first contact between the leaders of Russia and the United States in three years.",
            2.5,
            3.5,
            Q.EXACT,
        ),
        # variants
        ("a year and a half", 1.25, 1.75, Q.EXACT),
        ("about five years", 4.0, 6.0, Q.ABOUT),
        ("over a decade", 10.0, 15.0, Q.OVER),
        ("two to three years", 1.5, 3.5, Q.RANGE),
    ],
)
def test_parse_span_in_years(text: str, low_years: float, high_years: float, qualifier: Q) -> None:
    span = parse_span(text)
    assert span is not None
    assert span.low_days == pytest.approx(low_years * YEAR)
    assert span.high_days == pytest.approx(high_years * YEAR)
    assert span.qualifier is qualifier


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("impose a 30-day moratorium on strikes", 29.5, 30.5),  # 004: a span of days, never minutes
        ("However, two days before, Trump canceled the meeting", 1.5, 2.5),  # 003
        ("spoke twice in one day", 0.5, 1.5),  # 003
        ("six months", 6 * 30.4375 - 15.21875, 6 * 30.4375 + 15.21875),
    ],
)
def test_parse_span_in_days(text: str, low: float, high: float) -> None:
    span = parse_span(text)
    assert span is not None and span.qualifier is Q.EXACT
    assert (span.low_days, span.high_days) == (pytest.approx(low), pytest.approx(high))


@pytest.mark.parametrize(
    "text", ["2 hours", "nearly an hour", "in 2017-2021", "five times a year", "the year"]
)
def test_not_a_span(text: str) -> None:
    assert parse_span(text) is None


def test_spans_in_seed_004_skip_rates() -> None:
    text = _seed("004")
    assert [text[s:e] for s, e, _ in find_spans(text)] == ["three years", "30-day"]


@pytest.mark.parametrize(
    ("span_text", "start", "end", "consistent"),
    [
        # 000: last call 2022-09-11, new call 2025-07-01 (1024 days): 2 years 10 months
        ("their first contact in nearly three years", dt.date(2022, 9, 11), dt.date(2025, 7, 1), True),
        ("their first contact in nearly three years", dt.date(2022, 7, 1), dt.date(2025, 7, 1), False),
        ("their first contact in nearly three years", dt.date(2021, 9, 11), dt.date(2025, 7, 1), False),
        ("in two years", dt.date(2022, 12, 2), dt.date(2024, 11, 15), True),
        ("in three years", dt.date(2022, 2, 12), dt.date(2025, 2, 12), True),  # 004
        ("in three years", dt.date(2020, 7, 23), dt.date(2025, 2, 12), False),
        ("after a break of two and a half years", dt.date(2022, 4, 20), dt.date(2024, 10, 20), True),
        ("after a break of two and a half years", dt.date(2023, 4, 20), dt.date(2024, 10, 20), False),
    ],
)
def test_span_consistent(span_text: str, start: dt.date, end: dt.date, consistent: bool) -> None:
    assert span_consistent(span_text, start, end) is consistent
    assert span_consistent(span_text, end, start) is consistent  # order does not matter


def test_span_consistent_needs_a_span() -> None:
    with pytest.raises(ValueError, match="no span"):
        span_consistent("nearly an hour", dt.date(2025, 1, 1), dt.date(2025, 1, 2))
