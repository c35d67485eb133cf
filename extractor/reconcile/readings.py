"""How the reconciler reads a claim: its event's date, its ordinal, its place in the article.

Shared by resolution and the detectors, so both read one claim the same way.
"""

from __future__ import annotations

import re

from extractor.normalise import find_ordinals, parse_date
from extractor.records import Article, Claim, ClaimKind, DateValue, OrdinalValue
from extractor.textnorm import normalise_for_match


def claim_date(claim: Claim) -> DateValue | None:
    date = claim.event.date if claim.event.date is not None else claim.value
    if not isinstance(date, DateValue):
        return None
    v = claim.value
    if isinstance(v, OrdinalValue) and (
        (date.start is not None and date.start == v.series_start)
        or (v.series_start_text and _same_text(date.text, v.series_start_text))
    ):
        # "the second exchange since ... January 2025": the date read from the quote is where the
        # series starts, not when this event took place
        return None
    return date


def _same_text(a: str, b: str) -> bool:
    return normalise_for_match(a).lower() == normalise_for_match(b).lower()


_LEADING = re.compile(r"^(?:(?:on|in|at|during|by|the|of)\s+)+")


def date_key(text: str) -> str:
    """'On Friday', 'on Friday' and 'Friday' name one day: the key an unresolved date is grouped by."""
    return _LEADING.sub("", normalise_for_match(text).lower())


def date_text(claim: Claim) -> str | None:
    """The date phrase a claim states for its event, resolved or not."""
    date = claim_date(claim)
    if date is not None:
        return date.text
    # a date text with no value is an unparsed phrase; one whose value was set aside is not a date
    return claim.event.date_text if claim.event.date is None else None


def ordinal_of(claim: Claim, article: Article | None) -> OrdinalValue | None:
    """The claim's ordinal, with a relative series start ("this year", "since January") resolved.

    A value read from the ordinal phrase alone, without the publication date, leaves "this year"
    unresolved; the quote is read again against the publication date, or failing that against the
    claim's own resolved date ("sixth call since January" in a report of a 2 July 2025 call).
    """
    v = claim.value
    if not isinstance(v, OrdinalValue) or v.series_start is not None or not v.series_start_text:
        return v if isinstance(v, OrdinalValue) else None
    own = claim_date(claim)
    anchor = article.published if article is not None and article.published else (own.start if own else None)
    if anchor is None:
        return v
    for text in (claim.evidence.quote, v.text):
        for _s, _e, found in find_ordinals(text, anchor):
            if found.rank == v.rank and found.series_start is not None:
                return v.model_copy(update={"series_start": found.series_start})
    return v


def is_firm(date: DateValue | None) -> bool:
    return date is not None and date.resolved and date.start is not None


def offset(claim: Claim) -> int:
    """Position in the article; unknown offsets sort last so grounded evidence decides first."""
    return claim.evidence.start if claim.evidence.start is not None else 1 << 40


def pkey(claim: Claim) -> tuple[str, ...]:
    """The claim's event participants as a sorted key."""
    return tuple(sorted(set(claim.event.participants)))


_PREVIOUS = re.compile(
    r"\b(?:previous|prior|last|latest|most\s+recent|preceding)\b(?:\s+\w+){0,4}?\s+"
    r"(?:calls?|conversations?|talks?|contacts?|meetings?|phone|exchanges?|summits?|spoke|talked|met)\b"
    r"|\b(?:last|previously)\s+(?:spoke|talked|met|held)\b"
    r"|\b(?:previous|prior|preceding)\s+(?:ones?|two|three|four|five)\b",
    re.IGNORECASE,
)


def previous_reference(claim: Claim) -> str | None:
    """The words by which a claim names the contact *before* the one it reports ("their previous
    call", "the two last spoke on ..."), or None. Its date is that earlier contact's."""
    m = _PREVIOUS.search(claim.evidence.quote)
    return m[0] if m else None


_PLURAL = re.compile(
    r"(?:ones|two|three|four|five|calls|conversations|contacts|meetings|exchanges|summits)$", re.I
)


def single_previous_reference(claim: Claim) -> str | None:
    """A reference to *the* previous contact; "the previous ones were held on February 12 and March
    18" lists several, and is no claim about which one came last."""
    words = previous_reference(claim)
    return None if words is None or _PLURAL.search(words) else words


_MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_MONTH_DAY = re.compile(
    r"\b(?P<mon>" + "|".join(_MONTHS) + r")\s+(?P<d>[0-3]?\d)(?!\d)"
    r"|\b(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>" + "|".join(_MONTHS) + r")\b"
)


def month_days(text: str) -> set[tuple[int, int]]:
    """The (month, day) pairs a date phrase names without a year: "March 19" -> {(3, 19)}."""
    out = set()
    for m in _MONTH_DAY.finditer(normalise_for_match(text).lower()):
        mon = m["mon"] or m["mon2"]
        out.add((_MONTHS.index(mon) + 1, int(m["d"] or m["d2"])))
    return out


def names_a_series_start(claim: Claim) -> bool:
    """Whether the claim's date is where a series starts in its own words ("the first call since
    December 2022"): that date is an earlier contact's, not the one the claim reports."""
    d = claim_date(claim)
    if d is None or not d.text:
        return False
    pattern = r"\b(?:since|after)\s+(?:the\s+)?(?:\w+\s+){0,2}?" + re.escape(d.text)
    return re.search(pattern, claim.evidence.quote, re.IGNORECASE) is not None


def named_start(claim: Claim) -> DateValue | None:
    """What "the first ... since September 2022" names: the previous contact's interval of days (a
    rank-1 ordinal's resolved series start), or None."""
    v = claim.value
    if claim.kind != ClaimKind.ORDINAL or not isinstance(v, OrdinalValue) or v.rank != 1:
        return None
    if not v.series_start_text:
        return None
    named = parse_date(v.series_start_text)
    if named is None or not named.resolved or named.start is None or named.end is None:
        return None
    return named
