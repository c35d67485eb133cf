"""Ranks of contacts in a series: every ordinal in the seed articles, series text and series start."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractor.normalise import find_ordinals, parse_ordinal

D = dt.date
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
A0703 = D(2025, 7, 3)


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "anchor", "phrase", "rank", "series", "start_text", "start"),
    [
        # 000
        (
            "For the first time in nearly three years, French President",
            None,
            "first time",
            1,
            "time",
            "nearly three years",
            None,
        ),
        (
            "their first contact in nearly three years.",
            None,
            "first contact",
            1,
            "contact",
            "nearly three years",
            None,
        ),
        (
            "during his first meeting with US President Donald Trump after Trump assumed office, Macron",
            None,
            "first meeting",
            1,
            "meeting",
            "Trump assumed office",
            None,
        ),
        (
            "held his first phone conversation with Vladimir Putin in two years.",
            None,
            "first phone conversation",
            1,
            "phone conversation",
            "two years",
            None,
        ),
        (
            "Aleksandar Vučić made his first official visit to Ukraine.",
            None,
            "first official visit",
            1,
            "official visit",
            None,
            None,
        ),
        # 002
        (
            "held their sixth publicly acknowledged phone call since Trump’s return to office in January.",
            D(2025, 7, 2),
            "sixth publicly acknowledged phone call",
            6,
            "publicly acknowledged phone call",
            "January",
            D(2025, 1, 1),
        ),
        (
            "held their sixth publicly acknowledged phone call since Trump’s return to office in January.",
            None,
            "sixth publicly acknowledged phone call",
            6,
            "publicly acknowledged phone call",
            "January",
            None,
        ),
        # 003
        (
            "and there was the first conversation between the presidents.",
            None,
            "first conversation",
            1,
            "conversation",
            None,
            None,
        ),
        (
            "This will be their second exchange since Donald Trump returned to the White House "
            "in January 2025;",
            None,
            "second exchange",
            2,
            "exchange",
            "January 2025",
            D(2025, 1, 1),
        ),
        (
            "The first meeting between the presidents took place on July 7, 2017, on the sidelines",
            None,
            "first meeting",
            1,
            "meeting",
            None,
            None,
        ),
        (
            "The presidents met for the third time on July 16, 2018, in Helsinki.",
            None,
            "third time",
            3,
            "time",
            None,
            None,
        ),
        (
            "The first telephone conversation between Vladimir Putin and Donald Trump took place",
            None,
            "first telephone conversation",
            1,
            "telephone conversation",
            None,
            None,
        ),
        (
            "was the first direct dialogue between the Russian and US leaders following the onset "
            "of Russia’s special military operation in Ukraine.",
            None,
            "first direct dialogue",
            1,
            "direct dialogue",
            "the onset of Russia’s special military operation in Ukraine",
            None,
        ),
        ("the first occurred on February 12.", None, "first", 1, "", None, None),
        # 004
        (
            "Sixth call between Trump and Putin this year",
            A0703,
            "Sixth call",
            6,
            "call",
            "this year",
            D(2025, 1, 1),
        ),
        (
            "It was the sixth publicly disclosed conversation between the two leaders this year.",
            A0703,
            "sixth publicly disclosed conversation",
            6,
            "publicly disclosed conversation",
            "this year",
            D(2025, 1, 1),
        ),
        (
            "This is the sixth time since the beginning of the year that the presidents have spoken",
            A0703,
            "sixth time",
            6,
            "time",
            "the beginning of the year",
            D(2025, 1, 1),
        ),
        (
            "This is the sixth time since the beginning of the year that the presidents have spoken",
            None,
            "sixth time",
            6,
            "time",
            "the beginning of the year",
            None,
        ),
        (
            "The first conversation after Trump's return to the presidency took place on February 12.",
            A0703,
            "first conversation",
            1,
            "conversation",
            "Trump's return to the presidency",
            None,
        ),
        (
            "It was the first contact between the leaders of Russia and the United States in three years.",
            None,
            "first contact",
            1,
            "contact",
            "three years",
            None,
        ),
        # brief and variants
        (
            "sixth publicly disclosed conversation",
            None,
            "sixth publicly disclosed conversation",
            6,
            "publicly disclosed conversation",
            None,
            None,
        ),
        ("The first meeting", None, "first meeting", 1, "meeting", None, None),
        ("the third time", None, "third time", 3, "time", None, None),
        (
            "first contact in nearly three years",
            None,
            "first contact",
            1,
            "contact",
            "nearly three years",
            None,
        ),
        ("the 2nd call", None, "2nd call", 2, "call", None, None),
        ("the 3rd meeting", None, "3rd meeting", 3, "meeting", None, None),
        ("their 6th conversation", None, "6th conversation", 6, "conversation", None, None),
        ("the 1st summit", None, "1st summit", 1, "summit", None, None),
        ("the twentieth summit", None, "twentieth summit", 20, "summit", None, None),
        ("the fourth round of talks", None, "fourth round", 4, "round", None, None),
    ],
)
def test_parse_ordinal(
    text: str,
    anchor: dt.date | None,
    phrase: str,
    rank: int,
    series: str,
    start_text: str | None,
    start: dt.date | None,
) -> None:
    value = parse_ordinal(text, anchor)
    assert value is not None
    assert (value.text, value.rank, value.series, value.series_start_text, value.series_start) == (
        phrase,
        rank,
        series,
        start_text,
        start,
    )


def test_parse_ordinal_without_anchor_argument() -> None:
    value = parse_ordinal("the sixth publicly disclosed conversation")
    assert value is not None and value.rank == 6


@pytest.mark.parametrize(
    "text",
    [
        "the 75th anniversary of the defeat of Nazi Germany",
        "the 100th anniversary of the end of World War I",
        "becoming the first EU leader to visit Russia since February 2022",
        "Emmanuel Macron is not the first Western leader to resume contact",
        "In just the first week of the war",
        "During Trump’s first presidential term in 2017-2021",
        "The next full-scale summit",
        "The last known call",
        "six meetings",
    ],
)
def test_not_a_rank_in_a_series(text: str) -> None:
    assert parse_ordinal(text) is None


SEED_ORDINALS = {
    "000": (
        None,
        [
            ("first time", 1),
            ("first contact", 1),
            ("first meeting", 1),
            ("first phone conversation", 1),
            ("first official visit", 1),
        ],
    ),
    "001": (None, []),
    "002": (D(2025, 7, 2), [("sixth publicly acknowledged phone call", 6)]),
    "003": (
        None,
        [
            ("first conversation", 1),
            ("second exchange", 2),
            ("first", 1),
            ("first meeting", 1),
            ("third time", 3),
            ("first telephone conversation", 1),
            ("first direct dialogue", 1),
        ],
    ),
    "004": (
        A0703,
        [
            ("Sixth call", 6),
            ("sixth publicly disclosed conversation", 6),
            ("sixth time", 6),
            ("first conversation", 1),
            ("first contact", 1),
        ],
    ),
}


@pytest.mark.parametrize("prefix", sorted(SEED_ORDINALS))
def test_every_ordinal_in_the_seed_articles(prefix: str) -> None:
    anchor, expected = SEED_ORDINALS[prefix]
    text = _seed(prefix)
    found = find_ordinals(text, anchor)
    assert [(v.text, v.rank) for _, _, v in found] == expected
    assert all(text[s:e] == v.text for s, e, v in found)
