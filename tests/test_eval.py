"""`claimdiff eval`: gold against itself scores 1.0, and each change to a run costs exactly what it should.

The "run" in these tests is the gold claims themselves, imported into a store the way
`claimdiff import` does, then altered one claim at a time; conflicts come from reconciling them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.evaluate import EventRule, Report, evaluate, load_gold
from extractor.evaluate.conflicts import passages_overlap
from extractor.importer import load_claims_jsonl
from extractor.jobs import reconcile_store
from extractor.records import (
    Article,
    Claim,
    ClaimKind,
    Conflict,
    ConflictKind,
    ConflictSide,
    DurationQualifier,
    DurationValue,
    Severity,
)
from extractor.store import Store

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "fixtures" / "gold"


def _store(path: Path, articles: list[Article], claims: list[Claim]) -> Store:
    store = Store(path)
    for a in articles:
        store.add_article(a)
    by_article: dict[str, list[Claim]] = {}
    for c in claims:
        by_article.setdefault(c.article_id, []).append(c)
    for article_id, cs in by_article.items():
        store.save_claims(article_id, "import:test", None, cs, model="import", prompt="import:test")
    return store


@pytest.fixture(scope="module")
def gold_claims(seed_articles: list[Article]) -> list[Claim]:
    return [c for cs in load_claims_jsonl(GOLD / "claims.jsonl", seed_articles).values() for c in cs]


@pytest.fixture(scope="module")
def gold_store(
    tmp_path_factory: pytest.TempPathFactory, seed_articles: list[Article], gold_claims: list[Claim]
) -> Store:
    store = _store(tmp_path_factory.mktemp("gold") / "gold.db", seed_articles, gold_claims)
    reconcile_store(store)
    return store


def _report(store: Store, rule: EventRule = EventRule.COMPATIBLE) -> Report:
    gold = load_gold(GOLD, store.articles())
    return evaluate(gold, store.current_claims(), store.conflicts(), store.events(), rule=rule)


def test_gold_against_itself_scores_one(gold_store: Store) -> None:
    report = _report(gold_store)
    for kind, score in report.claims_by_kind.items():
        assert (score.precision, score.recall, score.gold) == (1.0, 1.0, score.found), kind
    assert report.claims_by_kind["all"].gold == 216
    assert all(o.found for o in report.outcomes), [(o.item.id, o.note) for o in report.outcomes]
    assert report.conflicts_by_severity["all"].recall == 1.0
    # Only S1-S5 are annotated as conflicts; anything else serious would be a false alarm.
    assert report.conflicts_by_severity["high"].precision == 1.0
    assert report.conflicts_by_severity["medium"].precision == 1.0
    assert report.false_alarms == {}


def test_strict_events_also_score_one_on_gold(gold_store: Store) -> None:
    report = _report(gold_store, EventRule.STRICT)
    assert report.claims_by_kind["all"].recall == 1.0
    assert report.claims_by_kind["all"].precision == 1.0


def test_a_missing_claim_costs_exactly_its_recall(
    tmp_path: Path, seed_articles: list[Article], gold_claims: list[Claim]
) -> None:
    dropped = next(c for c in gold_claims if c.kind is ClaimKind.ORDINAL)
    store = _store(tmp_path / "run.db", seed_articles, [c for c in gold_claims if c.id != dropped.id])
    report = _report(store)
    n = sum(c.kind is ClaimKind.ORDINAL for c in gold_claims)
    ordinal = report.claims_by_kind["ordinal"]
    assert (ordinal.gold, ordinal.found, ordinal.matched) == (n, n - 1, n - 1)
    assert ordinal.recall == (n - 1) / n and ordinal.precision == 1.0
    assert report.claims_by_kind["all"].recall == 215 / 216
    others = {k: s for k, s in report.claims_by_kind.items() if k not in ("ordinal", "all")}
    assert all(s.recall == 1.0 and s.precision == 1.0 for s in others.values())


def test_a_wrong_value_costs_precision_and_recall(
    tmp_path: Path, seed_articles: list[Article], gold_claims: list[Claim]
) -> None:
    target = next(c for c in gold_claims if c.kind is ClaimKind.DURATION)
    assert isinstance(target.value, DurationValue)
    # A duration far from the stated one: the intervals cannot overlap.
    wrong = DurationValue(text="ten hours", minutes=600, low=600, high=600, qualifier=DurationQualifier.EXACT)
    altered = [c.model_copy(update={"value": wrong}) if c.id == target.id else c for c in gold_claims]
    report = _report(_store(tmp_path / "run.db", seed_articles, altered))
    n = sum(c.kind is ClaimKind.DURATION for c in gold_claims)
    score = report.claims_by_kind["duration"]
    assert (score.gold, score.found, score.matched) == (n, n, n - 1)
    assert score.precision == (n - 1) / n and score.recall == (n - 1) / n


def test_a_wrong_side_does_not_match(
    tmp_path: Path, seed_articles: list[Article], gold_claims: list[Claim]
) -> None:
    target = next(c for c in gold_claims if c.kind is ClaimKind.STATEMENT)
    moved = target.model_copy(
        update={"attribution": target.attribution.model_copy(update={"side": "Somebody Else"})}
    )
    altered = [moved if c.id == target.id else c for c in gold_claims]
    score = _report(_store(tmp_path / "run.db", seed_articles, altered)).claims_by_kind["statement"]
    assert score.matched == score.gold - 1 == score.found - 1


def test_an_undated_claim_is_compatible_but_not_strictly_equal(
    tmp_path: Path, seed_articles: list[Article], gold_claims: list[Claim]
) -> None:
    target = next(c for c in gold_claims if c.kind is ClaimKind.DURATION and c.event.date is not None)
    undated = target.model_copy(update={"event": target.event.model_copy(update={"date": None})})
    store = _store(
        tmp_path / "run.db", seed_articles, [undated if c.id == target.id else c for c in gold_claims]
    )
    n = sum(c.kind is ClaimKind.DURATION for c in gold_claims)
    assert _report(store, EventRule.COMPATIBLE).claims_by_kind["duration"].matched == n
    assert _report(store, EventRule.STRICT).claims_by_kind["duration"].matched == n - 1


def test_passages_overlap_by_containment_or_four_shared_words() -> None:
    assert passages_overlap("their first contact", "It was their first contact in years.")
    assert passages_overlap(
        "For the first time in nearly three years, Macron called", "their first contact in nearly three years"
    )
    assert not passages_overlap("the war in Ukraine began", "a call about the war")


TINY_TEXT = (
    "Alpha Daily, 3 March 2025. Donald Trump and Vladimir Putin spoke by phone on March 2, 2025. "
    "The call lasted about an hour, the Kremlin said. They discussed energy cooperation."
)
OTHER_TEXT = "Beta Times. Trump and Putin held a call on March 4, 2025 that lasted two hours."


def _line(article: str, kind: str, quote: str, **extra: object) -> str:
    fields = {
        "article": article,
        "kind": kind,
        "quote": quote,
        "participants": ["Donald Trump", "Vladimir Putin"],
    }
    return json.dumps(fields | extra)


def _tiny_gold(root: Path) -> Path:
    folder = root / "tinygold"
    folder.mkdir()
    (folder / "claims.jsonl").write_text(
        "\n".join(
            [
                _line(
                    "alpha.txt",
                    "event",
                    "Donald Trump and Vladimir Putin spoke by phone on March 2, 2025.",
                    value_text="March 2, 2025",
                    event_date="March 2, 2025",
                    channel="phone_call",
                ),
                _line(
                    "alpha.txt",
                    "duration",
                    "The call lasted about an hour, the Kremlin said.",
                    speaker="the Kremlin",
                    value_text="about an hour",
                    event_date="March 2, 2025",
                ),
                _line(
                    "alpha.txt",
                    "topic_discussed",
                    "They discussed energy cooperation.",
                    topic="energy cooperation",
                    event_date="March 2, 2025",
                ),
                _line(
                    "beta.txt",
                    "event",
                    "Trump and Putin held a call on March 4, 2025 that lasted two hours.",
                    value_text="March 4, 2025",
                    event_date="March 4, 2025",
                ),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    item = {
        "id": "T1",
        "kind": "date",
        "severity": "high",
        "articles": ["alpha.txt", "beta.txt"],
        "quotes": ["spoke by phone on March 2, 2025", "held a call on March 4, 2025"],
        "event": {
            "participants": ["Donald Trump", "Vladimir Putin"],
            "channel": "phone_call",
            "date": "2025-03-02",
        },
        "description": "two dates for one call",
    }
    (folder / "conflicts.jsonl").write_text(json.dumps(item) + "\n", encoding="utf-8")
    look_alike = item | {
        "id": "L1",
        "kind": "duration",
        "severity": "medium",
        "quotes": ["lasted about an hour", "lasted two hours"],
    }
    (folder / "non_conflicts.jsonl").write_text(json.dumps(look_alike) + "\n", encoding="utf-8")
    return folder


def _side(article: Article, sentence: str) -> ConflictSide:
    start = article.text.index(sentence)
    return ConflictSide(
        claim_id="x", article_id=article.id, side="s", quote=sentence, start=start, end=start + len(sentence)
    )


def test_a_new_tiny_annotated_set(tmp_path: Path) -> None:
    folder = _tiny_gold(tmp_path)
    alpha = Article.from_text(TINY_TEXT, str(tmp_path / "alpha.txt"), outlet="Alpha Daily")
    beta = Article.from_text(OTHER_TEXT, str(tmp_path / "beta.txt"), outlet="Beta Times")
    unrelated = Article.from_text(
        "Gamma. Nothing annotated here on May 5, 2025.", str(tmp_path / "gamma.txt")
    )
    gold = load_gold(folder, [alpha, beta, unrelated])
    assert gold.article_ids == {alpha.id, beta.id} and gold.missing == []
    # The run: the gold claims minus the topic, plus a claim in an article nobody annotated (ignored).
    run = [c for c in gold.claims if c.kind is not ClaimKind.TOPIC_DISCUSSED]
    stray = (
        load_gold(folder, [alpha, beta])
        .claims[0]
        .model_copy(update={"article_id": unrelated.id, "id": "stray"})
    )
    date_conflict = Conflict(
        id="c1",
        kind=ConflictKind.DATE,
        severity=Severity.HIGH,
        detector="t",
        explanation="",
        sides=[
            _side(alpha, "Donald Trump and Vladimir Putin spoke by phone on March 2, 2025."),
            _side(beta, "Trump and Putin held a call on March 4, 2025 that lasted two hours."),
        ],
    )
    duration_alarm = date_conflict.model_copy(
        update={
            "id": "c2",
            "kind": ConflictKind.DURATION,
            "severity": Severity.MEDIUM,
            "sides": [
                _side(alpha, "The call lasted about an hour, the Kremlin said."),
                date_conflict.sides[1],
            ],
        }
    )
    report = evaluate(gold, [*run, stray], [date_conflict, duration_alarm])
    assert report.claims_by_kind["all"].gold == 4 and report.claims_by_kind["all"].found == 3
    assert report.claims_by_kind["topic_discussed"].recall == 0.0
    assert report.claims_by_kind["event"].precision == 1.0 and report.claims_by_kind["event"].recall == 1.0
    assert [o.found for o in report.outcomes] == [True]
    assert report.conflicts_by_severity["high"].precision == 1.0
    assert report.conflicts_by_severity["medium"].precision == 0.0
    assert list(report.false_alarms) == ["L1"]


def test_a_discrepancy_flagged_with_the_wrong_severity_is_missed(tmp_path: Path) -> None:
    folder = _tiny_gold(tmp_path)
    alpha = Article.from_text(TINY_TEXT, str(tmp_path / "alpha.txt"))
    beta = Article.from_text(OTHER_TEXT, str(tmp_path / "beta.txt"))
    gold = load_gold(folder, [alpha, beta])
    medium = Conflict(
        id="c1",
        kind=ConflictKind.DATE,
        severity=Severity.MEDIUM,
        detector="t",
        explanation="",
        sides=[
            _side(alpha, "Donald Trump and Vladimir Putin spoke by phone on March 2, 2025."),
            _side(beta, "Trump and Putin held a call on March 4, 2025 that lasted two hours."),
        ],
    )
    report = evaluate(gold, gold.claims, [medium])
    assert report.conflicts_by_severity["high"].recall == 0.0
    assert report.conflicts_by_severity["medium"].precision == 0.0
    assert "severity medium, not high" in report.outcomes[0].note


def test_a_gold_article_missing_from_the_store_is_named_and_skipped(tmp_path: Path) -> None:
    folder = _tiny_gold(tmp_path)
    alpha = Article.from_text(TINY_TEXT, str(tmp_path / "alpha.txt"))
    gold = load_gold(folder, [alpha])
    assert gold.missing == ["beta.txt"]
    assert gold.article_ids == {alpha.id} and len(gold.claims) == 3
    assert gold.conflicts == []  # T1 needs beta: not checkable


def test_cli_eval_prints_tables_and_json(gold_store: Store) -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["eval", "--gold", str(GOLD), "--db", gold_store.path])
    assert table.exit_code == 0, table.output
    assert "claims per kind" in table.output and "conflicts per severity" in table.output
    as_json = runner.invoke(cli, ["eval", "--gold", str(GOLD), "--db", gold_store.path, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)
    total = next(r for r in rows if r["table"] == "claims" and r["kind"] == "all")
    assert (total["precision"], total["recall"], total["gold"]) == (1.0, 1.0, 216)
    assert {r["id"] for r in rows if r["table"] == "non_conflicts"} == {"N1", "N2", "N3", "N4", "N5"}


def test_cli_eval_refuses_a_missing_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", "--gold", str(GOLD), "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no such database" in result.output
