"""Token budget of the recorded extractions: prompt tokens spent on instructions and schema against the
article's own words, and tokens per verified claim, per seed and strategy.

    python benchmarks/token_budget.py [--no-tokenizer]

How it counts: every recorded call's `usage.prompt_tokens` is the real server's exact count of what
the model read (chat template, system instructions, the tool's JSON schema and the user message).
The article's words in each call are counted with the recording model's own tokenizer (the GGUF's
vocabulary through llama-cpp-python, `vocab_only=True`, run with ~/.cache/llama-server-venv) when
it is present; instructions + schema = prompt_tokens - the article's words in that call. Without
the tokenizer, the fixed part of a call is estimated from the recorded usage alone, by a
least-squares line prompt_tokens = fixed + rate x characters of article text over all calls of a
strategy. The output says which was used. Verified claims come from replaying the same recordings.

For `sentences` the article's words in a call are the sentence being labelled (new words) plus the
article's opening and the previous sentence (context, repeated in every call): both are shown.
"""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from _seeds import PROMPTS, cassette, replay, seed_articles

LLAMA_PYTHON = Path.home() / ".cache" / "llama-server-venv" / "bin" / "python"
GGUF = os.environ.get("CLAIMDIFF_TOKENIZER_GGUF") or next(
    iter(sorted(glob.glob(str(Path.home() / ".cache" / "claimdiff-recording-model" / "*.gguf")))), ""
)
_COUNT = """
import json, sys
from llama_cpp import Llama
m = Llama(model_path=sys.argv[1], vocab_only=True, verbose=False)
texts = json.load(sys.stdin)
count = [len(m.tokenize(t.encode("utf-8"), add_bos=False, special=False)) if t else 0 for t in texts]
print(json.dumps(count))
"""
_FENCED = re.compile(r"(<<<ARTICLE-[0-9A-F]+>>>)\n(.*?)\n\1", re.DOTALL)
_BATCH_OPENING = re.compile(r"Article opening: (.*?)\n\nSentences:", re.DOTALL)
_NUMBERS = re.compile(r"^\[\d+\] ", re.MULTILINE)
_OPENING = re.compile(r"Article opening: (.*?)\n\nPrevious sentence: (.*?)\n\nSentence to label:", re.DOTALL)


