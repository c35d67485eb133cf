"""Two ways to get proposals from a model, measured against each other on the seeds.

- `single`: one prompt per chunk; the model proposes every claim with its quote.
- `sentences`: code splits the article into sentences and keeps those with a checkable signal
  (a date, number, duration, ordinal or a reporting verb); the model only labels each sentence,
  one call a sentence, with a kind, speaker, participants, channel and topics. Small models
  label one sentence well and a numbered list badly (they stop after the first item).
  Quotes are the article's own sentences,
  and dates, durations, counts and ordinals inside them are found by code, not by the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

from extractor.extract.build import event_dates
from extractor.extract.chunking import chunk_text
from extractor.extract.kinds import FOUND_BY_CODE, PER_TOPIC, VALUED
from extractor.extract.schema import ExtractionResponse
from extractor.ingest.sentences import Sentence, split_sentences
from extractor.prompts import PromptTemplate, delimiter_for, load_prompt
from extractor.records import Article, Channel, ClaimKind, DatePrecision, ProposedClaim

_SIGNAL = re.compile(
    r"\d|\b(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|afternoon|evening|"
    r"first|second|third|fourth|fifth|sixth|seventh|last|once|twice|times|hour|minutes|dozen|"
    r"said|says|stated|told|claimed|described|discuss\w*|talk\w*|agreed|urged|stressed|emphasi[sz]ed|"
    r"reaffirmed|accused|according|readout|initiat\w*|congratulat\w*|call\w*|spoke|conversation|meeting|met)\b",
    re.IGNORECASE,
)


_EVENT_WORDS = re.compile(
    r"\b(?:call\w*|spoke|speak|talk(?:s|ed)?|conversation|meeting|met|meet|summit|visit\w*|"
    r"telephone|phone|exchange|contact|discuss\w*)\b",
    re.IGNORECASE,
)
_NOT_DISCUSSED = re.compile(
    r"\b(?:did\s*n[o’']t|did not|do not|does not|never)\s+"
    r"(?:talk|discuss|raise|touch)\w*\s+(?:about|on|upon)?\s*"
    r"(?P<topic>[^.;]{3,120})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Request:
    messages: list[dict[str, str]]
    offset: int  # where in the article this request's text starts: a grounding hint
    sentences: tuple[Sentence, ...] = ()


class SentenceLabel(BaseModel):
    """The model's label for one sentence. It names no offsets and no values: code finds those."""

    kind: ClaimKind | Literal["none"]
    speaker: str | None = None
    participants: list[str] = Field(default_factory=list, max_length=8)
    channel: Channel = Channel.UNKNOWN
    topics: list[str] = Field(default_factory=list, max_length=8)


def _published(article: Article) -> str:
    return article.published.isoformat() if article.published else "unknown"


class SinglePass:
    name = "single"
    response_model: type[BaseModel] = ExtractionResponse

    def __init__(self, max_chunk_tokens: int = 1800, overlap_tokens: int = 150) -> None:
        self.prompt: PromptTemplate = load_prompt("extract_claims")
        self.params = f"chunk={max_chunk_tokens},overlap={overlap_tokens}"
        self._chunking = (max_chunk_tokens, overlap_tokens)

    def requests(self, article: Article) -> Iterator[Request]:
        for chunk in chunk_text(article.text, max_tokens=self._chunking[0], overlap_tokens=self._chunking[1]):
            yield Request(
                self.prompt.render(
                    outlet=article.outlet or "unknown",
                    published=_published(article),
                    delimiter=delimiter_for(chunk.text),
                    article=chunk.text,
                ),
                chunk.start,
            )

    def proposals(self, article: Article, request: Request, parsed: Any) -> list[ProposedClaim]:
        return list(parsed.claims)


class LabelledSentences:
    name = "sentences"
    response_model: type[BaseModel] = SentenceLabel

    def __init__(self) -> None:
        self.prompt: PromptTemplate = load_prompt("label_sentences")
        self.params = "one-sentence-per-call"

    def requests(self, article: Article) -> Iterator[Request]:
        sentences = split_sentences(article.text)
        opening = " ".join(s.text for s in sentences[:3])[:600]
        previous = "(none)"
        for s in sentences:
            if _SIGNAL.search(s.text):
                yield Request(
                    # Only the article's own words go in, so metadata changes never stale a recording.
                    self.prompt.render(
                        opening=opening,
                        previous=previous[:400],
                        delimiter=delimiter_for(s.text),
                        sentence=s.text,
                    ),
                    s.start,
                    (s,),
                )
            previous = s.text

    def proposals(self, article: Article, request: Request, parsed: Any) -> list[ProposedClaim]:
        label: SentenceLabel = parsed
        sentence = request.sentences[0].text
        # "since the beginning of the year" starts a series; it is not when this event happened.
        dates = event_dates(sentence, article.published)
        base: dict[str, Any] = {
            "quote": sentence,
            "speaker": label.speaker,
            "participants": label.participants,
            "channel": label.channel,
            "event_date": dates[0][2].text if dates else None,
        }
        out: list[ProposedClaim] = []
        # "none" still lets code read the typed phrases below: the model's label is advice.
        kind = None if label.kind == "none" else ClaimKind(label.kind)
        topics = [t for t in label.topics if t.strip()]
        negated = _NOT_DISCUSSED.search(sentence)
        if negated:
            # The model often misses a negation; the words decide, and name the topic themselves.
            kind = ClaimKind.TOPIC_NOT_DISCUSSED
            topics = [negated.group("topic").strip(" .,;")]
        if kind in PER_TOPIC and topics:
            out += [ProposedClaim(kind=kind, topic=t, **base) for t in topics]
        elif kind is not None and kind not in VALUED:
            out.append(ProposedClaim(kind=kind, topic=topics[0] if topics else None, **base))
        if kind is not None and kind not in PER_TOPIC:
            # Topics named beside another kind of claim are topics discussed at that event.
            out += [ProposedClaim(kind=ClaimKind.TOPIC_DISCUSSED, topic=t, **base) for t in topics]
        # Dates of events, durations, counts and ordinals are found by code, whatever the label said.
        day_dates = [d for d in dates if d[2].precision is DatePrecision.DAY or d[2].weekday_stated]
        if day_dates and _EVENT_WORDS.search(sentence):
            # "spoke by phone on May 19 and June 4": one event per date the sentence lists.
            for start, end, value in day_dates:
                event_base = {**base, "event_date": value.text}
                out.append(ProposedClaim(kind=ClaimKind.EVENT, value_text=sentence[start:end], **event_base))
        for spec in FOUND_BY_CODE:
            assert spec.find is not None
            for start, end, _ in spec.find(sentence, article.published):
                out.append(ProposedClaim(kind=spec.kind, value_text=sentence[start:end], **base))
        if kind is not None and kind in VALUED and not any(p.kind is kind for p in out):
            # The model saw a typed claim that code cannot read: kept, and flagged for review by build.
            out.append(ProposedClaim(kind=kind, **base))
        return out


STRATEGIES = {"single": SinglePass, "sentences": LabelledSentences}
