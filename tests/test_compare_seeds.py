"""The recorded statement comparer on the seeds, replayed offline: S4's accounts get verdicts with
reasons and highlighted words, a re-run asks nothing (cache), and no seed gets a serious conflict."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.review import event_accounts
from extractor.review.view import key_spans
from extractor.store import Store
from tests.claim_factory import SEEDS

ALLOWED = {"contradicts", "adds_detail", "same", "unrelated", "unjudged"}


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("compare") / "seeds.db"
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "--db", str(db), "--quiet-claims"])
    assert result.exit_code == 0, result.output
    return db, result.output


def test_s4s_accounts_get_specific_verdicts_with_reasons_and_highlighted_words(
    seeds_db: tuple[Path, str],
) -> None:
    db, _ = seeds_db
    store = Store(db, create=False)
    s4 = [
        e
        for e in store.events()
        if e.date == dt.date(2025, 7, 1) and set(e.participants) == {"Emmanuel Macron", "Vladimir Putin"}
    ]
    assert len(s4) == 1
    judged = store.comparisons([s4[0].id])
    assert judged, "the Élysée's and the Kremlin's accounts of 1 July are compared"
    assert {j.comparison.verdict.value for j in judged} <= ALLOWED
    assert any({j.side_a, j.side_b} == {"Élysée", "Kremlin"} for j in judged)
    conflicts = {c.id: c for c in store.conflicts()}
    for j in judged:
        assert j.comparison.reason and j.comparison.model == "qwen2.5-coder-1.5b-instruct"
        if j.conflict_id is None:
            continue
        conflict = conflicts[j.conflict_id]
        for side in conflict.sides:
            assert side.highlights, "a judged conflict highlights the words that differ"
            assert len(key_spans(side.quote, side.highlights)) == len(side.highlights)
    # the event view says what was compared, consistent or not
    (view,) = [ea for ea in event_accounts(store, event_ids=[s4[0].id])]
    assert [c.label for c in view.compared] and all(c.label.startswith("compared") for c in view.compared)


def test_the_comparer_raises_no_serious_conflict_on_the_seeds(seeds_db: tuple[Path, str]) -> None:
    db, output = seeds_db
    assert "statement pairs compared" in output
    store = Store(db, create=False)
    judged_kinds = {"statement_contradiction", "wording_difference"}
    serious = [c for c in store.conflicts() if c.kind.value in judged_kinds and c.severity.value != "low"]
    assert serious == []


def test_a_rerun_answers_every_pair_from_the_cache(seeds_db: tuple[Path, str]) -> None:
    db, _ = seeds_db
    again = CliRunner().invoke(cli, ["reconcile", "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert "0 model calls" in again.output and "from the cache" in again.output
    assert "skipped" not in again.output


def test_without_a_recording_or_an_endpoint_the_reconcile_runs_and_says_what_was_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hand-made claims (the seeds' gold) make pairs no recording holds: each is skipped and counted."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["extract", str(SEEDS), "--db", "g.db"]).exit_code == 0
    gold = SEEDS.parent / "fixtures" / "gold" / "claims.jsonl"
    assert runner.invoke(cli, ["import", str(gold), "--db", "g.db", "--replace"]).exit_code == 0
    done = runner.invoke(cli, ["reconcile", "--db", "g.db"])
    assert done.exit_code == 0, done.output
    assert "comparisons skipped" in done.output and "no recording and no endpoint" in done.output
    assert "conflicts" in done.output  # the deterministic detectors ran all the same
    off = runner.invoke(cli, ["reconcile", "--db", "g.db", "--no-compare"])
    assert off.exit_code == 0 and "statement pairs" not in off.output
