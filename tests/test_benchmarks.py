"""The benchmark scripts measure what they say: offline checks of their inputs and helpers, no timings."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from extractor.extract.strategies import LabelledSentences, SentenceLabel, SinglePass

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import fake_server  # noqa: E402
import throughput  # noqa: E402
import token_budget  # noqa: E402


def test_synthetic_articles_have_one_candidate_sentence_each_and_distinct_texts() -> None:
    articles = throughput.make_articles(60)
    strategy = LabelledSentences()
    assert [len(list(strategy.requests(a))) for a in articles] == [1] * 60
    assert len({a.id for a in articles}) == 60


def _request(single: bool, article_text: str) -> dict:
    chosen = SinglePass() if single else LabelledSentences()
    article = throughput.make_articles(1)[0].model_copy(update={"text": article_text})
    request = next(iter(chosen.requests(article)))
    schema = chosen.response_model.model_json_schema()
    return {
        "messages": request.messages,
        "tools": [
            {"type": "function", "function": {"name": chosen.response_model.__name__, "parameters": schema}}
        ],
    }


def test_fake_answers_validate_as_the_schema_asked_for() -> None:
    text = throughput.make_articles(1)[0].text
    label = fake_server._answer(_request(False, text))
    call = label["choices"][0]["message"]["tool_calls"][0]["function"]
    assert call["name"] == "SentenceLabel" and label["model"] == "FAKE"
    SentenceLabel.model_validate_json(call["arguments"])
    single = fake_server._answer(_request(True, text))
    args = json.loads(single["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"])
    assert args["claims"][0]["quote"] in text


def test_token_budget_separates_the_sentence_from_its_context(seed_articles: list) -> None:
    article = seed_articles[0]
    request = next(iter(LabelledSentences().requests(article)))
    own, context = token_budget.pieces("sentences", {"messages": request.messages})
    assert own and own in article.text
    assert context and context.split("\n")[0] in request.messages[-1]["content"]


def test_least_squares_recovers_a_line() -> None:
    fixed, rate = token_budget.fit([10, 20, 30, 40], [105, 110, 115, 120])
    assert fixed == pytest.approx(100) and rate == pytest.approx(0.5)


def test_the_copies_benchmark_finds_every_planted_copy_and_nothing_else() -> None:
    import copies_scaling

    result = copies_scaling.measure(400)
    assert result["planted"] > 0
    assert result["found"] == result["planted"] and result["false"] == 0


def test_the_corpus_evaluation_prints_every_item() -> None:
    import io
    from contextlib import redirect_stdout

    import corpus_eval

    out = io.StringIO()
    with redirect_stdout(out):
        assert corpus_eval.main([]) == 0
    text = out.getvalue()
    gold = (BENCHMARKS.parent / "fixtures" / "corpus" / "gold" / "conflicts.jsonl").read_text().splitlines()
    assert all(f"| {json.loads(line)['id']} |" in text for line in gold if line.strip())
    assert "High and medium:" in text and "False alarms:" in text
