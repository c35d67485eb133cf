"""The model-backed StatementComparer: one prompt per pair, checked by code, cached, recorded.

The model proposes a verdict and the words that make the difference; code checks that every one of
those words is in its quote (the quotes themselves were verified in their articles when the claims
were grounded). An answer that fails the check is re-asked with the error, at most twice; then the
pair is recorded as unjudged with the model's last answer. A pair that cannot be asked (no endpoint
and no recording, the server down) is skipped and counted, and the reconcile goes on without it.
"""

from __future__ import annotations

import hashlib
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field, ValidationInfo, model_validator
from rapidfuzz import fuzz

from extractor.errors import (
    AuthError,
    ModelOutputError,
    NoRecordingError,
    ProviderError,
    QuotaError,
)
from extractor.extract.schema import schema_hash
from extractor.prompts import PromptTemplate, delimiter_for, load_prompt
from extractor.providers import recordings
from extractor.providers.base import ModelProvider
from extractor.reconcile.result import QUESTIONS, Aspect, Comparison, Verdict
from extractor.records import Claim
from extractor.textnorm import find_phrase

PROMPT = "compare_statements"
# Bumped whenever StatementJudgement's checks change: an answer cached under other checks is not reused.
CHECKS_VERSION = "3"


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[\u2018\u2019\u201c\u201d\"']", "'", text).lower().split())


def pair_key(aspect: str, side_a: str, quote_a: str, side_b: str, quote_b: str) -> str:
    """Names a pair's recording: the two statements and the aspect, whatever the prompt."""
    parts = [aspect, side_a, quote_a, side_b, quote_b]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


class StatementJudgement(BaseModel):
    """What the model answers about two statements (checked against them before it is believed)."""

    reason: str = Field(default="", description="first: one short sentence comparing the two answers")
    verdict: Literal["contradicts", "adds_detail", "same", "unrelated"]
    words_a: list[str] = Field(default_factory=list, description="words copied exactly from statement A")
    words_b: list[str] = Field(default_factory=list, description="words copied exactly from statement B")

    @model_validator(mode="after")
    def words_are_in_the_quotes(self, info: ValidationInfo) -> StatementJudgement:
        """Each phrase the model gives is replaced by the quote's own words it matches (exactly, or
        with rapidfuzz at ALIGN_SCORE or more, widened to whole words); a phrase that matches nothing
        in its quote fails the answer, which is re-asked with this error."""
        quotes = info.context or {}
        if not quotes:
            return self
        for name, quote in (("words_a", "a"), ("words_b", "b")):
            located, missing = align_words(getattr(self, name), quotes[quote])
            if missing:
                raise ValueError(
                    f"{name} must be copied exactly from statement {quote.upper()}; "
                    f"these are not in it: {missing}"
                )
            setattr(self, name, located)
        if self.verdict in ("contradicts", "adds_detail") and not (self.words_a or self.words_b):
            raise ValueError(f"verdict {self.verdict} needs the words that differ in words_a or words_b")
        if self.verdict in ("contradicts", "adds_detail") and {_plain(w) for w in self.words_a} == {
            _plain(w) for w in self.words_b
        }:
            raise ValueError("words_a and words_b are the same words: give the words in which A and B differ")
        return self


ALIGN_SCORE = 85.0  # rapidfuzz partial ratio for a phrase the model copied almost exactly
_WORD = re.compile(r"\w", re.UNICODE)


def align_words(phrases: list[str], quote: str) -> tuple[list[str], list[str]]:
    """(the quote's own words for each phrase found in it, the phrases found nowhere)."""
    located: list[str] = []
    missing: list[str] = []
    lowered = quote.lower()
    for phrase in (p.strip() for p in phrases):
        if not phrase:
            continue
        exact = _plain(phrase) in _plain(quote)
        if len(phrase) <= 3 or exact:
            span = _exact_span(phrase, quote)
        else:
            found = fuzz.partial_ratio_alignment(phrase.lower(), lowered)
            ok = found is not None and found.score >= ALIGN_SCORE
            wide = found is not None and (found.dest_end - found.dest_start) >= 0.6 * len(phrase)
            span = _widen(quote, found.dest_start, found.dest_end) if ok and wide and found else None
        if span is None:
            missing.append(phrase)
        elif span not in located:
            located.append(span)
    return located, missing


def _exact_span(phrase: str, quote: str) -> str | None:
    found = find_phrase(phrase, quote)
    return found.group(0) if found else None


def _widen(quote: str, start: int, end: int) -> str:
    """quote[start:end] widened to whole words, without the punctuation around them."""
    while start > 0 and _WORD.match(quote[start - 1]):
        start -= 1
    while end < len(quote) and _WORD.match(quote[end]):
        end += 1
    return quote[start:end].strip(" \t\n.,;:!?\"'“”‘’()")


class ComparisonCache(Protocol):
    def cached_comparison(self, key: str) -> Comparison | None: ...

    def cache_comparison(self, key: str, comparison: Comparison) -> None: ...


