"""Submit pending articles to the OpenAI Batch API, follow the batches, and collect their results.

Guarantees: a local batch row exists before anything is uploaded and the API's batch id is stored
the moment it is known (a crash in between is repaired by finding the batch by its metadata), so a
restart resumes and never submits the same work twice. Results are applied per article: an article
all of whose lines came back is extracted exactly as a live call would store it; an article with a
failed or missing line (an expired batch, an error file entry) is left pending for the next run.
"""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx2
import openai

from extractor.batchapi.lines import ENDPOINT, ResultTransport, body_key, capture_bodies
from extractor.errors import ConfigError
from extractor.extract.carry import carry_over
from extractor.extract.pipeline import ArticleOutcome, Extractor
from extractor.extract.strategies import LabelledBatches
from extractor.providers.client import LLMClient, classify, openai_client, transport_retrying
from extractor.records import Article
from extractor.store.batches import FINISHED_STATES, OPEN_STATES, BatchItem

COMPLETION_WINDOW: Literal["24h"] = "24h"
METADATA_KEY = "claimdiff_batch"


@dataclass(frozen=True)
class BatchLimits:
    """The API's limits per batch (50,000 requests, 200 MB input file), with a margin on bytes."""

    max_requests: int = 50_000
    max_bytes: int = 190 * 1024 * 1024


@dataclass
class CollectSummary:
    batch_id: str
    status: str
    extracted: list[ArticleOutcome] = field(default_factory=list)
    pending: dict[str, str] = field(default_factory=dict)  # article id -> why it goes back to pending
    lines_ok: int = 0
    lines_failed: int = 0
    lines_missing: int = 0
    unreadable_lines: int = 0


@dataclass
class _Part:
    lines: list[str] = field(default_factory=list)
    items: list[tuple[str, str, str, int]] = field(default_factory=list)
    size: int = 0


