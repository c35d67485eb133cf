"""The evaluation of one run against one gold set: scores per claim kind and per conflict severity."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from extractor.evaluate.conflicts import ConflictOutcome, false_alarms, match_conflicts
from extractor.evaluate.gold import GoldConflict, GoldSet
from extractor.evaluate.match import EventRule, match_claims
from extractor.evaluate.scores import Score
from extractor.records import Claim, ClaimKind, Conflict, Event, Severity

ALL = "all"


@dataclass
class Report:
    rule: EventRule
    claims_by_kind: dict[str, Score]  # every kind in either list, and "all" (micro-averaged)
    conflicts_by_severity: dict[str, Score]  # high, medium, low and "all"
    outcomes: list[ConflictOutcome]  # one per gold discrepancy
    false_alarms: dict[str, list[Conflict]]  # look-alike id -> the flagged conflicts that match it
    look_alikes: list[GoldConflict] = field(default_factory=list)
    unmatched_conflicts: list[Conflict] = field(default_factory=list)  # flagged, matching no gold item
    articles: int = 0

    def rows(self) -> list[dict[str, Any]]:
        """Every figure as flat rows (`table`: claims, conflicts or non_conflicts), for any output format."""
        out: list[dict[str, Any]] = []
        for kind, s in self.claims_by_kind.items():
            out.append({"table": "claims", "kind": kind, **_figures(s)})
        for severity, s in self.conflicts_by_severity.items():
            out.append({"table": "conflicts", "severity": severity, **_figures(s)})
        for o in self.outcomes:
            out.append(
                {
                    "table": "gold_conflicts",
                    "id": o.item.id,
                    "kind": o.item.kind.value,
                    "severity": o.item.severity.value,
                    "found": o.found,
                    "conflict": o.conflict.id if o.conflict else None,
                    "note": o.note,
                }
            )
        for item in self.look_alikes:
            hits = self.false_alarms.get(item.id, [])
            out.append(
                {
                    "table": "non_conflicts",
                    "id": item.id,
                    "kind": item.kind.value,
                    "severity": ", ".join(sorted({c.severity.value for c in hits})),
                    "found": bool(hits),
                    "conflict": ", ".join(c.id for c in hits) or None,
                    "note": "FALSELY FLAGGED" if hits else "not flagged",
                }
            )
        return out


def _figures(s: Score) -> dict[str, Any]:
    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 3)

    return {
        "gold": s.gold,
        "found": s.found,
        "matched": s.matched,
        "precision": r(s.precision),
        "recall": r(s.recall),
        "f1": r(s.f1),
    }


def evaluate(
    gold: GoldSet,
    claims: list[Claim],
    conflicts: list[Conflict],
    events: list[Event] | None = None,
    *,
    rule: EventRule = EventRule.COMPATIBLE,
) -> Report:
    scope = gold.article_ids
    run = [c for c in claims if c.article_id in scope]
    pairs = match_claims(run, gold.claims, rule)
    found, wanted = Counter(c.kind.value for c in run), Counter(c.kind.value for c in gold.claims)
    hits = Counter(g.kind.value for _, g in pairs)
    kinds = [k.value for k in ClaimKind if found[k.value] or wanted[k.value]]
    by_kind = {k: Score(wanted[k], found[k], hits[k]) for k in kinds}
    by_kind[ALL] = Score(len(gold.claims), len(run), len(pairs))

    flagged = [c for c in conflicts if c.sides and all(s.article_id in scope for s in c.sides)]
    outcomes = match_conflicts(flagged, gold.conflicts, {e.id: e for e in events or []})
    matched_ids = {o.conflict.id for o in outcomes if o.conflict is not None}
    by_severity: dict[str, Score] = {}
    for sev in Severity:
        g = sum(item.severity == sev for item in gold.conflicts)
        f = sum(c.severity == sev for c in flagged)
        m = sum(o.found and o.item.severity == sev for o in outcomes)
        by_severity[sev.value] = Score(g, f, m)
    by_severity[ALL] = Score(len(gold.conflicts), len(flagged), len(matched_ids))
    alarms: dict[str, list[Conflict]] = {}
    leftover = [c for c in flagged if c.id not in matched_ids]
    for item, c in false_alarms(leftover, gold.non_conflicts):
        alarms.setdefault(item.id, []).append(c)
    return Report(
        rule=rule,
        claims_by_kind=by_kind,
        conflicts_by_severity=by_severity,
        outcomes=outcomes,
        false_alarms=alarms,
        look_alikes=gold.non_conflicts,
        unmatched_conflicts=leftover,
        articles=len(scope),
    )
