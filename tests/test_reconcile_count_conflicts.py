"""count_conflicts: counts of contacts against each other (S3) and against the timeline (N2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from extractor.reconcile.detectors import count_conflicts
from extractor.records import (
    Article,
    Channel,
    Claim,
    ClaimKind,
    ConflictKind,
    DatePrecision,
    DateValue,
    Severity,
)
from tests.claim_factory import article, call_on, claim, context, count, day

PUB = dt.date(2025, 7, 3)
A000, A003, A004 = article("000"), article("003"), article("004", published=PUB)
TERM = (dt.date(2017, 1, 1), dt.date(2021, 12, 31))


def sentence(art: Article, head: str) -> str:
    start = art.text.index(head)
    return art.text[start : art.text.index(".", start) + 1]


Q003 = sentence(A003, "During Trump")
Q004 = sentence(A004, "According to TASS calculations")


def _rate_004(**kw: Any) -> Claim:
    return claim(A004, ClaimKind.COUNT, Q004, channel=Channel.OTHER, **kw)


def test_s3_meetings_plus_calls_against_a_yearly_rate_over_the_same_term() -> None:
    claims = [
        claim(
            A003,
            ClaimKind.COUNT,
            Q003,
            channel=Channel.MEETING,
            topic="meetings",
            value=count("six meetings", 6, unit="meetings", window=TERM, window_text="2017-2021"),
        ),
        claim(
            A003,
            ClaimKind.COUNT,
            Q003,
            topic="calls",
            value=count(
                "approximately two dozen times",
                24,
                low=20,
                high=28,
                unit="calls",
                window=TERM,
                window_text="2017-2021",
                approximate=True,
            ),
        ),
        _rate_004(
            value=count(
                "on average five times a year",
                5,
                unit="contacts",
                per="year",
                window_text="during the previous presidential term",
            )
        ),
    ]
    (conflict,) = count_conflicts.detect(context(claims, [A003, A004]))
    assert conflict.kind == ConflictKind.COUNT and conflict.severity == Severity.MEDIUM
    assert "(4 years)" in conflict.explanation
    assert ": 16–24" in conflict.explanation and ": 26–34" in conflict.explanation
    assert {s.article_id for s in conflict.sides} == {A003.id, A004.id} and len(conflict.sides) == 3


def test_s3_is_found_from_values_read_out_of_their_phrase_alone() -> None:
    # what build.py gives when it reads only `value_text`: no window, "events", the window in event_date
    term = DateValue(
        text="2017-2021", start=TERM[0], end=TERM[1], precision=DatePrecision.RANGE, resolved=True
    )
    claims = [
        claim(
            A003,
            ClaimKind.COUNT,
            Q003,
            channel=Channel.MEETING,
            date=term,
            topic="meetings",
            value=count("six meetings", 6, unit="meetings"),
        ),
        claim(
            A003,
            ClaimKind.COUNT,
            Q003,
            date=term,
            topic="calls",
            value=count(
                "approximately two dozen times", 24, low=20, high=28, unit="events", approximate=True
            ),
        ),
        _rate_004(
            date_text="during the previous presidential term",
            value=count("on average five times a year", 5, unit="contacts", per="year"),
        ),
    ]
    assert len(count_conflicts.detect(context(claims, [A003, A004]))) == 1


def test_a_rate_over_an_unrelated_vague_window_is_not_compared() -> None:
    claims = [
        claim(
            A003,
            ClaimKind.COUNT,
            Q003,
            channel=Channel.MEETING,
            value=count("six meetings", 6, unit="meetings", window=TERM, window_text="2017-2021"),
        ),
        _rate_004(
            value=count(
                "on average five times a year", 5, unit="contacts", per="year", window_text="during the war"
            )
        ),
    ]
    assert count_conflicts.detect(context(claims, [A003, A004])) == []


def _may_june(*extra: tuple[int, int]) -> list:
    three = claim(
        A000,
        ClaimKind.COUNT,
        "Between May and June 2025 alone, the two leaders held three calls",
        value=count(
            "three calls",
            3,
            window=(dt.date(2025, 5, 1), dt.date(2025, 6, 30)),
            window_text="Between May and June 2025",
        ),
    )
    calls = [call_on(A004, day(2025, m, d), f"call {m}/{d}") for m, d in ((5, 19), (6, 4), (6, 14), *extra)]
    return [three, *calls]


def test_n2_three_calls_between_may_and_june_match_the_timeline() -> None:
    assert count_conflicts.detect(context(_may_june(), [A000, A004])) == []


def test_a_timeline_holding_more_contacts_than_the_count_is_flagged() -> None:
    (conflict,) = count_conflicts.detect(context(_may_june((6, 20)), [A000, A004]))
    assert "the timeline holds 4" in conflict.explanation and len(conflict.sides) == 5


def test_years_of_a_window() -> None:
    assert count_conflicts.years(*TERM) == 4.0  # "2017-2021" is a term of four years
    assert round(count_conflicts.years(dt.date(2025, 5, 1), dt.date(2025, 6, 30)), 3) == 0.167
