"""A date to read an article's relative dates against, when the page states no publication date.

Real reports often come without one: "on Thursday" and "today" then mean nothing until something else
in the article fixes the day it was written. The sources, from the most to the least direct:

1. the publication date the page states (front matter, sidecar, HTML metadata): used as it is;
2. a full date in the source address (`/2025/05/19/`, `/20250519/`, `2025-05-19`);
3. a date the page prints about itself near its top: "Last updated ...", "Published ...", a line
   that holds little but a date and a time ("14:34 GMT 19.05.2025", "May 19, 2025 Hour: 11:22 am");
   a bare date line is not used: it is often the site's header on the day the page was stored;
4. a dateline ("MOSCOW, July 3. /TASS/.", "WASHINGTON, May 19 (Reuters) -"), its year taken from the
   address or from the latest year the text states.

Every inferred date says which of these it came from; an article keeps `published` None when none
applies (its relative dates are then placed by evidence, see `link`). Nothing here reads a model.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extractor.normalise.dates import find_dates
from extractor.records import Article, Claim, DatePrecision, DateValue

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_URL_DATES = (
    re.compile(r"(?<!\d)(?P<y>20\d\d)[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>20\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)"),
)
_SELF_DATED = re.compile(
    r"\b(?:last\s+updated|updated|published|posted|first\s+published)\b[^\n]{0,12}?[:\s]", re.IGNORECASE
)
_DOTTED = re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>20\d\d)(?![\d.])")
_SLASHED = re.compile(r"(?<![\d/])(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>20\d\d)(?![\d/])")
_CLOCKISH = re.compile(r"\b(?:GMT|UTC|EST|EDT|CET|CEST|MSK|a\.?m\.?|p\.?m\.?|Hour)\b|\d{1,2}:\d{2}", re.I)
_CITY = r"[A-Z][A-Z.' -]{1,40}?"
_DATELINE = re.compile(
    rf"^\s*{_CITY}(?:,\s*[A-Z][a-z]+)?,\s*(?i:{_MON})\s+(?P<d>[0-3]?\d)(?:\.|\s*\(|\s*[-\u2013\u2014/])",
    re.MULTILINE,
)
_TOP_LINES = 6
_SHORT_LINE = 60
_DATE_LINE_WORDS = 2  # "Updated", "Hour": a date line has at most this many other words
_STALE_DAYS = 60
_WORDS = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True)
class Anchor:
    date: dt.date
    basis: str


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def from_url(url: str | None) -> Anchor | None:
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    for pattern in _URL_DATES:
        for m in pattern.finditer(path):
            d = _date(int(m["y"]), int(m["m"]), int(m["d"]))
            if d is not None:
                return Anchor(d, f"a date in the source address ({m[0]!r})")
    return None


def _full_day(text: str) -> tuple[dt.date, str] | None:
    """The first day-precision date with its year stated in `text`, with the words that state it."""
    for pattern in (_DOTTED, _SLASHED):
        if m := pattern.search(text):
            d = _date(int(m["y"]), int(m["m"]), int(m["d"]))
            if d is not None:
                return d, m[0]
    for _s, _e, v in find_dates(text, None, carry_year=False):
        if (
            v.resolved
            and v.precision is DatePrecision.DAY
            and v.start is not None
            and str(v.start.year) in v.text
        ):
            return v.start, v.text
    return None


def from_page(text: str) -> Anchor | None:
    """A date the page prints about itself: "Last updated ...", or a short date line at its top."""
    for m in _SELF_DATED.finditer(text):
        line_end = text.find("\n", m.end())
        found = _full_day(text[m.end() : line_end if line_end >= 0 else m.end() + 60][:60])
        if found:
            return Anchor(found[0], f"the page's own {m[0].strip(' :').lower()!r} line ({found[1]!r})")
    lines = [line.strip() for line in text.splitlines() if line.strip()][:_TOP_LINES]
    for line in lines:
        found = _full_day(line) if len(line) <= 2 * _SHORT_LINE else None
        if found is None:
            continue
        # a line that is a date and a time, not a sentence or a headline that holds one; a bare
        # date line ("Wednesday, July 24, 2024") is often the site's header on the day it was stored
        rest = _CLOCKISH.sub(" ", line.replace(found[1], " "))
        if _CLOCKISH.search(line) and len(_WORDS.findall(rest)) <= _DATE_LINE_WORDS:
            return Anchor(found[0], f"a date line at the top of the page ({found[1]!r})")
    return None


def plausible(anchor: Anchor, text: str) -> bool:
    """A page's date line can be the day it was scraped, not written: one far after every full date
    the text states is not used (a URL or a 'Last updated' line is)."""
    if not anchor.basis.startswith("a date line"):
        return True
    stated = [
        v.end
        for _s, _e, v in find_dates(text, None, carry_year=False)
        if v.resolved and v.end is not None and v.precision is DatePrecision.DAY and str(v.end.year) in v.text
    ]
    stated = [d for d in stated if d != anchor.date]
    return not stated or (anchor.date - max(stated)).days <= _STALE_DAYS


def _latest_stated_year(text: str) -> int | None:
    years = [
        v.end.year
        for _s, _e, v in find_dates(text, None, carry_year=False)
        if v.resolved and v.end is not None and str(v.end.year) in v.text
    ]
    return max(years) if years else None


def from_dateline(text: str, year_hint: tuple[int, str] | None) -> Anchor | None:
    head = "\n".join([line for line in text.splitlines() if line.strip()][:_TOP_LINES])
    m = _DATELINE.search(head)
    if m is None:
        return None
    month, day = _MONTHS[m["mon"].lower()], int(m["d"])
    if year_hint is None:
        year = _latest_stated_year(text)
        if year is None:
            return None
        year_hint = (year, f"the latest year the text states, {year}")
    d = _date(year_hint[0], month, day)
    if d is None:
        return None
    words = m[0].strip().rstrip("(-\u2013\u2014/").strip()
    return Anchor(d, f"the dateline {words!r}, with {year_hint[1]}")


def infer_anchor(article: Article) -> Anchor | None:
    """The day the article was written, from the first source that states it (see the module doc)."""
    if article.published is not None:
        return Anchor(article.published, article.published_basis or "the stated publication date")
    url = from_url(article.url) or from_url(article.source if "://" in article.source else None)
    if url is not None:
        return url
    page = from_page(article.text)
    if page is not None and plausible(page, article.text):
        return page
    hint = None
    if article.url:
        if ym := re.search(r"/(20\d\d)/", article.url):
            hint = (int(ym[1]), f"the year in the source address ({ym[1]})")
    return from_dateline(article.text, hint)


def anchored(articles: list[Article]) -> list[Article]:
    """The articles, those without a publication date given the one inferred (basis 'inferred: ...')."""
    out = []
    for a in articles:
        if a.published is not None:
            out.append(a)
            continue
        anchor = infer_anchor(a)
        if anchor is None:
            out.append(a)
        else:
            out.append(
                a.model_copy(
                    update={"published": anchor.date, "published_basis": f"inferred: {anchor.basis}"}
                )
            )
    return out


def _redated(d: DateValue, anchor: dt.date, basis: str) -> DateValue | None:
    found = find_dates(d.text, anchor)
    if not found:
        return None
    v = found[0][2]
    if not v.resolved or v.start is None:
        return None
    if v.start > anchor and not re.search(r"\b(?:next|tomorrow|later)\b", d.text, re.IGNORECASE):
        # a month or day named without a year that would fall after the article was written is
        # another year's (the text's context says which, the anchor cannot): left unresolved
        return None
    return v.model_copy(update={"basis": f"{v.basis}; {basis}"})


def _with_date(c: Claim, old: DateValue | None, new: DateValue, note: str) -> Claim:
    """The claim with its event dated `new` (and its value, when that was the same date phrase)."""
    update: dict[str, object] = {"event": c.event.model_copy(update={"date": new})}
    if old is not None and isinstance(c.value, DateValue) and c.value.text == old.text:
        update["value"] = new
    update["notes"] = [*c.notes, note]
    return c.model_copy(update=update)


def redate(claims: list[Claim], articles: dict[str, Article]) -> list[Claim]:
    """Claims whose event date could not be resolved, read again against their article's inferred
    anchor; every other claim is returned as it is. Only articles whose date was inferred are read
    again: a stated publication date was already used when the claim was built."""
    out = []
    for c in claims:
        art = articles.get(c.article_id)
        d = c.event.date
        if (
            art is None
            or art.published is None
            or not (art.published_basis or "").startswith("inferred:")
            or d is None
            or d.resolved
        ):
            out.append(c)
            continue
        new = _redated(d, art.published, f"anchor {art.published_basis}")
        if new is None:
            out.append(c)
            continue
        out.append(_with_date(c, d, new, f"date {d.text!r} read against the inferred anchor: {new.basis}"))
    return out


_TODAY = re.compile(r"^(?:today|tonight|this\s+(?:morning|afternoon|evening))$", re.IGNORECASE)


def placed_weeks(
    claims: list[Claim], articles: dict[str, Article], linked: dict[str, tuple[dt.date, str]]
) -> dict[str, Anchor]:
    """For an article with no date of its own whose "on Tuesday" account was linked to an event on a
    Tuesday: the article was written that day or in the six days after, so its "today" falls there.
    `linked` maps a claim id to the date of the event it was linked to by a fitting weekday, and why."""
    out: dict[str, Anchor] = {}
    for c in claims:
        art = articles.get(c.article_id)
        if art is None or art.published is not None or c.id not in linked or c.article_id in out:
            continue
        day, why = linked[c.id]
        out[c.article_id] = Anchor(day, f"the week of the event it places ({why})")
    return out


def redate_in_week(claims: list[Claim], weeks: dict[str, Anchor]) -> list[Claim]:
    """ "Today" in those articles: on the day of the event they place or within the six days after it.
    Other weekdays stay unresolved: "on Friday" in a report that places a Sunday event may be the
    Friday before it or the one after, and nothing in the article says which."""
    out = []
    for c in claims:
        week = weeks.get(c.article_id)
        d = c.event.date
        if week is None or d is None or d.resolved or not _TODAY.match(" ".join(d.text.lower().split())):
            out.append(c)
            continue
        new = d.model_copy(
            update={
                "start": week.date,
                "end": week.date + dt.timedelta(days=6),
                "resolved": True,
                "precision": DatePrecision.RANGE,
                "basis": f"relative ({d.text!r}): that day or within the six days after it, {week.basis}",
            }
        )
        out.append(_with_date(c, d, new, f"date {d.text!r} read in {week.basis}"))
    return out


_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
    "twenty": 20, "thirty": 30,
}  # fmt: skip
_OFFSET = re.compile(
    r"\b(?P<n>\d{1,3}|" + "|".join(_NUMBERS) + r")\s+(?P<unit>days?|weeks?)\s+"
    r"(?P<dir>before|after|earlier|later)(?:\s+(?:that|then|this))?\b",
    re.IGNORECASE,
)


def redate_offsets(claims: list[Claim]) -> list[Claim]:
    """ "Ten days before that", "two weeks later": a day counted from the date the article gave just
    before, in its own text (the nearest earlier claim of the same article with a day)."""
    days: dict[str, list[tuple[int, dt.date, str]]] = {}
    for c in claims:
        d = c.event.date
        if (
            d is not None
            and d.resolved
            and d.start is not None
            and d.start == d.end
            and c.evidence.start is not None
        ):
            days.setdefault(c.article_id, []).append((c.evidence.start, d.start, d.text))
    for v in days.values():
        v.sort()
    out = []
    for c in claims:
        text = c.event.date_text or ""
        m = _OFFSET.search(text) if c.event.date is None or not c.event.date.resolved else None
        before = [
            x for x in days.get(c.article_id, []) if c.evidence.start is not None and x[0] < c.evidence.start
        ]
        if m is None or not before:
            out.append(c)
            continue
        _, base, base_text = before[-1]
        n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"].lower()]
        step = dt.timedelta(days=n * (7 if m["unit"].lower().startswith("week") else 1))
        day = base - step if m["dir"].lower() in ("before", "earlier") else base + step
        value = DateValue(
            text=m[0],
            start=day,
            end=day,
            precision=DatePrecision.DAY,
            resolved=True,
            basis=f"relative ({m[0]!r}) to the date the article gives just before it ({base_text!r}, {base})",
        )
        out.append(_with_date(c, None, value, f"date {m[0]!r} counted from {base_text!r}"))
    return out
