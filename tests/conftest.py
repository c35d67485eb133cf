"""Tests never reach the network (pytest-recording's --block-network is on in pyproject) and need no key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.ingest import read_article
from extractor.records import Article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
RECORDINGS = ROOT / "fixtures" / "cassettes"
ENV_VARS = (
    "OPENAI_BASE_URL",
    "OPENAI_API_KEY",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "CLAIMDIFF_MODEL",
    "CLAIMDIFF_DB",
    "CLAIMDIFF_RECORDINGS",
    "CLAIMDIFF_ENTITIES",
    "CLAIMDIFF_DEBUG",
)


@pytest.fixture(autouse=True)
def no_endpoint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Whatever the developer's shell holds, a test sees no endpoint, no key and no config file."""
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    yield


@pytest.fixture(scope="session")
def seed_articles() -> list[Article]:
    return [read_article(p) for p in sorted(SEEDS.glob("*.txt"))]
