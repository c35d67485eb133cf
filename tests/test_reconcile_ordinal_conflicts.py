"""ordinal_conflicts: ranks read as of their event, against each other and against the timeline (N1)."""

from __future__ import annotations

import datetime as dt

from extractor.reconcile.detectors import ordinal_conflicts
from extractor.records import Article, Claim, ClaimKind, ConflictKind
from tests.claim_factory import (
    article,
    call_on,
    claim,
    context,
    day,
    month,
    ordinal,
    relative_day,
    unresolved,
)

PUB = dt.date(2025, 7, 3)
A002, A003, A004 = article("002"), article("003"), article("004", published=PUB)
JAN = dt.date(2025, 1, 1)


def _timeline() -> list:
    days = ((2, 12), (3, 18), (5, 19), (6, 4), (6, 14))
    calls = [call_on(A004, day(2025, m, d), f"call of {m}/{d}") for m, d in days]
    return [
        *calls,
        call_on(
            A004, relative_day(2025, 7, 3, "on Thursday", PUB), "held a telephone conversation on Thursday"
        ),
    ]


def _rank_on_3_july(art: Article, rank: int, start: dt.date | None = JAN, text: str = "this year") -> Claim:
    return claim(
        art,
        ClaimKind.ORDINAL,
        f"It was the {rank}th conversation {text}.",
        date=day(2025, 7, 3),
        value=ordinal(f"{rank}th conversation", rank, start, text),
    )


def test_n1_second_on_18_march_and_sixth_on_3_july_both_hold() -> None:
    afternoon = call_on(A003, unresolved("this afternoon"), "their telephone conversation this afternoon")
    second = claim(
        A003,
        ClaimKind.ORDINAL,
        "This will be their second exchange",
        date=month(2025, 1),
        value=ordinal("second exchange", 2, JAN, "January 2025"),
    )
    # 004's "sixth ... this year" as read without the publication date: the series start is resolved again
    sixth = claim(
        A004,
        ClaimKind.ORDINAL,
        "It was the sixth publicly disclosed conversation between the two leaders this year.",
        date=relative_day(2025, 7, 3, "on Thursday", PUB),
        value=ordinal("sixth publicly disclosed conversation", 6, None, "this year"),
    )
    sixth_002 = claim(
        A002,
        ClaimKind.ORDINAL,
        "held their sixth publicly acknowledged phone call since Trump",
        date=day(2025, 7, 2),
        value=ordinal("sixth publicly acknowledged phone call", 6, JAN),
    )
    claims = [*_timeline(), afternoon, second, sixth, sixth_002]
    assert ordinal_conflicts.detect(context(claims, [A002, A003, A004])) == []


def test_a_rank_lower_than_the_events_before_it_is_flagged() -> None:
    (conflict,) = ordinal_conflicts.detect(context([*_timeline(), _rank_on_3_july(A002, 5)], [A002, A004]))
    assert conflict.kind == ConflictKind.ORDINAL and "already holds 6 such events" in conflict.explanation


def test_a_rank_higher_than_the_timeline_is_not_flagged() -> None:
    # the timeline may lack calls nobody reported: only an excess of earlier events is a conflict
    assert ordinal_conflicts.detect(context([*_timeline(), _rank_on_3_july(A002, 7)], [A002, A004])) == []


def test_two_reports_ranking_one_event_differently_in_one_series() -> None:
    b = article("rank-b", text="It was the 6th conversation this year.")
    conflicts = ordinal_conflicts.detect(
        context([*_timeline(), _rank_on_3_july(A002, 5), _rank_on_3_july(b, 6)], [A002, A004, b])
    )
    each_other = [c for c in conflicts if "calls it" in c.explanation]
    assert (
        len(each_other) == 1
        and "(rank 5)" in each_other[0].explanation
        and "(rank 6)" in each_other[0].explanation
    )


def test_ranks_in_different_series_are_not_compared() -> None:
    b = article("rank-c", text="It was the 1th conversation since 2022.")
    claims = [
        *_timeline(),
        _rank_on_3_july(A002, 6),
        _rank_on_3_july(b, 1, dt.date(2022, 2, 24), "since 2022"),
    ]
    assert [
        c for c in ordinal_conflicts.detect(context(claims, [A002, A004, b])) if "calls it" in c.explanation
    ] == []


def test_a_relative_series_start_is_resolved_against_the_publication_date() -> None:
    from extractor.reconcile.readings import ordinal_of

    sixth = claim(
        A004,
        ClaimKind.ORDINAL,
        "It was the sixth publicly disclosed conversation between the two leaders this year.",
        value=ordinal("sixth publicly disclosed conversation", 6, None, "this year"),
    )
    value = ordinal_of(sixth, A004)
    assert value is not None and value.series_start == JAN
