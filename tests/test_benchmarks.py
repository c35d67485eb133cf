"""The benchmark scripts measure what they say: offline checks of their inputs and helpers, no timings."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.extract.strategies import LabelledSentences, SentenceLabel, SinglePass
from extractor.store import Store
from tests.conftest import PG_URL
from tests.review_data import build_review_db

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


def test_the_serve_load_benchmark_runs_and_every_decision_lands_exactly_once() -> None:
    """A tiny store and 3 seconds of load; in the PostgreSQL pass the store is a schema of that server."""
    on_postgres = ["--db-url", PG_URL] if PG_URL else []
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "serve_load.py"),
            "--claims",
            "300",
            "--seconds",
            "3",
            *on_postgres,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    landed = re.search(r"^decisions landed: (\d+) of \1, exactly once$", done.stdout, re.MULTILINE)
    assert landed and int(landed.group(1)) > 0, done.stdout
    assert re.search(r"^errors: 0$", done.stdout, re.MULTILINE), done.stdout


def test_the_serve_load_accounting_refuses_a_missing_a_doubled_or_an_unanswered_decision(
    tmp_path: Path,
) -> None:
    import serve_load

    data = build_review_db(tmp_path / "data")
    store = Store(data.db)
    row = store.decide(data.s1, "confirmed", reviewer=serve_load.REVIEWER, expect=0).id
    store.close()

    def answered(*accepted: tuple[int, str, str]) -> bool:
        tally = serve_load.Tally()
        tally.accepted.extend(accepted)
        return serve_load.check_decisions(str(data.db), 0, tally)

    assert answered((row, data.s1, "confirmed"))
    assert not answered()  # a row no 303 announced
    assert not answered((row, data.s1, "dismissed"))  # the row says another status
    assert not answered((row, data.s1, "confirmed"), (row, data.s1, "confirmed"))  # one row, two 303s
    assert not answered((row, data.s1, "confirmed"), (row + 1, data.s1, "confirmed"))  # a 303 without a row


def test_the_comparer_asks_at_most_its_budget_per_event_however_many_events() -> None:
    import compare_scaling

    from extractor.reconcile import reconcile
    from extractor.reconcile.detectors.statements import PAIR_BUDGET

    for events in (3, 30):
        claims, arts = compare_scaling.workload(events)
        counting = compare_scaling.Counting()
        result = reconcile(claims, arts, comparer=counting)
        judged_events = {j.event_id for j in result.comparisons}
        assert len(judged_events) == events
        assert counting.asked == events * PAIR_BUDGET  # each event has more candidate pairs than that
