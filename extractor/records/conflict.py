"""Resolved events and the conflicts the reconciler flags between accounts of them."""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from extractor.records.claim import Channel


class EventCandidate(BaseModel):
    """An event an unplaced account might be about, with the score of the evidence for it."""

    model_config = ConfigDict(frozen=True)

    event_id: str
    date: dt.date | None = None
    score: float
    basis: str


class Event(BaseModel):
    """One real event, resolved from the claims of one or more articles.

    An *unplaced* event is one article's account that fits no resolved event, or fits several
    equally well: it is kept apart (never merged silently) and lists its candidates for a reviewer.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    participants: list[str]
    channel: Channel
    date: dt.date | None = None
    date_end: dt.date | None = None
    date_basis: str = Field(default="", description="how the date was placed: stated, ordinal, ...")
    claim_ids: list[str] = Field(default_factory=list)
    article_ids: list[str] = Field(default_factory=list)
    sides: list[str] = Field(default_factory=list)
    unplaced: bool = False
    unplaced_reason: str = ""
    candidates: list[EventCandidate] = Field(default_factory=list)
    republished_by: list[str] = Field(
        default_factory=list, description="articles that republish one of its reports: not more sources"
    )


class Severity(StrEnum):
    HIGH = "high"  # both cannot be true
    MEDIUM = "medium"  # different numbers or wording for the same thing, or one-sided
    LOW = "low"  # emphasis

    @property
    def rank(self) -> int:
        """0 for the most severe: the one order every listing sorts by."""
        return list(Severity).index(self)


class ConflictKind(StrEnum):
    DATE = "date"
    DURATION = "duration"
    COUNT = "count"
    ORDINAL = "ordinal"
    TOPIC_POLARITY = "topic_polarity"
    INITIATOR = "initiator"
    INTERNAL = "internal_inconsistency"
    COMPETING_ACCOUNTS = "competing_accounts"
    EMPHASIS = "different_emphasis"
    CONTRADICTION = "statement_contradiction"  # a comparer found two statements that cannot both hold
    WORDING = "wording_difference"  # a comparer found the same point worded wider or narrower


class ConflictSide(BaseModel):
    model_config = ConfigDict(frozen=True)

    claim_id: str
    article_id: str
    side: str
    speaker: str | None = None
    quote: str
    start: int | None = None
    end: int | None = None
    statement: str = Field(default="", description="what this side asserts, in plain words")
    highlights: list[str] = Field(
        default_factory=list, description="words of the quote the conflict turns on (each verified in it)"
    )


class Conflict(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    kind: ConflictKind
    severity: Severity
    event_id: str | None = None
    sides: list[ConflictSide]
    explanation: str
    detector: str


def conflict_id_for(kind: str, event_id: str | None, claim_ids: list[str]) -> str:
    """Stable across re-runs: the same kind, event and claims give the same id."""
    key = "\x1f".join([kind, event_id or "", *sorted(claim_ids)])
    return "c" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
