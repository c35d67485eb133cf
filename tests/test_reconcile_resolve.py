"""Same-event resolution: which claims are about one event, and on what basis each was placed."""

from __future__ import annotations

import datetime as dt

from extractor.reconcile import PlacementMethod, ReconcileResult, reconcile
from extractor.reconcile.resolve import resolve
from extractor.records import Channel, ClaimKind, Event
from tests.claim_factory import (
    MACRON_PUTIN,
    TRUMP_PUTIN,
    article,
    call_on,
    claim,
    count,
    day,
    month,
    ordinal,
    relative_day,
    unresolved,
)

PUB_004 = dt.date(2025, 7, 3)
A002 = article("002")
A003 = article("003")
A004 = article("004", published=PUB_004)


def event_of(result: ReconcileResult, claim_id: str) -> Event:
    placement = result.placement(claim_id)
    assert placement is not None and placement.event_id is not None, placement
    event = result.event(placement.event_id)
    assert event is not None
    return event


def test_dates_one_day_apart_join_one_event_when_the_match_is_unambiguous() -> None:
    c002 = call_on(A002, day(2025, 7, 2, "July 2, 2025"), "On July 2, 2025, President Donald Trump")
    c004 = call_on(
        A004, relative_day(2025, 7, 3, "on Thursday", PUB_004), "held a telephone conversation on Thursday"
    )
    result = reconcile([c002, c004], [A002, A004])
    (event,) = result.events
    assert event.date == dt.date(2025, 7, 3)  # 004 was published that week
    assert event.article_ids == sorted([A002.id, A004.id])
    placement = result.placement(c002.id)
    assert placement is not None and placement.method == PlacementMethod.DATE_TOLERANCE
    assert "within 1 day" in placement.basis and "2025-07-02" in event.date_basis


def test_an_article_reporting_both_dates_keeps_them_apart() -> None:
    both = article("both", text="They spoke on July 2, 2025. They spoke again on July 3, 2025.")
    other = article("other", text="The call took place on July 3, 2025.")
    claims = [
        call_on(both, day(2025, 7, 2), "They spoke on July 2, 2025."),
        call_on(both, day(2025, 7, 3), "They spoke again on July 3, 2025."),
        call_on(other, day(2025, 7, 3), "The call took place on July 3, 2025."),
    ]
    result = reconcile(claims, [both, other])
    assert [e.date for e in result.events] == [dt.date(2025, 7, 2), dt.date(2025, 7, 3)]
    assert result.conflicts == []


def test_a_third_date_for_one_call_does_not_split_it() -> None:
    # three reports, three days in a row, no article reporting two of them: one call dated three ways
    arts = [article(f"d{d}", text=f"They spoke on July {d}, 2025.") for d in (1, 2, 3)]
    claims = [call_on(a, day(2025, 7, d)) for a, d in zip(arts, (1, 2, 3), strict=True)]
    result = reconcile(claims, arts)
    (event,) = result.events
    assert event.article_ids == sorted(a.id for a in arts)
    (conflict,) = result.conflicts
    assert conflict.kind.value == "date"
    assert {s.article_id for s in conflict.sides} == {a.id for a in arts}


def test_april_10_and_12_2020_stay_separate_events() -> None:
    ten = call_on(
        A003,
        day(2020, 4, 10, "April 10, 2020"),
        "On April 10, 2020, the Russian and US presidents spoke twice",
    )
    twelve = call_on(
        A003, day(2020, 4, 12, "April 12"), "Afterward, Vladimir Putin held a separate conversation"
    )
    eleven_art = article("eleven", text="Trump and Putin spoke on April 11, 2020.")
    eleven = call_on(eleven_art, day(2020, 4, 11), "Trump and Putin spoke on April 11, 2020.")
    assert len(reconcile([ten, twelve], [A003]).events) == 2
    # a report of 11 April sits between two events of 003: it joins neither
    result = reconcile([ten, twelve, eleven], [A003, eleven_art])
    assert [e.date for e in result.events] == [dt.date(2020, 4, d) for d in (10, 11, 12)]


