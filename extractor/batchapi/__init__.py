"""The OpenAI Batch API for large runs: requests written as JSONL, submitted, polled and collected.

Requests are the exact bodies a live call would send, and results go through the same client,
parser and store as a live call, so a batch-extracted article is indistinguishable from a live one
(and a later live run finds it cached).
"""

from extractor.batchapi.runner import BatchLimits, BatchRunner

__all__ = ["BatchLimits", "BatchRunner"]
