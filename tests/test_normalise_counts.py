"""Counts of contacts and rates: every count in the seed articles, units, bounds and windows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractor.normalise import find_counts, parse_count
from extractor.normalise.counts import cardinal_value

D = dt.date
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "phrase", "value", "low", "high", "approximate", "unit", "per"),
    [
        # 000
        (
            "In just the first week of the war, the two leaders spoke four times.",
            "four times",
            4,
            4,
            4,
            False,
            "conversations",
            None,
        ),
        (
            "Between May and June 2025 alone, the two leaders held three calls:",
            "three calls",
            3,
            3,
            3,
            False,
            "calls",
            None,
        ),
        # 003
        (
            "the leaders of the two countries held six meetings and spoke",
            "six meetings",
            6,
            6,
            6,
            False,
            "meetings",
            None,
        ),
        (
            "and spoke by telephone approximately two dozen times.",
            "approximately two dozen times",
            24,
            20,
            28,
            True,
            "calls",
            None,
        ),
        (
            "were able to speak “on their feet” three times.",
            "three times",
            3,
            3,
            3,
            False,
            "conversations",
            None,
        ),
        (
            "the Russian and US presidents spoke twice in one day.",
            "twice in one day",
            2,
            2,
            2,
            False,
            "conversations",
            None,
        ),
        # 004
        (
            "Trump spoke with Putin on average five times a year, including face-to-face meetings.",
            "on average five times a year",
            5,
            5,
            5,
            False,
            "contacts",
            "year",
        ),
        # brief and variants
        ("three calls between May and June 2025", "three calls", 3, 3, 3, False, "calls", None),
        ("the two leaders spoke four times", "four times", 4, 4, 4, False, "conversations", None),
        ("spoke four times", "four times", 4, 4, 4, False, "conversations", None),
        ("three times", "three times", 3, 3, 3, False, "events", None),
        ("twice in one day", "twice in one day", 2, 2, 2, False, "events", None),
        ("they met twice", "twice", 2, 2, 2, False, "meetings", None),
        ("more than 20 phone calls", "more than 20 phone calls", 20, 21, 30, True, "calls", None),
        ("a dozen meetings", "a dozen meetings", 12, 10, 14, True, "meetings", None),
        ("half a dozen calls", "half a dozen calls", 6, 5, 7, True, "calls", None),
        ("nearly 30 conversations", "nearly 30 conversations", 30, 25, 29, True, "conversations", None),
        ("at least two meetings", "at least two meetings", 2, 2, 3, True, "meetings", None),
        ("held 3 summits", "3 summits", 3, 3, 3, False, "summits", None),
        ("two phone conversations", "two phone conversations", 2, 2, 2, False, "calls", None),
        ("four publicly disclosed calls", "four publicly disclosed calls", 4, 4, 4, False, "calls", None),
        ("twice a week", "twice a week", 2, 2, 2, False, "events", "week"),
        ("twenty-one visits", "twenty-one visits", 21, 21, 21, False, "visits", None),
    ],
)
def test_parse_count(
    text: str,
    phrase: str,
    value: float,
    low: float,
    high: float,
    approximate: bool,
    unit: str,
    per: str | None,
) -> None:
    count = parse_count(text)
    assert count is not None
    assert (count.text, count.value, count.low, count.high, count.approximate, count.unit, count.per) == (
        phrase,
        value,
        low,
        high,
        approximate,
        unit,
        per,
    )


@pytest.mark.parametrize(
    ("text", "anchor", "window_text", "start", "end"),
    [
        (
            "Between May and June 2025 alone, the two leaders held three calls:",
            None,
            "Between May and June 2025",
            D(2025, 5, 1),
            D(2025, 6, 30),
        ),
        (
            "three calls between May and June 2025",
            None,
            "between May and June 2025",
            D(2025, 5, 1),
            D(2025, 6, 30),
        ),
        (
            "During Trump’s first presidential term in 2017-2021, the leaders of the two countries "
            "held six meetings",
            None,
            "2017-2021",
            D(2017, 1, 1),
            D(2021, 12, 31),
        ),
        (
            "On April 10, 2020, the Russian and US presidents spoke twice in one day.",
            None,
            "April 10, 2020",
            D(2020, 4, 10),
            D(2020, 4, 10),
        ),
        (
            "On November 10, 2017, on the sidelines, they were able to speak three times.",
            None,
            "November 10, 2017",
            D(2017, 11, 10),
            D(2017, 11, 10),
        ),
        ("they met three times this year", D(2025, 7, 3), "this year", D(2025, 1, 1), D(2025, 12, 31)),
        (
            "In just the first week of the war, the two leaders spoke four times.",
            None,
            "In just the first week of the war",
            None,
            None,
        ),
        (
            "during the previous presidential term, Trump spoke with Putin on average five times a year",
            None,
            "during the previous presidential term",
            None,
            None,
        ),
        ("twice in one day", None, "in one day", None, None),
        ("six meetings", None, None, None, None),
    ],
)
def test_count_window(
    text: str, anchor: dt.date | None, window_text: str | None, start: dt.date | None, end: dt.date | None
) -> None:
    count = parse_count(text, anchor)
    assert count is not None
    assert (count.window_text, count.window_start, count.window_end) == (window_text, start, end)


def test_window_without_anchor_is_text_only() -> None:
    count = parse_count("they met three times this year")
    assert count is not None
    assert (count.window_text, count.window_start) == ("this year", None)


@pytest.mark.parametrize(
    "text",
    [
        "Donald Trump has spoken with Vladimir Putin multiple times by phone.",  # vague: None by convention
        "several calls",
        "many meetings",
        "the two leaders",
        "three Ukrainian ships were detained",
        "1 of 160",
        "Putin once again thanked Donald Trump",
        "once agreements were reached",
        "They spoke one-on-one for more than two hours",
        "the sixth time since the beginning of the year",
        "$4.5 trillion",
        "two and a half years",
    ],
)
def test_not_a_count(text: str) -> None:
    assert parse_count(text) is None


SEED_COUNTS = {
    "000": [("four times", 4, "conversations"), ("three calls", 3, "calls")],
    "001": [],
    "002": [],
    "003": [
        ("six meetings", 6, "meetings"),
        ("approximately two dozen times", 24, "calls"),
        ("three times", 3, "conversations"),
        ("twice in one day", 2, "conversations"),
    ],
    "004": [("on average five times a year", 5, "contacts")],
}


@pytest.mark.parametrize("prefix", sorted(SEED_COUNTS))
def test_every_count_in_the_seed_articles(prefix: str) -> None:
    text = _seed(prefix)
    found = find_counts(text)
    assert [(c.text, c.value, c.unit) for _, _, c in found] == SEED_COUNTS[prefix]
    assert all(text[s:e] == c.text for s, e, c in found)


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("two", 2),
        ("Twelve", 12),
        ("forty-five", 45),
        ("twenty one", 21),
        ("24", 24),
        ("1.5", 1.5),
        ("zero", 0),
        ("dozen", None),
        ("", None),
    ],
)
def test_cardinal_value(word: str, value: float | None) -> None:
    assert cardinal_value(word) == value
