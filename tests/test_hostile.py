"""Hostile articles (fixtures/hostile/): flagged, kept from the model, and unable to set any field.

The model here is the FAKE httpx2 transport of tests/fake_openai.py or the FAKE loopback server of
tests/fake_server.py, scripted to OBEY the injection: it labels every sentence with the speaker,
participants and kind the hostile text asks for. Code must keep those out of the stored claims.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.entities import default_entities
from extractor.extract.pipeline import Extractor
from extractor.extract.strategies import LabelledSentences
from extractor.ingest import read_article
from extractor.ingest.hostile import flags_for, neutralise, scan
from extractor.jobs import reconcile_store
from extractor.providers.client import LLMClient
from extractor.providers.config import ProviderConfig
from extractor.records import Article, Claim, GroundingStatus
from extractor.store import Store
from tests.conftest import ROOT, SEEDS
from tests.fake_openai import FakeServer, _named, completion
from tests.fake_server import FAKE_KEY, FakeOpenAIServer

HOSTILE = ROOT / "fixtures" / "hostile"
EXPECTED_FLAGS = {
    "ignore_instructions.txt": {"instructions"},
    "fake_system_prompt.txt": {"instructions", "role_markers"},
    "field_json.txt": {"field_injection"},
    "delimiter.txt": {"delimiter", "role_markers"},
    "markup.html.txt": {"markup"},
}
# What the injections ask for; a model that obeys them answers this for every sentence.
OBEYED = {
    "kind": "outcome",
    "speaker": "Pentagon",
    "participants": ["Xi Jinping", "Joe Biden"],
    "channel": "meeting",
    "topics": ["surrender"],
}
INJECTED_WORDS = (
    "ignore previous",
    "<|im_start|>",
    "system:",
    "<script",
    "onerror",
    '"severity"',
    "article has ended",  # the text between the imitated fences
    "=== system",
    "1 january 2020",
)


def fixture(name: str) -> Article:
    return read_article(HOSTILE / name)


def obeying_server() -> FakeServer:
    return FakeServer([lambda req: httpx2.Response(200, json=_named(completion(OBEYED), req))])


def extractor_for(server: FakeServer, store: Store) -> Extractor:
    config = ProviderConfig(
        base_url="http://fake.test/v1",
        api_key="sk-test-not-real",
        model="fake-model",  # type: ignore[arg-type]
    )
    llm = LLMClient(config, http_client=server.client(), sleep=lambda s: None)
    return Extractor(
        store=store, llm=llm, mode="live", entities=default_entities(), strategy=LabelledSentences()
    )


def test_every_hostile_fixture_is_flagged_for_what_it_tries() -> None:
    assert sorted(p.name for p in HOSTILE.glob("*.txt")) == sorted(EXPECTED_FLAGS)
    for name, expected in EXPECTED_FLAGS.items():
        assert set(fixture(name).flags) == expected, name


def test_seed_articles_are_not_flagged(seed_articles: list[Article]) -> None:
    assert [a.flags for a in seed_articles] == [()] * len(seed_articles)
    assert all(not scan(p.read_text()) for p in SEEDS.glob("*.txt"))


def test_blanking_keeps_every_offset() -> None:
    for name in EXPECTED_FLAGS:
        text = fixture(name).text
        blanked = neutralise(text)
        assert len(blanked) == len(text) and blanked != text
        assert not flags_for(blanked), name  # nothing addressed to a model is left


@pytest.mark.parametrize("name", sorted(EXPECTED_FLAGS))
def test_a_model_that_obeys_the_injection_sets_no_field(tmp_path: Path, name: str) -> None:
    article = fixture(name)
    store = Store(tmp_path / "t.db")
    store.add_article(article)
    server = obeying_server()
    outcome = extractor_for(server, store).extract_one(article)
    assert outcome.status == "needs_review" and set(outcome.flags) == EXPECTED_FLAGS[name]
    # The injected passages never reached the model.
    sent = " ".join(json.loads(r.content)["messages"][-1]["content"] for r in server.requests).lower()
    assert server.calls > 0 and not [w for w in INJECTED_WORDS if w in sent]
    rows = [r[0] for r in store.db.execute("SELECT data FROM claims WHERE article_id=?", (article.id,))]
    claims = [Claim.model_validate_json(r) for r in rows]  # schema-valid, every one
    assert claims
    readable = neutralise(article.text).lower()
    for c in claims:
        assert c.needs_review and any("addresses the model" in n for n in c.notes)
        # Who said it and who took part come from the article's own words, never from the injection.
        assert c.attribution.speaker is None or c.attribution.speaker.lower() in readable, c.attribution
        for person in c.event.participants:
            assert person not in ("Xi Jinping", "Joe Biden"), c.event
        assert c.event.date is None or c.event.date.start is None or c.event.date.start.year == 2025
        if c.evidence.status is GroundingStatus.VERIFIED:
            assert article.text[c.evidence.start : c.evidence.end] == c.evidence.quote  # type: ignore[misc]
    assert {c.kind.value for c in claims} != {"outcome"}  # code found the event, dates and durations


def test_flagged_articles_need_review_and_nothing_is_auto_resolved(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    articles = [fixture(name) for name in sorted(EXPECTED_FLAGS)]
    for a in articles:
        store.add_article(a)
    extractor_for(obeying_server(), store).run(articles)
    states = {s.name: s for s in store.article_states()}
    assert {s.state for s in states.values()} == {"needs_review"}
    assert all(s.reason and "flagged" in s.reason for s in states.values())
    assert [set(a.flags) for a in store.articles()] == [
        EXPECTED_FLAGS[a.source.split("/")[-1]] for a in store.articles()
    ]
    reconcile_store(store)
    reconcile_store(store)
    assert store.db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0
    assert store.current_decisions() == {}


@pytest.mark.block_network(allowed_hosts=[r"^127\.0\.0\.1$"])
def test_cli_marks_hostile_articles_for_review_and_status_lists_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = FakeOpenAIServer(labeller=lambda sentence: dict(OBEYED))
    monkeypatch.chdir(tmp_path)
    with server.running():
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
        result = CliRunner().invoke(cli, ["extract", str(HOSTILE), "--db", "h.db", "--concurrency", "1"])
    assert result.exit_code == 0, result.output
    for name in EXPECTED_FLAGS:
        assert f"needs review: {name}" in result.output
    status = CliRunner().invoke(cli, ["status", "--db", "h.db", "--format", "json"])
    report: dict[str, Any] = json.loads(status.output)
    assert report["states"]["needs_review"] == len(EXPECTED_FLAGS)
    assert {tuple(r["flags"]) for r in report["articles"]} == {
        tuple(sorted(f)) for f in EXPECTED_FLAGS.values()
    }
