"""Statements judged by a model: the StatementComparer the reconciler's statement detector asks.

Answers come live from an OpenAI-compatible server, or are recorded once and replayed offline (one
cassette per pair of statements, matched on the request body), and are cached in the store by pair,
prompt and model, so a re-run makes no calls.
"""

from extractor.compare.model import ComparerStats, ModelComparer, StatementJudgement

__all__ = ["ComparerStats", "ModelComparer", "StatementJudgement"]
