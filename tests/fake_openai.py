"""A FAKE OpenAI-compatible server for fault tests: an httpx2 MockTransport, no network, no model.

Its answers are written by the tests to simulate faults. They are never stored as recordings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2

Responder = Callable[[httpx2.Request], httpx2.Response]


def completion(
    arguments: dict[str, Any] | str, *, finish_reason: str = "tool_calls", model: str = "fake-model"
) -> dict[str, Any]:
    """A chat completion whose tool call carries `arguments` (instructor's TOOLS mode)."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_0",
                            "type": "function",
                            "function": {"name": "placeholder", "arguments": args},
                        }
                    ],
                },
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


def ok(arguments: dict[str, Any] | str, **kw: Any) -> Responder:
    return lambda req: httpx2.Response(200, json=_named(completion(arguments, **kw), req))


def _named(body: dict[str, Any], req: httpx2.Request) -> dict[str, Any]:
    # instructor checks the tool name against the one it asked for.
    try:
        name = json.loads(req.content)["tools"][0]["function"]["name"]
        for choice in body.get("choices", []):
            for call in choice["message"].get("tool_calls") or []:
                call["function"]["name"] = name
    except (KeyError, IndexError, ValueError):
        pass
    return body


def status(
    code: int, *, headers: dict[str, str] | None = None, error: dict[str, Any] | None = None
) -> Responder:
    body = {"error": error or {"message": f"fake {code}", "type": "fake", "code": None}}
    return lambda req: httpx2.Response(code, json=body, headers=headers or {})


def raw(code: int, body: dict[str, Any]) -> Responder:
    return lambda req: httpx2.Response(code, json=body)


def raises(exc: type[Exception]) -> Responder:
    def respond(req: httpx2.Request) -> httpx2.Response:
        raise exc("fake transport failure", request=req)  # type: ignore[call-arg]

    return respond


@dataclass
class FakeServer:
    """Plays `script` in order (the last entry repeats) and keeps every request it saw."""

    script: list[Responder]
    requests: list[httpx2.Request] = field(default_factory=list)

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        step = self.script[min(len(self.requests) - 1, len(self.script) - 1)]
        return step(request)

    def client(self) -> httpx2.Client:
        return httpx2.Client(transport=httpx2.MockTransport(self.handle), base_url="http://fake.test/v1")

    @property
    def calls(self) -> int:
        return len(self.requests)