def test_an_unresolved_date_is_never_merged_into_a_dated_event() -> None:
    a000, a001 = article("000"), article("001")
    friday = call_on(
        a001,
        unresolved("on Friday", weekday="Friday"),
        "French President Emmanuel Macron spoke with Russian President Vladimir Putin on Friday",
        MACRON_PUTIN,
    )
    july = call_on(
        a000,
        day(2025, 7, 1, "Monday, July 1, 2025", weekday="Monday"),
        "On the evening of Monday, July 1, 2025",
        MACRON_PUTIN,
    )
    result = reconcile([friday, july], [a000, a001])
    assert event_of(result, friday.id).date is None
    assert event_of(result, friday.id).id != event_of(result, july.id).id
    placement = result.placement(friday.id)
    assert placement is not None and placement.method == PlacementMethod.UNRESOLVED_DATE
    assert all({s.article_id for s in c.sides} != {a000.id, a001.id} for c in result.conflicts)


def _timeline_2025() -> list:
    return [
        call_on(A004, day(2025, 2, 12, "February 12"), "took place on February 12"),
        call_on(
            A004, day(2025, 3, 18, "March 18"), "Then the heads of state talked over the phone on March 18."
        ),
        call_on(A004, day(2025, 5, 19, "May 19"), "Putin and Trump then spoke by phone on May 19"),
        call_on(A004, day(2025, 6, 4, "June 4"), "June 4, shortly after direct Russian-Ukrainian talks"),
        call_on(A004, day(2025, 6, 14, "June 14"), "On June 14, Putin congratulated Trump on his birthday."),
        call_on(
            A004,
            relative_day(2025, 7, 3, "on Thursday", PUB_004),
            "held a telephone conversation on Thursday",
        ),
    ]


def test_an_undated_event_is_placed_by_its_ordinal_against_the_timeline() -> None:
    afternoon = call_on(
        A003, unresolved("this afternoon"), "during their telephone conversation this afternoon"
    )
    second = claim(
        A003,
        ClaimKind.ORDINAL,
        "This will be their second exchange since Donald Trump returned to the White House",
        date=month(2025, 1, "January 2025"),  # what reading the quote gives: the series start, not the event
        value=ordinal("second exchange", 2, dt.date(2025, 1, 1), "January 2025"),
    )
    result = reconcile([*_timeline_2025(), afternoon, second], [A003, A004])
    for c in (afternoon, second):
        assert event_of(result, c.id).date == dt.date(2025, 3, 18)
        placement = result.placement(c.id)
        assert placement is not None and placement.method == PlacementMethod.ORDINAL
        assert placement.basis.startswith("ordinal 2 in series since 2025-01-01 against the timeline")
    assert result.conflicts == []


def test_an_ordinal_cannot_place_an_event_on_another_weekday_or_beyond_the_timeline() -> None:
    for date, rank in ((unresolved("on Friday", weekday="Friday"), 2), (unresolved("this afternoon"), 9)):
        art = article(
            f"ord{rank}", text="They spoke on Friday, their call this afternoon. Their call in the series."
        )
        undated = call_on(art, date, "They spoke")
        rank_claim = claim(
            art,
            ClaimKind.ORDINAL,
            "Their call in the series.",
            value=ordinal("call", rank, dt.date(2025, 1, 1)),
        )
        result = reconcile([*_timeline_2025(), undated, rank_claim], [art, A004])
        assert event_of(result, undated.id).date is None  # 18 March 2025 was a Tuesday; there is no ninth


def test_an_undated_claim_joins_the_nearest_mention_of_its_participants_before_it() -> None:
    june = call_on(
        A004, day(2025, 6, 14, "June 14"), "On June 14, Putin congratulated Trump on his birthday."
    )
    thursday = call_on(
        A004, relative_day(2025, 7, 3, "on Thursday", PUB_004), "held a telephone conversation on Thursday"
    )
    middle_east = claim(
        A004,
        ClaimKind.TOPIC_DISCUSSED,
        "Escalation in the Middle East, which began in those days",
        topic="escalation in the Middle East",
    )
    hour = claim(
        A004, ClaimKind.DURATION, "Kremlin aide Yuri Ushakov said Putin and Trump spoke for nearly an hour"
    )
    result = reconcile([june, thursday, middle_east, hour], [A004])
    assert event_of(result, middle_east.id).date == dt.date(2025, 6, 14)
    assert event_of(result, hour.id).date == dt.date(2025, 7, 3)
    placement = result.placement(hour.id)
    assert placement is not None and placement.method == PlacementMethod.NEAREST_MENTION


