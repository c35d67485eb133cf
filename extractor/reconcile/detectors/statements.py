"""Competing statements judged pair by pair: "only one side reports" becomes "the sides disagree on this".

Code picks the pairs: for each event, claims from different articles or sides that speak to the same
aspect (what was agreed, who initiated or announced, how the talks were described, what a measure
covers, why, what was not discussed), whose words overlap (rapidfuzz's token-set ratio) and whose
quotes are verified in their articles. A budget of pairs per event bounds the cost, so calls grow
with the number of events, not with the square of the claims. A pair that a date, duration, count
or ordinal conflict already sets against each other is not asked again: those detectors run first.

The comparer (a recorded model, or a fake in tests) says contradicts, adds detail, same or unrelated,
with the words of each quote that make the difference; it has already checked that those words are
in the quotes. Code decides what a verdict becomes. A contradiction is a conflict of its own only
when code sees it too, exactly one side's differing words denying what the other's affirm: high
between two official accounts, medium otherwise. The model's "contradicts" alone, two leaders' own
positions, and "adds detail" are low wording differences (measured on the development corpus, a
small model calls most differences contradictions). Pairs found the same are kept as "compared:
consistent", so a reviewer sees what was checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz, utils

from extractor.entities import default_entities
from extractor.reconcile.detectors import (
    DetectorContext,
    cap,
    event_name,
    first_in_text,
    make_conflict,
    quoted,
    same_word,
    side_of,
    surname,
    words,
)
from extractor.reconcile.result import QUESTIONS, Aspect, Comparison, PairJudgement, Verdict
from extractor.records import (
    Claim,
    ClaimKind,
    Conflict,
    ConflictKind,
    Event,
    GroundingStatus,
    Severity,
    SideKind,
)

DETECTOR = "statement_comparer"
PAIR_BUDGET = 6  # model calls per event at most (each pair is one call, plus at most two re-asks)
MIN_OVERLAP = 35.0  # rapidfuzz token-set ratio (0-100) two statements need to be worth a call
# Deterministic conflicts that already set two claims against each other: the pair is not asked again.
DETERMINISTIC = frozenset(
    {
        ConflictKind.DATE,
        ConflictKind.DURATION,
        ConflictKind.COUNT,
        ConflictKind.ORDINAL,
        ConflictKind.TOPIC_POLARITY,
        ConflictKind.INITIATOR,
        ConflictKind.INTERNAL,
    }
)
_KIND_ASPECT = {
    ClaimKind.OUTCOME: Aspect.OUTCOME,
    ClaimKind.INITIATOR: Aspect.INITIATOR,
    ClaimKind.CHARACTERISATION: Aspect.CHARACTERISATION,
    ClaimKind.TOPIC_NOT_DISCUSSED: Aspect.NOT_DISCUSSED,
}


def _any_of(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)


# Cues that put a statement (or an outcome) under an aspect; the first that matches wins.
_CUES: list[tuple[Aspect, re.Pattern[str]]] = [
    (
        Aspect.OUTCOME,
        _any_of("agree[ds]?", "agreement", "accord", "deal", "decided", "consensus", "commit(?:ted|ment)"),
    ),
    (
        Aspect.SCOPE,
        _any_of(
            "ceasefire",
            "cease-fire",
            "truce",
            "moratorium",
            "pause",
            "halt",
            "settlement",
            "peace",
            "resolution",
            "negotiations?",
            "sovereignty",
            "territorial",
            "guarantees?",
            "conditions?",
            "terms",
            r"(?:\d+|thirty)[- ]day",
            r"for \w+ (?:days|weeks|months)",
        ),
    ),
    (
        Aspect.INITIATOR,
        _any_of(
            "initiative",
            "initiated",
            "at the request",
            "requested",
            "placed the call",
            "called",
            "announced",
            "asked for",
        ),
    ),
    (
        Aspect.REASONS,
        _any_of(
            "because",
            "due to",
            "reasons?",
            "in order to",
            "aimed at",
            "so that",
            "prompted by",
            "in response to",
            "the result of",
            "root causes?",
            "caused",
        ),
    ),
    (
        Aspect.CHARACTERISATION,
        _any_of(
            "constructive",
            "productive",
            "frank",
            "businesslike",
            "substantive",
            "positive",
            "warm",
            "friendly",
            "tense",
            "candid",
            "useful",
            "detailed",
            "lengthy",
        ),
    ),
]
# "Macron urged ...", "Putin emphasized ...": one leader's own position. Two leaders' positions differ
# by nature; only two accounts of the same person's words (or of a joint outcome) can contradict.
_SPEECH = (
    r"(?:\w+ )?(?:said|says|urged|insisted|stressed|emphasi[sz]ed|claimed|accused|told|noted|called|"
    r"demanded|warned|argued|reaffirmed|expressed|assured|proposed|suggested|rejected|reiterated|"
    r"raised|added|pledged|vowed)"
)
_NEGATION_WORDS = frozenset(
    "not no never nor none nothing without neither failed refused rejected denied".split()
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|nor|none|nothing|without|neither|failed|refused|rejected|denied)\b|n't\b",
    re.IGNORECASE,
)


def aspect_of(claim: Claim) -> Aspect | None:
    """The aspect a claim speaks to: from its kind, or (statements, outcomes) from its words."""
    fixed = _KIND_ASPECT.get(claim.kind)
    if claim.kind not in (ClaimKind.STATEMENT, ClaimKind.OUTCOME) and fixed is not None:
        return fixed
    if claim.kind not in (ClaimKind.STATEMENT, ClaimKind.OUTCOME):
        return None
    for aspect, cue in _CUES:
        if cue.search(claim.evidence.quote):
            return aspect
    return fixed


def holder(claim: Claim, event: Event) -> str | None:
    """The participant whose own position the statement reports ("Putin emphasized ..."), if any."""
    entities = default_entities()
    for person in event.participants:
        aliases = sorted({surname(person), *entities.names_for(person)}, key=len, reverse=True)
        names = "|".join(re.escape(n) for n in aliases)
        said = rf"\b(?:{names})(?:'s)?\s+[\"“]?{_SPEECH}\b"
        if re.search(said, claim.evidence.quote, re.IGNORECASE):
            return person
    return None


@dataclass(frozen=True)
class Pair:
    a: Claim
    b: Claim
    aspect: Aspect
    overlap: float
    two_positions: bool = False  # each reports a different leader's own words: they may differ, not clash


def overlap(a: Claim, b: Claim, event: Event) -> float:
    """How much two statements' words overlap (0-100), the participants' names left out."""
    names = {w for p in event.participants for w in (p, surname(p))}

    def plain(text: str) -> str:
        for name in names:
            text = text.replace(name, " ")
        return utils.default_process(text)

    return float(fuzz.token_set_ratio(plain(a.evidence.quote), plain(b.evidence.quote)))


def _same_words(a: Claim, b: Claim) -> bool:
    return utils.default_process(a.evidence.quote) == utils.default_process(b.evidence.quote)


def pairs_for(ctx: DetectorContext, event: Event, covered: set[frozenset[str]], budget: int) -> list[Pair]:
    """The pairs of this event worth a judgement, best first, at most `budget`."""
    by_aspect: dict[Aspect, list[Claim]] = {}
    for c in first_in_text(ctx.claims_of(event.id)):
        aspect = aspect_of(c)
        if aspect is None or c.evidence.status != GroundingStatus.VERIFIED:
            continue
        by_aspect.setdefault(aspect, []).append(c)
    found: list[Pair] = []
    for aspect, claims in by_aspect.items():
        for a, b in combinations(claims, 2):
            if a.article_id == b.article_id and a.attribution.side == b.attribution.side:
                continue  # one report's one voice: not competing accounts
            if frozenset((a.id, b.id)) in covered or _same_words(a, b):
                continue
            score = overlap(a, b, event)
            if score >= MIN_OVERLAP:
                held = holder(a, event), holder(b, event)
                found.append(Pair(a, b, aspect, score, bool(held[0] and held[1] and held[0] != held[1])))
    # accounts of one thing first (not two leaders' own positions), different sides before one side's
    # two reports, then the closest wording
    found.sort(
        key=lambda p: (
            p.two_positions,
            p.a.attribution.side == p.b.attribution.side,
            -p.overlap,
            p.a.id,
            p.b.id,
        )
    )
    chosen: list[Pair] = []
    seen: set[tuple[str, str]] = set()
    for p in found:
        # one judgement per pair of quotes: two claims drawn from one sentence are one statement
        key = tuple(sorted((p.a.evidence.quote, p.b.evidence.quote)))
        if key in seen:
            continue
        seen.add(key)  # type: ignore[arg-type]
        chosen.append(p)
        if len(chosen) == budget:
            break
    return chosen


def detect(
    ctx: DetectorContext, found: list[Conflict], budget: int = PAIR_BUDGET
) -> tuple[list[Conflict], list[PairJudgement]]:
    """Conflicts from the comparer's verdicts, and every judgement made (consistent ones included)."""
    if ctx.comparer is None:
        return [], []
    covered = {
        frozenset((x.claim_id, y.claim_id))
        for c in found
        if c.kind in DETERMINISTIC
        for x, y in combinations(c.sides, 2)
    }
    conflicts: list[Conflict] = []
    judged: list[PairJudgement] = []
    for event in sorted(ctx.events.values(), key=lambda e: e.id):
        if event.unplaced:
            continue
        for pair in pairs_for(ctx, event, covered, budget):
            result = ctx.comparer.compare(pair.a, pair.b, pair.aspect)
            conflict = _conflict(ctx, event, pair, result)
            if conflict is not None:
                conflicts.append(conflict)
            judged.append(_judgement(event, pair, result, conflict))
    return conflicts, judged


