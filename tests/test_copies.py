"""A republished copy is not a second source: found when added, not sent to the model, its claims
carried over and verified at their new offsets, and no conflict of its own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.copies import align
from extractor.copies.find import find_copies
from extractor.ingest import read_article
from extractor.records import Article, GroundingStatus
from extractor.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = "002_a9cd37bf453c0c8e.txt"
# Boilerplate an aggregator adds around a story it republishes (written for this test).
HEADER = "WORLD | Diplomacy | Russia\nPosted by Newsdesk, 3 min read\n\n"
FOOTER = (
    "\n\nTags: Trump, Putin, Ukraine, Iran\nPhoto: handout\n"
    "Share this story. Subscribe to our newsletter for more updates.\n"
    "© 2025 Aggregator Media. All rights reserved.\n"
)


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def _seed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, folder / p.name)
    return folder


def test_a_republished_seed_is_a_copy_with_no_call_and_no_conflict(runner: CliRunner, tmp_path: Path) -> None:
    folder = _seed_folder(tmp_path)
    first = runner.invoke(cli, ["run", str(folder), "--db", "c.db"])
    assert first.exit_code == 0, first.output
    store = Store(tmp_path / "c.db")
    calls, conflicts = store.calls_count(), {c.id: c.explanation for c in store.conflicts()}
    events = len(store.events())
    store.close()

    original_text = (SEEDS / SEED).read_text(encoding="utf-8")
    (folder / "republished.txt").write_text(HEADER + original_text + FOOTER, encoding="utf-8")
    again = runner.invoke(cli, ["run", str(folder), "--db", "c.db"])
    assert again.exit_code == 0, again.output  # no recording exists for the copy: a call would fail
    assert "republished.txt is a copy of 002" in again.stderr

    store = Store(tmp_path / "c.db")
    copy = store.article("republished.txt")
    original = store.article(SEED)
    assert copy is not None and original is not None
    relation = store.copy_of(copy.id)
    assert relation is not None and relation.original_id == original.id and not relation.edited
    assert store.calls_count() == calls, "the copy was not sent to the model"
    assert {c.id: c.explanation for c in store.conflicts()} == conflicts, "the copy adds no conflict"
    assert len(store.events()) == events

    carried = store.current_claims([copy.id])
    source = store.current_claims([original.id])
    assert len(carried) == len(source)
    shift = len(HEADER)
    for c in carried:
        assert c.origin.source == "carried"
        assert c.evidence.status is GroundingStatus.VERIFIED
        assert c.evidence.start is not None and c.evidence.end is not None
        assert copy.text[c.evidence.start : c.evidence.end] == c.evidence.quote
    moved = {(c.evidence.start or 0) - shift for c in carried}
    assert moved == {c.evidence.start for c in source}, "each quote sits at its new offset in the copy"
    # an event reported by 002 says who republished it, rather than listing a second source
    assert any(copy.id in e.republished_by for e in store.events() if original.id in e.article_ids)


def test_an_edited_copy_sends_only_its_edit_to_the_model(tmp_path: Path) -> None:
    original = read_article(SEEDS / SEED)
    edited_text = original.text.replace("July 2, 2025", "July 1, 2025", 1)
    copy = Article.from_text(HEADER + edited_text + FOOTER, "edited.txt")
    result = align(original.text, copy.text)
    assert result.is_copy and result.edited
    assert len(result.edited_spans) == 1
    start, end = result.edited_spans[0]
    assert "July 1, 2025" in copy.text[start:end]
    assert all("Tags:" not in copy.text[s:e] for s, e in result.edited_spans)


def test_two_reports_quoting_one_long_readout_are_not_copies(tmp_path: Path) -> None:
    readout = (
        "The two presidents discussed the situation in the Middle East in detail, including the "
        "conflict around Iran's nuclear programme and the need to settle it by political and "
        "diplomatic means. They agreed to keep in touch at the level of their aides and to continue "
        "the dialogue on a broad range of bilateral and international issues, the readout said. "
        "Both sides noted the businesslike and constructive character of the conversation."
    )
    one = Article.from_text(
        "Moscow reported a phone call between the two leaders on Thursday evening. "
        + readout
        + " Analysts in Moscow said the call showed that channels of communication remain open despite "
        "the sharp differences over sanctions, and that a meeting could follow in the autumn.",
        "one.txt",
    )
    two = Article.from_text(
        "Washington confirmed the conversation but gave few details of its own. "
        + readout
        + " Officials in Washington declined to say whether the president raised the fate of detained "
        "citizens, and a spokeswoman said only that the administration would keep working with allies.",
        "two.txt",
    )
    assert not align(one.text, two.text).is_copy
    assert not align(two.text, one.text).is_copy
    store = Store(tmp_path / "n.db")
    for a in (one, two):
        store.add_article(a)
    assert find_copies(store, [one, two]) == []
    assert store.copies() == {}


def test_status_events_report_and_page_say_republished_by(runner: CliRunner, tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from extractor.web import create_app

    folder = _seed_folder(tmp_path)
    original_text = (SEEDS / SEED).read_text(encoding="utf-8")
    (folder / "republished.txt").write_text(HEADER + original_text + FOOTER, encoding="utf-8")
    done = runner.invoke(cli, ["run", str(folder), "--db", "c.db"])
    assert done.exit_code == 0, done.output
    status = runner.invoke(cli, ["status", "--db", "c.db", "--format", "json"])
    assert '"republished by": "republished.txt"' in status.stdout
    events = runner.invoke(cli, ["events", "--db", "c.db", "--format", "json"])
    assert "(republished by republished.txt)" in events.stdout
    report = runner.invoke(cli, ["report", "--db", "c.db", "--out", "rep"])
    assert report.exit_code == 0, report.output
    assert "republished by republished.txt" in (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")
    store = Store(tmp_path / "c.db")
    conflict = next(c for c in store.conflicts() if c.event_id and any(
        e.id == c.event_id and e.republished_by for e in store.events()))  # fmt: skip
    store.close()
    page = TestClient(create_app(tmp_path / "c.db", "ana"), base_url="http://127.0.0.1:8000")
    assert "republished by republished.txt" in page.get(f"/conflicts/{conflict.id}").text


def test_an_edited_copy_is_compared_only_where_it_differs(tmp_path: Path) -> None:
    from extractor.importer import load_claims_jsonl
    from extractor.reconcile import reconcile
    from extractor.records import ConflictKind, CopyRelation

    original = Article.from_text("Trump and Putin spoke on July 3, 2025. The call lasted an hour.", "o.txt")
    text = "NEWS | World\nTrump and Putin spoke on July 2, 2025. The call lasted an hour.\nTags: Russia"
    copy = Article.from_text(text, "c.txt")
    tp = {"participants": ["Donald Trump", "Vladimir Putin"], "channel": "phone_call"}
    lines = [
        {
            "article": "o.txt",
            "kind": "event",
            "quote": "Trump and Putin spoke on July 3, 2025",
            "event_date": "July 3, 2025",
            **tp,
        },
        {
            "article": "o.txt",
            "kind": "duration",
            "quote": "The call lasted an hour",
            "value_text": "an hour",
            **tp,
        },
        {
            "article": "c.txt",
            "kind": "event",
            "quote": "Trump and Putin spoke on July 2, 2025",
            "event_date": "July 2, 2025",
            **tp,
        },
        {
            "article": "c.txt",
            "kind": "duration",
            "quote": "The call lasted an hour",
            "value_text": "an hour",
            **tp,
        },
    ]
    jsonl = tmp_path / "claims.jsonl"
    jsonl.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    claims = [c for cs in load_claims_jsonl(jsonl, [original, copy]).values() for c in cs]
    # a relation as find_copies records it for an edited copy (the texts here are too short to align)
    relation = CopyRelation(
        article_id=copy.id, original_id=original.id, similarity=0.9, containment=0.95, edited=True
    )
    out = reconcile(claims, [original, copy], copies={copy.id: relation})
    (conflict,) = out.conflicts
    assert conflict.kind == ConflictKind.DATE and "edited copy" in conflict.explanation
    # the unchanged sentence is the original's: the copy is not a second source for the duration
    (event,) = [e for e in out.events if e.date is not None]
    duration_sources = {
        c.article_id for c in claims if c.kind.value == "duration" and c.id in event.claim_ids
    }
    assert duration_sources == {original.id}
