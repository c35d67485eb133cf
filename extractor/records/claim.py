"""A checkable claim: what is asserted, by whom, about which event, with its verbatim evidence."""

from __future__ import annotations

import hashlib
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from extractor.records.values import DateValue, Value


class ClaimKind(StrEnum):
    EVENT = "event"  # an event took place (on a date, if stated)
    DURATION = "duration"
    COUNT = "count"  # count of events over a window, or a rate
    ORDINAL = "ordinal"  # rank of an event in a series
    TOPIC_DISCUSSED = "topic_discussed"
    TOPIC_NOT_DISCUSSED = "topic_not_discussed"
    INITIATOR = "initiator"
    CHARACTERISATION = "characterisation"  # how a side characterised the event
    STATEMENT = "statement"  # a position or statement
    OUTCOME = "outcome"  # an agreement or outcome


class Channel(StrEnum):
    PHONE_CALL = "phone_call"
    MEETING = "meeting"
    VISIT = "visit"
    STATEMENT = "statement"
    OTHER = "other"
    UNKNOWN = "unknown"


class SideKind(StrEnum):
    OFFICIAL = "official"  # a government side: Kremlin, Élysée, White House
    OUTLET = "outlet"  # the outlet itself, or a cited outlet
    OTHER = "other"
    UNKNOWN = "unknown"


class Attribution(BaseModel):
    """Who asserts a claim, as a chain from the speaker to the side they speak for."""

    model_config = ConfigDict(frozen=True)

    speaker: str | None = Field(default=None, description="the speaker as written in the article")
    chain: list[str] = Field(default_factory=list, description="canonical names, speaker first, side last")
    side: str = Field(description="canonical side, e.g. 'Kremlin', 'Élysée', or the outlet's name")
    side_kind: SideKind = SideKind.UNKNOWN


class EventRef(BaseModel):
    """The event a claim is about, as the claim states it (resolution across articles comes later)."""

    model_config = ConfigDict(frozen=True)

    participants: list[str] = Field(default_factory=list, description="canonical names, sorted")
    channel: Channel = Channel.UNKNOWN
    date_text: str | None = None
    date: DateValue | None = None


class GroundingStatus(StrEnum):
    VERIFIED = "verified"  # equal to the article text at its offsets after normalisation
    FUZZY = "fuzzy"  # a close but inexact match: kept for review, never trusted
    NOT_FOUND = "not_found"


class Evidence(BaseModel):
    model_config = ConfigDict(frozen=True)

    quote: str
    start: int | None = None
    end: int | None = None
    status: GroundingStatus = GroundingStatus.NOT_FOUND
    score: float = 0.0


CARRIED = "carried"  # Origin.source of a claim carried over to a republished copy from its original


class Origin(BaseModel):
    """Where a claim came from: a model run (with its prompt version) or an import."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="'model', 'import', 'gold' or 'carried' (from a copy's original)")
    run_id: str | None = None
    model: str | None = None
    prompt_version: str | None = None


def claim_id_for(
    article_id: str, kind: str, quote: str, topic: str | None = None, value_text: str | None = None
) -> str:
    """Stable across re-runs: the same article, kind, words and value give the same id."""
    norm = [" ".join((x or "").split()).lower() for x in (quote, topic, value_text)]
    key = "\x1f".join([article_id, kind, *norm])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


class Claim(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    article_id: str
    kind: ClaimKind
    attribution: Attribution
    event: EventRef
    value: Value | None = None
    topic: str | None = None
    summary: str = Field(default="", description="the claim in plain words (model text: untrusted)")
    evidence: Evidence
    notes: list[str] = Field(default_factory=list, description="normalisation and verification notes")
    needs_review: bool = False
    origin: Origin