def tokenizer_counts(texts: list[str]) -> list[int] | None:
    """Exact token counts with the recording model's tokenizer, or None when it is not installed."""
    if not (LLAMA_PYTHON.is_file() and GGUF and Path(GGUF).is_file()):
        return None
    done = subprocess.run(
        [str(LLAMA_PYTHON), "-c", _COUNT, GGUF],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        return None
    counts: list[int] = json.loads(done.stdout.strip().splitlines()[-1])
    return counts


def pieces(strategy: str, request: dict[str, Any]) -> tuple[str, str]:
    """(the article's new words in this call, the article's words repeated as context)."""
    user = str(request["messages"][-1]["content"])
    fenced = _FENCED.search(user)
    own = fenced.group(2) if fenced else ""
    if strategy == "sentences":
        m = _OPENING.search(user)
        context = f"{m.group(1)}\n{m.group(2)}" if m and m.group(2) != "(none)" else (m.group(1) if m else "")
        return own, context
    if strategy == "batches":
        # the numbered sentences are the article's new words (their "[n] " numbers are prompt)
        m = _BATCH_OPENING.search(user)
        return _NUMBERS.sub("", own), (m.group(1) if m else "")
    return own, ""


def fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    var = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0
    return my - slope * mx, slope


def main() -> None:
    exact = "--no-tokenizer" not in sys.argv[1:]
    articles = seed_articles()
    calls: list[dict[str, Any]] = []
    for strategy in PROMPTS:
        for a in articles:
            data = cassette(strategy, a.id)
            for item in (data or {}).get("interactions", []):
                request = item["request"]["body"]["json"]
                usage = item["response"]["body"]["json"].get("usage") or {}
                own, context = pieces(strategy, request)
                calls.append(
                    {
                        "strategy": strategy,
                        "article": a.source.rsplit("/", 1)[-1],
                        "prompt": int(usage.get("prompt_tokens") or 0),
                        "completion": int(usage.get("completion_tokens") or 0),
                        "own": own,
                        "context": context,
                    }
                )
    whole = {a.source.rsplit("/", 1)[-1]: a.text for a in articles}
    texts = [c["own"] for c in calls] + [c["context"] for c in calls] + list(whole.values())
    counted = tokenizer_counts(texts) if exact else None
    if counted is not None:
        method = f"article tokens counted exactly with the recording model's tokenizer ({Path(GGUF).name})"
        n = len(calls)
        for i, c in enumerate(calls):
            c["own_t"], c["context_t"] = counted[i], counted[n + i]
        article_t = dict(zip(whole, counted[2 * n :], strict=True))
    else:
        method = (
            "no tokenizer: article tokens estimated from recorded usage (least-squares fixed + rate x chars)"
        )
        article_t = {}
        for strategy in PROMPTS:
            mine = [c for c in calls if c["strategy"] == strategy]
            if not mine:
                continue
            fixed, rate = fit([len(c["own"]) + len(c["context"]) for c in mine], [c["prompt"] for c in mine])
            method += f"\n  {strategy}: fixed part {fixed:.0f} tokens a call, {rate:.3f} tokens a character"
            for c in mine:
                c["own_t"] = round(rate * len(c["own"]))
                c["context_t"] = round(rate * len(c["context"]))
            article_t.update({k: round(rate * len(v)) for k, v in whole.items()})
    print(method)
    print(
        "prompt tokens = the server's recorded usage; instructions + schema = prompt - the article's words\n"
    )
    replays = {s: replay(s) for s in PROMPTS}
    print(
        f"{'article':<10} {'strategy':<9} {'art tok':>7} {'calls':>5} {'prompt':>7} {'instr+schema':>12} "
        f"{'context':>7} {'new words':>9} {'instr/call':>10} {'prompt/art':>10} {'compl':>6} "
        f"{'verified':>8} {'tok/verified':>12}"
    )
    for strategy in PROMPTS:
        total = {"prompt": 0, "overhead": 0, "completion": 0, "verified": 0, "calls": 0, "art": 0}
        for name, text_tokens in article_t.items():
            mine = [c for c in calls if c["strategy"] == strategy and c["article"] == name]
            if not mine:
                continue
            prompt = sum(c["prompt"] for c in mine)
            context = sum(c["context_t"] for c in mine)
            own = sum(c["own_t"] for c in mine)
            overhead = prompt - context - own
            completion = sum(c["completion"] for c in mine)
            verified = replays[strategy][name].verified
            per_verified = f"{(prompt + completion) / verified:>12.0f}" if verified else f"{'—':>12}"
            print(
                f"{name[:3]:<10} {strategy:<9} {text_tokens:>7} {len(mine):>5} {prompt:>7} {overhead:>12} "
                f"{context:>7} {own:>9} {overhead / len(mine):>10.0f} {prompt / text_tokens:>10.1f} "
                f"{completion:>6} {verified:>8} {per_verified}"
            )
            for k, v in (
                ("prompt", prompt),
                ("overhead", overhead),
                ("completion", completion),
                ("verified", verified),
                ("calls", len(mine)),
                ("art", text_tokens),
            ):
                total[k] += v
        if total["calls"]:
            print(
                f"{'all':<10} {strategy:<9} {total['art']:>7} {total['calls']:>5} {total['prompt']:>7} "
                f"{total['overhead']:>12} {'':>7} {'':>9} {total['overhead'] / total['calls']:>10.0f} "
                f"{total['prompt'] / total['art']:>10.1f} {total['completion']:>6} {total['verified']:>8} "
                f"{(total['prompt'] + total['completion']) / max(total['verified'], 1):>12.0f}"
            )
            share = total["overhead"] / total["prompt"]
            print(f"  {strategy}: instructions + schema are {share:.0%} of prompt tokens\n")


if __name__ == "__main__":
    main()
