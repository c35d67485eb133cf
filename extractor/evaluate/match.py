"""When a run's claim is the same claim as a gold one, and the one-to-one matching of two claim lists.

Two claims of the same article match when all of these agree:

- **kind**: the same `ClaimKind`.
- **side**: the same canonical attribution side (`Attribution.side`: "Kremlin", "TASS", ...).
- **event**, by what the claim states, never by resolved event ids (those differ between runs):
  the canonical participants and the event's date. Under the default rule, `compatible`, nothing
  stated contradicts: the participant sets are equal or one contains the other, and the dates are
  equal or one claim states no date. Under `strict` the participant sets are equal and the dates
  equal (two undated claims agree). A date is its resolved interval (start, end); an unresolved one
  ("on Friday" with no year) is its words, so "Friday" agrees only with "Friday".
- **value**, as typed by code from the quoted words:
  dates (an `event` claim's value) by interval, like event dates above but always exactly;
  durations as intervals that overlap ("around two hours" [96, 144] and "about two hours" agree,
  "nearly an hour" [45, 60) and "about two hours" do not); counts by value and rate unit
  ("five times a year" is not "five times"); ordinals by rank (the series is wording).
- A claim with no typed value (topics, statements, initiator, characterisation, outcome, an undated
  event) is located by its evidence instead: the two quotes' spans in the article overlap, so a
  statement matches the gold statement made in the same sentence, not any statement on that event.

Matching is one-to-one (a maximum bipartite matching per article and kind), so two gold claims are
only both found by two run claims; among equally valid partners, claims quoting overlapping spans
and sharing topic words are paired first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from enum import StrEnum
from typing import TypeVar

from extractor.records import (
    Claim,
    CountValue,
    DateValue,
    DurationValue,
    InitiatorValue,
    OrdinalValue,
    Value,
    WordsValue,
)
from extractor.textnorm import normalise_for_match

T = TypeVar("T")
G = TypeVar("G")


class EventRule(StrEnum):
    COMPATIBLE = "compatible"
    STRICT = "strict"


def _date_key(d: DateValue | None) -> Hashable | None:
    if d is None:
        return None
    if d.resolved and d.start is not None:
        return (d.start, d.end or d.start)
    return ("text", normalise_for_match(d.text).lower())


def events_agree(a: Claim, b: Claim, rule: EventRule = EventRule.COMPATIBLE) -> bool:
    pa, pb = set(a.event.participants), set(b.event.participants)
    da, db = _date_key(a.event.date), _date_key(b.event.date)
    if rule is EventRule.STRICT:
        return pa == pb and da == db
    return (pa <= pb or pb <= pa) and (da == db or da is None or db is None)


def _compared(v: Value | None) -> Value | None:
    """Words and initiators are matched by their quotes, as before they were typed."""
    return None if isinstance(v, WordsValue | InitiatorValue) else v


def values_agree(a: Value | None, b: Value | None) -> bool:
    a, b = _compared(a), _compared(b)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, DateValue) and isinstance(b, DateValue):
        return _date_key(a) == _date_key(b)
    if isinstance(a, DurationValue) and isinstance(b, DurationValue):
        a_high = float("inf") if a.high is None else a.high
        b_high = float("inf") if b.high is None else b.high
        return a.low <= b_high and b.low <= a_high
    if isinstance(a, CountValue) and isinstance(b, CountValue):
        return a.value == b.value and (a.per or "") == (b.per or "")
    if isinstance(a, OrdinalValue) and isinstance(b, OrdinalValue):
        return a.rank == b.rank
    return False


def spans_overlap(a: Claim, b: Claim) -> bool:
    s, t = a.evidence, b.evidence
    if None in (s.start, s.end, t.start, t.end):
        # An unlocated quote can only be compared by its words.
        x, y = normalise_for_match(s.quote).lower(), normalise_for_match(t.quote).lower()
        return bool(x and y) and (x in y or y in x)
    return (s.start or 0) < (t.end or 0) and (t.start or 0) < (s.end or 0)


def claims_match(run: Claim, gold: Claim, rule: EventRule = EventRule.COMPATIBLE) -> bool:
    if run.article_id != gold.article_id or run.kind != gold.kind:
        return False
    if run.attribution.side != gold.attribution.side or not events_agree(run, gold, rule):
        return False
    if not values_agree(run.value, gold.value):
        return False
    return _compared(gold.value) is not None or spans_overlap(run, gold)


def _words(text: str | None) -> set[str]:
    return {w for w in normalise_for_match(text or "").lower().split() if len(w) > 3}


def _preference(run: Claim, gold: Claim) -> tuple[int, int]:
    return (-int(spans_overlap(run, gold)), -len(_words(run.topic) & _words(gold.topic)))


def max_matching(
    found: list[T], gold: list[G], ok: Callable[[T, G], bool], prefer: Callable[[T, G], tuple[int, ...]]
) -> dict[int, int]:
    """A maximum one-to-one matching {found index: gold index} (augmenting paths, Kuhn's algorithm)."""

    def partners(f: T) -> list[int]:
        return sorted((j for j, g in enumerate(gold) if ok(f, g)), key=lambda j: prefer(f, gold[j]))

    options = [partners(f) for f in found]
    owner: dict[int, int] = {}  # gold index -> found index

    def augment(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(found)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def match_claims(
    run: list[Claim], gold: list[Claim], rule: EventRule = EventRule.COMPATIBLE
) -> list[tuple[Claim, Claim]]:
    """The matched (run, gold) pairs, found separately within each article and kind."""
    groups: dict[tuple[str, str], tuple[list[Claim], list[Claim]]] = defaultdict(lambda: ([], []))
    for c in run:
        groups[(c.article_id, c.kind.value)][0].append(c)
    for c in gold:
        groups[(c.article_id, c.kind.value)][1].append(c)
    pairs: list[tuple[Claim, Claim]] = []
    for key in sorted(groups):
        found, wanted = groups[key]
        matching = max_matching(found, wanted, lambda f, g: claims_match(f, g, rule), _preference)
        pairs += [(found[i], wanted[j]) for i, j in sorted(matching.items())]
    return pairs
