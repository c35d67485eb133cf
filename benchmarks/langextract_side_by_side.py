"""Side by side with google's langextract: the same seed articles, the same local model, langextract's
own chunking, prompting, parsing and alignment, with claim classes close to claimdiff's claim kinds.

It counts, per seed and in total: extractions; how many are grounded (their `char_interval` is set,
any alignment) and how many of those aligned exactly (`match_exact`); model calls (chat-completion
responses); prompt and completion tokens (the server's `usage`, read off every HTTP response, since
langextract reports none); wall seconds. Errors (server unreachable, a chunk whose answer does not
parse) are reported per article and the run goes on.

The prompt description and the one invented few-shot example are in benchmarks/langextract_prompt.md.

langextract runs in a venv of its own (it is not a claimdiff dependency and is never installed into
claimdiff's venv); this script imports it only inside `run_article` / `main`. To reproduce:

    python3 -m venv ~/.cache/lx-venv
    ~/.cache/lx-venv/bin/pip install "langextract[openai]==1.7.1"   # brought openai 3.57.0

    # the recording model, served by llama-cpp-python (0.3.36 here) on its own port, one thread
    setsid nohup ~/.cache/llama-server-venv/bin/python -m llama_cpp.server \\
        --model ~/.cache/claimdiff-recording-model/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \\
        --model_alias qwen2.5-coder-1.5b-instruct --n_ctx 8192 --n_threads 1 \\
        --host 127.0.0.1 --port 8766 > /tmp/lx-server.log 2>&1 &

    ~/.cache/lx-venv/bin/python benchmarks/langextract_side_by_side.py --limit 1      # a quick check
    ~/.cache/lx-venv/bin/python benchmarks/langextract_side_by_side.py \\
        --out /tmp/langextract_seeds.json 2>&1 | tee /tmp/langextract_seeds.txt

How langextract is driven (1.7.1): the OpenAI provider class is built directly
(`OpenAILanguageModel(model_id=..., base_url=..., api_key="local")`) and handed over as `model=`,
because `lx.extract(model_id="qwen...")` routes any model id starting with "qwen" to the Ollama
provider. The provider asks for `response_format={"type": "json_object"}`, which llama-cpp-python
enforces with a JSON grammar; `fence_output=True` only changes how the examples are shown in the prompt
(the parser falls back to unfenced JSON), and `use_schema_constraints=False` (with `model=` langextract
would only warn that it ignores it; no example-derived schema is sent). One worker, one chunk per batch,
one pass, temperature 0 and a cap of `--max-tokens` completion tokens per call (a JSON grammar can
otherwise run on to the end of the context). Chunks langextract drops because their answer did not parse
are counted from its "Chunk omitted" warnings; answers cut at the cap (finish_reason "length") are
counted too, as such a cut answer is the usual reason a chunk does not parse. With the defaults the five
seeds take 33 calls and about 35 minutes on two cores.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROMPT_FILE = Path(__file__).resolve().parent / "langextract_prompt.md"
MODEL_ID = "qwen2.5-coder-1.5b-instruct"


@dataclass
class Usage:
    """What the HTTP responses of one article said: calls, tokens, failed responses."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    http_errors: int = 0
    no_usage: int = 0
    truncated: int = 0  # answers cut at the completion-token cap (finish_reason "length")


@dataclass
class ArticleResult:
    seed: str
    chars: int
    status: str = "ok"  # ok | partial (some chunks dropped) | error
    error: str | None = None
    chunks_dropped: int = 0
    drop_reasons: list[str] = field(default_factory=list)
    extractions: int = 0
    grounded_any: int = 0
    grounded_exact: int = 0
    by_class: dict[str, int] = field(default_factory=dict)
    by_alignment: dict[str, int] = field(default_factory=dict)
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    http_errors: int = 0
    truncated: int = 0
    seconds: float = 0.0
    items: list[dict[str, Any]] = field(default_factory=list)


def load_prompt(path: Path = PROMPT_FILE) -> tuple[str, dict[str, Any]]:
    """The prompt description (text under '## Prompt description') and the example (the JSON block)."""
    text = path.read_text(encoding="utf-8")
    desc = re.search(r"^## Prompt description\n(.*?)(?=^## )", text, re.DOTALL | re.MULTILINE)
    example = re.search(r"^## Example\n.*?```json\n(.*?)\n```", text, re.DOTALL | re.MULTILINE)
    if not desc or not example:
        raise SystemExit(f"{path}: needs a '## Prompt description' section and a json block under 'Example'")
    return " ".join(desc.group(1).split()), json.loads(example.group(1))


