"""Three ways to get proposals from a model, measured against each other on the seeds.

- `single`: one prompt per chunk; the model proposes every claim with its quote.
- `batches` (the default): code splits the article into sentences and keeps those with a checkable
  signal (a date, number, duration, ordinal or a reporting verb); the model labels several of them
  a call, as a numbered list, one item per number, with a kind, speaker, participants, channel,
  topics and a value. The schema asks for exactly as many items as numbers (a server that turns
  schemas into grammars cannot stop after the first item); code checks that every number is answered
  exactly once and asks again only for the numbers that were not.
- `sentences`: the same labels, one sentence a call, for servers that cannot follow a list.

Quotes are the article's own sentences; dates, durations, counts and ordinals inside them are found
by code, and who speaks and who took part are checked against the sentence's own words by code
(`extract/attribution.py`), not taken from the model.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from extractor.extract.chunking import chunk_text
from extractor.extract.describe import DESCRIBED, channel_of, find_topics, merge_topics, own_words, within
from extractor.extract.eventdates import EVENT_WORDS, clause_of, event_dates
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
    response_model: type[BaseModel] | None = None  # when it differs from the strategy's
    numbers: tuple[int, ...] = ()  # a numbered request: the number of each sentence, in order
    attempt: int = 0  # 0 for the first ask; n for the n-th re-ask of the numbers left unanswered
    opening: str = ""  # the article's opening as given to the model (a re-ask gives it again)


class SentenceLabel(BaseModel):
    """The model's label for one sentence. It names no offsets and no values: code finds those."""

    kind: ClaimKind | Literal["none"]
    speaker: str | None = None
    participants: list[str] = Field(default_factory=list, max_length=8)
    channel: Channel = Channel.UNKNOWN
    topics: list[str] = Field(default_factory=list, max_length=8)


_PHRASE = {"type": "string", "maxLength": 60}
_TOPICS: dict[str, Any] = {"type": "array", "items": {"type": "string", "maxLength": 40}, "maxItems": 4}
_WORDS: dict[str, Any] = {"anyOf": [_PHRASE, {"type": "null"}], "default": None}


class ItemLabel(BaseModel):
    # The model's label for one numbered sentence: what kind of claim, about what, in which words.
    # Who speaks and who took part are read from the sentence by code (`extract/attribution.py`).
    # (A comment, not a docstring: a docstring would go into the schema the model reads every call.)

    n: int
    kind: ClaimKind | Literal["none"]
    # The schema bounds what a grammar-following server may write (a short phrase, a few topics);
    # parsing does not, so a server without grammars is never re-asked for a long answer.
    topics: Annotated[list[str], WithJsonSchema(_TOPICS)] = Field(default_factory=list)
    words: Annotated[str | None, WithJsonSchema(_WORDS)] = None  # characterisation or initiator only


class BatchLabels(BaseModel):
    """One label per numbered sentence."""

    items: list[ItemLabel]


@functools.cache
def batch_labels(count: int) -> type[BatchLabels]:
    """The answer's schema for `count` numbered sentences: exactly `count` items (a grammar-following
    server cannot stop early); parsing stays lenient, and code checks the numbers themselves."""

    def exact(schema: dict[str, Any]) -> None:
        schema["properties"]["items"].update(minItems=count, maxItems=count)

    return type(
        "BatchLabels",
        (BatchLabels,),
        {"__doc__": BatchLabels.__doc__, "model_config": ConfigDict(json_schema_extra=exact)},
    )


def _published(article: Article) -> str:
    return article.published.isoformat() if article.published else "unknown"


class SinglePass:
    name = "single"
    response_model: type[BaseModel] = ExtractionResponse

    def __init__(self, max_chunk_tokens: int = 1800, overlap_tokens: int = 150) -> None:
        self.prompt: PromptTemplate = load_prompt("extract_claims")
        self.params = f"chunk={max_chunk_tokens},overlap={overlap_tokens}"
        self._chunking = (max_chunk_tokens, overlap_tokens)

    def requests(self, article: Article, wanted: Callable[[int], bool] | None = None) -> Iterator[Request]:
        if wanted is not None and not wanted(-1):
            return  # a republished copy with nothing edited: its original's claims are carried over
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

    def read(self, article: Article, request: Request, parsed: Any) -> tuple[list[ProposedClaim], None]:
        return list(parsed.claims), None


class LabelledSentences:
    name = "sentences"
    response_model: type[BaseModel] = SentenceLabel

    def __init__(self) -> None:
        self.prompt: PromptTemplate = load_prompt("label_sentences")
        self.params = "one-sentence-per-call"

    def requests(self, article: Article, wanted: Callable[[int], bool] | None = None) -> Iterator[Request]:
        sentences = split_sentences(article.text)
        opening = " ".join(s.text for s in sentences[:3])[:600]
        previous = "(none)"
        for s in sentences:
            if _SIGNAL.search(s.text) and (wanted is None or wanted(s.start)):
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

    def read(self, article: Article, request: Request, parsed: Any) -> tuple[list[ProposedClaim], None]:
        return label_proposals(article, request.sentences[0].text, parsed), None


