"""Timelines: dated contacts per participant and per pair, in date order, with who reports each."""

from __future__ import annotations

import datetime as dt

from extractor.reconcile import reconcile, timeline_for
from extractor.reconcile.timeline import TimelineIndex
from extractor.records import Channel, ClaimKind
from tests.claim_factory import MACRON_PUTIN, article, call_on, claim, day, relative_day, unresolved

PUB = dt.date(2025, 7, 3)
A000, A002, A003, A004 = article("000"), article("002"), article("003"), article("004", published=PUB)


def _seed_calls() -> list:
    return [
        call_on(
            A004, day(2025, 3, 18, "March 18"), "Then the heads of state talked over the phone on March 18."
        ),
        call_on(A004, day(2025, 2, 12, "February 12"), "took place on February 12"),
        call_on(A000, day(2025, 5, 19, "May 19, 2025"), "May 19, 2025"),
        call_on(A004, day(2025, 5, 19, "May 19"), "Putin and Trump then spoke by phone on May 19"),
        call_on(A000, day(2025, 6, 4, "June 4, 2025"), "June 4, 2025"),
        call_on(A000, day(2025, 6, 14, "June 14, 2025"), "June 14, 2025"),
        call_on(
            A004, relative_day(2025, 7, 3, "on Thursday", PUB), "held a telephone conversation on Thursday"
        ),
        call_on(A002, day(2025, 7, 2, "July 2, 2025"), "On July 2, 2025, President Donald Trump"),
        call_on(A003, unresolved("this afternoon"), "during their telephone conversation this afternoon"),
        call_on(
            A000,
            day(2025, 7, 1, "July 1, 2025"),
            "What did Macron discuss with Putin on July 1, 2025?",
            MACRON_PUTIN,
        ),
        claim(
            A002,
            ClaimKind.STATEMENT,
            "Trump had just reported a pause on certain arms transfers to Ukraine",
            date=day(2025, 7, 2),
            channel=Channel.STATEMENT,
            participants=("Donald Trump",),
        ),
    ]


def test_trump_putin_2025_timeline_in_date_order_with_its_reports() -> None:
    result = reconcile(_seed_calls(), [A000, A002, A003, A004])
    events = timeline_for(result, ["Vladimir Putin", "Donald Trump"])
    assert [e.date for e in events] == [
        dt.date(2025, m, d) for m, d in ((2, 12), (3, 18), (5, 19), (6, 4), (6, 14), (7, 3))
    ]
    assert events[2].article_ids == sorted([A000.id, A004.id])
    assert events[-1].article_ids == sorted([A002.id, A004.id])  # the 2 July dating joined 3 July


def test_one_participant_timeline_holds_every_counterpart_but_no_statement_or_undated_event() -> None:
    result = reconcile(_seed_calls(), [A000, A002, A003, A004])
    putin = timeline_for(result, ["Vladimir Putin"])
    assert dt.date(2025, 7, 1) in [e.date for e in putin] and len(putin) == 7
    assert timeline_for(result, ["Donald Trump"]) == timeline_for(result, ["Donald Trump", "Vladimir Putin"])
    assert timeline_for(result, ["Donald Trump", "Emmanuel Macron", "Vladimir Putin"]) == []
    lanes = {tuple(t.participants) for t in result.timelines}
    assert ("Donald Trump", "Vladimir Putin") in lanes and ("Vladimir Putin",) in lanes
    for t in result.timelines:
        assert [e.date for e in t.entries] == sorted(e.date for e in t.entries)


def test_series_counts_single_days_of_one_channel_within_a_window() -> None:
    result = reconcile(_seed_calls(), [A000, A002, A003, A004])
    index = TimelineIndex(result.events)
    people = ["Donald Trump", "Vladimir Putin"]
    may_june = index.series(people, Channel.PHONE_CALL, dt.date(2025, 5, 1), dt.date(2025, 6, 30))
    assert [e.date for e in may_june] == [dt.date(2025, 5, 19), dt.date(2025, 6, 4), dt.date(2025, 6, 14)]
    assert index.series(people, Channel.MEETING, dt.date(2025, 1, 1)) == []
    assert len(index.series(people, Channel.UNKNOWN, None)) == 6