class DroppedChunks(logging.Handler):
    """Collects langextract's warnings about chunks it left out (their answer did not parse)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.reasons: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Chunk omitted" in message:
            self.reasons.append(message.split(". Set resolver_params")[0])


def counting_http_client(usage_ref: list[Usage]) -> Any:
    """An httpx client of the kind the installed openai SDK uses, reading `usage` from every
    chat-completion response into usage_ref[0] (swapped for each article)."""
    import openai

    def on_response(response: Any) -> None:
        if not response.url.path.endswith("/chat/completions"):
            return
        usage = usage_ref[0]
        if response.status_code >= 400:
            usage.http_errors += 1
            return
        response.read()
        usage.calls += 1
        try:
            body = response.json()
        except ValueError:
            body = {}
        tokens = body.get("usage") or {}
        choices = body.get("choices") or [{}]
        usage.truncated += choices[0].get("finish_reason") == "length"
        if not tokens:
            usage.no_usage += 1
        usage.prompt_tokens += int(tokens.get("prompt_tokens") or 0)
        usage.completion_tokens += int(tokens.get("completion_tokens") or 0)

    return openai.DefaultHttpxClient(event_hooks={"response": [on_response]})


def build_model(base_url: str, max_tokens: int, usage_ref: list[Usage]) -> Any:
    """langextract's OpenAI provider pointed at the local server, its SDK client counting usage.

    The provider creates `openai.OpenAI(...)` itself with no way to pass an http client, so for the
    time of its construction `openai.OpenAI` is a subclass that adds ours."""
    import openai
    from langextract.providers.openai import OpenAILanguageModel

    http_client = counting_http_client(usage_ref)
    real = openai.OpenAI

    class CountingOpenAI(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("http_client", http_client)
            super().__init__(*args, **kwargs)

    openai.OpenAI = CountingOpenAI  # type: ignore[misc]
    try:
        model = OpenAILanguageModel(
            model_id=MODEL_ID,
            api_key="local",
            base_url=base_url,
            temperature=0.0,
            max_workers=1,
            max_output_tokens=max_tokens,
        )
    finally:
        openai.OpenAI = real  # type: ignore[misc]
    if not isinstance(getattr(model, "_client", None), CountingOpenAI):
        print("warning: langextract's OpenAI client is not hooked; calls and tokens read 0", file=sys.stderr)
    return model


def run_article(
    path: Path,
    model: Any,
    usage_ref: list[Usage],
    description: str,
    example: dict[str, Any],
    max_char_buffer: int,
    base_url: str,
) -> ArticleResult:
    import langextract as lx

    text = path.read_text(encoding="utf-8")
    result = ArticleResult(seed=path.name, chars=len(text))
    examples = [
        lx.data.ExampleData(
            text=example["text"],
            extractions=[
                lx.data.Extraction(
                    extraction_class=e["class"], extraction_text=e["text"], attributes=e.get("attributes")
                )
                for e in example["extractions"]
            ],
        )
    ]
    usage_ref[0] = usage = Usage()
    dropped = DroppedChunks()
    logging.getLogger().addHandler(dropped)
    start = time.perf_counter()
    try:
        doc = lx.extract(
            text_or_documents=text,
            prompt_description=description,
            examples=examples,
            model=model,
            fence_output=True,
            use_schema_constraints=False,
            max_char_buffer=max_char_buffer,
            batch_length=1,
            max_workers=1,
            extraction_passes=1,
            show_progress=False,
        )
    except Exception as exc:
        doc = None
        result.status = "error"
        cause = exc.__cause__ or exc.__context__
        result.error = f"{type(exc).__name__}: {exc}"
        if cause is not None:
            result.error += f" (caused by {type(cause).__name__})"
        if cause is not None and type(cause).__name__ == "APIConnectionError":
            result.error += f"; is the server at {base_url} up?"
    finally:
        result.seconds = round(time.perf_counter() - start, 1)
        logging.getLogger().removeHandler(dropped)

    result.calls, result.http_errors, result.truncated = usage.calls, usage.http_errors, usage.truncated
    result.prompt_tokens, result.completion_tokens = usage.prompt_tokens, usage.completion_tokens
    result.chunks_dropped, result.drop_reasons = len(dropped.reasons), dropped.reasons
    if result.status == "ok" and dropped.reasons:
        result.status = "partial"
    if doc is None:
        return result

    for e in doc.extractions or []:
        status = e.alignment_status.value if e.alignment_status else "unaligned"
        interval = e.char_interval
        grounded = interval is not None and interval.start_pos is not None
        result.extractions += 1
        result.grounded_any += grounded
        result.grounded_exact += grounded and status == "match_exact"
        result.items.append(
            {
                "class": e.extraction_class,
                "text": e.extraction_text,
                "attributes": e.attributes,
                "char_interval": [interval.start_pos, interval.end_pos] if grounded else None,
                "alignment": status,
            }
        )
    result.by_class = dict(Counter(i["class"] for i in result.items).most_common())
    result.by_alignment = dict(Counter(i["alignment"] for i in result.items).most_common())
    return result


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def print_row(r: ArticleResult | dict[str, Any], name: str) -> None:
    g = r if isinstance(r, dict) else asdict(r)
    n = g["extractions"]
    print(
        f"{name:<26} {n:>5} {g['grounded_exact']:>4} {share(g['grounded_exact'], n):>5}"
        f" {g['grounded_any']:>4} {share(g['grounded_any'], n):>5} {g['calls']:>5}"
        f" {g['prompt_tokens']:>8} {g['completion_tokens']:>8} {g['seconds']:>8.1f}  {g['status']}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--base-url", default="http://127.0.0.1:8766/v1")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="folder of *.txt articles")
    parser.add_argument("--limit", type=int, default=None, help="only the first N seeds")
    parser.add_argument("--max-char-buffer", type=int, default=1000, help="langextract's chunk size (chars)")
    parser.add_argument("--max-tokens", type=int, default=1024, help="completion-token cap per call")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = parser.parse_args(argv)

    try:
        import langextract
    except ImportError:
        print("langextract is not installed in this Python; see this script's docstring", file=sys.stderr)
        return 2
    from importlib.metadata import version

    logging.basicConfig(level=logging.WARNING, format="  [%(name)s] %(levelname)s %(message)s")
    paths = sorted(args.seeds.glob("*.txt"))[: args.limit]
    if not paths:
        print(f"no *.txt in {args.seeds}", file=sys.stderr)
        return 2
    description, example = load_prompt()
    usage_ref = [Usage()]
    model = build_model(args.base_url, args.max_tokens, usage_ref)
    lx_version = getattr(langextract, "__version__", None) or version("langextract")
    print(
        f"langextract {lx_version}, openai {version('openai')}; model {MODEL_ID} at {args.base_url};"
        f" max_char_buffer={args.max_char_buffer}, {len(paths)} seed(s)",
        flush=True,
    )
    header = (
        f"{'seed':<26} {'extr':>5} {'exact':>10} {'any':>10} {'calls':>5} {'prompt':>8} {'complet':>8}"
        f" {'seconds':>8}  status"
    )
    print(header, flush=True)

    results: list[ArticleResult] = []
    for path in paths:
        r = run_article(path, model, usage_ref, description, example, args.max_char_buffer, args.base_url)
        results.append(r)
        print_row(r, r.seed)
        if r.error:
            print(f"  error: {r.error}", flush=True)
        for reason in r.drop_reasons:
            print(f"  chunk dropped: {reason}", flush=True)
        if r.truncated:
            print(f"  {r.truncated} answer(s) cut at --max-tokens {args.max_tokens}", flush=True)

    keys = ("extractions", "grounded_any", "grounded_exact", "calls", "prompt_tokens", "completion_tokens")
    total: dict[str, Any] = {k: sum(getattr(r, k) for r in results) for k in keys}
    total["seconds"] = round(sum(r.seconds for r in results), 1)
    total["chunks_dropped"] = sum(r.chunks_dropped for r in results)
    total["http_errors"] = sum(r.http_errors for r in results)
    total["truncated"] = sum(r.truncated for r in results)
    total["articles_failed"] = sum(r.status == "error" for r in results)
    total["by_class"] = dict(sum((Counter(r.by_class) for r in results), Counter()).most_common())
    total["status"] = f"{total['articles_failed']} failed, {total['chunks_dropped']} chunk(s) dropped"
    print("-" * len(header))
    print_row(total, "total")
    print("classes: " + ", ".join(f"{k} {v}" for k, v in total["by_class"].items()))

    if args.out:
        payload = {
            "tool": "langextract",
            "langextract_version": lx_version,
            "openai_version": version("openai"),
            "model": MODEL_ID,
            "base_url": args.base_url,
            "settings": {
                "max_char_buffer": args.max_char_buffer,
                "max_tokens": args.max_tokens,
                "batch_length": 1,
                "max_workers": 1,
                "extraction_passes": 1,
                "fence_output": True,
                "use_schema_constraints": False,
                "temperature": 0.0,
            },
            "articles": [asdict(r) for r in results],
            "total": total,
        }
        args.out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 1 if total["articles_failed"] == len(results) else 0


if __name__ == "__main__":
    sys.exit(main())
