"""Turn a proposal (from a model or an import file) into a Claim: grounded, attributed, normalised.

The proposal is untrusted. Offsets come from searching the article; values are computed from the
quoted words; a proposed phrase that is not in the quote is not believed, and the claim says so.
"""

from __future__ import annotations

from extractor.entities import Entities, match_key
from extractor.extract.eventdates import event_dates
from extractor.extract.kinds import KINDS, VALUE_REQUIRED, VALUED
from extractor.extract.participants import is_generic
from extractor.grounding import ground
from extractor.normalise import (
    parse_date,
)
from extractor.records import (
    Article,
    Claim,
    ClaimKind,
    DateValue,
    EventRef,
    Evidence,
    GroundingStatus,
    InitiatorValue,
    Origin,
    ProposedClaim,
    Value,
    claim_id_for,
)
from extractor.textnorm import normalise_for_match


def _within(phrase: str | None, text: str) -> bool:
    return bool(phrase) and normalise_for_match(phrase or "").lower() in normalise_for_match(text).lower()


def _named_near(name: str, text: str, evidence: Evidence, entities: Entities) -> bool:
    """Is `name` (or any alias of whom it resolves to) in the quote's sentence or the one before?"""
    start = max(0, (evidence.start or 0) - 400)
    window = f" {match_key(text[start : (evidence.end or 0) + 80])} "
    return any(k and f" {k} " in window for k in (match_key(n) for n in entities.names_for(name)))


def _value_for(kind: ClaimKind, phrase: str, quote: str, article: Article) -> Value | None:
    """The value at the phrase's place in the quote, read with its sentence (units, windows, series)."""
    spec = KINDS[kind]
    if spec.find is None or spec.parse is None:
        return None
    anchor = article.published
    if phrase is quote:
        # no phrase proposed: the first value code finds in the quote (a dateline's date, a date
        # of something else, is found by no finder, so it is not read here either)
        found = spec.find(quote, anchor)
        return found[0][2] if found else None
    at = quote.lower().find(phrase.lower())
    if at >= 0:
        for start, end, value in spec.find(quote, anchor):
            if start < at + len(phrase) and at < end:
                return value
    return spec.parse(phrase, anchor)


def _event_date(proposal: ProposedClaim, quote: str, article: Article, notes: list[str]) -> DateValue | None:
    """The event's date from the proposed phrase if the article really has it, else from the quote."""
    anchor = article.published
    if proposal.event_date:
        if _within(proposal.event_date, article.text):
            stated = parse_date(proposal.event_date, anchor)
            if stated is not None:
                return stated
        else:
            notes.append(f"proposed event date {proposal.event_date!r} is not in the article: ignored")
    if proposal.kind is ClaimKind.STATEMENT:
        return None  # "said on Sunday": a date in a statement's words is when it was said
    # The first date that is not a series start ("since January 2025") is the event's.
    dates = event_dates(quote, anchor)
    return dates[0][2] if dates else None


def build_claim(
    article: Article,
    proposal: ProposedClaim,
    *,
    origin: Origin,
    entities: Entities,
    side_hint: str | None = None,
    hint: int | None = None,
) -> Claim:
    notes: list[str] = []
    evidence = ground(proposal.quote, article.text, hint=hint)
    # Values are read from the article's own words at the evidence span when it was found.
    quote = (
        article.text[evidence.start : evidence.end]
        if evidence.start is not None and evidence.end is not None
        else proposal.quote
    )
    value: Value | None = None
    kind = proposal.kind
    if kind in VALUED:
        phrase = quote
        if proposal.value_text:
            if _within(proposal.value_text, quote):
                phrase = proposal.value_text
            else:
                notes.append(f"proposed value {proposal.value_text!r} is not in the quote: read the quote")
        value = _value_for(kind, phrase, quote, article) or (
            _value_for(kind, quote, quote, article) if phrase is not quote else None
        )
        if value is None and kind in VALUE_REQUIRED:
            notes.append(f"no {kind.value} could be read from the quoted words")
    if isinstance(value, InitiatorValue) and value.party:
        # whom the initiator words name, canonical when the entity list knows them
        party = entities.person(value.party) or entities.side_of(value.party) or value.party
        value = value.model_copy(update={"party": party})
    event_date = value if isinstance(value, DateValue) else _event_date(proposal, quote, article, notes)
    if isinstance(event_date, DateValue) and event_date.weekday_matches is False:
        notes.append(f"stated weekday {event_date.weekday_stated} does not match {event_date.start}")
    speaker = proposal.speaker
    if speaker and is_generic(speaker):
        notes.append(f"proposed speaker {speaker!r} names no source: attributed to the outlet")
        speaker = None
    if speaker and evidence.start is not None and not _named_near(speaker, article.text, evidence, entities):
        # A speaker the article does not name near the quote is the model's invention, not a source.
        notes.append(f"proposed speaker {speaker!r} is not named near the quote: attributed to the outlet")
        speaker = None
    attribution = entities.attribute(speaker, outlet=article.outlet, side_hint=side_hint)
    participants = entities.participants(proposal.participants) or entities.mentions(quote)
    needs_review = (
        evidence.status is not GroundingStatus.VERIFIED
        or (kind in VALUE_REQUIRED and value is None)
        or any("not in the" in n for n in notes)
    )
    return Claim(
        id=claim_id_for(article.id, kind.value, proposal.quote, proposal.topic, proposal.value_text),
        article_id=article.id,
        kind=kind,
        attribution=attribution,
        event=EventRef(
            participants=participants,
            channel=proposal.channel,
            date_text=(event_date.text if event_date else proposal.event_date),
            date=event_date,
        ),
        value=value,
        topic=proposal.topic,
        summary=proposal.summary or "",
        evidence=evidence,
        notes=notes,
        needs_review=needs_review,
        origin=origin,
    )
