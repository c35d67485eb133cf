"""Batch extraction: articles in, grounded claims stored; cached, resumable, one article at a time.

Each article is extracted whole or not at all: its claims and its 'done' mark go in one
transaction, and an unchanged article with the same model, prompt and schema is never sent again.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vcr.errors import CannotOverwriteExistingCassetteException

from extractor.entities import Entities
from extractor.errors import (
    AuthError,
    ClaimdiffError,
    ModelOutputError,
    ProviderError,
    QuotaError,
    RecordingError,
    StaleRecordingError,
)
from extractor.extract.build import build_claim
from extractor.extract.participants import fill_from_context, fill_generic_participants
from extractor.extract.schema import schema_hash
from extractor.extract.strategies import LabelledSentences, SinglePass
from extractor.prompts import PromptTemplate
from extractor.providers import recordings
from extractor.providers.client import CallRecord, LLMClient
from extractor.records import Article, Claim, Origin
from extractor.store import Store

STOP_BATCH = (AuthError, QuotaError)
Strategy = SinglePass | LabelledSentences


@dataclass
class ArticleOutcome:
    article_id: str
    source: str
    status: str  # done, cached, failed
    claims: int = 0
    verified: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    failure_class: str | None = None
    error: str | None = None


@dataclass
class Extractor:
    store: Store
    llm: LLMClient
    mode: str  # live, replay or record
    entities: Entities
    recordings_dir: Path = field(default_factory=recordings.default_recordings_dir)
    strategy: Strategy = field(default_factory=LabelledSentences)
    run_id: str | None = None

    def __post_init__(self) -> None:
        self.prompt: PromptTemplate = self.strategy.prompt
        self.schema = schema_hash(self.strategy.response_model)
        self._lock = threading.Lock()

    def cache_key(self, article: Article) -> str:
        parts = [
            article.id,
            self.llm.config.model,
            self.llm.config.mode,
            self.prompt.key,
            self.schema,
            self.strategy.params,
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]

    def _session(self, article: Article) -> AbstractContextManager[Any]:
        path = recordings.cassette_path(self.recordings_dir, self.prompt.name, article.id)
        label = Path(article.source).name
        if self.mode == "replay":
            return recordings.replaying(
                path, prompt_key=self.prompt.key, schema_hash=self.schema, label=label
            )
        if self.mode == "record":
            return recordings.recording(
                path,
                prompt_key=self.prompt.key,
                schema_hash=self.schema,
                endpoint=self.llm.config.endpoint_label,
            )
        return nullcontext()

    def extract_one(self, article: Article, *, force: bool = False) -> ArticleOutcome:
        key = self.cache_key(article)
        if not force and self.store.extraction_status(article.id, key) == "done":
            stored, verified = self.store.claim_counts(article.id, key)
            return ArticleOutcome(article.id, article.source, "cached", claims=stored, verified=verified)
        outcome = ArticleOutcome(article.id, article.source, "done")
        all_calls: list[dict[str, Any]] = []
        origin = Origin(
            source="model", run_id=self.run_id, model=self.llm.config.model, prompt_version=self.prompt.key
        )
        claims: dict[str, Claim] = {}
        try:
            with self._session(article):
                for index, request in enumerate(self.strategy.requests(article)):
                    try:
                        result = self.llm.structured(request.messages, self.strategy.response_model)
                    except ClaimdiffError as e:
                        all_calls += _call_rows(getattr(e, "calls", []), index)
                        raise
                    all_calls += _call_rows(result.calls, index)
                    for proposal in self.strategy.proposals(article, request, result.parsed):
                        claim = build_claim(
                            article, proposal, origin=origin, entities=self.entities, hint=request.offset
                        )
                        claims.setdefault(claim.id, claim)
        except ProviderError as e:
            if _caused_by(e, CannotOverwriteExistingCassetteException):
                raise StaleRecordingError(
                    f"{Path(article.source).name}: a request is not in its recording; "
                    + recordings.RERECORD_HINT
                ) from e
            return self._failed(article, key, outcome, all_calls, e)
        except ModelOutputError as e:
            return self._failed(article, key, outcome, all_calls, e)
        built = fill_generic_participants(list(claims.values()), self.entities)
        built = fill_from_context(built, article.text, self.entities)
        claims = {c.id: c for c in built}
        totals = _totals(all_calls)
        with self._lock:
            self.store.save_calls(self.run_id or "", article.id, key, all_calls)
            self.store.save_claims(
                article.id,
                key,
                self.run_id,
                list(claims.values()),
                model=self.llm.config.model,
                prompt=self.prompt.key,
                **totals,
            )
        outcome.claims = len(claims)
        outcome.verified = sum(c.evidence.status.value == "verified" for c in claims.values())
        for k, v in totals.items():
            setattr(outcome, k, v)
        return outcome

    def _failed(
        self,
        article: Article,
        key: str,
        outcome: ArticleOutcome,
        calls: list[dict[str, Any]],
        error: ProviderError | ModelOutputError,
    ) -> ArticleOutcome:
        with self._lock:
            self.store.save_calls(self.run_id or "", article.id, key, calls)
            self.store.save_failure(
                article.id,
                key,
                self.run_id,
                error.failure_class,
                str(error),
                model=self.llm.config.model,
                prompt=self.prompt.key,
                **_totals(calls),
            )
        outcome.status = "failed"
        outcome.failure_class = error.failure_class
        outcome.error = str(error)
        if isinstance(error, STOP_BATCH):
            raise error
        return outcome

    def _safe_one(self, article: Article, force: bool) -> ArticleOutcome:
        try:
            return self.extract_one(article, force=force)
        except RecordingError as e:
            # A missing or stale recording concerns this article only: say so, go on with the rest.
            return ArticleOutcome(
                article.id, article.source, "failed", failure_class="recording", error=str(e)
            )

    def run(
        self,
        articles: list[Article],
        *,
        force: bool = False,
        concurrency: int = 1,
        on_done: Callable[[ArticleOutcome], None] | None = None,
    ) -> list[ArticleOutcome]:
        # Recordings patch the HTTP layer process-wide, so replay and record go one article at a time.
        workers = concurrency if self.mode == "live" else 1
        outcomes: list[ArticleOutcome] = []
        if workers <= 1:
            for a in articles:
                outcomes.append(self._safe_one(a, force))
                if on_done:
                    on_done(outcomes[-1])
            return outcomes
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for outcome in pool.map(lambda a: self._safe_one(a, force), articles):
                outcomes.append(outcome)
                if on_done:
                    on_done(outcome)
        return outcomes


def _call_rows(calls: list[CallRecord], chunk: int) -> list[dict[str, Any]]:
    return [dict(vars(c), chunk=chunk) for c in calls]


def _totals(calls: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "calls": len(calls),
        "prompt_tokens": sum(c.get("prompt_tokens") or 0 for c in calls),
        "completion_tokens": sum(c.get("completion_tokens") or 0 for c in calls),
        "seconds": round(sum(c.get("seconds") or 0.0 for c in calls), 3),
    }


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    current: BaseException | None = exc
    depth = 0
    while current is not None and depth < 10:
        if isinstance(current, kind):
            return True
        current = current.__cause__ or current.__context__
        depth += 1
    return False
