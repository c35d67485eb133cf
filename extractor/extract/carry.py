"""No second bill for a republished copy: its original's claims, carried over where the text is the same.

Each of the original's claims is rebuilt on the copy from the same proposal (kind, quote, speaker,
participants, date and value phrases): the quote is grounded in the copy's text like any quote, so a
carried claim is verified at its new offsets or dropped. Only the copy's edited sentences are sent to
the model; a copy with nothing edited costs no call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.copies import align
from extractor.entities import Entities
from extractor.extract.build import build_claim
from extractor.records import (
    CARRIED,
    Article,
    Claim,
    GroundingStatus,
    Origin,
    ProposedClaim,
)
from extractor.store import Store


@dataclass
class Carried:
    original_id: str
    claims: list[Claim]
    edited: list[tuple[int, int]] = field(default_factory=list)

    def needs_model(self, offset: int) -> bool:
        """Whether the sentence starting at `offset` is edited text (offset -1: whether anything is,
        for a strategy that reads whole chunks)."""
        if offset < 0:
            return bool(self.edited)
        return any(start <= offset < end for start, end in self.edited)


def _proposal(c: Claim) -> ProposedClaim:
    value = c.value.text if c.value is not None else None
    return ProposedClaim(
        kind=c.kind,
        quote=c.evidence.quote,
        speaker=c.attribution.speaker,
        participants=list(c.event.participants),
        channel=c.event.channel,
        event_date=c.event.date_text,
        value_text=value,
        topic=c.topic,
        summary=c.summary,
    )


def carry_over(store: Store, copy: Article, entities: Entities, run_id: str | None) -> Carried | None:
    """The original's claims rebuilt on `copy`, and the copy's edited spans; None when `copy` is no
    copy, or its original has no claims yet."""
    relation = store.copy_of(copy.id)
    if relation is None:
        return None
    original = store.article(relation.original_id)
    claims = store.current_claims([relation.original_id])
    if original is None or not claims:
        return None
    aligned = align(original.text, copy.text)
    out: list[Claim] = []
    for c in claims:
        origin = Origin(
            source=CARRIED,
            run_id=run_id,
            model=c.origin.model,
            prompt_version=f"carried from {relation.original_id}: {c.origin.prompt_version or ''}",
        )
        # the copy speaks with its original's voice: an outlet-voice claim stays the original outlet's
        side = c.attribution.side
        rebuilt = build_claim(copy, _proposal(c), origin=origin, entities=entities, side_hint=side)
        if rebuilt.evidence.status is GroundingStatus.VERIFIED:
            out.append(rebuilt)  # a quote the copy no longer holds is not carried: its edits are read
    return Carried(relation.original_id, out, aligned.edited_spans)
