"""Who started a call: two different initiators (high), or one named and one "unclear" (medium).

An initiator is read from the claim's topic, else its summary, else its quote, and matched to the
event's participants by surname or to a country by a short list of adjectives and seats of power.
Two names that cannot be put on the same footing (a person and a country) are not compared: the
French side may well be Macron.
"""

from __future__ import annotations

import re
from itertools import combinations

from extractor.reconcile.detectors import (
    DetectorContext,
    cap,
    event_name,
    make_conflict,
    quoted,
    side_of,
    surname,
    words_raw,
)
from extractor.records import Claim, ClaimKind, Conflict, ConflictKind, Event, Severity

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
        read = [(c, initiator(c, event)) for c in ctx.claims_of(eid, ClaimKind.INITIATOR)]
        known = [(c, r) for c, r in read if r is not None]
        seen: set[tuple[str, str]] = set()
        for (ca, ra), (cb, rb) in combinations(known, 2):
            assert ra is not None and rb is not None
            if ra == rb or (ra[0] != rb[0] and "unclear" not in (ra[0], rb[0])):
                continue
            key = (min(ca.article_id, cb.article_id), max(ca.article_id, cb.article_id))
            if key in seen or (ca.article_id == cb.article_id and ca.attribution.side == cb.attribution.side):
                continue
            seen.add(key)
            severity = Severity.MEDIUM if "unclear" in (ra[0], rb[0]) else Severity.HIGH
            explanation = (
                f"{cap(event_name(event))}: {ctx.label(ca.article_id)} says "
                f"{quoted(ca.evidence.quote)} ({_who(ra)}); {ctx.label(cb.article_id)} says "
                f"{quoted(cb.evidence.quote)} ({_who(rb)})."
            )
            sides = [side_of(ca, _who(ra)), side_of(cb, _who(rb))]
            out.append(make_conflict(ConflictKind.INITIATOR, severity, eid, sides, explanation, DETECTOR))
    return out


def _who(r: tuple[str, str]) -> str:
    return "initiator unclear" if r[0] == "unclear" else f"initiated by {r[1]}"