def test_claims_naming_nobody_join_a_clear_main_event_or_stay_unplaced() -> None:
    clear = article("clear", text="They spoke on July 2, 2025. The call was frank.")
    call = call_on(clear, day(2025, 7, 2), "They spoke on July 2, 2025.")
    frank = claim(clear, ClaimKind.CHARACTERISATION, "The call was frank.", participants=())
    result = reconcile([call, frank], [clear])
    assert event_of(result, frank.id).id == event_of(result, call.id).id

    vague = article("vague", text="A met B on May 1, 2025. C met D on May 2, 2025. It was frank.")
    claims = [
        call_on(vague, day(2025, 5, 1), "A met B on May 1, 2025.", people=("A", "B")),
        call_on(vague, day(2025, 5, 2), "C met D on May 2, 2025.", people=("C", "D")),
        claim(vague, ClaimKind.CHARACTERISATION, "It was frank.", participants=()),
    ]
    placement = reconcile(claims, [vague]).placement(claims[2].id)
    assert (
        placement is not None and placement.method == PlacementMethod.UNPLACED and placement.event_id is None
    )


def test_an_unknown_channel_or_a_statement_joins_the_one_contact_of_that_day() -> None:
    art = article("loose", text="They spoke on July 2, 2025. They met that day. Trump said so.")
    call = call_on(art, day(2025, 7, 2), "They spoke on July 2, 2025.")
    loose = call_on(art, day(2025, 7, 2), "They met that day.", channel=Channel.UNKNOWN)
    said = claim(art, ClaimKind.STATEMENT, "Trump said so.", date=day(2025, 7, 2), channel=Channel.STATEMENT)
    result = reconcile([call, loose, said], [art])
    (event,) = result.events
    assert event.channel == Channel.PHONE_CALL and len(event.claim_ids) == 3

    meeting = call_on(art, day(2025, 7, 2), "They met that day.", channel=Channel.MEETING)
    result = reconcile([call, meeting, said], [art])
    assert len(result.events) == 3  # a call and a meeting that day: the statement belongs to neither


def test_counts_are_series_claims_placed_on_no_event() -> None:
    art = article("000")
    three = claim(
        art,
        ClaimKind.COUNT,
        "Between May and June 2025 alone, the two leaders held three calls",
        value=count("three calls", 3, window=(dt.date(2025, 5, 1), dt.date(2025, 6, 30))),
    )
    resolution = resolve([three], [art])
    assert resolution.events == [] and resolution.series_claims == [three]
    assert resolution.placements[0].method == PlacementMethod.SERIES


def test_participants_within_another_set_join_across_articles_only() -> None:
    a = article("pair", text="Trump and Putin met on July 7, 2017.")
    b = article("four", text="The talks with Lavrov and Tillerson on July 7, 2017 lasted long.")
    four = ("Donald Trump", "Rex Tillerson", "Sergey Lavrov", "Vladimir Putin")
    pair = call_on(a, day(2017, 7, 7), "Trump and Putin met on July 7, 2017.", channel=Channel.MEETING)
    crowd = call_on(
        b, day(2017, 7, 7), "The talks with Lavrov and Tillerson", people=four, channel=Channel.MEETING
    )
    (event,) = reconcile([pair, crowd], [a, b]).events
    assert event.participants == sorted(TRUMP_PUTIN)
    # 003 reports a three-way call and "a separate conversation" of the two on one day: two events
    same = call_on(b, day(2017, 7, 7), "lasted long", channel=Channel.MEETING)
    assert len(reconcile([crowd, same], [b]).events) == 2


def test_ids_and_results_do_not_depend_on_input_order() -> None:
    claims = [
        *_timeline_2025(),
        call_on(A002, day(2025, 7, 2, "July 2, 2025"), "On July 2, 2025, President Donald Trump"),
        call_on(A003, unresolved("this afternoon"), "during their telephone conversation this afternoon"),
    ]
    forward, backward = reconcile(claims, [A002, A003, A004]), reconcile(claims[::-1], [A004, A003, A002])
    assert [e.id for e in forward.events] == [e.id for e in backward.events]
    assert [c.id for c in forward.conflicts] == [c.id for c in backward.conflicts]
    assert all(e.id.startswith("ev-") for e in forward.events)
