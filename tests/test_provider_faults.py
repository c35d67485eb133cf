"""Fault handling of the provider layer, against the FAKE server in tests/fake_openai.py."""

from __future__ import annotations

import httpx2
import pytest
from pydantic import BaseModel, field_validator

from extractor.errors import (
    AuthError,
    ContextLengthError,
    EmptyAnswerError,
    ModelOutputError,
    QuotaError,
    RefusalError,
    TransportError,
    TruncatedOutputError,
)
from extractor.providers.client import LLMClient
from extractor.providers.config import ProviderConfig
from tests.fake_openai import FakeServer, ok, raises, raw, status

MESSAGES = [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]
GOOD = {"claims": ["a call took place"]}


class Answer(BaseModel):
    claims: list[str]

    @field_validator("claims")
    @classmethod
    def not_empty(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("at least one claim")
        return v


def client_for(server: FakeServer, waits: list[float], retries: int = 2) -> LLMClient:
    config = ProviderConfig(
        base_url="http://fake.test/v1",
        api_key="sk-test-not-real",
        model="fake-model",  # type: ignore[arg-type]
        transport_retries=retries,
        reasks=2,
    )
    return LLMClient(config, http_client=server.client(), sleep=waits.append)


def test_retry_after_is_obeyed_then_one_answer() -> None:
    server = FakeServer([status(429, headers={"retry-after": "7"}), ok(GOOD)])
    waits: list[float] = []
    out = client_for(server, waits).structured(MESSAGES, Answer)
    assert out.parsed.claims == ["a call took place"]
    assert waits == [7.0]
    assert server.calls == 2


def test_persistent_429_makes_one_plus_retry_limit_calls() -> None:
    server = FakeServer(
        [status(429, error={"message": "slow down", "type": "rate_limit", "code": "rate_limit"})]
    )
    waits: list[float] = []
    with pytest.raises(TransportError):
        client_for(server, waits, retries=3).structured(MESSAGES, Answer)
    assert server.calls == 4  # 1 + the single retry layer's 3, never multiplied by the SDK's
    assert len(waits) == 3


def test_insufficient_quota_stops_at_once() -> None:
    server = FakeServer(
        [
            status(
                429, error={"message": "no quota", "type": "insufficient_quota", "code": "insufficient_quota"}
            )
        ]
    )
    with pytest.raises(QuotaError):
        client_for(server, []).structured(MESSAGES, Answer)
    assert server.calls == 1


@pytest.mark.parametrize("code", [401, 403])
def test_auth_errors_are_not_retried(code: int) -> None:
    server = FakeServer([status(code)])
    with pytest.raises(AuthError) as info:
        client_for(server, []).structured(MESSAGES, Answer)
    assert server.calls == 1
    assert "sk-test-not-real" not in str(info.value)


@pytest.mark.parametrize(
    "first",
    [status(503), raises(httpx2.ReadTimeout), raises(httpx2.RemoteProtocolError)],
    ids=["503", "read-timeout", "connection-reset"],
)
def test_transient_failure_then_success(first: object) -> None:
    server = FakeServer([first, ok(GOOD)])  # type: ignore[list-item]
    waits: list[float] = []
    out = client_for(server, waits).structured(MESSAGES, Answer)
    assert out.parsed.claims == ["a call took place"]
    assert server.calls == 2
    assert waits == [1.0]


def test_context_length_is_not_retried() -> None:
    server = FakeServer(
        [
            status(
                400,
                error={
                    "message": "This model's maximum context length is 8192 tokens",
                    "type": "invalid_request_error",
                    "code": "context_length_exceeded",
                },
            )
        ]
    )
    with pytest.raises(ContextLengthError):
        client_for(server, []).structured(MESSAGES, Answer)
    assert server.calls == 1


def test_invalid_answer_is_reasked_twice_then_fails_with_raw_kept() -> None:
    server = FakeServer([ok({"claims": []})])
    with pytest.raises(ModelOutputError) as info:
        client_for(server, []).structured(MESSAGES, Answer)
    assert server.calls == 3  # the first ask and two re-asks
    # the re-ask feeds the validation error back to the model
    assert b"at least one claim" in server.requests[1].content
    assert info.value.raw and '"claims": []' in info.value.raw.replace('\\"', '"').replace("\\\\", "\\")
    assert len(info.value.calls) == 3  # type: ignore[attr-defined]


def test_truncated_json_is_reasked_and_kept() -> None:
    server = FakeServer([ok('{"claims": ["a call'), ok(GOOD)])
    out = client_for(server, []).structured(MESSAGES, Answer)
    assert out.parsed.claims == ["a call took place"]
    assert server.calls == 2
    assert out.calls[0].raw and "a call" in out.calls[0].raw


def test_finish_reason_length_is_truncated_not_reasked() -> None:
    server = FakeServer([ok('{"claims": ["a', finish_reason="length")])
    with pytest.raises(TruncatedOutputError):
        client_for(server, []).structured(MESSAGES, Answer)
    assert server.calls == 1


def test_content_filter_is_a_refusal() -> None:
    body = {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "finish_reason": "content_filter",
                "message": {"role": "assistant", "content": None, "refusal": "I can't help with that."},
            }
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
    }
    server = FakeServer([raw(200, body)])
    with pytest.raises(RefusalError):
        client_for(server, []).structured(MESSAGES, Answer)


def test_no_choices_is_an_empty_answer() -> None:
    body = {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "fake-model",
        "choices": [],
        "usage": {"prompt_tokens": 5, "completion_tokens": 0, "total_tokens": 5},
    }
    server = FakeServer([raw(200, body)])
    with pytest.raises(EmptyAnswerError):
        client_for(server, []).structured(MESSAGES, Answer)


def test_usage_and_time_recorded_per_call() -> None:
    server = FakeServer([ok({"claims": []}), ok(GOOD)])
    out = client_for(server, []).structured(MESSAGES, Answer)
    assert [c.prompt_tokens for c in out.calls] == [100, 100]
    assert out.prompt_tokens == 200 and out.completion_tokens == 40
    assert all(c.seconds >= 0 for c in out.calls)
