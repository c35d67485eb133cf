"""Competing official accounts of one event (S4: the Élysée's and the Kremlin's versions of a call).

When two or more official sides report statements, characterisations or outcomes of one event, the
accounts are set side by side in one low-severity conflict whose explanation names what each side
reports that the others' accounts do not mention. Different emphasis is expected of two governments,
so this is low. Whether two statements on one point disagree is the statement comparer's question
(detectors/statements.py), asked after every deterministic detector.
"""

from __future__ import annotations

import re
from collections import defaultdict

from extractor.entities import default_entities
from extractor.reconcile.detectors import (
    DetectorContext,
    cap,
    covers,
    event_name,
    first_in_text,
    make_conflict,
    one_per_article,
    quoted,
    side_of,
    topic_words,
    who,
    words,
)
from extractor.records import Channel, Claim, ClaimKind, Conflict, ConflictKind, Event, Severity, SideKind

DETECTOR = "competing_accounts"
ACCOUNT_KINDS = (ClaimKind.STATEMENT, ClaimKind.CHARACTERISATION, ClaimKind.OUTCOME)
_VERDICT = ClaimKind.CHARACTERISATION
_MAX_LISTED = 4  # points named per side in the explanation
_MAX_SIDE = 12  # claims kept as sides per official side, distinct points first


def detect(ctx: DetectorContext) -> list[Conflict]:
    out: list[Conflict] = []
    for eid, event in ctx.events.items():
        by_side: dict[str, list[Claim]] = defaultdict(list)
        for c in first_in_text(ctx.claims_of(eid, *ACCOUNT_KINDS)):
            if is_account(c, event):
                by_side[c.attribution.side].append(c)
        # competing accounts need substance on every side: two verdicts ("productive", "businesslike")
        # alone are not accounts that omit each other's points
        verdict_only = [s for s, cs in by_side.items() if all(c.kind == _VERDICT for c in cs)]
        if len(by_side) < 2 or verdict_only:
            continue
        out.append(_side_by_side(ctx, event, by_side))
    return out


def is_account(c: Claim, event: Event) -> bool:
    """What an official side says about the event: its readout, its staff's words, its verdict.

    A participant's own position stated during the call ("Putin claimed ...", "Macron insisted ...")
    is part of the event, not a side's account of it; their verdict on it ("deeply productive") is.
    """
    if c.attribution.side_kind != SideKind.OFFICIAL or not c.event.participants:
        return False
    if c.event.channel == Channel.STATEMENT and not _readout_of(c, event):
        return False  # a statement of its own (the Pentagon on an aid pause), not about the call
    speaker = c.attribution.chain[0] if c.attribution.chain else None
    return c.kind != ClaimKind.STATEMENT or speaker not in event.participants


_CALL_WORDS = re.compile(r"\b(?:call|conversation|talks|meeting|readout)\b", re.IGNORECASE)


def _readout_of(c: Claim, event: Event) -> bool:
    """A model may give a side's readout the 'statement' channel: it is still an account of the call
    when its words say so and the side is one of the participants' own."""
    own = {default_entities().side_of(p) for p in event.participants}
    return c.attribution.side in own and bool(_CALL_WORDS.search(c.evidence.quote))


def _point(c: Claim) -> str:
    return c.summary or quoted(c.evidence.quote, 80)


def _claim_words(c: Claim, event: Event) -> frozenset[str]:
    return topic_words(c, event.participants) | words(c.evidence.quote, event.participants)


def _points(claims: list[Claim], event: Event) -> dict[frozenset[str], Claim]:
    """One claim per distinct point (by its words): wire copies of one readout count once."""
    out: dict[frozenset[str], Claim] = {}
    for c in claims:
        out.setdefault(_claim_words(c, event), c)
    return out


def _side_by_side(ctx: DetectorContext, event: Event, by_side: dict[str, list[Claim]]) -> Conflict:
    sides_sorted = sorted(by_side)
    points = {side: _points(by_side[side], event) for side in sides_sorted}
    parts = []
    for side in sides_sorted:
        others = [w for s in sides_sorted if s != side for w in points[s]]
        # a point is "omitted" by the others when none of their points shares most of its words
        only = [c for w, c in points[side].items() if not any(covers(w, o) for o in others)]
        listed = "; ".join(_point(c) for c in only[:_MAX_LISTED])
        more = f" (and {len(only) - _MAX_LISTED} more)" if len(only) > _MAX_LISTED else ""
        articles = who(ctx, one_per_article(by_side[side]))
        if only:
            parts.append(f"only the {side} account (in {articles}) reports: {listed}{more}")
        else:
            parts.append(f"the {side} account (in {articles}) adds nothing the others omit")
    explanation = (
        f"{cap(event_name(event))} is described by {len(sides_sorted)} official sides "
        f"({', '.join(sides_sorted)}): " + "; ".join(parts) + "."
    )
    sides = [
        side_of(c, f"{side}: {_point(c)}")
        for side in sides_sorted
        for c in list(points[side].values())[:_MAX_SIDE]
    ]
    kind = ConflictKind.COMPETING_ACCOUNTS
    return make_conflict(kind, Severity.LOW, event.id, sides, explanation, DETECTOR)
