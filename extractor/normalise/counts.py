"""Counts of events ("six meetings", "spoke four times", "twice in one day") and rates ("five times a year").

Conventions:

* only nouns for contacts between people are counted (calls, conversations, meetings, summits, visits,
  contacts, exchanges, talks) plus "N times", "twice" and "thrice": "two leaders", "three ships",
  "1 of 160" are not counts;
* vague quantities ("multiple times", "several calls", "many meetings") give None: a CountValue needs a
  finite upper bound and inventing one would make agreement checks vacuous;
* "once" is not read (it is mostly a conjunction or "once again");
* `unit` is canonical: calls (also "phone conversations"), conversations, meetings, summits, visits,
  contacts, exchanges, talks. For "N times" it comes from the nearest verb before it in the same
  sentence: "spoke by telephone" -> calls, "spoke"/"talked" -> conversations, "met" -> meetings;
  "including face-to-face meetings" after it -> contacts; otherwise "events";
* bounds: exact -> [v, v]; about/approximately/around/roughly/some, and any "dozen" figure ->
  [floor(0.85v), ceil(1.15v)] (approximate); nearly/almost -> [floor(0.85v), v-1]; more than/over ->
  [v+1, ceil(1.5v)]; at least -> [v, ceil(1.5v)]; up to -> [0, v]; fewer/less than -> [0, v-1];
* the window is the date phrase nearest the count in the same sentence ("Between May and June 2025
  ... three calls" -> 2025-05-01..2025-06-30), else a phrase such as "in just the first week of the
  war" or "during the previous presidential term" (window_text only), else "in one day" after it;
* a rate ("five times a year") sets `per` ("year"); "on average" does not make it approximate.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from extractor.normalise.dates import find_dates
from extractor.records.values import CountValue

__all__ = ["CARDINAL", "cardinal_value", "find_counts", "parse_count"]

_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORDS = {w: i for i, w in enumerate(_SMALL)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_ONES = "|".join(sorted(_SMALL[1:10], key=len, reverse=True))
CARDINAL = (
    r"(?:\d+(?:\.\d+)?(?![\d.]\d)|(?:" + "|".join(_TENS) + rf")(?:[- ](?:{_ONES}))?(?![a-z])"
    r"|(?:" + "|".join(sorted(_SMALL, key=len, reverse=True)) + r")(?![a-z]))"
)
"""A cardinal number as digits ("24", "1.5") or words ("two", "forty-five"); case-insensitive use."""


def cardinal_value(word: str) -> float | None:
    """The value of a cardinal matched by CARDINAL ("forty-five" -> 45.0), or None."""
    w = word.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    parts = re.split(r"[- ]", w)
    if not parts or any(p not in _WORDS for p in parts):
        return None
    return float(sum(_WORDS[p] for p in parts))


_MODS = (
    r"(?:(?:phone|telephone|face-to-face|in-person|direct|official|bilateral|publicly\s+\w+ed|known|"
    r"separate|further|more|additional|personal|informal|formal|full-format|brief|short|lengthy|long|"
    r"video|high-level|private|public|joint|such)\s+){0,3}"
)
_NOUN = (
    r"(?P<noun>(?:phone\s+|telephone\s+)?calls?|conversations?|meetings?|summits?|visits?|contacts?|"
    r"exchanges?|talks|rounds\s+of\s+talks|encounters?|interactions?|times)"
)
_COUNT = re.compile(
    r"(?P<avg>(?:on\s+average|an\s+average\s+of)\s+)?"
    r"(?:(?P<q>approximately|about|around|roughly|some|nearly|almost|more\s+than|over|at\s+least|up\s+to|"
    r"fewer\s+than|less\s+than)\s+)?"
    rf"(?:(?<![\w.,:$-])(?P<num>(?:(?:{CARDINAL}|a|half\s+a)\s+dozen)|{CARDINAL})\s+{_MODS}{_NOUN}"
    r"|(?<![\w-])(?P<word>twice|thrice))(?![\w-])"
    r"(?:\s+(?:a|per|each|every)\s+(?P<per>year|month|week|day)\b)?"
    r"(?:\s+(?P<win>in\s+(?:one|a\s+single|a)\s+(?:day|week|month|year))\b)?",
    re.IGNORECASE,
)
_UNIT = {
    "call": "calls",
    "phon": "calls",
    "tele": "calls",
    "conv": "conversations",
    "meet": "meetings",
    "summ": "summits",
    "visi": "visits",
    "cont": "contacts",
    "exch": "exchanges",
    "talk": "talks",
    "roun": "talks",
    "enco": "encounters",
    "inte": "interactions",
}
_VERBS = [
    ("calls", re.compile(r"\b(?:by\s+(?:tele)?phone|phoned|called|over\s+the\s+(?:tele)?phone)\b", re.I)),
    ("conversations", re.compile(r"\b(?:spoke|speak|speaks|spoken|speaking|talked|talk|conversed)\b", re.I)),
    ("meetings", re.compile(r"\b(?:met|meet|meets)\b", re.I)),
]
_INCLUDING = re.compile(r"^\s*,?\s*including\s+(?:[\w-]+\s+)?(?:meetings|visits|summits)\b", re.I)
_WINDOW = re.compile(
    r"\b(?:in|during|over|within|throughout)\s+(?:just\s+|only\s+)?(?:the\s+|his\s+|her\s+|their\s+)?"
    r"(?:first|last|past|next|previous|same)\s+(?:[\w-]+\s+){0,2}?(?:days?|weeks?|months?|years?|term)"
    r"(?:\s+of\s+(?:the\s+)?[\w-]+)?",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?;\n](?=\s|$)|\n")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return (ends[-1] if ends else 0), (after.start() if after else len(text))


def _number(num: str) -> tuple[float, bool]:
    """The count and whether the figure itself is a round estimate (dozens)."""
    n = " ".join(num.lower().split())
    if n.endswith("dozen"):
        head = n[: -len("dozen")].strip()
        factor = 0.5 if head == "half a" else 1.0 if head == "a" else cardinal_value(head) or 0.0
        return 12 * factor, True
    return cardinal_value(n) or 0.0, False


def _bounds(v: float, q: str | None, rough: bool) -> tuple[float, float, bool]:
    q = " ".join(q.lower().split()) if q else None
    if q in ("approximately", "about", "around", "roughly", "some") or (q is None and rough):
        return math.floor(0.85 * v), math.ceil(1.15 * v), True
    if q in ("nearly", "almost"):
        return math.floor(0.85 * v), max(math.floor(0.85 * v), v - 1), True
    if q in ("more than", "over"):
        return v + 1, max(v + 1, math.ceil(1.5 * v)), True
    if q == "at least":
        return v, max(v, math.ceil(1.5 * v)), True
    if q == "up to":
        return 0, v, True
    if q in ("fewer than", "less than"):
        return 0, max(0, v - 1), True
    return v, v, False


def _unit(m: re.Match[str], text: str, sent: tuple[int, int]) -> str:
    noun = (m["noun"] or "times").lower()
    if noun.startswith("conv") and re.search(r"\b(?:tele)?phone\s", m[0], re.IGNORECASE):
        return "calls"  # "two phone conversations"
    if noun != "times":
        return _UNIT[noun[:4]]
    if _INCLUDING.match(text[m.end() : sent[1]]):
        return "contacts"
    before = text[max(sent[0], m.start() - 160) : m.start()]
    best = ("events", -1)
    for unit, verb in _VERBS:
        for v in verb.finditer(before):
            if v.end() > best[1]:
                best = (unit, v.end())
    return best[0]


def find_counts(text: str, anchor: dt.date | None = None) -> list[tuple[int, int, CountValue]]:
    """Every count of contacts in `text` as `(start, end, value)`."""
    dates = find_dates(text, anchor)
    out = []
    for m in _COUNT.finditer(text):
        if m["word"]:
            value, rough = (2.0 if m["word"].lower() == "twice" else 3.0), False
        else:
            value, rough = _number(m["num"])
        if value <= 0:
            continue
        low, high, approximate = _bounds(value, m["q"], rough)
        sent = _sentence(text, m.start(), m.end())
        near = [
            (min(abs(s - m.end()), abs(m.start() - e)), s, e, d)
            for s, e, d in dates
            if s >= sent[0] and e <= sent[1] and (e <= m.start() or s >= m.end())
        ]
        window_text, start, end = None, None, None
        if near:
            _, _, _, date = min(near, key=lambda n: n[0])
            window_text, start, end = date.text, date.start, date.end
        else:
            phrase = _WINDOW.search(text, sent[0], sent[1])
            window_text = phrase[0] if phrase else (m["win"] or None)
        count = CountValue(
            text=m[0],
            value=value,
            low=low,
            high=high,
            approximate=approximate,
            unit=_unit(m, text, sent),
            per=m["per"].lower() if m["per"] else None,
            window_text=window_text,
            window_start=start,
            window_end=end,
        )
        out.append((m.start(), m.end(), count))
    return out


def parse_count(text: str, anchor: dt.date | None = None) -> CountValue | None:
    """The first count of contacts in `text`, or None (also for vague ones such as "multiple times")."""
    found = find_counts(text, anchor)
    return found[0][2] if found else None
