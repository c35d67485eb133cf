"""Pydantic records: the contract between claimdiff's stages. This package imports no other stage."""

from extractor.records.article import Article, article_id_for
from extractor.records.claim import (
    CARRIED,
    Attribution,
    Channel,
    Claim,
    ClaimKind,
    EventRef,
    Evidence,
    GroundingStatus,
    Origin,
    SideKind,
    claim_id_for,
)
from extractor.records.conflict import (
    Conflict,
    ConflictKind,
    ConflictSide,
    Event,
    EventCandidate,
    Severity,
    conflict_id_for,
)
from extractor.records.values import (
    CountValue,
    DatePrecision,
    DateValue,
    DurationQualifier,
    DurationValue,
    InitiatorValue,
    OrdinalValue,
    Value,
    WordsValue,
)

__all__ = [
    "CARRIED",
    "Article",
    "Attribution",
    "Channel",
    "Claim",
    "ClaimKind",
    "Conflict",
    "ConflictKind",
    "ConflictSide",
    "CountValue",
    "DatePrecision",
    "DateValue",
    "DurationQualifier",
    "DurationValue",
    "Event",
    "EventCandidate",
    "EventRef",
    "Evidence",
    "GroundingStatus",
    "InitiatorValue",
    "OrdinalValue",
    "Origin",
    "Severity",
    "SideKind",
    "Value",
    "WordsValue",
    "article_id_for",
    "claim_id_for",
    "conflict_id_for",
]

from extractor.records.copy import CopyRelation
from extractor.records.proposal import ImportedClaim, ProposedClaim
from extractor.records.review import SYSTEM_REVIEWER, Decision, ReviewStatus

__all__ += ["SYSTEM_REVIEWER", "CopyRelation", "Decision", "ImportedClaim", "ProposedClaim", "ReviewStatus"]