@dataclass
class ComparerStats:
    """What the comparer did in one reconcile (printed by the CLI, measured by the benchmark)."""

    asked: int = 0
    cached: int = 0
    skipped: int = 0
    unjudged: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    skip_reasons: dict[str, int] = field(default_factory=dict)


@dataclass
class ModelComparer:
    llm: ModelProvider
    mode: str  # live, replay or record
    cache: ComparisonCache | None = None
    recordings_dir: Path = field(default_factory=recordings.default_recordings_dir)
    stats: ComparerStats = field(default_factory=ComparerStats)

    def __post_init__(self) -> None:
        self.prompt: PromptTemplate = load_prompt(PROMPT)
        self.schema = schema_hash(StatementJudgement)
        self._stopped: str | None = None

    @property
    def model(self) -> str:
        return self.llm.config.model

    def pair_key(self, a: Claim, b: Claim, aspect: Aspect) -> str:
        return pair_key(
            aspect.value, a.attribution.side, a.evidence.quote, b.attribution.side, b.evidence.quote
        )

    def cache_key(self, a: Claim, b: Claim, aspect: Aspect) -> str:
        parts = [
            self.pair_key(a, b, aspect),
            self.prompt.key,
            self.schema,
            CHECKS_VERSION,
            self.model,
            self.llm.config.mode,
        ]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]

    def compare(self, a: Claim, b: Claim, aspect: Aspect) -> Comparison:
        key = self.cache_key(a, b, aspect)
        if self.cache is not None and self.mode != "record":
            hit = self.cache.cached_comparison(key)
            if hit is not None:
                self.stats.cached += 1
                return hit.model_copy(update={"cached": True})
        if self._stopped:
            return self._skip(self._stopped)
        result = self._ask(a, b, aspect)
        if result.verdict != Verdict.SKIPPED and self.cache is not None:
            self.cache.cache_comparison(key, result)
        return result

    def _session(self, a: Claim, b: Claim, aspect: Aspect) -> AbstractContextManager[Any]:
        return recordings.session(
            self.mode,
            recordings.cassette_path(self.recordings_dir, PROMPT, self.pair_key(a, b, aspect)),
            prompt_key=self.prompt.key,
            schema_hash=self.schema,
            label=f"comparison {self.pair_key(a, b, aspect)} ({aspect.value})",
            endpoint=self.llm.config.endpoint_label,
        )

    def _ask(self, a: Claim, b: Claim, aspect: Aspect) -> Comparison:
        qa, qb = a.evidence.quote, b.evidence.quote
        messages = self.prompt.render(
            question=QUESTIONS[aspect],
            delimiter=delimiter_for(qa + "\n" + qb),
            side_a=a.attribution.side,
            statement_a=qa,
            side_b=b.attribution.side,
            statement_b=qb,
        )
        self.stats.asked += 1
        failure: ModelOutputError | None = None
        try:
            with self._session(a, b, aspect):
                try:
                    outcome = self.llm.structured(messages, StatementJudgement, context={"a": qa, "b": qb})
                except ModelOutputError as e:
                    # the model answered, just not usably: the exchange is complete and kept (recorded)
                    failure = e
        except NoRecordingError:
            return self._skip("no recording and no endpoint")
        except (AuthError, QuotaError) as e:
            self._stopped = f"the model server refused: {e}"
            return self._skip(self._stopped)
        except ProviderError as e:
            self._count(getattr(e, "calls", []))
            return self._skip(f"the model server failed: {e}")
        if failure is not None:
            return self._unjudged(failure)
        self._count(outcome.calls)
        answer: StatementJudgement = outcome.parsed
        return Comparison(
            verdict=Verdict(answer.verdict),
            reason=answer.reason.strip(),
            words_a=[w.strip() for w in answer.words_a if w.strip()],
            words_b=[w.strip() for w in answer.words_b if w.strip()],
            model=outcome.model,
            prompt=self.prompt.key,
            calls=len(outcome.calls),
            prompt_tokens=outcome.prompt_tokens,
            completion_tokens=outcome.completion_tokens,
            seconds=round(outcome.seconds, 3),
        )

    def _unjudged(self, e: ModelOutputError) -> Comparison:
        calls = getattr(e, "calls", [])
        self._count(calls)
        self.stats.unjudged += 1
        return Comparison(
            verdict=Verdict.UNJUDGED,
            reason=f"the model's answers failed the checks: {e}",
            model=self.model,
            prompt=self.prompt.key,
            raw=e.raw,
            calls=len(calls),
        )

    def _count(self, calls: list[Any]) -> None:
        self.stats.calls += len(calls)
        self.stats.prompt_tokens += sum(getattr(c, "prompt_tokens", 0) for c in calls)
        self.stats.completion_tokens += sum(getattr(c, "completion_tokens", 0) for c in calls)
        self.stats.seconds += sum(getattr(c, "seconds", 0.0) for c in calls)

    def _skip(self, why: str) -> Comparison:
        self.stats.skipped += 1
        self.stats.skip_reasons[why] = self.stats.skip_reasons.get(why, 0) + 1
        return Comparison(verdict=Verdict.SKIPPED, reason=why, model=self.model, prompt=self.prompt.key)
