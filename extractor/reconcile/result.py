"""Records the reconciler returns, and the comparer protocol it accepts.

These live beside the reconciler rather than in `extractor.records` because only the reconciler
produces them; `Event` and `Conflict` (the parts other stages store) stay in the contract.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from extractor.records import Channel, Claim, Conflict, ConflictKind, Event


class Verdict(StrEnum):
    CONSISTENT = "consistent"
    CONTRADICTS = "contradicts"
    DIFFERENT_EMPHASIS = "different_emphasis"
    ONE_SIDED = "one_sided"


class Comparison(BaseModel):
    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    reason: str = ""


@runtime_checkable
class StatementComparer(Protocol):
    """Judges two statements about one event; the lead backs this with a recorded LLM prompt."""

    def compare(self, a: Claim, b: Claim) -> Comparison: ...


class PlacementMethod(StrEnum):
    STATED_DATE = "stated_date"  # the claim's own resolved date keys the event
    DATE_TOLERANCE = "date_tolerance"  # its date is one day off an unambiguous event
    ORDINAL = "ordinal"  # no date: placed by its rank in a series against the timeline
    ARTICLE_DATE = "article_date"  # no date stated: dated by its (recent) article's own date
    EVIDENCE = "evidence"  # no day: linked by a score over dates, descriptors and nearness
    NEAREST_MENTION = "nearest_mention"  # no date: the nearest dated mention in its article
    MAIN_EVENT = "main_event"  # no date or no participants: the article's main event
    UNRESOLVED_DATE = "unresolved_date"  # a date that could not be resolved: an event of its own
    SERIES = "series"  # a count over a window: about many events, placed on none
    UNPLACED = "unplaced"


class Placement(BaseModel):
    """How one claim was attached to an event, and on what basis (shown to reviewers)."""

    model_config = ConfigDict(frozen=True)

    claim_id: str
    article_id: str
    event_id: str | None = None
    method: PlacementMethod
    basis: str


class TimelineEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    event_id: str
    date: dt.date
    date_end: dt.date | None = None
    channel: Channel
    participants: list[str]
    article_ids: list[str]
    sides: list[str]


class Timeline(BaseModel):
    """Dated events of one participant, or of one pair, in date order."""

    model_config = ConfigDict(frozen=True)

    participants: list[str]
    entries: list[TimelineEntry]


class ReconcileResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    events: list[Event] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    placements: list[Placement] = Field(default_factory=list)
    timelines: list[Timeline] = Field(default_factory=list)

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    def placement(self, claim_id: str) -> Placement | None:
        return next((p for p in self.placements if p.claim_id == claim_id), None)

    def conflicts_of(self, kind: ConflictKind) -> list[Conflict]:
        return [c for c in self.conflicts if c.kind == kind]
