"""Recorded model responses (vcrpy cassettes): recorded once from a real server, replayed offline.

A cassette holds every HTTP exchange one article's extraction made with one prompt. Requests are
matched on method, path and JSON body, so a changed prompt or schema can never replay a stale
answer. Only an allowlist of headers is kept, request and response alike: credentials, cookies,
organisation and project ids never reach a file. Bodies are stored as JSON, readable in a diff.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import vcr
from vcr.errors import CannotOverwriteExistingCassetteException

from extractor.errors import NoRecordingError, StaleRecordingError

RERECORD_HINT = (
    "re-record with: OPENAI_BASE_URL=... OPENAI_API_KEY=... claimdiff record seeds/ "
    "(see README, 'Recordings')"
)
KEEP_REQUEST_HEADERS = {"content-type", "accept"}
KEEP_RESPONSE_HEADERS = {"content-type", "server", "openai-version", "openai-processing-ms"}
SUFFIX = ".json"


def default_recordings_dir() -> Path:
    env = os.environ.get("CLAIMDIFF_RECORDINGS")
    if env:
        return Path(env)
    here = Path("fixtures/cassettes")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[2] / "fixtures" / "cassettes"


def _body_to_store(body: Any) -> dict[str, Any]:
    if body is None:
        return {"string": ""}
    text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
    try:
        return {"json": json.loads(text)}
    except ValueError:
        return {"string": text}


def _body_from_store(stored: Any) -> str:
    if isinstance(stored, dict) and "json" in stored:
        return json.dumps(stored["json"], ensure_ascii=False)
    if isinstance(stored, dict):
        return str(stored.get("string", ""))
    return "" if stored is None else str(stored)


class ReadableJSONSerializer:
    """vcrpy serializer: JSON bodies as JSON objects, not escaped strings."""

    @staticmethod
    def serialize(data: dict[str, Any]) -> str:
        out = {"version": data["version"], "metadata": data.get("metadata", {}), "interactions": []}
        for item in data["interactions"]:
            req = dict(item["request"])
            req["body"] = _body_to_store(req.get("body"))
            resp = dict(item["response"])
            resp["body"] = _body_to_store((resp.get("body") or {}).get("string"))
            out["interactions"].append({"request": req, "response": resp})
        return json.dumps(out, indent=1, ensure_ascii=False, sort_keys=False) + "\n"

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        data = json.loads(text)
        for item in data["interactions"]:
            item["request"]["body"] = _body_from_store(item["request"].get("body"))
            body = _body_from_store(item["response"].get("body"))
            item["response"]["body"] = {"string": body}
            # The stored body is re-encoded, so its length is recomputed rather than trusted.
            headers = item["response"].setdefault("headers", {})
            for name in [h for h in headers if h.lower() == "content-length"]:
                del headers[name]
            headers["content-length"] = [str(len(body.encode("utf-8")))]
        if not data.get("metadata"):
            data.pop("metadata", None)
        return data


def _json_body_matcher(r1: Any, r2: Any) -> None:
    def parsed(r: Any) -> Any:
        body = r.body.decode("utf-8") if isinstance(r.body, bytes) else (r.body or "")
        try:
            return json.loads(body)
        except ValueError:
            return body

    if parsed(r1) != parsed(r2):
        raise AssertionError("JSON bodies differ")


def scrub_request(request: Any) -> Any:
    for name in list(request.headers):
        if name.lower() not in KEEP_REQUEST_HEADERS:
            del request.headers[name]
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    encoding = "".join(v for k, vs in headers.items() if k.lower() == "content-encoding" for v in vs)
    body = response.get("body", {}).get("string")
    if "gzip" in encoding and isinstance(body, bytes):
        response["body"]["string"] = gzip.decompress(body)
    response["headers"] = {k: v for k, v in headers.items() if k.lower() in KEEP_RESPONSE_HEADERS}
    return response


def make_vcr(record_mode: str = "none") -> vcr.VCR:
    v = vcr.VCR(
        record_mode=record_mode,
        match_on=["method", "path", "json_body"],
        before_record_request=scrub_request,
        before_record_response=scrub_response,
        decode_compressed_response=True,
        serializer="claimdiff-json",
    )
    v.register_serializer("claimdiff-json", ReadableJSONSerializer)
    v.register_matcher("json_body", _json_body_matcher)
    return v


def cassette_path(root: Path, prompt_name: str, article_id: str) -> Path:
    return root / prompt_name / f"{article_id}{SUFFIX}"


def read_metadata(path: Path) -> dict[str, Any]:
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return {}
    return meta.get("recorded_with", {}) if isinstance(meta, dict) else {}


@contextmanager
def replaying(path: Path, *, prompt_key: str, schema_hash: str, label: str) -> Iterator[Any]:
    """Replay one article's recording; every recorded exchange must be used, in order, once."""
    if not path.is_file():
        raise NoRecordingError(
            f"{label}: no recording at {path} and no endpoint configured. Set OPENAI_BASE_URL and "
            "OPENAI_API_KEY (or --base-url) to call a model live, or record one: claimdiff record PATH"
        )
    meta = read_metadata(path)
    if meta.get("prompt") != prompt_key or meta.get("schema") != schema_hash:
        raise StaleRecordingError(
            f"{label}: the recording at {path} was made for prompt {meta.get('prompt')} / schema "
            f"{meta.get('schema')}, but the code now sends {prompt_key} / {schema_hash}; {RERECORD_HINT}"
        )
    with make_vcr("none").use_cassette(str(path)) as cassette:
        try:
            yield cassette
        except CannotOverwriteExistingCassetteException as e:
            raise StaleRecordingError(
                f"{label}: a request is not in the recording {path}; {RERECORD_HINT}"
            ) from e
        unplayed = len(cassette.responses) - cassette.play_count
        if unplayed:
            # Fewer requests than recorded means the code asks differently now: the recording is stale.
            raise StaleRecordingError(
                f"{label}: {unplayed} recorded exchange(s) in {path} were never played; {RERECORD_HINT}"
            )


