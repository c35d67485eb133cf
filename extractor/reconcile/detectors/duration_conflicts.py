"""Durations of one event that cannot both hold, read as intervals of minutes.

"nearly an hour" is [45, 60) and "50 minutes" is 50: they agree. "nearly an hour" and "over an
hour" share no minute: they conflict. The intervals and which ends are open are the normaliser's
conventions (`extractor.normalise.durations`), so the two stages can never disagree about them.
One conflict per pair of disagreeing values, each listing the articles that give it.
"""

from __future__ import annotations

from itertools import combinations

from extractor.normalise import durations_agree, interval_bounds
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
    who,
)
from extractor.records import Claim, ClaimKind, Conflict, ConflictKind, DurationValue, Severity

DETECTOR = "duration_conflicts"


def _minutes(v: DurationValue) -> str:
    if v.high is None:
        return f"more than {v.low:g} minutes"
    lo_closed, hi_closed = interval_bounds(v.low, v.high, v.qualifier)
    if v.low == v.high:
        return f"{v.low:g} minutes"
    return f"{'[' if lo_closed else '('}{v.low:g}, {v.high:g}{']' if hi_closed else ')'} minutes"


def detect(ctx: DetectorContext) -> list[Conflict]:
    """One conflict per event: every length that some other report's length rules out, each with the
    reports that give it (a reviewer sees "2 h 05", "two hours" and "two and a half hours" at once)."""
    out = []
    for eid, event in ctx.events.items():
        by_value: dict[tuple[float, float | None, str], list[Claim]] = {}
        for c in first_in_text(ctx.claims_of(eid, ClaimKind.DURATION)):
            if isinstance(c.value, DurationValue):
                v = c.value
                by_value.setdefault((v.low, v.high, v.qualifier.value), []).append(c)
        disputed: dict[tuple[float, float | None, str], list[Claim]] = {}
        pairs: list[str] = []
        for ka, kb in combinations(sorted(by_value, key=str), 2):
            xs, ys = one_per_article(by_value[ka]), one_per_article(by_value[kb])
            # lengths within one article may describe parts of the event (one-on-one, then with
            # delegations), so only values given by different articles are compared
            if {c.article_id for c in xs} == {c.article_id for c in ys} and len(xs) == 1:
                continue
            va, vb = xs[0].value, ys[0].value
            assert isinstance(va, DurationValue) and isinstance(vb, DurationValue)
            if durations_agree(va, vb):
                continue
            disputed[ka], disputed[kb] = xs, ys
            pairs.append(
                f"{who(ctx, xs)} says {quoted(va.text)} ({_minutes(va)}) and "
                f"{who(ctx, ys)} says {quoted(vb.text)} ({_minutes(vb)})"
            )
        if not disputed:
            continue
        explanation = f"{cap(event_name(event))}: " + "; ".join(pairs) + ". These lengths share no minute."
        sides = []
        for claims in disputed.values():
            said = claims[0].value
            assert isinstance(said, DurationValue)
            sides += [side_of(c, f"lasted {said.text}") for c in claims[:MAX_PER_VALUE]]
        out.append(make_conflict(ConflictKind.DURATION, Severity.MEDIUM, eid, sides, explanation, DETECTOR))
    return out
