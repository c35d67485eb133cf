"""Every fault of the issue at the batch level: what the store holds for each article afterwards.

The model's server is the FAKE httpx2 MockTransport of tests/fake_openai.py (no network, no model,
never a recording); waiting goes to a fake clock (`sleep=waits.append`), so nothing here sleeps.
tests/test_provider_faults.py checks the client alone; these check the batch: which articles end
done, failed (with which class, with the raw answers kept) or still pending, and that a fault never
leaves partial or duplicate rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import httpx2
import pytest

from extractor.entities import default_entities
from extractor.errors import AuthError, QuotaError
from extractor.extract.pipeline import ArticleOutcome, Extractor
from extractor.extract.strategies import LabelledSentences
from extractor.providers.client import LLMClient
from extractor.providers.config import ProviderConfig
from extractor.records import Article
from extractor.store import Store
from tests.fake_openai import FakeServer, Responder, ok, raises, raw, status

LABEL = {
    "kind": "event",
    "speaker": "Ushakov",
    "participants": ["Putin", "Trump"],
    "channel": "phone_call",
    "topics": ["Iran"],
}
CALLS_PER_ARTICLE = 2  # two sentences with a checkable signal each


def articles(n: int = 3) -> list[Article]:
    return [
        Article.from_text(
            f"Kremlin aide Yuri Ushakov said Putin and Trump spoke for nearly an hour on Thursday, "
            f"in call number {i + 1}.\n\nThe weather was fine.\n\nThe two leaders agreed to keep talking.",
            source=f"{i}.txt",
            published=dt.date(2025, 7, 3),
        )
        for i in range(n)
    ]


def extractor_for(server: FakeServer, store: Store, waits: list[float], retries: int = 2) -> Extractor:
    config = ProviderConfig(
        base_url="http://fake.test/v1",
        api_key="sk-test-not-real",
        model="fake-model",  # type: ignore[arg-type]
        transport_retries=retries,
        reasks=2,
    )
    llm = LLMClient(config, http_client=server.client(), sleep=waits.append)
    return Extractor(
        store=store, llm=llm, mode="live", entities=default_entities(), strategy=LabelledSentences()
    )


def batch(tmp_path: Path, script: list[Responder], n: int = 3, **kw: Any) -> tuple[Store, FakeServer, list]:  # type: ignore[type-arg]
    store = Store(tmp_path / "t.db")
    arts = articles(n)
    for a in arts:
        store.add_article(a)
    server = FakeServer(script)
    waits: list[float] = []
    outcomes = extractor_for(server, store, waits, **kw).run(arts)
    return store, server, [arts, outcomes, waits]


def clean_claims(tmp_path: Path) -> dict[str, int]:
    """Claims per article of a fault-free run: what a run that recovered must store, no more."""
    store = Store(tmp_path / "clean.db")
    arts = articles()
    for a in arts:
        store.add_article(a)
    extractor_for(FakeServer([ok(LABEL)]), store, []).run(arts)
    return claims_by_article(store)


def claims_by_article(store: Store) -> dict[str, int]:
    return dict(store.db.execute("SELECT article_id, COUNT(*) FROM claims GROUP BY article_id").fetchall())


def state(store: Store, article: Article) -> tuple[str | None, str | None]:
    row = store.db.execute(
        "SELECT status, failure_class FROM extractions WHERE article_id=?", (article.id,)
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def raws(store: Store, article: Article) -> list[str | None]:
    return [
        r[0] for r in store.db.execute("SELECT raw FROM calls WHERE article_id=? ORDER BY id", (article.id,))
    ]


def then_good(*first: Responder) -> list[Responder]:
    return [*first, ok(LABEL)]


def body(finish_reason: str, message: dict[str, Any] | None = None, choices: bool = True) -> dict[str, Any]:
    return {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "fake-model",
        "choices": (
            [{"index": 0, "finish_reason": finish_reason, "message": message or {"role": "assistant"}}]
            if choices
            else []
        ),
        "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
    }


# --- the model answered, but not usably ----------------------------------------------------------


def test_truncated_json_is_reasked_and_the_article_completes_once(tmp_path: Path) -> None:
    store, server, (arts, outcomes, _) = batch(tmp_path, then_good(ok('{"kind": "event", "speak')))
    assert [o.status for o in outcomes] == ["done"] * 3
    assert server.calls == 3 * CALLS_PER_ARTICLE + 1
    assert '\\"speak' in (raws(store, arts[0])[0] or "")  # the broken answer is kept
    assert claims_by_article(store) == clean_claims(tmp_path)


def test_invalid_answer_fails_after_two_reasks_with_raw_answers_kept(tmp_path: Path) -> None:
    bad = ok({"kind": "not-a-kind"})
    store, server, (arts, outcomes, _) = batch(tmp_path, then_good(bad, bad, bad))
    assert [o.status for o in outcomes] == ["failed", "done", "done"]
    assert state(store, arts[0]) == ("failed", "parse_error")
    assert server.calls == 3 + 2 * CALLS_PER_ARTICLE
    assert [("not-a-kind" in (r or "")) for r in raws(store, arts[0])] == [True] * 3
    assert arts[0].id not in claims_by_article(store)


def test_finish_reason_length_is_truncated_not_reasked_and_stores_no_partial_claims(tmp_path: Path) -> None:
    # The article's first sentence is labelled; its second answer is cut off at the token limit.
    store, server, (arts, outcomes, _) = batch(
        tmp_path, [ok(LABEL), ok('{"kind": "ev', finish_reason="length"), ok(LABEL)]
    )
    assert state(store, arts[0]) == ("failed", "truncated")
    assert server.calls == 2 + 2 * CALLS_PER_ARTICLE  # the cut-off request was not asked again
    assert arts[0].id not in claims_by_article(store)  # the first sentence's claims are not kept alone
    assert "the output token limit" in (outcomes[0].error or "")


@pytest.mark.parametrize(
    ("answer", "failure_class"),
    [
        (
            raw(200, body("content_filter", {"role": "assistant", "content": None, "refusal": "I can't."})),
            "refusal",
        ),
        (raw(200, body("stop", choices=False)), "empty_answer"),
    ],
    ids=["refusal-or-content-filter", "http-200-no-choices"],
)
def test_refusal_and_empty_answer_fail_the_article_and_the_batch_goes_on(
    tmp_path: Path, answer: Responder, failure_class: str
) -> None:
    store, _, (arts, outcomes, _) = batch(tmp_path, then_good(answer))
    assert state(store, arts[0]) == ("failed", failure_class)
    assert [o.status for o in outcomes[1:]] == ["done", "done"]
    assert arts[0].id not in claims_by_article(store)
    assert raws(store, arts[0]) and raws(store, arts[0])[0]  # the answer, such as it was, is kept


# --- transport -----------------------------------------------------------------------------------------


def test_429_with_retry_after_waits_as_told_then_stores_one_set_of_claims(tmp_path: Path) -> None:
    store, _server, (_, outcomes, waits) = batch(
        tmp_path, then_good(status(429, headers={"retry-after": "7"}))
    )
    assert waits == [7.0]
    assert [o.status for o in outcomes] == ["done"] * 3
    assert claims_by_article(store) == clean_claims(tmp_path)
    assert store.db.execute("SELECT COUNT(*) FROM extractions").fetchone()[0] == 3


def test_persistent_429_costs_one_plus_the_retry_limit_and_the_article_stays_resumable(
    tmp_path: Path,
) -> None:
    busy = status(429, error={"message": "slow down", "type": "rate_limit", "code": "rate_limit"})
    store, server, (arts, outcomes, waits) = batch(tmp_path, then_good(busy, busy, busy, busy), retries=3)
    assert state(store, arts[0]) == ("failed", "transport")
    assert server.calls == 4 + 2 * CALLS_PER_ARTICLE  # 1 + 3 retries for the first, never multiplied
    assert len(waits) == 3
    assert [o.status for o in outcomes[1:]] == ["done", "done"]
    # Resumable: the next run extracts the failed article, and only it.
    again = FakeServer([ok(LABEL)])
    second = extractor_for(again, store, []).run(arts)
    assert [o.status for o in second] == ["done", "cached", "cached"]
    assert again.calls == CALLS_PER_ARTICLE
    assert claims_by_article(store) == clean_claims(tmp_path)


@pytest.mark.parametrize(
    "first",
    [status(503), raises(httpx2.ReadTimeout), raises(httpx2.RemoteProtocolError)],
    ids=["503", "read-timeout", "connection-reset"],
)
def test_transient_failure_then_success_writes_no_duplicate_rows(tmp_path: Path, first: Responder) -> None:
    store, server, (_, outcomes, waits) = batch(tmp_path, then_good(first))
    assert [o.status for o in outcomes] == ["done"] * 3
    assert waits == [1.0] and server.calls == 3 * CALLS_PER_ARTICLE + 1
    assert claims_by_article(store) == clean_claims(tmp_path)
    keys = store.db.execute("SELECT COUNT(*), COUNT(DISTINCT cache_key || id) FROM claims").fetchone()
    assert keys[0] == keys[1]
    assert store.db.execute("SELECT COUNT(*) FROM extractions WHERE status='done'").fetchone()[0] == 3


def test_context_length_is_not_retried_and_fails_as_bad_input_with_a_reason(tmp_path: Path) -> None:
    too_long = status(
        400,
        error={
            "message": "This model's maximum context length is 8192 tokens",
            "type": "invalid_request_error",
            "code": "context_length_exceeded",
        },
    )
    store, server, (arts, _outcomes, _) = batch(tmp_path, then_good(too_long))
    assert state(store, arts[0]) == ("failed", "bad_input")
    assert server.calls == 1 + 2 * CALLS_PER_ARTICLE
    error = store.db.execute("SELECT error FROM extractions WHERE article_id=?", (arts[0].id,)).fetchone()[0]
    assert "context window" in error and "--strategy sentences" in error


# --- stop the batch ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "kind", "failure_class"),
    [
        (
            status(
                429, error={"message": "quota", "type": "insufficient_quota", "code": "insufficient_quota"}
            ),
            QuotaError,
            "quota",
        ),
        (status(401), AuthError, "auth"),
        (status(403), AuthError, "auth"),
    ],
    ids=["insufficient-quota", "401", "403"],
)
@pytest.mark.parametrize("concurrency", [1, 3])
def test_quota_and_auth_stop_the_batch_and_untouched_articles_stay_pending(
    tmp_path: Path, answer: Responder, kind: type[Exception], failure_class: str, concurrency: int
) -> None:
    store = Store(tmp_path / "t.db")
    arts = articles(8)
    for a in arts:
        store.add_article(a)
    server = FakeServer([answer])
    with pytest.raises(kind):
        extractor_for(server, store, []).run(arts, concurrency=concurrency)
    states = [state(store, a) for a in arts]
    failed = [s for s in states if s[0] is not None]
    # Each article in flight when the error came failed with its class; the rest were not touched.
    assert failed and all(s == ("failed", failure_class) for s in failed)
    assert len(failed) == server.calls <= concurrency
    assert states.count((None, None)) >= len(arts) - concurrency
    assert store.db.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 0


def test_skipped_articles_are_reported_as_not_attempted(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    arts = articles(6)
    for a in arts:
        store.add_article(a)
    seen: list[ArticleOutcome] = []
    with pytest.raises(AuthError):
        extractor_for(FakeServer([status(401)]), store, []).run(arts, concurrency=2, on_done=seen.append)
    assert all(o.status in ("failed", "skipped") for o in seen)
    assert all("not attempted" in (o.error or "") for o in seen if o.status == "skipped")
