"""Evaluation: a run's claims and conflicts against hand-made gold annotations.

    gold = load_gold(Path("fixtures/gold"), store.articles())
    report = evaluate(gold, store.current_claims(), store.conflicts(), store.events())
    report.claims_by_kind["event"].precision

Only the articles the gold set annotates count, so any annotated set (a directory with
`claims.jsonl`, and optionally `conflicts.jsonl` and `non_conflicts.jsonl`) can be evaluated.
How two claims or two conflicts are said to match is written down in `match.py` and `conflicts.py`.
"""

from extractor.evaluate.conflicts import ConflictOutcome, match_conflicts
from extractor.evaluate.gold import GoldConflict, GoldSet, load_gold
from extractor.evaluate.match import EventRule, claims_match, match_claims
from extractor.evaluate.report import Report, evaluate
from extractor.evaluate.scores import Score

__all__ = [
    "ConflictOutcome",
    "EventRule",
    "GoldConflict",
    "GoldSet",
    "Report",
    "Score",
    "claims_match",
    "evaluate",
    "load_gold",
    "match_claims",
    "match_conflicts",
]
