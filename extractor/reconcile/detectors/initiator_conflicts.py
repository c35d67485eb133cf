"""Who started a call: two different initiators (high), or one named and one "unclear" (medium).

An initiator is read from the claim's typed value (the words saying who started it, and the person
or side they name), else its topic, its summary or its quote, and matched to the
event's participants by surname or to a country by a short list of adjectives and seats of power.
Two names that cannot be put on the same footing (a person and a country) are not compared: the
French side may well be Macron.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

from extractor.reconcile.detectors import (
    MAX_PER_VALUE,
    DetectorContext,
    cap,
    event_name,
    first_in_text,
    make_conflict,
    one_per_article,
    quoted,
    side_of,
    surname,
    who,
    words_raw,
)
from extractor.records import Claim, ClaimKind, Conflict, ConflictKind, Event, InitiatorValue, Severity

DETECTOR = "initiator_conflicts"
_UNCLEAR = re.compile(
    r"\b(unclear|not clear|unknown|not known|who initiated|who called whom|disputed)\b", re.I
)
_COUNTRIES = {
    "france": "France",
    "french": "France",
    "elysee": "France",
    "paris": "France",
    "russia": "Russia",
    "russian": "Russia",
    "kremlin": "Russia",
    "moscow": "Russia",
    "us": "United States",
    "american": "United States",
    "washington": "United States",
    "white": "United States",
    "america": "United States",
    "ukraine": "Ukraine",
    "ukrainian": "Ukraine",
    "kyiv": "Ukraine",
    "kiev": "Ukraine",
    "germany": "Germany",
    "german": "Germany",
    "berlin": "Germany",
    "china": "China",
    "chinese": "China",
    "beijing": "China",
}


def initiator(claim: Claim, event: Event) -> tuple[str, str] | None:
    """('unclear', ''), ('person', name) or ('country', name); None when nothing can be read."""
    if isinstance(claim.value, InitiatorValue):
        # the words that say who started it ("at the initiative of the German side"), typed by code
        if claim.value.party in event.participants:
            return ("person", claim.value.party)
        text = claim.value.text
    else:
        text = claim.topic or claim.summary or claim.evidence.quote
    if _UNCLEAR.search(text) or _UNCLEAR.search(claim.evidence.quote):
        return ("unclear", "")
    tokens = words_raw(text)
    people = [p for p in event.participants if surname(p).lower() in tokens]
    if len(people) == 1:
        return ("person", people[0])
    countries = {_COUNTRIES[t] for t in tokens if t in _COUNTRIES}
    if len(countries) == 1:
        return ("country", countries.pop())
    return None


def detect(ctx: DetectorContext) -> list[Conflict]:
    out = []
    for eid, event in ctx.events.items():
        readings: dict[tuple[str, str], list[Claim]] = defaultdict(list)
        for c in first_in_text(ctx.claims_of(eid, ClaimKind.INITIATOR)):
            r = initiator(c, event)
            if r is not None:
                readings[r].append(c)
        for ra, rb in combinations(sorted(readings), 2):
            if ra[0] != rb[0] and "unclear" not in (ra[0], rb[0]):
                continue  # a person and a country: the French side may well be Macron
            xs, ys = one_per_article(readings[ra]), one_per_article(readings[rb])
            severity = Severity.MEDIUM if "unclear" in (ra[0], rb[0]) else Severity.HIGH
            explanation = (
                f"{cap(event_name(event))}: {who(ctx, xs)} says {quoted(xs[0].evidence.quote)} ({_who(ra)}); "
                f"{who(ctx, ys)} says {quoted(ys[0].evidence.quote)} ({_who(rb)})."
            )
            sides = [side_of(c, _who(ra)) for c in xs[:MAX_PER_VALUE]]
            sides += [side_of(c, _who(rb)) for c in ys[:MAX_PER_VALUE]]
            out.append(make_conflict(ConflictKind.INITIATOR, severity, eid, sides, explanation, DETECTOR))
    return out


def _who(r: tuple[str, str]) -> str:
    return "initiator unclear" if r[0] == "unclear" else f"initiated by {r[1]}"
