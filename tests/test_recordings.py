"""The seeds through the real code path (openai → HTTP → instructor → records), replaying recordings."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import ClassVar

import pytest

from extractor.entities import default_entities
from extractor.errors import NoRecordingError, StaleRecordingError
from extractor.extract.pipeline import Extractor
from extractor.extract.strategies import LabelledSentences, SinglePass
from extractor.providers import recordings
from extractor.providers.client import LLMClient
from extractor.providers.config import ProviderConfig
from extractor.records import Article, GroundingStatus
from extractor.store import Store
from extractor.textnorm import normalise_for_match
from tests.conftest import RECORDINGS, ROOT

PROMPT_DIR = RECORDINGS / "label_sentences"


def replayer(store: Store, root: Path = RECORDINGS, model: str | None = None) -> Extractor:
    meta = recordings.recorded_with(root, "label_sentences")
    config = ProviderConfig(
        base_url="http://recordings.invalid/v1", model=model or meta["model"], transport_retries=0
    )
    return Extractor(
        store=store,
        llm=LLMClient(config),
        mode="replay",
        entities=default_entities(),
        recordings_dir=root,
        strategy=LabelledSentences(),
    )


def test_every_seed_has_a_recording(seed_articles: list[Article]) -> None:
    missing = [a.source for a in seed_articles if not (PROMPT_DIR / f"{a.id}.json").is_file()]
    assert not missing, f"no recording for {missing}; {recordings.RERECORD_HINT}"


def test_recordings_say_who_answered() -> None:
    files = sorted(PROMPT_DIR.glob("*.json"))
    assert files
    for f in files:
        meta = recordings.read_metadata(f)
        assert meta["model"] and meta["server"] and meta["prompt"] and meta["schema"], f
        assert meta["interactions"] == len(json.loads(f.read_text())["interactions"])


def test_seeds_replay_into_grounded_claims(seed_articles: list[Article], tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    for a in seed_articles:
        store.add_article(a)
    outcomes = replayer(store).run(seed_articles)
    assert [o.status for o in outcomes] == ["done"] * len(seed_articles), [o.error for o in outcomes]
    texts = {a.id: a.text for a in seed_articles}
    claims = store.current_claims()
    assert {c.article_id for c in claims} == set(texts)
    verified = [c for c in claims if c.evidence.status is GroundingStatus.VERIFIED]
    assert len(verified) >= 0.9 * len(claims)
    for c in verified:
        at = texts[c.article_id][c.evidence.start : c.evidence.end]
        assert normalise_for_match(at) == normalise_for_match(c.evidence.quote)
    # Every call was recorded and replayed; a second run finds everything cached and calls nothing.
    calls = store.calls_count()
    assert calls > 0
    again = replayer(store).run(seed_articles)
    assert {o.status for o in again} == {"cached"}
    assert store.calls_count() == calls


def test_unplayed_interactions_fail(seed_articles: list[Article], tmp_path: Path) -> None:
    article = min(seed_articles, key=lambda a: len(a.text))
    target = tmp_path / "label_sentences" / f"{article.id}.json"
    target.parent.mkdir()
    data = json.loads((PROMPT_DIR / f"{article.id}.json").read_text())
    data["interactions"].append(data["interactions"][-1])
    target.write_text(json.dumps(data))
    store = Store(tmp_path / "t.db")
    store.add_article(article)
    outcome = replayer(store, tmp_path).run([article])[0]
    assert outcome.status == "failed" and "never played" in (outcome.error or "")
    assert "claimdiff record" in (outcome.error or "")


def test_changed_request_is_caught_as_stale(seed_articles: list[Article], tmp_path: Path) -> None:
    article = min(seed_articles, key=lambda a: len(a.text))
    target = tmp_path / "label_sentences" / f"{article.id}.json"
    target.parent.mkdir()
    data = json.loads((PROMPT_DIR / f"{article.id}.json").read_text())
    data["interactions"][0]["request"]["body"]["json"]["temperature"] = 0.7
    target.write_text(json.dumps(data))
    store = Store(tmp_path / "t.db")
    store.add_article(article)
    with pytest.raises(StaleRecordingError, match="claimdiff record"):
        replayer(store, tmp_path).extract_one(article)


def test_changed_prompt_names_the_rerecord_command(
    seed_articles: list[Article], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "rec"
    shutil.copytree(RECORDINGS, root)
    prompt_file = tmp_path / "prompts" / "label_sentences.md"
    prompt_file.parent.mkdir()
    prompt_file.write_text(
        (ROOT / "prompts" / "label_sentences.md").read_text().replace("fact-checkers", "editors")
    )
    monkeypatch.setattr("extractor.prompts._prompt_dirs", lambda: [prompt_file.parent])
    store = Store(tmp_path / "t.db")
    article = seed_articles[0]
    store.add_article(article)
    with pytest.raises(StaleRecordingError, match=r"claimdiff record") as info:
        replayer(store, root).extract_one(article)
    assert "label_sentences@v" in str(info.value)


def test_no_recording_and_no_endpoint_says_how_to_configure(tmp_path: Path) -> None:
    article = Article.from_text("A new article about a call on Monday.", source="new.txt")
    store = Store(tmp_path / "t.db")
    store.add_article(article)
    (tmp_path / "label_sentences").mkdir()
    shutil.copy(next(PROMPT_DIR.glob("*.json")), tmp_path / "label_sentences" / "other.json")
    with pytest.raises(NoRecordingError, match="OPENAI_BASE_URL"):
        replayer(store, tmp_path).extract_one(article)
    assert store.current_claims() == []


SECRET_PATTERNS = [
    r"authorization",
    r"api-key",
    r"api_key",
    r"cookie",
    r"openai-organization",
    r"openai-project",
    r"\bsk-[A-Za-z0-9_-]{12,}",
    r"Bearer\s+\S",
    r"x-api-key",
]


def test_fixtures_hold_no_secrets() -> None:
    files = [p for p in (ROOT / "fixtures").rglob("*") if p.is_file()]
    assert files
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        for pattern in SECRET_PATTERNS:
            assert not re.search(pattern, text, re.IGNORECASE), f"{f} matches {pattern}"


def test_scrubbers_keep_only_allowlisted_headers() -> None:
    class Req:
        headers: ClassVar[dict[str, str]] = {
            "Authorization": "Bearer sk-canary-0123456789abcdef",
            "Content-Type": "application/json",
            "OpenAI-Organization": "org-x",
            "Cookie": "a=b",
            "X-Stainless-OS": "Linux",
        }

    scrubbed = recordings.scrub_request(Req())
    assert scrubbed.headers == {"Content-Type": "application/json"}
    response = {
        "headers": {
            "Set-Cookie": ["a=b"],
            "openai-project": ["p"],
            "server": ["uvicorn"],
            "content-type": ["application/json"],
        },
        "body": {"string": b"{}"},
    }
    assert set(recordings.scrub_response(response)["headers"]) == {"server", "content-type"}


def test_single_pass_recordings_replay_too(seed_articles: list[Article], tmp_path: Path) -> None:
    """The one-call-per-chunk strategy, recorded from the same server, for the strategy comparison."""
    store = Store(tmp_path / "t.db")
    # 003's first chunk ran into the output limit when recorded (finish_reason=length): not recorded.
    recorded = [a for a in seed_articles if (RECORDINGS / "extract_claims" / f"{a.id}.json").is_file()]
    assert len(recorded) >= 3
    for a in recorded:
        store.add_article(a)
    meta = recordings.recorded_with(RECORDINGS, "extract_claims")
    config = ProviderConfig(base_url="http://recordings.invalid/v1", model=meta["model"], transport_retries=0)
    extractor = Extractor(
        store=store,
        llm=LLMClient(config),
        mode="replay",
        entities=default_entities(),
        recordings_dir=RECORDINGS,
        strategy=SinglePass(),
    )
    outcomes = extractor.run(recorded)
    assert {o.status for o in outcomes} == {"done"}, [o.error for o in outcomes]
    texts = {a.id: a.text for a in seed_articles}
    for c in store.current_claims():
        if c.evidence.status is GroundingStatus.VERIFIED:
            at = texts[c.article_id][c.evidence.start : c.evidence.end]
            assert normalise_for_match(at) == normalise_for_match(c.evidence.quote)
        else:
            assert c.needs_review  # a quote not found verbatim is kept, never trusted


def test_a_failed_recording_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "label_sentences" / "x.json"
    path.parent.mkdir()
    path.write_text("{}")  # an older recording is replaced, not kept half-way
    with (
        pytest.raises(RuntimeError),
        recordings.recording(path, prompt_key="p", schema_hash="s", endpoint="e"),
    ):
        raise RuntimeError("the server went away")
    assert not path.exists()
