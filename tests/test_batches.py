"""Several sentences a call (strategy batches) against the FAKE server (tests/fake_openai.py): no model."""

from __future__ import annotations

import json
import re
from pathlib import Path

from extractor.entities import default_entities
from extractor.extract.pipeline import Extractor
from extractor.extract.strategies import (
    BatchLabels,
    ItemLabel,
    LabelledBatches,
    answers_by_number,
    batch_labels,
)
from extractor.providers.client import LLMClient
from extractor.providers.config import ProviderConfig
from extractor.records import Article, ClaimKind
from extractor.store import Store
from tests.fake_openai import FakeServer, ok

TEXT = (
    "Kremlin aide Yuri Ushakov said Putin and Trump spoke for nearly an hour on Thursday.\n\n"
    "The weather was fine.\n\n"
    "The two leaders discussed Iran and the Middle East.\n\n"
    "The Kremlin described the conversation as frank and constructive."
)


def extractor_for(server: FakeServer, store: Store, strategy: LabelledBatches) -> Extractor:
    config = ProviderConfig(
        base_url="http://fake.test/v1",
        api_key="sk-test-not-real",
        model="fake-model",  # type: ignore[arg-type]
        transport_retries=1,
    )
    llm = LLMClient(config, http_client=server.client(), sleep=lambda s: None)
    return Extractor(store=store, llm=llm, mode="live", entities=default_entities(), strategy=strategy)


def asked(server: FakeServer, i: int) -> list[int]:
    """The numbers the i-th request asked about."""
    user = json.loads(server.requests[i].content)["messages"][-1]["content"]
    return [int(n) for n in re.findall(r"^\[(\d+)\] ", user, re.MULTILINE)]


def test_the_schema_asks_for_exactly_one_item_per_number() -> None:
    schema = batch_labels(3).model_json_schema()
    items = schema["properties"]["items"]
    assert (items["minItems"], items["maxItems"]) == (3, 3)
    # parsing stays lenient: a short answer is read, and code finds what is missing
    assert BatchLabels.model_validate({"items": [{"n": 1, "kind": "none"}]}).items[0].n == 1


def test_each_number_counts_once_and_two_different_labels_count_as_none() -> None:
    parsed = BatchLabels(
        items=[
            ItemLabel(n=1, kind="event"),
            ItemLabel(n=2, kind="statement"),
            ItemLabel(n=2, kind="outcome"),  # the same number labelled twice, differently
            ItemLabel(n=3, kind="duration"),
            ItemLabel(n=3, kind="duration"),  # twice in the same words: one answer
            ItemLabel(n=9, kind="event"),  # a number nobody asked about
        ]
    )
    answered = answers_by_number(parsed, (1, 2, 3, 4))
    assert sorted(answered) == [1, 3]
    assert answered[3].kind == "duration"


def test_several_sentences_go_in_one_call_and_only_missing_numbers_are_asked_again(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    article = Article.from_text(TEXT, source="a.txt")
    store.add_article(article)
    first = ok({"items": [{"n": 1, "kind": "event"}, {"n": 3, "kind": "characterisation"}]})
    second = ok({"items": [{"n": 2, "kind": "topic_discussed", "topics": ["Iran", "the situation"]}]})
    server = FakeServer([first, second])
    outcome = extractor_for(server, store, LabelledBatches(size=8)).extract_one(article)
    assert outcome.status == "done"
    # "The weather was fine." has no checkable signal: three sentences, numbered, in one call
    assert server.calls == 2 and asked(server, 0) == [1, 2, 3] and asked(server, 1) == [2]
    # the re-ask gives the model the same opening of the article
    opening = [json.loads(r.content)["messages"][-1]["content"].split("\n\n")[0] for r in server.requests]
    assert opening[0] == opening[1] and opening[0].startswith("Article opening: Kremlin aide")
    claims = store.current_claims()
    topics = sorted(c.topic or "" for c in claims if c.kind is ClaimKind.TOPIC_DISCUSSED)
    # the model's "Iran" is the sentence's word; "the situation" names nothing and is dropped;
    # code reads "the Middle East" after "discussed" itself
    assert topics == ["Iran", "the Middle East"]
    described = [c for c in claims if c.kind is ClaimKind.CHARACTERISATION]
    assert [c.value.text for c in described if c.value] == ["frank and constructive"]


def test_numbers_left_unanswered_after_the_last_re_ask_are_read_by_code_alone(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    article = Article.from_text(TEXT, source="a.txt")
    store.add_article(article)
    server = FakeServer([ok({"items": []})])  # never answers anything
    outcome = extractor_for(server, store, LabelledBatches(size=2, reasks=1)).extract_one(article)
    assert outcome.status == "done"
    # two requests of two and one sentences, each asked again once: four calls, no more
    assert server.calls == 4
    kinds = {c.kind for c in store.current_claims()}
    # the duration and the characterisation are found by code without any label
    assert {ClaimKind.DURATION, ClaimKind.CHARACTERISATION} <= kinds
