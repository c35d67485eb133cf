"""Which dates in a sentence can be an event's (extract/eventdates.py). Sentences written for the tests."""

from __future__ import annotations

import datetime as dt

import pytest

from extractor.extract.eventdates import event_dates

ANCHOR = dt.date(2025, 7, 4)


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("On July 2, 2025, the two presidents held a phone call.", ["July 2, 2025"]),
        ("They met on Friday.", ["on Friday"]),
        ("OSLO, July 3 /NTB/. The ministers spoke for an hour.", []),  # a dateline dates the report
        ("3 July 2025 08:30 (UTC+02:00)", []),  # a timestamp line
        ("In an interview released on Sunday, the chancellor praised the call.", []),
        ("The talks failed after sailors were detained on November 25, 2018.", []),
        ("They agreed to meet on December 1 in Buenos Aires.", []),  # a plan, not a contact
        ("The talks resumed, after years of silence, as you know, back in 2022.", []),
        ("Since January 2025 the two have spoken six times.", []),  # a series starts
        ("In 2022 the leaders met twice.", ["2022"]),  # a year said of a contact
    ],
)
def test_dates_that_can_be_an_events(text: str, dates: list[str]) -> None:
    assert [d[2].text for d in event_dates(text, ANCHOR)] == dates
