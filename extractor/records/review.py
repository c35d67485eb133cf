"""Review decisions on flagged conflicts: a status, who set it, when and why, kept as a history."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class ReviewStatus(StrEnum):
    OPEN = "open"  # not yet decided, or reopened because its evidence changed
    CONFIRMED = "confirmed"  # a real discrepancy between the accounts
    DISMISSED = "dismissed"  # not a discrepancy (misread, different events, ...)
    RESOLVED = "resolved"  # settled by other evidence; the note says how


SYSTEM_REVIEWER = "claimdiff"


class Decision(BaseModel):
    """One entry of a conflict's review history; the latest entry is its current status."""

    model_config = ConfigDict(frozen=True)

    id: int
    conflict_id: str
    status: ReviewStatus
    reviewer: str
    note: str | None = None
    reason: str | None = Field(default=None, description="why claimdiff itself changed the status")
    evidence_hash: str | None = Field(default=None, description="the evidence the decision was made on")
    decided_at: dt.datetime
