"""Which dates in a text can be an event's: not the start of a series, not the date of something
else that happened or was said, not a dateline's or a timestamp's."""

from __future__ import annotations

import datetime as dt
import re

from extractor.normalise import find_dates
from extractor.records import DatePrecision, DateValue

_SINCE = re.compile(r"\b(?:since|after|before|until)\s*$", re.IGNORECASE)


# "sailors detained on November 25", "an interview released on Sunday", "agreed to meet on
# December 1": the date of something else that happened, of when it was said, or of a contact only
# planned, not the date of a contact that took place
_OTHER_HAPPENING = re.compile(
    r"(?:\b(?:detained|arrested|seized|captured|killed|died|born|elected|re-elected|inaugurated|launched|"
    r"attacked|invaded|annexed|signed|published|adopted|downed|shot|struck|bombed|"
    r"said|says|told|announced|released|aired|broadcast|posted|wrote|reported)"
    r"|\b(?:to|will|would|shall)\s+(?:meet|talk|speak|hold talks|visit)(?:\s+again)?)\s+(?:on\s+)?$",
    re.IGNORECASE,
)


def event_dates(text: str, anchor: dt.date | None) -> list[tuple[int, int, DateValue]]:
    """Dates in `text` that can be an event's: "since the beginning of the year" starts a series,
    "released on Sunday" dates something else, a dateline dates the report, and a year or month in
    a clause that speaks of no contact ("interrupted, as you know, back in 2022") is not the event's."""
    return [
        d
        for d in find_dates(text, anchor)
        if not (
            _SINCE.search(text[: d[0]])
            or _OTHER_HAPPENING.search(text[: d[0]])
            or _metadata_date(text, d[0], d[1])
            or _loose(text, d)
        )
    ]


# "MOSCOW, August 17. /TASS/." and a line holding only a date and a time: when the report was filed
_DATELINE = re.compile(r"(?:^|\n)\s*[A-Z][A-Z .'’-]{2,40},\s*$")
_ONLY_A_DATE = re.compile(
    r"(?:[\s\d:,.()+\-–—/|]|\b(?:UTC|GMT|[AP]M|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"updated|published|posted)\b)*",
    re.IGNORECASE,
)


def _metadata_date(text: str, start: int, end: int) -> bool:
    """Is the date at [start, end) a dateline's or a timestamp line's, not an event's?"""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    rest = text[line_start:start] + text[end:line_end]
    return bool(_DATELINE.search(text[:start]) or _ONLY_A_DATE.fullmatch(rest))


EVENT_WORDS = re.compile(
    r"\b(?:call\w*|spoke|speak|talk(?:s|ed)?|conversation|meeting|met|meet|summit|visit\w*|"
    r"telephone|phone|exchange|contact|discuss\w*)\b",
    re.IGNORECASE,
)
_CLAUSE_EDGE = re.compile(
    r"[,;:()—–]|\b(?:who|which|when|where|after|before|since|while|whereas)\b", re.IGNORECASE
)


def clause_of(sentence: str, start: int, end: int) -> str:
    """The clause a phrase at [start, end) sits in: between the nearest clause edges around it."""
    left = max((m.end() for m in _CLAUSE_EDGE.finditer(sentence, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE_EDGE.finditer(sentence, end)), len(sentence))
    return sentence[left:right]


def _loose(sentence: str, date: tuple[int, int, DateValue]) -> bool:
    """A year or a month whose clause does not speak of a contact ("negotiations that were
    interrupted, as you know, back in 2022"): not the date of the event the sentence is about."""
    precise = date[2].precision is DatePrecision.DAY or bool(date[2].weekday_stated)
    return not precise and not EVENT_WORDS.search(clause_of(sentence, date[0], date[1]))
