"""A FAKE OpenAI Batch API on loopback, for batch-mode tests. No model: answers come from the test.

It serves the files and batches endpoints over real HTTP on 127.0.0.1 and keeps every upload and
batch it was given. A test decides when and how a batch ends (`finish`): which lines answer, in
what order, which fail into the error file, which are missing, and whether the batch expires.
Nothing it says is ever stored as a recording.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import random
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = Callable[[dict[str, Any]], dict[str, Any]]  # request body -> chat completion body


@dataclass
class FakeBatchAPI:
    files: dict[str, bytes] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)  # "METHOD path" of every request
    lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""

    # -- what a test does -----------------------------------------------------------------------
    def input_lines(self, batch_id: str) -> list[dict[str, Any]]:
        data = self.files[self.batches[batch_id]["input_file_id"]]
        return [json.loads(x) for x in data.decode().splitlines() if x.strip()]

    def finish(
        self,
        batch_id: str,
        answer: Answer,
        *,
        status: str = "completed",
        fail: set[str] = frozenset(),  # type: ignore[assignment]
        drop: set[str] = frozenset(),  # type: ignore[assignment]
        shuffle: bool = True,
        garbage: bool = False,
    ) -> None:
        """End a batch: answered lines go to the output file (shuffled), `fail` to the error file."""
        out, err = [], []
        for line in self.input_lines(batch_id):
            cid = line["custom_id"]
            if cid in drop:
                continue
            if cid in fail:
                err.append(
                    {
                        "id": f"r-{cid}",
                        "custom_id": cid,
                        "response": None,
                        "error": {"code": "server_error", "message": "fake line failure"},
                    }
                )
            else:
                out.append(
                    {
                        "id": f"r-{cid}",
                        "custom_id": cid,
                        "error": None,
                        "response": {"status_code": 200, "request_id": "fake", "body": answer(line["body"])},
                    }
                )
        if shuffle:
            random.Random(7).shuffle(out)
        batch = self.batches[batch_id]
        text = "\n".join(json.dumps(x) for x in out) + ("\n{not json\n" if garbage else "\n")
        batch["output_file_id"] = self._add_file(text.encode()) if out else None
        batch["error_file_id"] = (
            self._add_file(("\n".join(json.dumps(x) for x in err) + "\n").encode()) if err else None
        )
        batch["status"] = status
        batch["request_counts"] = {
            "total": len(out) + len(err) + len(drop),
            "completed": len(out),
            "failed": len(err),
        }

    def count(self, what: str) -> int:
        return sum(1 for x in self.log if x == what)

    # -- the HTTP side --------------------------------------------------------------------------
    def _add_file(self, data: bytes) -> str:
        fid = f"file-{len(self.files) + 1}"
        self.files[fid] = data
        return fid

    def handle(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, Any]:
        path = path.split("?")[0].rstrip("/")
        with self.lock:
            self.log.append(f"{method} {path}")
            if method == "POST" and path == "/v1/files":
                msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                    b"Content-Type: " + headers["Content-Type"].encode() + b"\r\n\r\n" + body
                )
                for part in msg.iter_parts():
                    if part.get_param("name", header="content-disposition") == "file":
                        data = part.get_payload(decode=True)
                        fid = self._add_file(data)
                        return 200, {
                            "id": fid,
                            "object": "file",
                            "bytes": len(data),
                            "created_at": 0,
                            "filename": part.get_filename(),
                            "purpose": "batch",
                            "status": "processed",
                        }
                return 400, {"error": {"message": "no file part", "type": "invalid_request_error"}}
            if method == "POST" and path == "/v1/batches":
                req = json.loads(body)
                if req["input_file_id"] not in self.files:
                    return 404, {"error": {"message": "no such file", "type": "invalid_request_error"}}
                bid = f"batch_{len(self.batches) + 1}"
                self.batches[bid] = {
                    "id": bid,
                    "object": "batch",
                    "endpoint": req["endpoint"],
                    "completion_window": req["completion_window"],
                    "created_at": 0,
                    "input_file_id": req["input_file_id"],
                    "status": "validating",
                    "metadata": req.get("metadata"),
                    "output_file_id": None,
                    "error_file_id": None,
                }
                return 200, self.batches[bid]
            if method == "GET" and path == "/v1/batches":
                return 200, {"object": "list", "data": list(self.batches.values()), "has_more": False}
            if method == "GET" and path.startswith("/v1/batches/"):
                bid = path.rsplit("/", 1)[1]
                if bid not in self.batches:
                    return 404, {"error": {"message": "no such batch", "type": "invalid_request_error"}}
                return 200, self.batches[bid]
            if method == "GET" and path.startswith("/v1/files/") and path.endswith("/content"):
                fid = path.split("/")[3]
                if fid not in self.files:
                    return 404, {"error": {"message": "no such file", "type": "invalid_request_error"}}
                return 200, self.files[fid]
            return 404, {"error": {"message": f"fake server has no {method} {path}", "type": "fake"}}


@contextmanager
def serve_fake_batch_api() -> Iterator[FakeBatchAPI]:
    api = FakeBatchAPI()

    class Handler(BaseHTTPRequestHandler):
        def _do(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            code, payload = api.handle(self.command, self.path, self.headers, self.rfile.read(length))
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(code)
            self.send_header(
                "Content-Type",
                "application/octet-stream" if isinstance(payload, bytes) else "application/json",
            )
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _do

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
