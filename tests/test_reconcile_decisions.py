"""A reviewer's decision never vanishes when a later reconcile finds the conflict again with more
evidence, or no longer finds it: it is inherited, or the old conflict stays listed with why."""

from __future__ import annotations

import json
from pathlib import Path

from extractor.importer import load_claims_jsonl
from extractor.ingest import read_article
from extractor.jobs import reconcile_store
from extractor.records import Article, ConflictKind, ReviewStatus
from extractor.review.view import conflict_views
from extractor.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "fixtures" / "gold"
# A synthetic report, written for this test: it dates the seeds' 3 July 2025 call to 4 July.
THIRD_DATE = (
    "President Donald Trump and Russian President Vladimir Putin spoke by phone on July 4, 2025, "
    "discussing Ukraine, Iran and energy and space projects."
)


def _store_with_gold(path: Path) -> tuple[Store, list[Article]]:
    seeds = [read_article(p) for p in sorted(SEEDS.glob("*.txt"))]
    store = Store(path)
    for a in seeds:
        store.add_article(a)
    for article_id, claims in load_claims_jsonl(GOLD / "claims.jsonl", seeds).items():
        store.save_claims(article_id, "gold", None, claims, model="import", prompt="gold")
    return store, seeds


def _s1(store: Store, names: dict[str, str]) -> str:
    """The date conflict between 002 and 004 over the 3 July call (S1)."""
    found = [
        c
        for c in store.conflicts()
        if c.kind == ConflictKind.DATE and {names[s.article_id][:3] for s in c.sides} >= {"002", "004"}
    ]
    assert len(found) == 1, [c.explanation for c in found]
    return found[0].id


def test_a_report_dating_the_3_july_call_4_july_keeps_one_event_and_the_decision(tmp_path: Path) -> None:
    store, seeds = _store_with_gold(tmp_path / "d.db")
    names = {a.id: Path(a.source).name for a in seeds}
    reconcile_store(store)
    s1 = _s1(store, names)
    store.decide(s1, ReviewStatus.CONFIRMED, reviewer="ana", note="the Kremlin readout says 3 July")

    report = Article.from_text(THIRD_DATE, "fourth-of-july.txt")
    store.add_article(report)
    names[report.id] = "fourth-of-july.txt"
    line = {
        "article": "fourth-of-july.txt",
        "kind": "event",
        "quote": THIRD_DATE.split(",")[0] + ", 2025",
        "speaker": None,
        "side": None,
        "participants": ["Donald Trump", "Vladimir Putin"],
        "channel": "phone_call",
        "event_date": "July 4, 2025",
        "value_text": "July 4, 2025",
        "topic": None,
        "summary": "Trump and Putin spoke on 4 July 2025.",
    }
    jsonl = tmp_path / "new.jsonl"
    jsonl.write_text(json.dumps(line) + "\n", encoding="utf-8")
    for article_id, claims in load_claims_jsonl(jsonl, store.articles()).items():
        store.save_claims(article_id, "gold", None, claims, model="import", prompt="gold")
    reconcile_store(store)

    july = [e for e in store.events() if e.date and e.date.isoformat().startswith("2025-07-0")]
    calls = [e for e in july if set(e.participants) == {"Donald Trump", "Vladimir Putin"}]
    assert len(calls) == 1, [(e.date, e.article_ids) for e in calls]
    (call,) = calls
    assert report.id in call.article_ids
    dated = [c for c in store.conflicts() if c.kind == ConflictKind.DATE and c.event_id == call.id]
    assert len(dated) == 1
    new = dated[0]
    assert {names[s.article_id][:3] for s in new.sides} >= {"002", "004", "fou"}

    # the new conflict inherits the decision; the old one stays listed, marked, with where it went
    decision = store.decision(new.id)
    assert decision is not None and decision.status == ReviewStatus.CONFIRMED
    assert decision.reviewer == "ana" and decision.note == "the Kremlin readout says 3 July"
    assert decision.reason is not None and s1 in decision.reason
    views = {v.id: v for v in conflict_views(store)}
    assert s1 in views and not views[s1].active
    assert views[s1].status == ReviewStatus.CONFIRMED
    assert views[s1].superseded_by == new.id
    assert views[s1].gone_reason is not None and new.id in views[s1].gone_reason