def _voice(claim: Claim, ctx: DetectorContext) -> str:
    """'the Kremlin (report-7)' for an official side, 'Daily Paper (report-3)' for an outlet."""
    side = claim.attribution.side
    named = f"the {side}" if claim.attribution.side_kind == SideKind.OFFICIAL else side
    return f"{named} ({ctx.label(claim.article_id)})"


def _one_side_negates(result: Comparison) -> bool:
    """Code's own check of a contradiction: one side's differing words deny what the other's affirm,
    about the same thing ("agreed to meet again" against "did not agree to meet again"): exactly one
    side negates, and the two share a content word (so "constructive" against "nothing substantive",
    two different things, is not a denial)."""
    negated = [bool(_NEGATION.search(" ".join(ws))) for ws in (result.words_a, result.words_b)]
    if negated[0] == negated[1]:
        return False
    said_a, said_b = (words(" ".join(ws)) - _NEGATION_WORDS for ws in (result.words_a, result.words_b))
    return any(same_word(x, y) for x in said_a for y in said_b)


def _judgement(event: Event, pair: Pair, result: Comparison, conflict: Conflict | None) -> PairJudgement:
    a, b = pair.a, pair.b
    return PairJudgement(
        event_id=event.id,
        aspect=pair.aspect,
        claim_a=a.id,
        article_a=a.article_id,
        side_a=a.attribution.side,
        quote_a=a.evidence.quote,
        claim_b=b.id,
        article_b=b.article_id,
        side_b=b.attribution.side,
        quote_b=b.evidence.quote,
        comparison=result,
        conflict_id=conflict.id if conflict else None,
    )


