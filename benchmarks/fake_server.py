"""A FAKE OpenAI-compatible chat server on loopback for benchmarks: no model, a fixed latency per request.

    python benchmarks/fake_server.py --port 0 --latency 0.3     # prints "FAKE listening on 127.0.0.1:PORT"

It answers every POST .../chat/completions, after sleeping `latency` seconds, with a tool call
carrying a valid `SentenceLabel` for claimdiff's default (`sentences`) strategy, or an
`ExtractionResponse` with one claim quoting the request's sentence for `--strategy single`.
GET /stats returns {"requests": N}. Its answers are made up: it is never recorded, and nothing
here is ever written to fixtures/cassettes. It serves 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

NAME = "FAKE OpenAI-compatible server (benchmarks/fake_server.py)"
_FENCED = re.compile(r"(<<<ARTICLE-[0-9A-F]+>>>)\n(.*?)\n\1", re.DOTALL)


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    args: dict[str, Any]
    tool = request.get("tools", [{}])[0].get("function", {})
    props = tool.get("parameters", {}).get("properties", {})
    if "items" in props:
        prompt = str(request["messages"][-1]["content"])
        numbers = re.findall(r"^\[(\d+)\] ", prompt, re.MULTILINE)
        args = {"items": [{"n": int(n), "kind": "event", "topics": ["trade"]} for n in numbers]}
    elif "claims" in props:
        prompt = str(request["messages"][-1]["content"])
        fenced = _FENCED.search(prompt)
        quote = fenced.group(2).split(". ")[0] if fenced else prompt[:80]
        args = {"claims": [{"kind": "statement", "quote": quote}]}
    else:
        args = {
            "kind": "event",
            "speaker": None,
            "participants": ["Donald Trump", "Vladimir Putin"],
            "channel": "phone_call",
            "topics": ["trade"],
        }
    prompt_chars = sum(len(str(m.get("content", ""))) for m in request.get("messages", []))
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "FAKE",
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_fake",
                            "type": "function",
                            "function": {"name": tool.get("name", "fake"), "arguments": json.dumps(args)},
                        }
                    ],
                },
            }
        ],
        # FAKE usage: a character estimate, not a tokenizer's count.
        "usage": {"prompt_tokens": prompt_chars // 4, "completion_tokens": 30, "total_tokens": 0},
    }


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default backlog of 5 would drop a burst of 32 connections

    def __init__(self, port: int, latency: float) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.latency = latency
        self.requests = 0
        self.lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real server
    # Headers and body go out in two writes; with Nagle's algorithm on, the body would wait for the
    # client's delayed ACK (~40 ms a request on Linux), latency a real server does not add.
    disable_nagle_algorithm = True
    server: FakeServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, code: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Server", "FAKE")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/stats"):
            with self.server.lock:
                n = self.server.requests
            self._send(200, {"requests": n, "server": NAME})
        else:
            self._send(404, {"error": {"message": "FAKE: not found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if not self.path.endswith("/chat/completions"):
            self._send(404, {"error": {"message": "FAKE: not found"}})
            return
        with self.server.lock:
            self.server.requests += 1
        time.sleep(self.server.latency)
        self._send(200, _answer(body))


def main() -> None:
    parser = argparse.ArgumentParser(description=NAME)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.3)
    args = parser.parse_args()
    server = FakeServer(args.port, args.latency)
    print(f"FAKE listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()
