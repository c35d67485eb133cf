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
    """A comparer's judgement of two statements on one aspect of an event."""

    CONTRADICTS = "contradicts"  # both cannot be true
    ADDS_DETAIL = "adds_detail"  # one says more, or words the same thing differently in scope
    SAME = "same"  # the same thing in other words: compared, consistent
    UNRELATED = "unrelated"  # about different things after all
    UNJUDGED = "unjudged"  # the model's answers failed the checks (raw answer kept)
    SKIPPED = "skipped"  # not asked: no endpoint and no recording, or the model was unreachable


class Aspect(StrEnum):
    """What two statements are compared on; each has the question the comparer is asked."""

    OUTCOME = "outcome"
    INITIATOR = "initiator"
    CHARACTERISATION = "characterisation"
    SCOPE = "scope"
    REASONS = "reasons"
    NOT_DISCUSSED = "not_discussed"


QUESTIONS = {
    Aspect.OUTCOME: "What was agreed or decided?",
    Aspect.INITIATOR: "Who initiated or announced the contact?",
    Aspect.CHARACTERISATION: "How was the conversation described?",
    Aspect.SCOPE: "What terms or limits were set?",
    Aspect.REASONS: "Why did it happen?",
    Aspect.NOT_DISCUSSED: "What was not discussed?",
}


class Comparison(BaseModel):
    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    reason: str = ""
    words_a: list[str] = Field(default_factory=list, description="words of A that make the difference")
    words_b: list[str] = Field(default_factory=list, description="words of B that make the difference")
    model: str = ""
    prompt: str = ""
    raw: str | None = Field(default=None, description="the model's last answer when it was unjudged")
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    cached: bool = False


@runtime_checkable
class StatementComparer(Protocol):
    """Judges two statements about one event on one aspect (tests use fakes; the model-backed one
    lives in extractor.compare, recorded and replayed like extraction)."""

    def compare(self, a: Claim, b: Claim, aspect: Aspect) -> Comparison: ...


class PairJudgement(BaseModel):
    """One compared pair of an event, kept so a reviewer sees what was checked, not only what failed."""

    model_config = ConfigDict(frozen=True)

    event_id: str
    aspect: Aspect
    claim_a: str
    article_a: str
    side_a: str
    quote_a: str
    claim_b: str
    article_b: str
    side_b: str
    quote_b: str
    comparison: Comparison
    conflict_id: str | None = None


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
    comparisons: list[PairJudgement] = Field(default_factory=list)

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    def placement(self, claim_id: str) -> Placement | None:
        return next((p for p in self.placements if p.claim_id == claim_id), None)

    def conflicts_of(self, kind: ConflictKind) -> list[Conflict]:
        return [c for c in self.conflicts if c.kind == kind]
