"""Item by item: which annotated discrepancies the reconciler found, why it missed the others, and
which conflicts it raised that nobody annotated (false alarms).

Used on any annotated corpus (the seeds' gold, the development corpus in fixtures/corpus): the
figures are recall over the high- and medium-severity discrepancies and false alarms per ten reports.
A false alarm is a high or medium conflict that matches no annotated discrepancy, or any conflict
that matches an annotated look-alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.evaluate.conflicts import ConflictOutcome, false_alarms, match_conflicts, passages_overlap
from extractor.evaluate.gold import GoldConflict, GoldSet
from extractor.reconcile import ReconcileResult
from extractor.records import Claim, Conflict, Severity

SERIOUS = (Severity.HIGH, Severity.MEDIUM)


@dataclass
class DiscrepancyReport:
    outcomes: list[ConflictOutcome]
    why_missed: dict[str, str]
    look_alikes_flagged: list[tuple[GoldConflict, Conflict]]
    unexpected: list[Conflict]
    reports: int
    names: dict[str, str] = field(default_factory=dict)

    @property
    def serious(self) -> list[ConflictOutcome]:
        return [o for o in self.outcomes if o.item.severity in SERIOUS]

    @property
    def recall(self) -> float:
        s = self.serious
        return sum(o.found for o in s) / len(s) if s else 1.0

    @property
    def false_alarms(self) -> int:
        return len(self.unexpected) + len({c.id for _, c in self.look_alikes_flagged})

    @property
    def false_alarms_per_10(self) -> float:
        return 10 * self.false_alarms / self.reports if self.reports else 0.0


def _claims_quoting(item: GoldConflict, claims: list[Claim]) -> list[Claim]:
    wanted = set(item.article_ids)
    return [
        c
        for c in claims
        if c.article_id in wanted and any(passages_overlap(q, c.evidence.quote) for q in item.quotes)
    ]


def why_missed(item: GoldConflict, result: ReconcileResult, claims: list[Claim], note: str) -> str:
    """A first diagnosis of a miss: no claim states it, the accounts were not linked, or linked and
    not flagged."""
    quoting = _claims_quoting(item, claims)
    per_article = {a: [c for c in quoting if c.article_id == a] for a in item.article_ids}
    absent = [a for a, cs in per_article.items() if not cs]
    if absent:
        return f"{note}; no claim quotes the passages in {len(absent)} of its articles"
    events: dict[str, set[str]] = {}
    for a, cs in per_article.items():
        for c in cs:
            p = result.placement(c.id)
            events.setdefault(a, set()).add(p.event_id if p is not None and p.event_id else "(unplaced)")
    shared = set.intersection(*events.values()) if events else set()
    if len(item.article_ids) > 1 and not shared - {"(unplaced)"}:
        where = "; ".join(f"{sorted(v)}" for v in events.values())
        return f"{note}; the accounts were not linked to one event ({where})"
    return f"{note}; linked to one event but not flagged as {item.kind.value}/{item.severity.value}"


def evaluate_discrepancies(
    gold: GoldSet, claims: list[Claim], result: ReconcileResult, reports: int
) -> DiscrepancyReport:
    annotated = gold.article_ids
    flagged = [c for c in result.conflicts if {s.article_id for s in c.sides} <= annotated]
    events = {e.id: e for e in result.events}
    outcomes = match_conflicts(flagged, gold.conflicts, events)
    matched = {o.conflict.id for o in outcomes if o.conflict is not None}
    left = [c for c in flagged if c.id not in matched]
    look = false_alarms(left, gold.non_conflicts)
    look_ids = {c.id for _, c in look}
    unexpected = [c for c in left if c.severity in SERIOUS and c.id not in look_ids]
    missed = {o.item.id: why_missed(o.item, result, claims, o.note) for o in outcomes if not o.found}
    return DiscrepancyReport(outcomes, missed, look, unexpected, reports, gold.names)
