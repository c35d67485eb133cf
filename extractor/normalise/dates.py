"""Date phrases to `DateValue`s: absolute, month/year, ranges, and phrases relative to an anchor date.

Every value is an inclusive interval `[start, end]` (a day has `start == end`); `basis` says how it
was computed. A year is never invented:

* a month/day without a year ("February 12", "on 14 June", "in January") takes its year from the
  nearest earlier *day-precision* date with a stated year in the same text ("April 10, 2020 ...
  On April 12" -> 2020), else from the anchor's year, else stays unresolved (`start` None, month and
  day kept in `basis`). `find_dates(..., carry_year=False)` skips the first step;
* "of that year" / "of the same year" takes the last year stated earlier in the text, never the
  anchor's; alone it is unresolved;
* a list sharing one year ("May 2, November 21, and December 15, 2017") gives every item that year;
* relative phrases ("on Thursday", "today", "this afternoon", "this year", "earlier in the week",
  "In July of last year") need the anchor (the publication date). A weekday is the most recent such
  day on or before the anchor (the anchor included); "last <weekday>" is strictly before it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from extractor.records.values import DatePrecision, DateValue

__all__ = ["find_dates", "parse_date", "weekday_matches"]

_MONTH_NAMES = [calendar.month_name[i] for i in range(1, 13)]
_MONTH_NUM = {name: i for i, name in enumerate(_MONTH_NAMES, start=1)}
_MONTH_NUM.update({name[:3]: i for i, name in enumerate(_MONTH_NAMES, start=1)})
_MONTH_NUM["Sept"] = 9
_WEEKDAYS = [calendar.day_name[i] for i in range(7)]

_MONFULL = "(?:" + "|".join(_MONTH_NAMES) + r")(?![a-z])"
_MON = "(?:" + "|".join(_MONTH_NAMES) + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![a-z])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?:19|20)\d{2}(?![\d])"
_WD = "(?:" + "|".join(_WEEKDAYS) + r")(?![a-z])"
_YREF = r"(?:\s+of\s+(?P<yref>that|the\s+same|last|this|next)\s+year\b)?"
_PREP = r"(?i:\b(?:in|since|by|until|till|from|during|before|after|of|throughout|around))"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")),
    ("list", re.compile(rf"{_MON}\s+{_DAY}(?:(?:,\s*|\s+and\s+|,\s*and\s+){_MON}\s+{_DAY})+,?\s+{_YEAR}")),
    (
        "mdy",
        re.compile(rf"(?:(?P<wd>{_WD}),?\s+)?(?P<mon>{_MON})\s+(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?{_YREF}"),
    ),
    (
        "dmy",
        re.compile(
            rf"(?:(?P<wd>{_WD}),?\s+)?(?:the\s+)?(?<![\w.,$])(?P<d>{_DAY})(?:\s+of)?\s+(?P<mon>{_MON})"
            rf"(?:,?\s+(?P<y>{_YEAR}))?{_YREF}"
        ),
    ),
    (
        "dayrange",
        re.compile(
            rf"(?P<mon>{_MON})\s+(?P<d1>{_DAY})\s*[-–—]\s*(?P<d2>{_DAY}),?\s+(?P<y>{_YEAR})"
            rf"|(?<![\w.,$])(?P<d3>{_DAY})\s*[-–—]\s*(?P<d4>{_DAY})\s+(?P<mon2>{_MON}),?\s+(?P<y2>{_YEAR})"
        ),
    ),
    (
        "monthrange",
        re.compile(
            rf"(?i:between|from)\s+(?P<m1>{_MONFULL})\s+(?i:and|to|through|until)\s+(?P<m2>{_MONFULL})"
            rf"(?:,?\s+(?P<y>{_YEAR}))?"
        ),
    ),
    ("my", re.compile(rf"(?:(?P<q>(?i:early|mid|late))[-\s]+)?(?P<mon>{_MON}),?\s+(?P<y>{_YEAR})")),
    (
        "month",
        re.compile(
            rf"(?:{_PREP}\s+(?:(?i:the\s+(?:beginning|start|end)\s+of)\s+)?|(?P<q>(?i:early|mid|late))[-\s]+)"
            rf"(?P<x>(?P<mon>{_MONFULL})(?!\s*\d){_YREF})"
        ),
    ),
    (
        "yearrange",
        re.compile(
            rf"(?<![\d$.,])(?P<y1>{_YEAR})\s*[-–—]\s*(?P<y2>{_YEAR}|\d{{2}}(?!\d))"
            rf"|(?i:from|between)\s+(?P<y3>{_YEAR})\s+(?i:to|and|until|through)\s+(?P<y4>{_YEAR})"
        ),
    ),
    (
        "year",
        re.compile(
            rf"{_PREP}\s+(?:the\s+year\s+|(?P<q>(?i:early|mid|late))[-\s]+)?(?P<x>{_YEAR})(?!\s*[-–—]\s*\d)"
            r"(?!\s+(?:people|persons|cases|troops|soldiers|times|votes|members|dollars|euros|tons|tonnes)\b)"
        ),
    ),
    ("weekday", re.compile(rf"(?:(?P<mod>(?i:on|last|this|next))\s+)?(?P<wd>{_WD})(?!s\b)")),
    (
        "relative",
        re.compile(
            r"(?i:\b(?P<rel>today|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)"
            r"|(?:earlier|later)\s+(?:in\s+the|this)\s+week|(?:last|this|next)\s+(?:week|month|year)"
            r"|earlier\s+this\s+(?:month|year)|(?:the\s+)?(?:beginning|start)\s+of\s+(?:the|this)\s+year)\b)"
        ),
    ),
]


@dataclass
class _Ctx:
    anchor: dt.date | None
    carry: bool
    last_year: tuple[int, str] | None = None  # any stated year: for "of that year"
    last_day: tuple[int, str] | None = None  # year of the last full date: for year-less dates


def weekday_matches(weekday_name: str, date: dt.date) -> bool:
    """Whether `date` falls on the named weekday ("Monday", "mon", "Tues" all accepted)."""
    key = weekday_name.strip().lower()[:3]
    names = [w.lower()[:3] for w in _WEEKDAYS]
    if key not in names:
        raise ValueError(f"not a weekday: {weekday_name!r}")
    return date.weekday() == names.index(key)


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _yearless(ctx: _Ctx, yref: str | None, what: str) -> tuple[int | None, str]:
    """The year for a phrase stated without one, and the basis sentence explaining it."""
    ref = " ".join(yref.split()) if yref else None
    if ref in ("that", "the same"):
        if ctx.carry and ctx.last_year:
            return ctx.last_year[0], f"{what}; 'of {ref} year' = {ctx.last_year[0]} from '{ctx.last_year[1]}'"
        return None, f"{what}; 'of {ref} year' refers to a year stated elsewhere: unresolved"
    if ref in ("last", "this", "next"):
        if ctx.anchor is None:
            return None, f"{what}; 'of {ref} year' is relative and there is no publication date to anchor it"
        year = ctx.anchor.year + {"last": -1, "this": 0, "next": 1}[ref]
        return year, f"{what}; 'of {ref} year' relative to the anchor {ctx.anchor.isoformat()}"
    if ctx.carry and ctx.last_day:
        differs = ctx.anchor is not None and ctx.anchor.year != ctx.last_day[0]
        note = f" (the anchor's year would give {ctx.anchor.year})" if ctx.anchor and differs else ""
        year, source = ctx.last_day
        return year, f"{what}; year {year} carried from '{source}' earlier{note}"
    if ctx.anchor is not None:
        return ctx.anchor.year, f"{what}; year taken from the anchor {ctx.anchor.isoformat()}"
    return None, f"{what}; no year stated and no anchor to take it from: unresolved"


def _value(
    text: str,
    start: dt.date | None,
    end: dt.date | None,
    precision: DatePrecision,
    basis: str,
    weekday: str | None = None,
) -> DateValue:
    matches = weekday_matches(weekday, start) if weekday and start else None
    if weekday and start and not matches:
        basis += f"; stated weekday {weekday} does not match ({start:%A})"
    return DateValue(
        text=text,
        start=start,
        end=end,
        precision=precision,
        resolved=start is not None,
        basis=basis,
        weekday_stated=weekday,
        weekday_matches=matches,
    )


def _day(text: str, year: int | None, month: int, day: int, basis: str, wd: str | None) -> DateValue | None:
    if year is None:
        if _safe_date(2000, month, day) is None:  # 2000 is a leap year: Feb 29 allowed
            return None
        return _value(text, None, None, DatePrecision.DAY, basis, wd)
    date = _safe_date(year, month, day)
    return None if date is None else _value(text, date, date, DatePrecision.DAY, basis, wd)


def _h_iso(m: re.Match[str], ctx: _Ctx) -> list[tuple[int, int, DateValue]]:
    date = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if date is None:
        return []
    return [(m.start(), m.end(), _value(m[0], date, date, DatePrecision.DAY, "ISO date stated in full"))]


_ITEM = re.compile(rf"(?P<mon>{_MON})\s+(?P<d>{_DAY})")


def _h_list(m: re.Match[str], ctx: _Ctx) -> list[tuple[int, int, DateValue]]:
    year = int(re.findall(_YEAR, m[0])[-1])
    items = list(_ITEM.finditer(m[0]))
    out = []
    for i, item in enumerate(items):
        last = i == len(items) - 1
        s, e = m.start() + item.start(), (m.end() if last else m.start() + item.end())
        basis = "date stated in full" if last else f"in a list sharing the year {year}: {m[0]!r}"
        value = _day(
            m.string[s:e], year, _MONTH_NUM[item["mon"].rstrip(".")], int(_digits(item["d"])), basis, None
        )
        if value is not None:
            out.append((s, e, value))
    return out


def _digits(day: str) -> str:
    return re.sub(r"\D", "", day)


def _h_day(m: re.Match[str], ctx: _Ctx) -> list[tuple[int, int, DateValue]]:
    month, day = _MONTH_NUM[m["mon"].rstrip(".")], int(_digits(m["d"]))
    year: int | None = int(m["y"]) if m["y"] else None
    basis = "date stated in full"
    if year is None:
        what = f"month and day stated without a year (month {month}, day {day})"
        year, basis = _yearless(ctx, m["yref"], what)
    value = _day(m[0], year, month, day, basis, m["wd"])
    return [] if value is None else [(m.start(), m.end(), value)]


_QUALIFIED = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}


def _month_value(text: str, year: int | None, month: int, q: str | None, basis: str) -> DateValue:
    if year is None:
        return _value(text, None, None, DatePrecision.MONTH if not q else DatePrecision.RANGE, basis)
    if q:
        lo, hi = _QUALIFIED[q.lower()]
        end = dt.date(year, month, min(hi, _last_day(year, month).day))
        return _value(
            text,
            dt.date(year, month, lo),
            end,
            DatePrecision.RANGE,
            f"{basis}; '{q.lower()}' read as days {lo}-{end.day} of the month",
        )
    return _value(text, dt.date(year, month, 1), _last_day(year, month), DatePrecision.MONTH, basis)


def _h_my(m: re.Match[str], ctx: _Ctx) -> list[tuple[int, int, DateValue]]:
    basis = "month and year stated" + ("" if m["q"] else "; the whole month")
    value = _month_value(m[0], int(m["y"]), _MONTH_NUM[m["mon"].rstrip(".")], m["q"], basis)
    return [(m.start(), m.end(), value)]


def _h_month(m: re.Match[str], ctx: _Ctx) -> list[tuple[int, int, DateValue]]:
    month = _MONTH_NUM[m["mon"]]
    year, basis = _yearless(ctx, m["yref"], f"month '{m['mon']}' stated without a year")
    s = m.start() if m["q"] else m.start("x")
    return [(s, m.end(), _month_value(m.string[s : m.end()], year, month, m["q"], basis))]


def _h_monthrange(m: re.Match[str], ctx: _Ctx) -> list[tuple[int, int, DateValue]]:
    m1, m2 = _MONTH_NUM[m["m1"]], _MONTH_NUM[m["m2"]]
    if m["y"]:
        year: int | None = int(m["y"])
        basis = f"range of months; the year {m['y']} applies to both"
    else:
        year, basis = _yearless(ctx, None, "range of months stated without a year")
    if year is None:
        return [(m.start(), m.end(), _value(m[0], None, None, DatePrecision.RANGE, basis))]
    start_year = year - 1 if m1 > m2 else year
    value = _value(m[0], dt.date(start_year, m1, 1), _last_day(year, m2), DatePrecision.RANGE, basis)
    return [(m.start(), m.end(), value)]


def _h_dayrange(m: re.Match[str], ctx: _Ctx) -> list[tuple[int, int, DateValue]]:
    month = _MONTH_NUM[(m["mon"] or m["mon2"]).rstrip(".")]
    year = int(m["y"] or m["y2"])
    start = _safe_date(year, month, int(_digits(m["d1"] or m["d3"])))
    end = _safe_date(year, month, int(_digits(m["d2"] or m["d4"])))
    if start is None or end is None or end <= start:
        return []
    value = _value(m[0], start, end, DatePrecision.RANGE, "range of days stated in full")
    return [(m.start(), m.end(), value)]


def _h_yearrange(m: re.Match[str], ctx: _Ctx) -> list[tuple[int, int, DateValue]]:
    y1 = int(m["y1"] or m["y3"])
    raw2 = m["y2"] or m["y4"]
    y2 = int(raw2) if len(raw2) == 4 else (y1 // 100) * 100 + int(raw2)
    if y2 < y1:
        return []
    value = _value(
        m[0],
        dt.date(y1, 1, 1),
        dt.date(y2, 12, 31),
        DatePrecision.RANGE,
        f"range of years {y1}-{y2}, from 1 January to 31 December",
    )
    return [(m.start(), m.end(), value)]


def _h_year(m: re.Match[str], ctx: _Ctx) -> list[tuple[int, int, DateValue]]:
    y = int(m["x"])
    if m["q"]:
        lo, hi = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[m["q"].lower()]
        basis = f"year stated; '{m['q'].lower()}' read as months {lo}-{hi}"
        value = _value(
            m.string[m.start("q") : m.end()], dt.date(y, lo, 1), _last_day(y, hi), DatePrecision.RANGE, basis
        )
        return [(m.start("q"), m.end(), value)]
    value = _value(
        m["x"], dt.date(y, 1, 1), dt.date(y, 12, 31), DatePrecision.YEAR, "year stated; the whole year"
    )
    return [(m.start("x"), m.end(), value)]


def _h_weekday(m: re.Match[str], ctx: _Ctx) -> list[tuple[int, int, DateValue]]:
    wd, mod = m["wd"], (m["mod"] or "on").lower()
    target = _WEEKDAYS.index(wd)
    if ctx.anchor is None:
        basis = f"relative ('{m[0]}'); no publication date to anchor it"
        return [
            (
                m.start(),
                m.end(),
                DateValue(text=m[0], precision=DatePrecision.DAY, basis=basis, weekday_stated=wd),
            )
        ]
    a = ctx.anchor
    if mod == "next":
        date = a + dt.timedelta(days=(target - a.weekday() - 1) % 7 + 1)
        how = f"the first {wd} after"
    elif mod in ("last", "past"):
        date = a - dt.timedelta(days=(a.weekday() - target - 1) % 7 + 1)
        how = f"the last {wd} before"
    else:
        date = a - dt.timedelta(days=(a.weekday() - target) % 7)
        how = f"the most recent {wd} on or before"
    value = DateValue(
        text=m[0],
        start=date,
        end=date,
        precision=DatePrecision.DAY,
        resolved=True,
        basis=f"relative ('{m[0]}'): {how} the anchor {a.isoformat()}",
        weekday_stated=wd,
    )
    return [(m.start(), m.end(), value)]


def _relative_span(rel: str, a: dt.date) -> tuple[dt.date, dt.date, DatePrecision]:
    one = dt.timedelta(days=1)
    monday = a - dt.timedelta(days=a.weekday())
    if rel in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return a, a, DatePrecision.DAY
    if rel in ("yesterday", "tomorrow"):
        d = a - one if rel == "yesterday" else a + one
        return d, d, DatePrecision.DAY
    if rel.startswith("earlier") and rel.endswith("week"):
        return min(monday, a - one), a - one, DatePrecision.RANGE
    if rel.startswith("later") and rel.endswith("week"):
        return a + one, max(monday + dt.timedelta(days=6), a + one), DatePrecision.RANGE
    if rel.endswith("week"):
        shift = {"last": -7, "this": 0, "next": 7}[rel.rsplit(" ", 1)[0]]
        start = monday + dt.timedelta(days=shift)
        return start, start + dt.timedelta(days=6), DatePrecision.RANGE
    if rel.endswith("month"):
        if rel.startswith("earlier"):
            return a.replace(day=1), max(a.replace(day=1), a - one), DatePrecision.RANGE
        shift = {"last": -1, "this": 0, "next": 1}[rel.rsplit(" ", 1)[0]]
        y, mo = divmod(a.year * 12 + a.month - 1 + shift, 12)
        return dt.date(y, mo + 1, 1), _last_day(y, mo + 1), DatePrecision.MONTH
    if "beginning" in rel or "start" in rel:
        return dt.date(a.year, 1, 1), dt.date(a.year, 1, 1), DatePrecision.DAY
    if rel.startswith("earlier"):
        return dt.date(a.year, 1, 1), max(dt.date(a.year, 1, 1), a - one), DatePrecision.RANGE
    year = a.year + {"last": -1, "this": 0, "next": 1}[rel.rsplit(" ", 1)[0]]
    return dt.date(year, 1, 1), dt.date(year, 12, 31), DatePrecision.YEAR


def _h_relative(m: re.Match[str], ctx: _Ctx) -> list[tuple[int, int, DateValue]]:
    rel = " ".join(m["rel"].lower().split())
    if ctx.anchor is None:
        precision = _relative_span(rel, dt.date(2001, 1, 10))[2]  # the precision does not depend on it
        value = DateValue(
            text=m[0], precision=precision, basis=f"relative ('{m[0]}'); no publication date to anchor it"
        )
        return [(m.start(), m.end(), value)]
    start, end, precision = _relative_span(rel, ctx.anchor)
    value = _value(m[0], start, end, precision, f"relative ('{m[0]}') to the anchor {ctx.anchor.isoformat()}")
    return [(m.start(), m.end(), value)]


_MAYBE_STATED = ("mdy", "dmy", "monthrange")
_Handler = Callable[[re.Match[str], _Ctx], list[tuple[int, int, DateValue]]]
_HANDLERS: dict[str, _Handler] = {
    "iso": _h_iso,
    "list": _h_list,
    "dayrange": _h_dayrange,
    "mdy": _h_day,
    "dmy": _h_day,
    "monthrange": _h_monthrange,
    "my": _h_my,
    "month": _h_month,
    "yearrange": _h_yearrange,
    "year": _h_year,
    "weekday": _h_weekday,
    "relative": _h_relative,
}


def find_dates(
    text: str, anchor: dt.date | None = None, *, carry_year: bool = True
) -> list[tuple[int, int, DateValue]]:
    """Every date phrase in `text` as `(start, end, value)`, in order, without overlaps (longest wins)."""
    found = [(m.start(), m.end(), kind, m) for kind, pattern in _PATTERNS for m in pattern.finditer(text)]
    found.sort(key=lambda f: (f[0] - f[1], f[0]))
    taken: list[tuple[int, int, str, re.Match[str]]] = []
    for f in found:
        if all(f[1] <= t[0] or f[0] >= t[1] for t in taken):
            taken.append(f)
    ctx = _Ctx(anchor=anchor, carry=carry_year)
    out: list[tuple[int, int, DateValue]] = []
    for _s, _e, kind, m in sorted(taken, key=lambda f: f[0]):
        stated = kind in ("iso", "list", "my", "year", "dayrange") or (kind in _MAYBE_STATED and bool(m["y"]))
        for s, e, value in _HANDLERS[kind](m, ctx):
            out.append((s, e, value))
            if stated and value.end is not None:
                ctx.last_year = (value.end.year, value.text)
                if value.precision is DatePrecision.DAY:
                    ctx.last_day = (value.end.year, value.text)
    return out


def parse_date(text: str, anchor: dt.date | None = None) -> DateValue | None:
    """The first date phrase in `text`, or None when there is none."""
    found = find_dates(text, anchor)
    return found[0][2] if found else None
