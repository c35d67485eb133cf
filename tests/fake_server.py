"""A FAKE OpenAI-compatible HTTP server on loopback, for tests that run claimdiff in a subprocess.

It is not a model and not a recording: it answers every chat completion with a label computed by
the test (instructor's tools mode, the tool named as the request asks), after a small latency, and
keeps every request it saw. Its answers are never written to fixtures/; tests that use it run
`claimdiff extract` (live mode) against `FakeOpenAIServer.base_url`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAKE_KEY = "sk-fake-loopback-not-a-real-key"
FAKE_MODEL = "fake-model"
_FENCE = re.compile(r"^(<<<ARTICLE-[0-9A-F]+>>>)$", re.MULTILINE)

# A label for one sentence (None: the default label), or a full reply (status, headers, body).
Reply = tuple[int, dict[str, str], dict[str, Any]]
Labeller = Callable[[str], dict[str, Any] | Reply]


def default_label(sentence: str) -> dict[str, Any]:
    return {
        "kind": "event",
        "speaker": None,
        "participants": ["Vladimir Putin", "Donald Trump"],
        "channel": "phone_call",
        "topics": [],
    }


def sentence_of(body: dict[str, Any]) -> str:
    """The text between the two fences of the last user message (what claimdiff asked about)."""
    user = body["messages"][-1]["content"]
    fences = _FENCE.findall(user)
    if len(fences) >= 2:
        fence = fences[-1]
        return user.split(fence)[1].strip("\n")
    return user


_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)


def batch_answer(labeller: Labeller, numbered: list[tuple[str, str]]) -> dict[str, Any] | Reply:
    """A numbered request (strategy batches) answered item by item with the one-sentence labeller;
    a full reply (an error) for any sentence is the reply to the whole request."""
    items = []
    for n, text in numbered:
        label = labeller(text)
        if isinstance(label, tuple):
            return label
        items.append({"n": int(n), **label})
    return {"items": items}


def completion(label: dict[str, Any], tool_name: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": FAKE_MODEL,
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_0",
                            "type": "function",
                            "function": {"name": tool_name, "arguments": json.dumps(label)},
                        }
                    ],
                },
            }
        ],
        "usage": {"prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60},
    }


@dataclass
class Seen:
    path: str
    sentence: str
    authorization: str | None


@dataclass
class FakeOpenAIServer:
    """FAKE chat completions on 127.0.0.1: `labeller` decides each answer, `latency` delays it."""

    labeller: Labeller = default_label
    latency: float = 0.0
    requests: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet: tests read their own output
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                sentence = sentence_of(body) if "messages" in body else ""
                numbered = _NUMBERED.findall(sentence)
                # a numbered request (strategy batches) is seen as its first sentence, in the article's words
                seen = numbered[0][1] if numbered else sentence
                with fake._lock:
                    fake.requests.append(Seen(self.path, seen, self.headers.get("authorization")))
                if fake.latency:
                    time.sleep(fake.latency)
                answer = batch_answer(fake.labeller, numbered) if numbered else fake.labeller(sentence)
                if isinstance(answer, tuple):
                    status, headers, payload = answer
                else:
                    tool = (body.get("tools") or [{}])[0].get("function", {}).get("name", "SentenceLabel")
                    status, headers, payload = 200, {}, completion(answer, tool)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client was killed mid-call: that is what crash tests do

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a killed client's reset connection is expected here

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def calls(self) -> int:
        with self._lock:
            return len(self.requests)

    def sentences(self) -> list[str]:
        with self._lock:
            return [r.sentence for r in self.requests]

    @contextmanager
    def running(self) -> Iterator[FakeOpenAIServer]:
        self._thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()


def env_for(server: FakeOpenAIServer, home: str, **extra: str) -> dict[str, str]:
    """A subprocess environment that points claimdiff at the FAKE server and nowhere else."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMDIFF_"))}
    env.update(
        {
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": FAKE_KEY,
            "CLAIMDIFF_MODEL": FAKE_MODEL,
            "HOME": home,
            "NO_COLOR": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


CLAIMDIFF = ("-c", "from extractor.cli import main; main()")
