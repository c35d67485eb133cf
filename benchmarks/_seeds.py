"""Shared by the seed benchmarks: the seed articles, their recordings, and a replay of them.

A replay runs claimdiff's real pipeline on the seeds with the recorded answers (no model, no
network) into a throw-away database, and returns each article's claims as claimdiff built them.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEEDS = ROOT / "seeds"
CASSETTES = ROOT / "fixtures" / "cassettes"
PROMPTS = {"batches": "label_batch", "sentences": "label_sentences", "single": "extract_claims"}


@dataclass
class Replayed:
    name: str  # the seed's file name
    status: str
    claims: int
    verified: int
    calls: int
    prompt_tokens: int
    completion_tokens: int
    error: str | None = None


def seed_articles() -> list[Any]:
    from extractor.ingest import read_article

    return [read_article(p) for p in sorted(SEEDS.glob("*.txt"))]


def cassette(strategy: str, article_id: str) -> dict[str, Any] | None:
    path = CASSETTES / PROMPTS[strategy] / f"{article_id}.json"
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def replay(strategy: str) -> dict[str, Replayed]:
    """Each seed's outcome when its recording for `strategy` is replayed through the real pipeline."""
    from pathlib import Path as P

    from extractor.providers import recordings
    from extractor.providers.config import ProviderConfig
    from extractor.store import Store
    from extractor.wiring import REPLAY_BASE_URL, make_extractor

    articles = seed_articles()
    from extractor.extract.strategies import STRATEGIES

    meta = recordings.recorded_with(CASSETTES, STRATEGIES[strategy]().prompt.name)
    config = ProviderConfig(base_url=REPLAY_BASE_URL, model=meta.get("model", "unknown"), transport_retries=0)
    out: dict[str, Replayed] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(P(tmp) / "replay.db")
        for a in articles:
            store.add_article(a)
        extractor = make_extractor(
            store, config, "replay", {"strategy": strategy, "recordings_dir": CASSETTES}
        )
        for a, o in zip(articles, extractor.run(articles), strict=True):
            out[P(a.source).name] = Replayed(
                P(a.source).name,
                o.status,
                o.claims,
                o.verified,
                o.calls,
                o.prompt_tokens,
                o.completion_tokens,
                o.error,
            )
        store.close()
    return out
