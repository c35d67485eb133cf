from __future__ import annotations

from pathlib import Path

import pytest

from extractor.records import (
    Article,
    Attribution,
    Conflict,
    ConflictKind,
    ConflictSide,
    EventRef,
    Evidence,
    Origin,
    Severity,
)
from extractor.records.claim import Claim, ClaimKind
from extractor.store import Store
from extractor.store.migrations import MIGRATIONS


def claim(article: Article, n: int) -> Claim:
    return Claim(
        id=f"c{n}",
        article_id=article.id,
        kind=ClaimKind.EVENT,
        attribution=Attribution(side="Kremlin"),
        event=EventRef(),
        evidence=Evidence(quote=f"q{n}"),
        origin=Origin(source="model"),
    )


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    Store(tmp_path / "a.db").close()
    store = Store(tmp_path / "a.db")
    names = [r[0] for r in store.db.execute("SELECT name FROM _migrations")]
    assert names == [n for n, _ in MIGRATIONS]
    if store.dialect == "sqlite":
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_claims_and_done_mark_are_one_transaction(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    a = Article.from_text("text", source="a.txt")
    store.add_article(a)
    store.save_claims(a.id, "old", None, [claim(a, 9)])
    with pytest.raises(AttributeError):  # a failure half-way through writing the claim set
        store.save_claims(a.id, "k", None, [claim(a, 1), None])  # type: ignore[list-item]
    assert store.extraction_status(a.id, "k") is None
    assert [c.id for c in store.current_claims()] == ["c9"]
    store.save_claims(a.id, "k", None, [claim(a, 1), claim(a, 2)])
    assert store.extraction_status(a.id, "k") == "done"
    assert [c.id for c in store.current_claims()] == ["c1", "c2"]


def test_latest_extraction_is_current(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    a = Article.from_text("text", source="a.txt")
    store.add_article(a)
    store.save_claims(a.id, "old", None, [claim(a, 1)])
    store.save_claims(a.id, "new", None, [claim(a, 2)])  # within the same second
    assert [c.id for c in store.current_claims()] == ["c2"]
    store.save_claims(a.id, "old", None, [claim(a, 1)])  # re-written: current again
    assert [c.id for c in store.current_claims()] == ["c1"]


def test_duplicate_article_is_stored_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    a = Article.from_text("same text", source="a.txt")
    assert store.add_article(a) is True
    assert store.add_article(Article.from_text("same  text", source="b.txt")) is False
    assert len(store.articles()) == 1


def test_reconciliation_upserts_by_stable_id(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    side = ConflictSide(claim_id="c1", article_id="a", side="Kremlin", quote="q", start=0, end=1)
    c = Conflict(
        id="x1", kind=ConflictKind.DATE, severity=Severity.HIGH, sides=[side], explanation="e", detector="d"
    )
    assert store.save_reconciliation([], [c])["new"] == 1
    again = store.save_reconciliation([], [c])
    assert again["new"] == 0 and again["kept"] == 1
    moved = c.model_copy(update={"sides": [side.model_copy(update={"start": 5, "end": 6})]})
    assert store.save_reconciliation([], [moved])["changed"] == 1
    assert store.save_reconciliation([], [])["gone"] == 1
    assert store.conflicts() == [] and len(store.conflicts(include_inactive=True)) == 1
    assert store.integrity_ok()


def test_a_forced_batch_does_not_redo_what_another_forced_batch_did(tmp_path: Path) -> None:
    """Two `claimdiff run --force` on one database: neither takes what the other holds or has done."""
    store = Store(tmp_path / "a.db")
    a = Article.from_text("text", source="a.txt")
    store.add_article(a)
    store.save_claims(a.id, "k", None, [claim(a, 1)])  # an earlier run's: --force redoes it
    started = "2000-01-01T00:00:00+00:00"  # both forced batches began before either finished it

    def take(owner: str, since: str | None = started) -> str:
        return store.take_extraction(
            a.id, "k", owner=owner, run_id=None, lease_seconds=60, force=True, forced_since=since
        )

    store.db.execute(
        "UPDATE extractions SET updated_at=? WHERE article_id=?", ("1999-12-31T00:00:00+00:00", a.id)
    )
    assert take("first") == "taken"
    assert take("second") == "busy"  # in flight with the first: its lease holds under --force
    store.save_claims(a.id, "k", None, [claim(a, 2)])  # the first finishes
    assert take("second") == "done"  # done since the second began: not extracted twice
    assert take("third", since=None) == "taken"  # a plain --force, with no batch start, redoes it