def _conflict(ctx: DetectorContext, event: Event, pair: Pair, result: Comparison) -> Conflict | None:
    if result.verdict not in (Verdict.CONTRADICTS, Verdict.ADDS_DETAIL):
        return None
    a, b = pair.a, pair.b
    flip = _one_side_negates(result)
    if result.verdict == Verdict.CONTRADICTS and pair.two_positions:
        # two leaders stating different positions is what a call is; the accounts do not clash
        kind, severity = ConflictKind.WORDING, Severity.LOW
        what = "report different leaders' positions, which differ"
    elif result.verdict == Verdict.CONTRADICTS and flip:
        # code sees it too: one side's differing words deny what the other's affirm
        kind, what = ConflictKind.CONTRADICTION, "contradict each other: one denies what the other affirms"
        official = a.attribution.side_kind == b.attribution.side_kind == SideKind.OFFICIAL
        severity = Severity.HIGH if official else Severity.MEDIUM
    elif result.verdict == Verdict.CONTRADICTS:
        # the model's word alone: small models call most differences contradictions
        kind, severity = ConflictKind.WORDING, Severity.LOW
        what = "differ (the model calls it a contradiction; neither side's differing words deny the other's)"
    else:
        kind, severity, what = ConflictKind.WORDING, Severity.LOW, "word it differently, wider or narrower"
    where_a, where_b = (_voice(c, ctx) for c in (a, b))
    if a.attribution.side == b.attribution.side:
        where_a, where_b = ctx.label(a.article_id), ctx.label(b.article_id)
    differs = "; ".join(
        f"{who} says {', '.join(repr(w) for w in ws)}"
        for who, ws in ((where_a, result.words_a), (where_b, result.words_b))
        if ws
    )
    explanation = (
        f"{cap(event_name(event))}, asked '{QUESTIONS[pair.aspect]}': "
        f"{where_a} says {quoted(a.evidence.quote)}; {where_b} says {quoted(b.evidence.quote)}. "
        f"Compared, they {what}"
        + (f": {result.reason.rstrip('.')}" if result.reason else "")
        + (f". The words that differ: {differs}." if differs else ".")
        + f" (Judged by {result.model or 'a model'}; check both quotes.)"
    )
    sides = [
        side_of(a).model_copy(update={"highlights": list(result.words_a)}),
        side_of(b).model_copy(update={"highlights": list(result.words_b)}),
    ]
    return make_conflict(kind, severity, event.id, sides, explanation, DETECTOR)
