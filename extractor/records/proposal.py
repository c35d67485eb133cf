"""What a model or an import file proposes. Code grounds and normalises a proposal into a Claim.

Nothing here is trusted: no offset, no grounding status and no normalised value can be proposed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from extractor.records.claim import Channel, ClaimKind


class ProposedClaim(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: ClaimKind = Field(description="what sort of claim this is")
    quote: str = Field(description="the exact words of the article that state the claim, copied verbatim")
    speaker: str | None = Field(
        default=None,
        description="who makes the claim according to the article (e.g. 'Ushakov', 'the Elysee'); "
        "null when the article states it in its own voice",
    )
    participants: list[str] = Field(
        default_factory=list, description="people taking part in the event the claim is about"
    )
    channel: Channel = Field(default=Channel.UNKNOWN, description="how they met or spoke")
    event_date: str | None = Field(
        default=None, description="the event's date exactly as written in the article, if any"
    )
    value_text: str | None = Field(
        default=None,
        description="for date, duration, count or ordinal claims: the phrase stating it, as written",
    )
    topic: str | None = Field(default=None, description="for topic claims: the topic in a few words")
    summary: str | None = Field(default=None, description="the claim in one short plain sentence")


class ImportedClaim(ProposedClaim):
    """One line of a `claimdiff import` JSONL file: a proposal plus the article it belongs to."""

    model_config = ConfigDict(extra="forbid")

    article: str = Field(description="the article's id, or its file name as stored in the database")
    side: str | None = Field(
        default=None, description="the side the speaker speaks for, when the entity list cannot tell"
    )
