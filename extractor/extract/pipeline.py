"""Batch extraction: articles in, grounded claims stored; cached, resumable, one article at a time.

Each article goes pending → in flight → done, needs review or failed (with a class). Taking an
article marks it in flight, with a lease, in its own transaction before the first call, so several
processes on one database never extract the same article at once and a crashed process's articles
are taken again. Every call's raw answer is stored as soon as it arrives, before claims are built.
Claims and the 'done' mark go in one transaction, and an unchanged article with the same model,
prompt and schema is never sent again. An article that addresses the model is flagged, the
offending passages are blanked before anything reads them, and its extraction needs review.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vcr.errors import CannotOverwriteExistingCassetteException

from extractor.entities import Entities
from extractor.errors import (
    AuthError,
    ClaimdiffError,
    ContextLengthError,
    ModelOutputError,
    ProviderError,
    QuotaError,
    RecordingError,
    StaleRecordingError,
)
from extractor.extract.build import build_claim
from extractor.extract.carry import carry_over
from extractor.extract.participants import read_from_text
from extractor.extract.schema import schema_hash
from extractor.extract.strategies import LabelledBatches, LabelledSentences, SinglePass
from extractor.ingest import hostile
from extractor.prompts import PromptTemplate
from extractor.providers import recordings
from extractor.providers.base import CallRecord, ModelProvider
from extractor.records import Article, Claim, Evidence, GroundingStatus, Origin
from extractor.store import Store

STOP_BATCH = (AuthError, QuotaError)
Strategy = SinglePass | LabelledSentences | LabelledBatches
# An in-flight mark outlives a crash by this long at most; it is renewed after every call, and on
# the same host a dead process's marks are taken over at once.
LEASE_SECONDS = 1800.0


@dataclass
class ArticleOutcome:
    article_id: str
    source: str
    status: str  # done, needs_review, cached, failed; busy (in flight elsewhere), skipped (batch stopped)
    claims: int = 0
    verified: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    failure_class: str | None = None
    error: str | None = None
    flags: tuple[str, ...] = ()


@dataclass
class Extractor:
    store: Store
    llm: ModelProvider
    mode: str  # live, replay or record
    entities: Entities
    recordings_dir: Path = field(default_factory=recordings.default_recordings_dir)
    strategy: Strategy = field(default_factory=LabelledBatches)
    run_id: str | None = None
    lease_seconds: float = LEASE_SECONDS

    def __post_init__(self) -> None:
        self.prompt: PromptTemplate = self.strategy.prompt
        self.schema = schema_hash(self.strategy.response_model)
        self._lock = threading.Lock()
        self.owner = uuid.uuid4().hex[:12]  # whose in-flight marks are whose
        # Forced, an article another process extracted since this extractor began is not done again.
        self.started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self._stopped: ClaimdiffError | None = None

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
        return recordings.session(
            self.mode,
            recordings.cassette_path(self.recordings_dir, self.prompt.name, article.id),
            prompt_key=self.prompt.key,
            schema_hash=self.schema,
            label=Path(article.source).name,
            endpoint=self.llm.config.endpoint_label,
        )

    def extract_one(self, article: Article, *, force: bool = False) -> ArticleOutcome:
        key = self.cache_key(article)
        findings = hostile.scan(article.text)
        flags = tuple(sorted(set(article.flags) | {f.flag for f in findings}))
        review = f"flagged: {', '.join(flags)}" if flags else None
        with self._lock:
            taken = self.store.take_extraction(
                article.id,
                key,
                owner=self.owner,
                run_id=self.run_id,
                lease_seconds=self.lease_seconds,
                force=force,
                review=review,
                forced_since=self.started,
            )
        if taken == "done":
            stored, verified = self.store.claim_counts(article.id, key)
            return ArticleOutcome(
                article.id, article.source, "cached", claims=stored, verified=verified, flags=flags
            )
        if taken == "busy":
            return ArticleOutcome(
                article.id, article.source, "busy", error="in flight in another process", flags=flags
            )
        try:
            outcome = self._extract(article, key, findings, flags)
        except RecordingError as e:
            # No (or a stale) recording: failed, with why, as `extract` says, until one is recorded.
            with self._lock:
                self.store.save_failure(
                    article.id,
                    key,
                    self.run_id,
                    "recording",
                    str(e),
                    model=self.llm.config.model,
                    prompt=self.prompt.key,
                    **_totals([]),
                )
            raise
        except BaseException:
            # Not the model's doing (a stale recording, a bug, Ctrl-C): the article is pending again.
            with self._lock:
                self.store.release_extraction(article.id, key, self.owner)
            raise
        return outcome

    def _extract(
        self, article: Article, key: str, findings: list[hostile.Finding], flags: tuple[str, ...]
    ) -> ArticleOutcome:
        outcome = ArticleOutcome(article.id, article.source, "needs_review" if flags else "done", flags=flags)
        # Passages addressed to a model are blanked (same length, same offsets): nothing reads them.
        work = (
            article.model_copy(update={"text": hostile.neutralise(article.text, findings)})
            if findings
            else article
        )
        all_calls: list[dict[str, Any]] = []
        origin = Origin(
            source="model", run_id=self.run_id, model=self.llm.config.model, prompt_version=self.prompt.key
        )
        claims: dict[str, Claim] = {}
        # a republished copy: the original's claims are carried over where its text is the same,
        # and only what the copy edited goes to the model (nothing, for a plain copy)
        carry = carry_over(self.store, work, self.entities, self.run_id) if not findings else None
        if carry is not None:
            claims.update({c.id: c for c in carry.claims})
        pending = deque(self.strategy.requests(work, carry.needs_model if carry is not None else None))
        try:
            with self._session(article) if pending else nullcontext():
                index = 0
                while pending:
                    request = pending.popleft()
                    model = request.response_model or self.strategy.response_model
                    try:
                        result = self.llm.structured(request.messages, model)
                    except ClaimdiffError as e:
                        all_calls += self._keep(article, key, _call_rows(getattr(e, "calls", []), index))
                        raise
                    all_calls += self._keep(article, key, _call_rows(result.calls, index))
                    index += 1
                    proposals, again = self.strategy.read(work, request, result.parsed)
                    if again is not None:
                        pending.append(again)  # only the numbers left unanswered are asked again
                    for proposal in proposals:
                        claim = build_claim(
                            work, proposal, origin=origin, entities=self.entities, hint=request.offset
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
        built = read_from_text(list(claims.values()), work, self.entities)
        if findings:
            built = [_flagged(c, article, flags) for c in built]
        claims = {c.id: c for c in built}
        totals = _totals(all_calls)
        with self._lock:
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
        outcome.verified = sum(c.evidence.status is GroundingStatus.VERIFIED for c in claims.values())
        for k, v in totals.items():
            setattr(outcome, k, v)
        return outcome

    def _keep(self, article: Article, key: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Store a request's raw answers at once (before claims are built) and renew the lease."""
        with self._lock:
            self.store.save_calls(self.run_id or "", article.id, key, rows)
            self.store.renew_lease(article.id, key, self.owner, self.lease_seconds)
        return rows

    def _failed(
        self,
        article: Article,
        key: str,
        outcome: ArticleOutcome,
        calls: list[dict[str, Any]],
        error: ProviderError | ModelOutputError,
    ) -> ArticleOutcome:
        message = str(error)
        if isinstance(error, ContextLengthError):
            message += (
                f"; the article's text does not fit {self.llm.config.model}: use --strategy sentences "
                "(one sentence a call) or a model with a longer context"
            )
        with self._lock:
            self.store.save_failure(
                article.id,
                key,
                self.run_id,
                error.failure_class,
                message,
                model=self.llm.config.model,
                prompt=self.prompt.key,
                **_totals(calls),
            )
        outcome.status = "failed"
        outcome.failure_class = error.failure_class
        outcome.error = message
        if isinstance(error, STOP_BATCH):
            self._stopped = error
            raise error
        return outcome

    def _safe_one(self, article: Article, force: bool) -> ArticleOutcome:
        if self._stopped is not None:
            # Quota or credentials failed on another article: this one is not touched, it stays pending.
            return ArticleOutcome(
                article.id, article.source, "skipped", error=f"not attempted: {self._stopped}"
            )
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
        # A window of a few articles per worker is in the pool at any time (not the whole batch), so
        # memory does not grow with the batch; outcomes come back in the articles' order.
        window: deque[Future[ArticleOutcome]] = deque()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for a in articles:
                window.append(pool.submit(self._safe_one, a, force))
                if len(window) >= workers * 4:
                    outcomes.append(window.popleft().result())
                    if on_done:
                        on_done(outcomes[-1])
            while window:
                outcomes.append(window.popleft().result())
                if on_done:
                    on_done(outcomes[-1])
        return outcomes


def _flagged(claim: Claim, article: Article, flags: tuple[str, ...]) -> Claim:
    """A claim of a flagged article: needs review, says why, and quotes the article's own words."""
    evidence = claim.evidence
    if evidence.start is not None and evidence.end is not None:
        original = article.text[evidence.start : evidence.end]
        if original != evidence.quote:
            evidence = Evidence(**{**evidence.model_dump(), "quote": original})
    note = f"the article addresses the model ({', '.join(flags)}): those passages were not read"
    return claim.model_copy(
        update={"evidence": evidence, "needs_review": True, "notes": [*claim.notes, note]}
    )


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
