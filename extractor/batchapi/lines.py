"""Request bodies for the Batch API, captured from the live client, and results served back to it.

Capturing the body the client would send (instead of rebuilding it) keeps the two paths equal by
construction: same model, messages, tools and limits. Collecting serves each stored answer to the
same client as if the server had just sent it, matched on the request body.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

import httpx2

from extractor.errors import ProviderError
from extractor.extract.pipeline import Strategy
from extractor.providers.client import LLMClient
from extractor.providers.config import ProviderConfig
from extractor.records import Article

ENDPOINT: Literal["/v1/chat/completions"] = "/v1/chat/completions"


class _Captured(Exception):
    pass


def body_key(body: bytes | dict[str, Any]) -> str:
    data = json.loads(body) if isinstance(body, bytes) else body
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def capture_bodies(config: ProviderConfig, strategy: Strategy, article: Article) -> list[dict[str, Any]]:
    """The chat-completion bodies a live extraction of `article` would send first, one per request."""
    bodies: list[dict[str, Any]] = []

    def capture(request: httpx2.Request) -> httpx2.Response:
        bodies.append(json.loads(request.content))
        raise _Captured()

    quiet = config.model_copy(
        update={"transport_retries": 0, "base_url": config.base_url or "http://capture"}
    )
    llm = LLMClient(quiet, http_client=httpx2.Client(transport=httpx2.MockTransport(capture)))
    for request in strategy.requests(article):
        before = len(bodies)
        try:
            llm.structured(request.messages, request.response_model or strategy.response_model)
        except ProviderError:
            pass
        if len(bodies) != before + 1:
            raise RuntimeError("capturing a request body sent no request")
    return bodies


class ResultTransport(httpx2.BaseTransport):
    """Answers the client with the batch's stored responses, matched on the exact request body.

    A request that is not in the batch (a re-ask after a validation failure, which a batch cannot
    make) gets HTTP 409, so the article fails for that reason rather than calling anything live.
    """

    def __init__(self, answers: dict[str, dict[str, Any]]) -> None:
        self.answers = answers
        self.missed = 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        answer = self.answers.get(body_key(request.content))
        if answer is None:
            self.missed += 1
            return httpx2.Response(
                409,
                json={"error": {"message": "not in the batch (a re-ask needs a live call)", "type": "batch"}},
            )
        return httpx2.Response(200, json=answer)
