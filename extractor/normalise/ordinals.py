"""Ranks of events in a series: "the sixth publicly disclosed conversation", "the first meeting".

Conventions:

* an ordinal (first..twentieth, or 1st, 2nd, 3rd, 6th, ...) is read only before a contact noun (call,
  conversation, meeting, contact, exchange, time, summit, visit, talks, dialogue, round, encounter,
  interaction, trip), with at most three modifiers between them ("sixth publicly acknowledged phone
  call"); "first EU leader to visit", "first week of the war", "75th anniversary" are not ranks;
* "the first occurred / took place / was held" is read with an empty series;
* `series` is the noun phrase as written; `text` runs from the ordinal to the noun;
* the series start is looked for in the rest of the clause after the noun (it ends at a comma, a
  stop or a verb such as "took place", so the event's own date is not mistaken for it):
  - "since/after/following X": the first date phrase in X ("since Trump's return to office in
    January" -> series_start_text "January", series_start 2025-01-01 with a 2025 anchor, None
    without); when X has no date, series_start_text is X itself ("Trump assumed office");
  - "this year" -> 1 January of the anchor's year;
  - "in <span>" ("first contact in nearly three years") -> series_start_text is the span
    ("nearly three years"), series_start None: the series is the contacts within that span
    (check it with `span_consistent`).
"""

from __future__ import annotations

import datetime as dt
import re

from extractor.normalise.dates import find_dates
from extractor.normalise.durations import find_spans
from extractor.records.values import OrdinalValue

__all__ = ["find_ordinals", "parse_ordinal"]

_WORDS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
_RANK = {w: i for i, w in enumerate(_WORDS, start=1)}
_ORD = "(?:" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r"|\d{1,3}(?:st|nd|rd|th))"
_STOP = (
    r"(?:to|of|with|between|for|and|or|the|a|an|in|on|at|by|since|after|following|from|that|who|which|"
    r"leaders?|term|terms|weeks?|days?|months?|years?|anniversary|half|quarter|place|person|country|"
    r"countries|lady|minister|president|prize|step|steps|priority|thing|things)"
)
_MOD = rf"(?!{_STOP}\b)[\w’'-]+"
_NOUN = (
    r"(?:(?:phone|telephone)\s+)?(?:calls?|conversations?|meetings?|contacts?|exchanges?|time|summits?|"
    r"visits?|talks|dialogue|round|encounters?|interactions?|trips?)"
)
_ORDINAL = re.compile(
    rf"(?<![\w-])(?P<ord>{_ORD})\s+(?P<series>(?:{_MOD}\s+){{0,3}}?{_NOUN})(?![\w-])"
    rf"|(?<![\w-])the\s+(?P<ord2>{_ORD})\s+(?=(?:occurred|took\s+place|was\s+held|happened|came)\b)",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(
    r"[,.;:!?()\n]|\b(?:took|takes|take|occurred|occurs|was|were|is|are|came|happened|lasted|held|had|has|"
    r"have|that|which|when|who|where|while)\b",
    re.IGNORECASE,
)
_SINCE = re.compile(r"\b(?:since|after|following)\s+(?P<c>.*\S)", re.IGNORECASE | re.DOTALL)
_THIS_YEAR = re.compile(r"\b(?:so\s+far\s+)?this\s+year\b", re.IGNORECASE)


def _rank(word: str) -> int:
    w = word.lower()
    return _RANK[w] if w in _RANK else int(re.sub(r"\D", "", w))


def _series_start(clause: str, anchor: dt.date | None) -> tuple[str | None, dt.date | None]:
    since = _SINCE.search(clause)
    if since:
        dates = find_dates(since["c"], anchor, carry_year=False)
        if dates:
            return dates[0][2].text, dates[0][2].start
        return since["c"], None
    this_year = _THIS_YEAR.search(clause)
    if this_year:
        dates = find_dates(this_year[0], anchor)
        return this_year[0], (dates[0][2].start if dates else None)
    for s, e, _span in find_spans(clause):
        if re.search(r"\bin\s+$", clause[:s], re.IGNORECASE):
            return clause[s:e], None
    return None, None


def find_ordinals(text: str, anchor: dt.date | None = None) -> list[tuple[int, int, OrdinalValue]]:
    """Every rank of a contact in a series in `text`, as `(start, end, value)`."""
    out = []
    for m in _ORDINAL.finditer(text):
        if m["ord2"]:
            s, e = m.start("ord2"), m.end("ord2")
            out.append((s, e, OrdinalValue(text=m["ord2"], rank=_rank(m["ord2"]))))
            continue
        rank = _rank(m["ord"])
        if rank < 1:
            continue
        end = _CLAUSE_END.search(text, m.end())
        clause = text[m.end() : end.start() if end else len(text)]
        start_text, start = _series_start(clause, anchor)
        value = OrdinalValue(
            text=m[0],
            rank=rank,
            series=" ".join(m["series"].split()),
            series_start=start,
            series_start_text=start_text,
        )
        out.append((m.start(), m.end(), value))
    return out


def parse_ordinal(text: str, anchor: dt.date | None = None) -> OrdinalValue | None:
    """The first rank of a contact in a series in `text`, or None."""
    found = find_ordinals(text, anchor)
    return found[0][2] if found else None
