"""Date phrases: every one in the seed articles, plus the conventions (anchor, year carrying, weekdays)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractor.normalise import find_dates, parse_date, weekday_matches
from extractor.records.values import DatePrecision

D = dt.date
DAY, MONTH, YEAR, RANGE = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR, DatePrecision.RANGE
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
A0703 = D(2025, 7, 3)  # 004's dateline


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "anchor", "phrase", "start", "end", "precision"),
    [
        # 000
        (
            "What did Macron discuss with Putin on July 1, 2025?",
            None,
            "July 1, 2025",
            D(2025, 7, 1),
            None,
            DAY,
        ),
        ("in February 2022, Emmanuel Macron", None, "February 2022", D(2022, 2, 1), D(2022, 2, 28), MONTH),
        ("on February 28, 2022, they held a call", None, "February 28, 2022", D(2022, 2, 28), None, DAY),
        ("took place on September 11, 2022.", None, "September 11, 2022", D(2022, 9, 11), None, DAY),
        ("However, in February 2025, during", None, "February 2025", D(2025, 2, 1), D(2025, 2, 28), MONTH),
        ("negotiating with Russia back in 2014, but", None, "2014", D(2014, 1, 1), D(2014, 12, 31), YEAR),
        (
            "Between May and June 2025 alone",
            None,
            "Between May and June 2025",
            D(2025, 5, 1),
            D(2025, 6, 30),
            RANGE,
        ),
        ("May 19, 2025 – The conversation", None, "May 19, 2025", D(2025, 5, 19), None, DAY),
        ("June 4, 2025 – The US and Russian", None, "June 4, 2025", D(2025, 6, 4), None, DAY),
        ("June 14, 2025 – Another call", None, "June 14, 2025", D(2025, 6, 14), None, DAY),
        (
            "In November 2024, German Chancellor",
            None,
            "November 2024",
            D(2024, 11, 1),
            D(2024, 11, 30),
            MONTH,
        ),
        (
            "In July of last year, he visited",
            D(2025, 7, 2),
            "July of last year",
            D(2024, 7, 1),
            D(2024, 7, 31),
            MONTH,
        ),
        ("to visit Russia since February 2022.", None, "February 2022", D(2022, 2, 1), D(2022, 2, 28), MONTH),
        ("On December 11, 2024, the Hungarian", None, "December 11, 2024", D(2024, 12, 11), None, DAY),
        ("On December 22, 2024, he visited", None, "December 22, 2024", D(2024, 12, 22), None, DAY),
        ("on May 9, 2025, Robert Fico", None, "May 9, 2025", D(2025, 5, 9), None, DAY),
        (
            "a phone conversation on October 20, 2024, after",
            None,
            "October 20, 2024",
            D(2024, 10, 20),
            None,
            DAY,
        ),
        ("On March 7, 2025, they had", None, "March 7, 2025", D(2025, 3, 7), None, DAY),
        ("on June 11, 2025, Aleksandar Vučić", None, "June 11, 2025", D(2025, 6, 11), None, DAY),
        # 001
        ("spoke with Putin on Friday in an attempt", D(2022, 1, 29), "on Friday", D(2022, 1, 28), None, DAY),
        (
            "since earlier in the week, when",
            D(2022, 1, 28),
            "earlier in the week",
            D(2022, 1, 24),
            D(2022, 1, 27),
            RANGE,
        ),
        ("On Friday, Moscow remained steadfast", D(2022, 1, 28), "On Friday", D(2022, 1, 28), None, DAY),
        (
            "worked at The Week from 2021 to 2023 as",
            None,
            "from 2021 to 2023",
            D(2021, 1, 1),
            D(2023, 12, 31),
            RANGE,
        ),
        # 002
        ("On July 2, 2025, President Donald Trump", None, "July 2, 2025", D(2025, 7, 2), None, DAY),
        (
            "since Trump’s return to office in January.",
            D(2025, 7, 2),
            "January",
            D(2025, 1, 1),
            D(2025, 1, 31),
            MONTH,
        ),
        # 003
        (
            "their telephone conversation this afternoon",
            D(2025, 3, 18),
            "this afternoon",
            D(2025, 3, 18),
            None,
            DAY,
        ),
        (
            "returned to the White House in January 2025;",
            None,
            "January 2025",
            D(2025, 1, 1),
            D(2025, 1, 31),
            MONTH,
        ),
        ("the first occurred on February 12.", D(2025, 3, 18), "February 12", D(2025, 2, 12), None, DAY),
        (
            "first presidential term in 2017-2021, the",
            None,
            "2017-2021",
            D(2017, 1, 1),
            D(2021, 12, 31),
            RANGE,
        ),
        ("took place on July 7, 2017, on the sidelines", None, "July 7, 2017", D(2017, 7, 7), None, DAY),
        (
            "confiscated in the US in December 2016 was",
            None,
            "December 2016",
            D(2016, 12, 1),
            D(2016, 12, 31),
            MONTH,
        ),
        ("On November 10, 2017, on the sidelines", None, "November 10, 2017", D(2017, 11, 10), None, DAY),
        ("the third time on July 16, 2018, in Helsinki", None, "July 16, 2018", D(2018, 7, 16), None, DAY),
        (
            "to take place on November 11, 2018, in Paris",
            None,
            "November 11, 2018",
            D(2018, 11, 11),
            None,
            DAY,
        ),
        (
            "agreed to meet on December 1, 2018, in Buenos",
            None,
            "December 1, 2018",
            D(2018, 12, 1),
            None,
            DAY,
        ),
        (
            "detained on November 25, 2018, in the Kerch",
            None,
            "November 25, 2018",
            D(2018, 11, 25),
            None,
            DAY,
        ),
        ("took place on June 28, 2019, on the sidelines", None, "June 28, 2019", D(2019, 6, 28), None, DAY),
        ("took place on November 14, 2016, following", None, "November 14, 2016", D(2016, 11, 14), None, DAY),
        ("occurred on January 28, 2017, after", None, "January 28, 2017", D(2017, 1, 28), None, DAY),
        ("On April 4, 2017, Donald Trump", None, "April 4, 2017", D(2017, 4, 4), None, DAY),
        (
            "During a conversation on February 12, 2018, the",
            None,
            "February 12, 2018",
            D(2018, 2, 12),
            None,
            DAY,
        ),
        ("On March 20, 2018, Donald Trump", None, "March 20, 2018", D(2018, 3, 20), None, DAY),
        ("On May 3, 2019, a significant part", None, "May 3, 2019", D(2019, 5, 3), None, DAY),
        ("On December 29, 2019, during a phone call", None, "December 29, 2019", D(2019, 12, 29), None, DAY),
        ("On March 30, 2020, the presidents", None, "March 30, 2020", D(2020, 3, 30), None, DAY),
        ("On April 10, 2020, the Russian", None, "April 10, 2020", D(2020, 4, 10), None, DAY),
        ("On May 7, 2020, Vladimir Putin", None, "May 7, 2020", D(2020, 5, 7), None, DAY),
        ("On July 23, 2020, the presidents", None, "July 23, 2020", D(2020, 7, 23), None, DAY),
        ("set to expire in February 2021.", None, "February 2021", D(2021, 2, 1), D(2021, 2, 28), MONTH),
        (
            "The hour-and-a-half conversation held on February 12, 2025, was",
            None,
            "February 12, 2025",
            D(2025, 2, 12),
            None,
            DAY,
        ),
        # 004
        (" date 2025-07-03 Russian President", None, "2025-07-03", D(2025, 7, 3), None, DAY),
        ("held a telephone conversation on Thursday and", A0703, "on Thursday", D(2025, 7, 3), None, DAY),
        ("between the two leaders this year.", A0703, "this year", D(2025, 1, 1), D(2025, 12, 31), YEAR),
        (
            "Sixth call between Trump and Putin this year",
            A0703,
            "this year",
            D(2025, 1, 1),
            D(2025, 12, 31),
            YEAR,
        ),
        (
            "The last known call between the two leaders was on 14 June, shortly",
            A0703,
            "14 June",
            D(2025, 6, 14),
            None,
            DAY,
        ),
        (
            "the sixth time since the beginning of the year that",
            A0703,
            "the beginning of the year",
            D(2025, 1, 1),
            None,
            DAY,
        ),
        ("the presidency took place on February 12.", A0703, "February 12", D(2025, 2, 12), None, DAY),
        ("talked over the phone on March 18.", A0703, "March 18", D(2025, 3, 18), None, DAY),
        ("spoke by phone on May 19 and June 4, shortly", A0703, "May 19", D(2025, 5, 19), None, DAY),
        ("On June 14, Putin congratulated Trump", A0703, "June 14", D(2025, 6, 14), None, DAY),
        # brief examples
        ("2 July 2025", None, "2 July 2025", D(2025, 7, 2), None, DAY),
        ("late January 2022", None, "late January 2022", D(2022, 1, 21), D(2022, 1, 31), RANGE),
        ("in 2017-2021", None, "2017-2021", D(2017, 1, 1), D(2021, 12, 31), RANGE),
        ("today", A0703, "today", A0703, None, DAY),
        ("yesterday", A0703, "yesterday", D(2025, 7, 2), None, DAY),
        ("last Thursday", A0703, "last Thursday", D(2025, 6, 26), None, DAY),
        ("next Thursday", A0703, "next Thursday", D(2025, 7, 10), None, DAY),
        ("on Monday", A0703, "on Monday", D(2025, 6, 30), None, DAY),
        ("last week", A0703, "last week", D(2025, 6, 23), D(2025, 6, 29), RANGE),
        ("the 14th of June 2025", None, "the 14th of June 2025", D(2025, 6, 14), None, DAY),
        ("Sept. 11, 2001", None, "Sept. 11, 2001", D(2001, 9, 11), None, DAY),
        ("July 7-8, 2017", None, "July 7-8, 2017", D(2017, 7, 7), D(2017, 7, 8), RANGE),
        ("in late 2022", None, "late 2022", D(2022, 9, 1), D(2022, 12, 31), RANGE),
        (
            "between November and February 2025",
            None,
            "between November and February 2025",
            D(2024, 11, 1),
            D(2025, 2, 28),
            RANGE,
        ),
    ],
)
def test_parse_date(
    text: str,
    anchor: dt.date | None,
    phrase: str,
    start: dt.date,
    end: dt.date | None,
    precision: DatePrecision,
) -> None:
    value = parse_date(text, anchor)
    assert value is not None
    assert (value.text, value.start, value.end, value.precision) == (phrase, start, end or start, precision)
    assert value.resolved
    assert value.basis


@pytest.mark.parametrize(
    ("text", "phrase", "precision", "in_basis"),
    [
        ("on Thursday", "on Thursday", DAY, "relative ('on Thursday'); no publication date to anchor it"),
        ("on Friday", "on Friday", DAY, "no publication date"),
        ("earlier in the week", "earlier in the week", RANGE, "no publication date"),
        ("this afternoon", "this afternoon", DAY, "no publication date"),
        ("this year", "this year", YEAR, "no publication date"),
        ("In July of last year", "July of last year", MONTH, "'of last year' is relative"),
        ("on 14 June", "14 June", DAY, "month 6, day 14"),
        ("the first occurred on February 12", "February 12", DAY, "month 2, day 12"),
        (
            "since Trump's return to office in January",
            "January",
            MONTH,
            "month 'January' stated without a year",
        ),
        ("On April 12, the leaders", "April 12", DAY, "month 4, day 12"),
        ("On December 1, the leaders", "December 1", DAY, "month 12, day 1"),
        ("March 9, after the OPEC+ deal", "March 9", DAY, "month 3, day 9"),
    ],
)
def test_unanchored_relative_and_yearless_dates_stay_unresolved(
    text: str, phrase: str, precision: DatePrecision, in_basis: str
) -> None:
    value = parse_date(text)
    assert value is not None
    assert (value.text, value.start, value.end, value.resolved, value.precision) == (
        phrase,
        None,
        None,
        False,
        precision,
    )
    assert in_basis in value.basis


def test_yearless_date_with_anchor_says_where_the_year_came_from() -> None:
    value = parse_date("on 14 June", A0703)
    assert value is not None and value.start == D(2025, 6, 14)
    assert "year taken from the anchor 2025-07-03" in value.basis


def test_of_that_year_is_not_taken_from_the_anchor() -> None:
    value = parse_date("On December 17 of that year, Vladimir Putin thanked", A0703)
    assert value is not None
    assert (value.text, value.start, value.resolved) == ("December 17 of that year", None, False)
    assert "'of that year'" in value.basis


def test_weekday_date_pair_is_checked() -> None:
    value = parse_date("On the evening of Monday, July 1, 2025, it was revealed")
    assert value is not None
    assert (value.text, value.start, value.weekday_stated, value.weekday_matches) == (
        "Monday, July 1, 2025",
        D(2025, 7, 1),
        "Monday",
        False,
    )
    assert "Tuesday" in value.basis
    right = parse_date("Tuesday, 1 July 2025")
    assert right is not None and (right.start, right.weekday_matches) == (D(2025, 7, 1), True)


def test_relative_weekday_includes_the_anchor_itself() -> None:
    value = parse_date("on Thursday", A0703)
    assert value is not None
    assert (value.start, value.weekday_stated) == (D(2025, 7, 3), "Thursday")
    assert (
        value.basis == "relative ('on Thursday'): the most recent Thursday on or before the anchor 2025-07-03"
    )


def test_list_sharing_a_year() -> None:
    text = "During telephone calls on May 2, November 21, and December 15, 2017, the presidents"
    found = find_dates(text)
    assert [(text[s:e], v.start) for s, e, v in found] == [
        ("May 2", D(2017, 5, 2)),
        ("November 21", D(2017, 11, 21)),
        ("December 15, 2017", D(2017, 12, 15)),
    ]
    assert "list sharing the year 2017" in found[0][2].basis


def test_list_without_a_year_takes_the_anchor_year() -> None:
    found = find_dates("Putin and Trump then spoke by phone on May 19 and June 4, shortly after", A0703)
    assert [(v.text, v.start) for _, _, v in found] == [("May 19", D(2025, 5, 19)), ("June 4", D(2025, 6, 4))]


def test_year_is_carried_from_an_earlier_full_date() -> None:
    text = "On April 10, 2020, the presidents spoke twice in one day. On April 12, the leaders held a call."
    found = find_dates(text, A0703)
    assert [(v.text, v.start) for _, _, v in found] == [
        ("April 10, 2020", D(2020, 4, 10)),
        ("April 12", D(2020, 4, 12)),
    ]
    assert "carried from 'April 10, 2020'" in found[1][2].basis
    assert "anchor's year would give 2025" in found[1][2].basis
    no_carry = find_dates(text, A0703, carry_year=False)
    assert no_carry[1][2].start == D(2025, 4, 12)


def test_of_the_same_year_is_carried() -> None:
    text = "On May 3, 2019, they spoke. On July 31 of the same year, the presidents discussed trade."
    assert [v.start for _, _, v in find_dates(text)] == [D(2019, 5, 3), D(2019, 7, 31)]


SEED_DATES = {
    "000": (
        None,
        [
            ("July 1, 2025", "2025-07-01", "2025-07-01"),
            ("Monday, July 1, 2025", "2025-07-01", "2025-07-01"),
            ("February 2022", "2022-02-01", "2022-02-28"),
            ("February 28, 2022", "2022-02-28", "2022-02-28"),
            ("September 11, 2022", "2022-09-11", "2022-09-11"),
            ("February 2025", "2025-02-01", "2025-02-28"),
            ("2014", "2014-01-01", "2014-12-31"),
            ("Between May and June 2025", "2025-05-01", "2025-06-30"),
            ("May 19, 2025", "2025-05-19", "2025-05-19"),
            ("June 4, 2025", "2025-06-04", "2025-06-04"),
            ("June 14, 2025", "2025-06-14", "2025-06-14"),
            ("November 2024", "2024-11-01", "2024-11-30"),
            ("July of last year", None, None),
            ("February 2022", "2022-02-01", "2022-02-28"),
            ("December 11, 2024", "2024-12-11", "2024-12-11"),
            ("December 22, 2024", "2024-12-22", "2024-12-22"),
            ("May 9, 2025", "2025-05-09", "2025-05-09"),
            ("October 20, 2024", "2024-10-20", "2024-10-20"),
            ("March 7, 2025", "2025-03-07", "2025-03-07"),
            ("May 9, 2025", "2025-05-09", "2025-05-09"),
            ("June 11, 2025", "2025-06-11", "2025-06-11"),
        ],
    ),
    "001": (
        None,
        [
            ("on Friday", None, None),
            ("earlier in the week", None, None),
            ("On Friday", None, None),
            ("from 2021 to 2023", "2021-01-01", "2023-12-31"),
        ],
    ),
    "002": (
        D(2025, 7, 2),
        [
            ("July 2, 2025", "2025-07-02", "2025-07-02"),
            ("January", "2025-01-01", "2025-01-31"),
        ],
    ),
    "003": (
        D(2025, 3, 18),
        [
            ("this afternoon", "2025-03-18", "2025-03-18"),
            ("January 2025", "2025-01-01", "2025-01-31"),
            ("February 12", "2025-02-12", "2025-02-12"),
            ("2017-2021", "2017-01-01", "2021-12-31"),
            ("July 7, 2017", "2017-07-07", "2017-07-07"),
            ("December 2016", "2016-12-01", "2016-12-31"),
            ("November 10, 2017", "2017-11-10", "2017-11-10"),
            ("July 16, 2018", "2018-07-16", "2018-07-16"),
            ("November 11, 2018", "2018-11-11", "2018-11-11"),
            ("December 1, 2018", "2018-12-01", "2018-12-01"),
            ("November 25, 2018", "2018-11-25", "2018-11-25"),
            ("December 1", "2018-12-01", "2018-12-01"),
            ("June 28, 2019", "2019-06-28", "2019-06-28"),
            ("November 14, 2016", "2016-11-14", "2016-11-14"),
            ("January 28, 2017", "2017-01-28", "2017-01-28"),
            ("April 4, 2017", "2017-04-04", "2017-04-04"),
            ("May 2", "2017-05-02", "2017-05-02"),
            ("November 21", "2017-11-21", "2017-11-21"),
            ("December 15, 2017", "2017-12-15", "2017-12-15"),
            ("December 17 of that year", "2017-12-17", "2017-12-17"),
            ("February 12, 2018", "2018-02-12", "2018-02-12"),
            ("March 20, 2018", "2018-03-20", "2018-03-20"),
            ("May 3, 2019", "2019-05-03", "2019-05-03"),
            ("July 31 of the same year", "2019-07-31", "2019-07-31"),
            ("December 29, 2019", "2019-12-29", "2019-12-29"),
            ("March 30, 2020", "2020-03-30", "2020-03-30"),
            ("March 9", "2020-03-09", "2020-03-09"),
            ("April 10, 2020", "2020-04-10", "2020-04-10"),
            ("April 12", "2020-04-12", "2020-04-12"),
            ("May 7, 2020", "2020-05-07", "2020-05-07"),
            ("July 23, 2020", "2020-07-23", "2020-07-23"),
            ("February 2021", "2021-02-01", "2021-02-28"),
            ("February 12, 2025", "2025-02-12", "2025-02-12"),
        ],
    ),
    "004": (
        A0703,
        [
            ("2025-07-03", "2025-07-03", "2025-07-03"),
            ("on Thursday", "2025-07-03", "2025-07-03"),
            ("this year", "2025-01-01", "2025-12-31"),
            ("this year", "2025-01-01", "2025-12-31"),
            ("14 June", "2025-06-14", "2025-06-14"),
            ("the beginning of the year", "2025-01-01", "2025-01-01"),
            ("February 12", "2025-02-12", "2025-02-12"),
            ("March 18", "2025-03-18", "2025-03-18"),
            ("May 19", "2025-05-19", "2025-05-19"),
            ("June 4", "2025-06-04", "2025-06-04"),
            ("June 14", "2025-06-14", "2025-06-14"),
        ],
    ),
}


@pytest.mark.parametrize("prefix", sorted(SEED_DATES))
def test_every_date_in_the_seed_articles(prefix: str) -> None:
    anchor, expected = SEED_DATES[prefix]
    text = _seed(prefix)
    found = find_dates(text, anchor)
    assert all(text[s:e] == v.text for s, e, v in found)
    got = [(v.text, v.start and v.start.isoformat(), v.end and v.end.isoformat()) for _, _, v in found]
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "Instead of the planned 30-45 minutes",
        "his proposed $4.5 trillion tax-and-spending package",
        "the 75th anniversary of the defeat of Nazi Germany",
        "the 100th anniversary of the end of World War I",
        "at about 16:45 ahead of the schedule",
        "a 30-day moratorium on strikes",
        "lasted 2 hours and 15 minutes",
        "1 of 160",
        "the G20 summit in Osaka",
        "the COVID-19 pandemic",
        "he may be offended",
        "Nord Stream 2 gas pipeline",
        "in 2000 cases",
        "spoke on Fridays",
    ],
)
def test_no_date_in_durations_numbers_or_times(text: str) -> None:
    assert find_dates(text, A0703) == []
    assert parse_date(text, A0703) is None


def test_offsets_point_at_the_phrase() -> None:
    text = "It was on 14 June, and again on Thursday."
    found = find_dates(text, A0703)
    assert [text[s:e] for s, e, _ in found] == ["14 June", "on Thursday"]


@pytest.mark.parametrize(
    ("name", "date", "expected"),
    [
        ("Monday", D(2025, 7, 1), False),
        ("Tuesday", D(2025, 7, 1), True),
        ("thursday", D(2025, 7, 3), True),
        ("Thu", D(2025, 7, 3), True),
        ("Friday", D(2022, 1, 28), True),
    ],
)
def test_weekday_matches(name: str, date: dt.date, expected: bool) -> None:
    assert weekday_matches(name, date) is expected


def test_weekday_matches_rejects_non_weekdays() -> None:
    with pytest.raises(ValueError, match="not a weekday"):
        weekday_matches("Funday", D(2025, 7, 1))


def test_invalid_calendar_date_is_not_a_date() -> None:
    assert parse_date("February 30, 2025") is None
