"""Durations of one event that cannot both hold, read as intervals of minutes.

"nearly an hour" is [45, 60) and "50 minutes" is 50: they agree. "nearly an hour" and "over an
hour" share no minute: they conflict. The intervals and which ends are open are the normaliser's
conventions (`extractor.normalise.durations`), so the two stages can never disagree about them.
"""

from __future__ import annotations

from itertools import combinations

from extractor.normalise import durations_agree, interval_bounds
from extractor.reconcile.detectors import (
    DetectorContext,
    cap,
    event_name,
    first_in_text,
    make_conflict,
    quoted,
    side_of,
)
from extractor.records import Claim, ClaimKind, Conflict, ConflictKind, DurationValue, Severity

DETECTOR = "duration_conflicts"


def agree(a: DurationValue, b: DurationValue) -> bool:
    return durations_agree(a, b)


def _minutes(v: DurationValue) -> str:
    if v.high is None:
        return f"more than {v.low:g} minutes"
    lo_closed, hi_closed = interval_bounds(v.low, v.high, v.qualifier)
    if v.low == v.high:
        return f"{v.low:g} minutes"
    return f"{'[' if lo_closed else '('}{v.low:g}, {v.high:g}{']' if hi_closed else ')'} minutes"


def detect(ctx: DetectorContext) -> list[Conflict]:
    out = []
    for eid, event in ctx.events.items():
        per_article: dict[str, dict[tuple[float, float | None, str], Claim]] = {}
        for c in first_in_text(ctx.claims_of(eid, ClaimKind.DURATION)):
            if isinstance(c.value, DurationValue):
                v = c.value
                per_article.setdefault(c.article_id, {}).setdefault((v.low, v.high, v.qualifier.value), c)
        # one conflict per pair of articles and distinct intervals; lengths within one article may
        # describe parts of the event (one-on-one, then with delegations), so they are not compared
        for a, b in combinations(sorted(per_article), 2):
            for ca in per_article[a].values():
                for cb in per_article[b].values():
                    va, vb = ca.value, cb.value
                    assert isinstance(va, DurationValue) and isinstance(vb, DurationValue)
                    if agree(va, vb):
                        continue
                    explanation = (
                        f"{cap(event_name(event))}: {ctx.label(a)} says {quoted(va.text)} "
                        f"({_minutes(va)}); {ctx.label(b)} says {quoted(vb.text)} ({_minutes(vb)}). "
                        "The two ranges share no minute."
                    )
                    sides = [side_of(ca, f"lasted {va.text}"), side_of(cb, f"lasted {vb.text}")]
                    out.append(
                        make_conflict(
                            ConflictKind.DURATION, Severity.MEDIUM, eid, sides, explanation, DETECTOR
                        )
                    )
    return out