def test_a_decided_conflict_no_longer_found_stays_listed_with_its_status(tmp_path: Path) -> None:
    store, seeds = _store_with_gold(tmp_path / "d.db")
    names = {a.id: Path(a.source).name for a in seeds}
    reconcile_store(store)
    s1 = _s1(store, names)
    store.decide(s1, ReviewStatus.DISMISSED, reviewer="ana", note="one outlet's slip")
    # 002's claims are withdrawn: nothing disputes the date any more
    a002 = next(a for a in seeds if names[a.id].startswith("002"))
    store.save_claims(a002.id, "gold", None, [], model="import", prompt="gold")
    reconcile_store(store)

    assert s1 not in {c.id for c in store.conflicts()}
    assert s1 in {c.id for c in store.conflicts(decided_gone=True)}
    view = next(v for v in conflict_views(store) if v.id == s1)
    assert view.status == ReviewStatus.DISMISSED and not view.active
    assert view.gone_reason is not None and "no longer found" in view.gone_reason
    assert view.superseded_by is None
    # an undecided conflict that is gone is not listed
    assert all(v.active or v.status != ReviewStatus.OPEN for v in conflict_views(store))


def _store_with_an_unplaced_account(path: Path) -> tuple[Store, str]:
    """The seeds' gold claims plus a synthetic report of a Trump–Putin call 'on Monday' that states
    no other detail: the 19 May 2025 call was a Monday, but a weekday alone is too little evidence."""
    store, _ = _store_with_gold(path)
    text = "Trump and Putin spoke by phone on Monday, the Kremlin said."
    report = Article.from_text(text, "monday-call.txt")
    store.add_article(report)
    line = {
        "article": "monday-call.txt",
        "kind": "event",
        "quote": "Trump and Putin spoke by phone on Monday",
        "speaker": None,
        "side": None,
        "participants": ["Donald Trump", "Vladimir Putin"],
        "channel": "phone_call",
        "event_date": "on Monday",
        "value_text": "on Monday",
        "topic": None,
        "summary": "Trump and Putin spoke on a Monday.",
    }
    jsonl = path.parent / "monday.jsonl"
    jsonl.write_text(json.dumps(line) + "\n", encoding="utf-8")
    for article_id, claims in load_claims_jsonl(jsonl, store.articles()).items():
        store.save_claims(article_id, "gold", None, claims, model="import", prompt="gold")
    reconcile_store(store)
    return store, report.id


def test_an_unplaced_account_is_listed_with_its_candidates_everywhere(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from starlette.testclient import TestClient

    from extractor.cli import cli
    from extractor.review import unplaced_accounts
    from extractor.web import create_app

    db = tmp_path / "u.db"
    store, report_id = _store_with_an_unplaced_account(db)
    mine = [e for e in store.events() if e.unplaced and report_id in e.article_ids]
    assert len(mine) == 1, "an account that fits no event is kept apart, never merged silently"
    (event,) = mine
    assert event.unplaced_reason
    assert event.date is None
    views = [u for u in unplaced_accounts(store) if "monday-call.txt" in u.articles]
    assert len(views) == 1 and views[0].reason == event.unplaced_reason
    store.close()

    listed = CliRunner().invoke(cli, ["events", "--unplaced", "--db", str(db), "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = [r for r in json.loads(listed.stdout) if "monday-call.txt" in r["article"]]
    assert len(rows) == 1 and rows[0]["why"] == event.unplaced_reason

    out = tmp_path / "report"
    made = CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(out)])
    assert made.exit_code == 0, made.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert f'id="unplaced-{event.id}"' in html and "monday-call.txt" in html

    page = TestClient(create_app(db, "ana"), base_url="http://127.0.0.1:8000").get("/")
    assert page.status_code == 200
    assert f'id="unplaced-{event.id}"' in page.text and "Unplaced accounts" in page.text