@contextmanager
def recording(path: Path, *, prompt_key: str, schema_hash: str, endpoint: str) -> Iterator[Any]:
    """Record one article's exchanges afresh from a real server, with who answered in the metadata."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    started = dt.datetime.now(dt.UTC)
    try:
        with make_vcr("all").use_cassette(str(path)) as cassette:
            yield cassette
            _stamp(cassette, prompt_key, schema_hash, endpoint, started)
    except BaseException:
        # A half-recorded article is no recording: leave nothing that could be mistaken for one.
        path.unlink(missing_ok=True)
        raise


def session(
    mode: str, path: Path, *, prompt_key: str, schema_hash: str, label: str, endpoint: str
) -> AbstractContextManager[Any]:
    """What a call runs inside: the recording replayed ('replay'), recorded afresh ('record'), or
    nothing when a live server answers ('live')."""
    if mode == "replay":
        return replaying(path, prompt_key=prompt_key, schema_hash=schema_hash, label=label)
    if mode == "record":
        return recording(path, prompt_key=prompt_key, schema_hash=schema_hash, endpoint=endpoint)
    return nullcontext()


def _stamp(cassette: Any, prompt_key: str, schema_hash: str, endpoint: str, started: dt.datetime) -> None:
    models = sorted({_response_model(r) for r in cassette.responses} - {""})
    servers = sorted(
        {
            v
            for r in cassette.responses
            for k, vs in r.get("headers", {}).items()
            if k.lower() == "server"
            for v in vs
        }
    )
    cassette.get_metadata(
        "recorded_with",
        {
            "model": ", ".join(models),
            "server": ", ".join(servers) or "unknown",
            "endpoint": endpoint,
            "prompt": prompt_key,
            "schema": schema_hash,
            "recorded_at": started.isoformat(timespec="seconds"),
            "seconds": round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1),
            "interactions": len(cassette.responses),
        },
    )


def _response_model(response: dict[str, Any]) -> str:
    body = response.get("body", {}).get("string")
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
        return str(json.loads(text).get("model", ""))
    except (ValueError, AttributeError):
        return ""


def recorded_with(root: Path, prompt_name: str) -> dict[str, Any]:
    """Who answered the recordings for one prompt (model, server); empty when there are none."""
    for path in sorted((root / prompt_name).glob(f"*{SUFFIX}")):
        meta = read_metadata(path)
        if meta.get("model"):
            return meta
    return {}