def label_proposals(
    article: Article, sentence: str, label: SentenceLabel | ItemLabel | None
) -> list[ProposedClaim]:
    """Proposals from one sentence and the model's label for it (None: no label, code alone reads it)."""
    # "since the beginning of the year" starts a series; it is not when this event happened.
    dates = event_dates(sentence, article.published)
    base: dict[str, Any] = {
        "quote": sentence,
        "speaker": getattr(label, "speaker", None),
        "participants": getattr(label, "participants", []),
        "channel": getattr(label, "channel", None) or channel_of(sentence),
        "event_date": dates[0][2].text if dates else None,
    }
    out: list[ProposedClaim] = []
    # "none" still lets code read the typed phrases below: the model's label is advice.
    kind = None if label is None or label.kind == "none" else ClaimKind(label.kind)
    # Topics in the article's own words: the model's where the sentence has them, and what the
    # sentence itself lists after "discussed", "touched upon" ...
    topics = merge_topics(own_words(label.topics, sentence) if label else [], find_topics(sentence))
    negated = _NOT_DISCUSSED.search(sentence)
    if negated:
        # The model often misses a negation; the words decide, and name the topic themselves.
        kind = ClaimKind.TOPIC_NOT_DISCUSSED
        topics = [negated.group("topic").strip(" .,;")]
    described = DESCRIBED.get(kind) if kind is not None else None
    if described is not None and not described(sentence):
        # A characterisation or initiator the model saw and code cannot read: the model's words
        # when the sentence has them (code finds the others below, whatever the label said).
        proposed = getattr(label, "words", None)
        words = proposed if proposed and within(proposed, sentence) else None
        out.append(ProposedClaim(kind=kind, value_text=words, **base))
    elif kind in PER_TOPIC and topics:
        out += [ProposedClaim(kind=kind, topic=t, **base) for t in topics]
    elif kind is not None and kind not in VALUED:
        out.append(ProposedClaim(kind=kind, topic=topics[0] if topics else None, **base))
    if kind not in PER_TOPIC:
        # Topics named beside another kind of claim (or none) are topics discussed at that event.
        out += [ProposedClaim(kind=ClaimKind.TOPIC_DISCUSSED, topic=t, **base) for t in topics]
    # Dates of events, durations, counts and ordinals are found by code, whatever the label said.
    day_dates = [d for d in dates if d[2].precision is DatePrecision.DAY or d[2].weekday_stated]
    if len(day_dates) > 1:
        # "the first call took place on February 12 between Putin and Trump, who returned to the
        # White House on January 20": of several dates, those whose clause speaks of a contact
        day_dates = [d for d in day_dates if EVENT_WORDS.search(clause_of(sentence, d[0], d[1]))]
    if day_dates and EVENT_WORDS.search(sentence):
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


class LabelledBatches:
    name = "batches"

    def __init__(self, size: int = 8, reasks: int = 2) -> None:
        self.prompt: PromptTemplate = load_prompt("label_batch")
        self.size = size
        self.reasks = reasks
        self.response_model: type[BaseModel] = batch_labels(size)
        self.params = f"batch={size},reasks={reasks}"

    def requests(self, article: Article, wanted: Callable[[int], bool] | None = None) -> Iterator[Request]:
        sentences = split_sentences(article.text)
        opening = " ".join(s.text for s in sentences[:3])[:400]
        chosen = [s for s in sentences if _SIGNAL.search(s.text) and (wanted is None or wanted(s.start))]
        for at in range(0, len(chosen), self.size):
            group = chosen[at : at + self.size]
            yield self._request(opening, tuple(group), tuple(range(at + 1, at + 1 + len(group))), 0)

    def _request(
        self, opening: str, sentences: tuple[Sentence, ...], numbers: tuple[int, ...], attempt: int
    ) -> Request:
        listed = "\n".join(f"[{n}] {s.text}" for n, s in zip(numbers, sentences, strict=True))
        return Request(
            # Only the article's own words go in, so metadata changes never stale a recording.
            self.prompt.render(opening=opening, delimiter=delimiter_for(listed), sentences=listed),
            sentences[0].start,
            sentences,
            batch_labels(len(sentences)),
            numbers,
            attempt,
            opening,
        )

    def read(
        self, article: Article, request: Request, parsed: Any
    ) -> tuple[list[ProposedClaim], Request | None]:
        """Proposals for the numbers answered exactly once, and a request for the rest (or None)."""
        answered = answers_by_number(parsed, request.numbers)
        out: list[ProposedClaim] = []
        missing: list[tuple[int, Sentence]] = []
        for n, sentence in zip(request.numbers, request.sentences, strict=True):
            if n in answered:
                out += label_proposals(article, sentence.text, answered[n])
            elif request.attempt < self.reasks:
                missing.append((n, sentence))
            else:
                out += label_proposals(article, sentence.text, None)  # code alone reads it
        if not missing:
            return out, None
        again = self._request(
            request.opening, tuple(s for _, s in missing), tuple(n for n, _ in missing), request.attempt + 1
        )
        return out, again


def answers_by_number(parsed: Any, numbers: tuple[int, ...]) -> dict[int, ItemLabel]:
    """Each asked number's label when it was answered exactly once (or only in identical words);
    numbers not asked are ignored, and a number given two different labels counts as unanswered."""
    seen: dict[int, list[ItemLabel]] = {}
    for item in getattr(parsed, "items", []):
        if item.n in numbers:
            seen.setdefault(item.n, []).append(item)
    return {n: items[0] for n, items in seen.items() if all(i == items[0] for i in items)}


STRATEGIES = {"batches": LabelledBatches, "single": SinglePass, "sentences": LabelledSentences}
