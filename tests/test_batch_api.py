"""Batch mode against the FAKE Batch API on loopback (tests/fake_batch_api.py): no model, no network."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from extractor.batchapi import BatchLimits, BatchRunner
from extractor.entities import default_entities
from extractor.extract.pipeline import Extractor
from extractor.extract.strategies import LabelledSentences
from extractor.providers.client import LLMClient
from extractor.providers.config import ProviderConfig
from extractor.records import Article
from extractor.store import Store
from tests.fake_batch_api import FakeBatchAPI, serve_fake_batch_api
from tests.fake_openai import completion
from tests.test_pipeline import article

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

TEXTS = [
    "Kremlin aide Yuri Ushakov said Putin and Trump spoke for nearly an hour on 3 July 2025.\n\n"
    "The two leaders agreed to talk again in 2025.",
    "Macron and Putin held a phone call on 1 July 2025, the first in nearly three years.\n\n"
    "It lasted two hours, the Elysee said.",
    "Putin and Trump spoke on 12 February 2025 for about 90 minutes.",
]


def label(body: dict[str, Any]) -> dict[str, Any]:
    """The fake model's answer: a phone call when the sentence has a digit; one item per numbered
    sentence when the request numbers them (it answers every number, so nothing is asked again)."""
    sentence = body["messages"][-1]["content"]
    numbered = re.findall(r"^\[(\d+)\] (.*)$", sentence, re.MULTILINE)
    args: dict[str, Any]
    if numbered:
        items = [
            {"n": int(n), "kind": "event" if any(c.isdigit() for c in t) else "none"} for n, t in numbered
        ]
        args = {"items": items}
    else:
        args = {
            "kind": "event" if any(ch.isdigit() for ch in sentence) else "none",
            "speaker": None,
            "participants": [],
            "channel": "phone_call",
            "topics": [],
        }
    answer = completion(args)
    answer["choices"][0]["message"]["tool_calls"][0]["function"]["name"] = body["tools"][0]["function"][
        "name"
    ]
    return answer


def config(base_url: str) -> ProviderConfig:
    return ProviderConfig(
        base_url=base_url, api_key="sk-test-not-real", model="fake-model", transport_retries=1
    )  # type: ignore[arg-type]


def extractor(store: Store, base_url: str, http_client: Any | None = None) -> Extractor:
    llm = LLMClient(config(base_url), http_client=http_client, sleep=lambda s: None)
    return Extractor(
        store=store, llm=llm, mode="live", entities=default_entities(), strategy=LabelledSentences()
    )


@pytest.fixture
def api() -> Iterator[FakeBatchAPI]:
    with serve_fake_batch_api() as fake:
        yield fake


@pytest.fixture
def articles() -> list[Article]:
    return [article(t, name=f"a{i}.txt") for i, t in enumerate(TEXTS)]


def setup(tmp_path: Path, api: FakeBatchAPI, articles: list[Article], **kw: Any) -> tuple[Store, BatchRunner]:
    store = Store(tmp_path / "b.db")
    for a in articles:
        store.add_article(a)
    return store, BatchRunner(extractor(store, api.base_url), sleep=lambda s: None, **kw)


def test_submit_writes_one_line_per_request_and_records_the_batch_id(
    tmp_path: Path, api: FakeBatchAPI, articles: list[Article]
) -> None:
    store, runner = setup(tmp_path, api, articles)
    ids, skipped = runner.submit(articles)
    assert len(ids) == 1 and skipped == {}
    (row,) = store.batches()
    assert row["provider_id"] == "batch_1" and row["status"] == "validating"
    lines = api.input_lines("batch_1")
    assert len({x["custom_id"] for x in lines}) == len(lines) == row["requests"]
    assert {x["url"] for x in lines} == {"/v1/chat/completions"}
    assert all(x["body"]["model"] == "fake-model" and x["body"]["tools"] for x in lines)
    assert api.batches["batch_1"]["metadata"] == {"claimdiff_batch": row["id"]}
    # The same articles again: nothing is submitted twice.
    again, skipped = runner.submit(articles)
    assert again == [] and set(skipped.values()) == {"already in a batch that has not been collected"}
    assert api.count("POST /v1/batches") == 1 and api.count("POST /v1/files") == 1


def test_collect_stores_results_exactly_as_a_live_run_would(
    tmp_path: Path, api: FakeBatchAPI, articles: list[Article]
) -> None:
    store, runner = setup(tmp_path, api, articles)
    runner.submit(articles)
    assert runner.collect() == []  # still validating: nothing to collect
    api.finish("batch_1", label, shuffle=True)  # lines out of order
    (summary,) = runner.collect()
    assert summary.lines_ok == len(api.input_lines("batch_1")) and not summary.pending
    assert sorted(o.status for o in summary.extracted) == ["done"] * 3
    # A live run over the same articles with the same answers, on another database.
    live_store = Store(tmp_path / "live.db")
    for a in articles:
        live_store.add_article(a)

    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json=label(json.loads(request.content)))

    live = extractor(live_store, "http://fake.test/v1", httpx2.Client(transport=httpx2.MockTransport(answer)))
    live.run(articles)

    def claims(s: Store) -> list[tuple[str, str, str]]:
        return sorted((c.id, c.kind.value, c.evidence.quote) for c in s.current_claims())

    assert claims(store) == claims(live_store) and claims(store)
    assert store.calls_count() == live_store.calls_count()
    # A live run afterwards finds every batch-extracted article cached: zero calls.
    counted: list[httpx2.Request] = []

    def count(request: httpx2.Request) -> httpx2.Response:
        counted.append(request)
        return answer(request)

    later = extractor(store, "http://fake.test/v1", httpx2.Client(transport=httpx2.MockTransport(count)))
    assert {o.status for o in later.run(articles)} == {"cached"} and counted == []
    # Collecting again changes nothing.
    assert runner.collect() == [] and store.batches()[0]["status"] == "collected"


def test_failed_and_missing_lines_send_their_articles_back_to_pending(
    tmp_path: Path, api: FakeBatchAPI, articles: list[Article]
) -> None:
    store, runner = setup(tmp_path, api, articles)
    runner.submit(articles)
    items = store.batch_items(store.batches()[0]["id"])
    first_of = {i.article_id: i.custom_id for i in reversed(items)}
    failed, dropped = first_of[articles[0].id], first_of[articles[1].id]
    api.finish("batch_1", label, fail={failed}, drop={dropped}, garbage=True)
    (summary,) = runner.collect()
    assert summary.lines_failed == 1 and summary.lines_missing == 1 and summary.unreadable_lines == 1
    assert set(summary.pending) == {articles[0].id, articles[1].id}
    assert "failed" in summary.pending[articles[0].id] and "missing" in summary.pending[articles[1].id]
    key = runner.extractor.cache_key
    assert [store.extraction_status(a.id, key(a)) for a in articles] == [None, None, "done"]
    # The next submission takes exactly the two unfinished articles.
    ids, skipped = runner.submit(articles)
    assert len(ids) == 1 and skipped == {articles[2].source: "already extracted"}
    assert {x["custom_id"].rsplit("-", 1)[0] for x in api.input_lines("batch_2")} == {
        key(articles[0]),
        key(articles[1]),
    }


def test_an_expired_batch_keeps_what_finished(
    tmp_path: Path, api: FakeBatchAPI, articles: list[Article]
) -> None:
    store, runner = setup(tmp_path, api, articles)
    runner.submit(articles)
    items = store.batch_items(store.batches()[0]["id"])
    late = {i.custom_id for i in items if i.article_id == articles[2].id}
    api.finish("batch_1", label, status="expired", drop=late)
    (summary,) = runner.collect()
    assert summary.status == "expired" and set(summary.pending) == {articles[2].id}
    assert len(summary.extracted) == 2
    assert "ended expired" in (store.batches()[0]["error"] or "")


def test_a_crash_before_the_batch_id_is_stored_is_adopted_not_resubmitted(
    tmp_path: Path, api: FakeBatchAPI, articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, runner = setup(tmp_path, api, articles)
    real_update = store.update_batch

    def die_on_provider_id(batch_id: str, **fields: Any) -> None:
        if "provider_id" in fields:
            raise KeyboardInterrupt("killed right after the API created the batch")
        real_update(batch_id, **fields)

    monkeypatch.setattr(store, "update_batch", die_on_provider_id)
    with pytest.raises(KeyboardInterrupt):
        runner.submit(articles)
    monkeypatch.setattr(store, "update_batch", real_update)
    (row,) = store.batches()
    assert row["status"] == "preparing" and row["provider_id"] is None and row["input_file_id"]
    # Restart: the batch is found by its metadata and adopted; nothing is uploaded or created again.
    restarted = BatchRunner(extractor(store, api.base_url), sleep=lambda s: None)
    ids, skipped = restarted.submit(articles)
    assert ids == [] and len(skipped) == 3
    assert store.batches()[0]["provider_id"] == "batch_1"
    assert api.count("POST /v1/batches") == 1 and api.count("POST /v1/files") == 1


def test_a_crash_after_the_upload_creates_the_batch_from_the_recorded_file(
    tmp_path: Path, api: FakeBatchAPI, articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, runner = setup(tmp_path, api, articles)

    def die(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt("killed after the upload")

    monkeypatch.setattr(runner, "_create", die)
    with pytest.raises(KeyboardInterrupt):
        runner.submit(articles)
    restarted = BatchRunner(extractor(store, api.base_url), sleep=lambda s: None)
    restarted.refresh()
    (row,) = store.batches()
    assert row["provider_id"] == "batch_1" and api.count("POST /v1/files") == 1
    api.finish("batch_1", label)
    (summary,) = restarted.collect()
    assert len(summary.extracted) == 3


def test_batches_are_split_within_the_limits_and_never_split_an_article(
    tmp_path: Path, api: FakeBatchAPI, articles: list[Article]
) -> None:
    store, runner = setup(tmp_path, api, articles, limits=BatchLimits(max_requests=3))
    per_article = {a.id: len(list(runner.extractor.strategy.requests(a))) for a in articles}
    assert max(per_article.values()) <= 3 < sum(per_article.values())
    ids, skipped = runner.submit(articles)
    assert len(ids) >= 2 and not skipped
    for row in store.batches():
        items = store.batch_items(row["id"])
        assert len(items) <= 3
        for article_id in {i.article_id for i in items}:
            assert sum(i.article_id == article_id for i in items) == per_article[article_id]
    too_small = BatchRunner(extractor(store, api.base_url), limits=BatchLimits(max_bytes=100))
    fresh = article("Putin and Macron spoke on 2 March 2025.", name="new.txt")
    store.add_article(fresh)
    assert too_small.submit([fresh])[1] == {
        "new.txt": "too large for one batch (requests or bytes); extract it live"
    }


def test_an_answer_that_needs_a_reask_fails_the_article_without_a_live_call(
    tmp_path: Path, api: FakeBatchAPI, articles: list[Article]
) -> None:
    store, runner = setup(tmp_path, api, articles[2:])
    runner.submit(articles[2:])

    def invalid(body: dict[str, Any]) -> dict[str, Any]:
        answer = label(body)
        answer["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"] = '{"kind": "rumour"}'
        return answer

    api.finish("batch_1", invalid)
    (summary,) = runner.collect()
    (outcome,) = summary.extracted
    assert outcome.status == "failed" and "re-ask" in (outcome.error or "")
    assert store.extraction_status(articles[2].id, runner.extractor.cache_key(articles[2])) == "failed"
    raw = store.db.execute("SELECT raw FROM calls WHERE raw IS NOT NULL").fetchall()
    assert raw and "rumour" in raw[0][0]  # the answer is kept before parsing


def test_batch_commands_submit_follow_and_collect(
    tmp_path: Path, api: FakeBatchAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from extractor.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_BASE_URL", api.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-real")
    monkeypatch.setenv("CLAIMDIFF_MODEL", "fake-model")
    for i, text in enumerate(TEXTS):
        (tmp_path / f"a{i}.txt").write_text(text)
    runner = CliRunner()
    submitted = runner.invoke(cli, ["extract", "--batch", "a0.txt", "a1.txt", "a2.txt", "--db", "b.db"])
    assert submitted.exit_code == 0, submitted.output
    assert "1 batch(es) submitted" in submitted.output and "batch_1" in submitted.output
    status = runner.invoke(cli, ["batch", "status", "--db", "b.db", "--format", "json"])
    assert [r["status"] for r in json.loads(status.output)] == ["validating"]
    api.finish("batch_1", label)
    collected = runner.invoke(cli, ["batch", "collect", "--db", "b.db"])
    assert collected.exit_code == 0, collected.output
    assert collected.output.count("done") == 3
    claims = json.loads(runner.invoke(cli, ["claims", "--db", "b.db", "--format", "json"]).output)
    assert {c["article_id"] for c in claims} == {article(t).id for t in TEXTS}
    offline = runner.invoke(cli, ["batch", "status", "--db", "b.db", "--offline", "--format", "json"])
    assert [r["status"] for r in json.loads(offline.output)] == ["collected"]