class BatchRunner:
    def __init__(
        self,
        extractor: Extractor,
        *,
        http_client: Any | None = None,
        limits: BatchLimits | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        config = extractor.llm.config
        if not config.live:
            raise ConfigError("the Batch API needs an endpoint: set OPENAI_BASE_URL and OPENAI_API_KEY")
        if isinstance(extractor.strategy, LabelledBatches) and extractor.strategy.reasks:
            # A batch holds only the first asks: numbers a batch answer leaves out are read by code
            # alone, never asked again (a re-ask would need a live call).
            size = extractor.strategy.size
            extractor = dataclasses.replace(extractor, strategy=LabelledBatches(size=size, reasks=0))
        self.extractor = extractor
        self.store = extractor.store
        self.config = config
        self.limits = limits or BatchLimits()
        self._sleep = sleep
        self._http_client = http_client
        self.api = openai_client(config, http_client)

    def _call(self, fn: Callable[[], Any]) -> Any:
        try:
            return transport_retrying(self.config.transport_retries, self._sleep)(fn)
        except openai.APIError as e:
            raise classify(e) from e

    # -- submit -------------------------------------------------------------------------------------
    def submit(self, articles: Iterable[Article]) -> tuple[list[str], dict[str, str]]:
        """Submit the articles that are neither done nor in a batch. Returns (local batch ids, skipped)."""
        self.resume()
        busy = self.store.articles_in_open_batches()
        skipped: dict[str, str] = {}
        parts: list[_Part] = [_Part()]
        for article in articles:
            key = self.extractor.cache_key(article)
            if self.store.extraction_status(article.id, key) == "done":
                skipped[article.source] = "already extracted"
                continue
            if key in busy:
                skipped[article.source] = "already in a batch that has not been collected"
                continue
            carried = carry_over(self.store, article, self.extractor.entities, None)
            if carried is not None and not carried.edited:
                # a plain copy of an extracted article costs no request: its claims are carried over
                self.extractor.extract_one(article)
                skipped[article.source] = "a republished copy: its original's claims carried over"
                continue
            lines = [
                json.dumps({"custom_id": f"{key}-{i}", "method": "POST", "url": ENDPOINT, "body": body})
                for i, body in enumerate(capture_bodies(self.config, self.extractor.strategy, article))
            ]
            size = sum(len(x.encode("utf-8")) + 1 for x in lines)
            if len(lines) > self.limits.max_requests or size > self.limits.max_bytes:
                skipped[article.source] = "too large for one batch (requests or bytes); extract it live"
                continue
            part = parts[-1]
            if part.lines and (
                len(part.lines) + len(lines) > self.limits.max_requests
                or part.size + size > self.limits.max_bytes
            ):
                part = _Part()
                parts.append(part)
            part.lines += lines
            part.items += [(f"{key}-{i}", article.id, key, i) for i in range(len(lines))]
            part.size += size
            busy.add(key)
        return [self._submit_part(p) for p in parts if p.lines], skipped

    def _submit_part(self, part: _Part) -> str:
        batch_id = "cb-" + uuid.uuid4().hex[:16]
        self.store.add_batch(
            batch_id,
            part.items,
            endpoint=self.config.endpoint_label,
            model=self.config.model,
            mode=self.config.mode,
            prompt=self.extractor.prompt.key,
            schema=self.extractor.schema,
            strategy=self.extractor.strategy.name,
            requests=len(part.lines),
            bytes=part.size,
        )
        self._upload_and_create(batch_id, ("\n".join(part.lines) + "\n").encode("utf-8"))
        return batch_id

    def _upload_and_create(self, batch_id: str, data: bytes) -> None:
        upload = self._call(lambda: self.api.files.create(file=(f"{batch_id}.jsonl", data), purpose="batch"))
        self.store.update_batch(batch_id, input_file_id=upload.id)
        self._create(batch_id, upload.id)

    def _create(self, batch_id: str, input_file_id: str) -> None:
        batch = self._call(
            lambda: self.api.batches.create(
                input_file_id=input_file_id,
                endpoint=ENDPOINT,
                completion_window=COMPLETION_WINDOW,
                metadata={METADATA_KEY: batch_id},
            )
        )
        self.store.update_batch(batch_id, provider_id=batch.id, status=batch.status)

    def resume(self) -> list[str]:
        """Finish submitting batches a crash interrupted: adopt the API's batch if it exists."""
        resumed = []
        for row in self.store.batches(states=["preparing"]):
            if row["provider_id"]:
                continue
            found = self._find_remote(row["id"])
            if found is not None:
                self.store.update_batch(row["id"], provider_id=found.id, status=found.status)
            elif row["input_file_id"]:
                self._create(row["id"], row["input_file_id"])
            else:
                self._upload_and_create(row["id"], self._lines_again(row["id"]))
            resumed.append(row["id"])
        return resumed

    def _find_remote(self, batch_id: str) -> Any | None:
        page = self._call(lambda: self.api.batches.list(limit=100))
        for batch in page:
            if (batch.metadata or {}).get(METADATA_KEY) == batch_id:
                return batch
        return None

    def _lines_again(self, batch_id: str) -> bytes:
        """The same request lines, captured again from the stored articles (capture is deterministic)."""
        lines = []
        by_article: dict[str, list[BatchItem]] = defaultdict(list)
        for item in self.store.batch_items(batch_id):
            by_article[item.article_id].append(item)
        for article_id, items in by_article.items():
            article = self.store.article(article_id)
            if article is None:
                continue
            bodies = capture_bodies(self.config, self.extractor.strategy, article)
            for item in items:
                body = {
                    "custom_id": item.custom_id,
                    "method": "POST",
                    "url": ENDPOINT,
                    "body": bodies[item.idx],
                }
                lines.append(json.dumps(body))
        return ("\n".join(lines) + "\n").encode("utf-8")

    # -- follow ---------------------------------------------------------------------------------------
    def refresh(self) -> list[dict[str, Any]]:
        """Ask the API how each open batch is doing; returns every batch row."""
        self.resume()
        for row in self.store.batches(states=OPEN_STATES):
            if not row["provider_id"]:
                continue
            batch = self._retrieve(row["provider_id"])
            errors = getattr(getattr(batch, "errors", None), "data", None) or []
            self.store.update_batch(
                row["id"],
                status=batch.status,
                output_file_id=batch.output_file_id,
                error_file_id=batch.error_file_id,
                error="; ".join(f"{e.code}: {e.message}" for e in errors) or None,
            )
        return self.store.batches()

    def _retrieve(self, provider_id: str) -> Any:
        return self._call(lambda: self.api.batches.retrieve(provider_id))

    # -- collect --------------------------------------------------------------------------------------
    def collect(self) -> list[CollectSummary]:
        self.refresh()
        return [self._collect(row) for row in self.store.batches(states=FINISHED_STATES)]

    def _download(self, file_id: str | None) -> list[str]:
        if not file_id:
            return []
        content = self._call(lambda: self.api.files.content(file_id))
        return str(content.text).splitlines()

    def _collect(self, row: dict[str, Any]) -> CollectSummary:
        summary = CollectSummary(row["id"], row["status"])
        answers: dict[str, dict[str, Any]] = {}
        errors: dict[str, str] = {}
        for line in self._download(row["output_file_id"]) + self._download(row["error_file_id"]):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                cid = entry["custom_id"]
            except (ValueError, KeyError, TypeError):
                summary.unreadable_lines += 1
                continue
            response = entry.get("response") or {}
            if response.get("status_code") == 200 and isinstance(response.get("body"), dict):
                answers[cid] = response["body"]
            else:
                error = entry.get("error") or (response.get("body") or {}).get("error") or {}
                errors[cid] = (
                    f"{error.get('code') or response.get('status_code')}: {error.get('message', '')}"
                )
        items = self.store.batch_items(row["id"])
        results: list[tuple[str, str, str | None, str | None]] = []
        for item in items:
            if item.custom_id in answers:
                results.append((item.custom_id, "answered", None, json.dumps(answers[item.custom_id])))
            elif item.custom_id in errors:
                results.append((item.custom_id, "failed", errors[item.custom_id], None))
            else:
                results.append(
                    (item.custom_id, "missing", f"no line in the batch's files ({row['status']})", None)
                )
        self.store.set_item_results(row["id"], results)
        summary.lines_ok = sum(r[1] == "answered" for r in results)
        summary.lines_failed = sum(r[1] == "failed" for r in results)
        summary.lines_missing = sum(r[1] == "missing" for r in results)
        by_article: dict[str, list[BatchItem]] = defaultdict(list)
        for item in self.store.batch_items(row["id"]):
            by_article[item.article_id].append(item)
        for article_id, article_items in by_article.items():
            self._apply(article_id, article_items, summary)
        self.store.update_batch(row["id"], status="collected", error=row["error"] or _note(row["status"]))
        return summary

    def _apply(self, article_id: str, items: list[BatchItem], summary: CollectSummary) -> None:
        article = self.store.article(article_id)
        bad = [i for i in items if i.state != "answered"]
        if article is None:
            summary.pending[article_id] = "the article is no longer in the database"
            return
        if bad:
            summary.pending[article_id] = f"{len(bad)} of {len(items)} lines {bad[0].state}: {bad[0].error}"
            return
        answers = {}
        bodies = capture_bodies(self.config, self.extractor.strategy, article)
        for item in items:
            answers[body_key(bodies[item.idx])] = json.loads(item.response or "{}")
        transport = ResultTransport(answers)
        llm = LLMClient(
            self.config.model_copy(update={"transport_retries": 0}),
            http_client=httpx2.Client(transport=transport),
        )
        replayer = dataclasses.replace(self.extractor, llm=llm, mode="live")
        replayer.run_id = self.extractor.run_id
        if replayer.cache_key(article) != items[0].cache_key:
            summary.pending[article_id] = "the prompt, schema or model changed since submission"
            return
        outcome = replayer.extract_one(article)
        if transport.missed:
            outcome.error = f"{outcome.error} (the answer needed a re-ask, which a batch cannot make)"
        summary.extracted.append(outcome)


def _note(status: str) -> str | None:
    return None if status == "completed" else f"the batch ended {status}; unfinished articles stay pending"
