"""A review database with real conflicts and no model: the five seeds with their gold claims, plus one
hostile article whose quoted text carries markup that must stay text wherever it is shown.

Built the way a user would (`claimdiff import` of hand-written claims, then `claimdiff reconcile`), in
well under a second.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from extractor.importer import load_claims_jsonl
from extractor.ingest import read_article
from extractor.jobs import reconcile_store
from extractor.records import Conflict
from extractor.store import Store
from tests.conftest import ROOT, SEEDS

GOLD_CLAIMS = ROOT / "fixtures" / "gold" / "claims.jsonl"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
HOSTILE_TITLE = 'HOSTILE WIRE <b id="pwned-title">bold</b> & "quotes"'
# 8 July 2025 was a Tuesday: the reconciler flags the weekday, so this quote is a conflict's evidence.
HOSTILE_QUOTE = (
    f"On Monday, July 8, 2025, Donald Trump spoke by phone with Vladimir Putin {SCRIPT}{IMG} about Ukraine."
)
HOSTILE_NAME = "005_hostile.txt"


@dataclass
class ReviewData:
    db: Path
    s1: str  # the high date conflict: 002 says July 2, 2025, the Kremlin (004) 2025-07-03
    hostile: str  # the conflict quoting the hostile article


def _s1(conflicts: list[Conflict], names: dict[str, str]) -> str:
    found = [
        c.id
        for c in conflicts
        if c.kind.value == "date"
        and c.severity.value == "high"
        and {names[s.article_id][:3] for s in c.sides} == {"002", "004"}
    ]
    assert len(found) == 1, f"expected one high date conflict between 002 and 004, got {found}"
    return found[0]


def build_review_db(folder: Path) -> ReviewData:
    folder.mkdir(parents=True, exist_ok=True)
    hostile = folder / HOSTILE_NAME
    hostile.write_text(f"{HOSTILE_TITLE}\n\n{HOSTILE_QUOTE}\n", encoding="utf-8")
    claims = folder / "claims.jsonl"
    hostile_claim = {
        "article": HOSTILE_NAME,
        "kind": "event",
        "quote": HOSTILE_QUOTE,
        "speaker": None,
        "side": "Hostile Wire",
        "participants": ["Donald Trump", "Vladimir Putin"],
        "channel": "phone_call",
        "event_date": "On Monday, July 8, 2025",
        "value_text": "Monday, July 8, 2025",
        "topic": None,
        "summary": f"a call {SCRIPT}",
    }
    claims.write_text(
        GOLD_CLAIMS.read_text(encoding="utf-8").rstrip("\n") + "\n" + json.dumps(hostile_claim) + "\n",
        encoding="utf-8",
    )
    db = folder / "review.db"
    store = Store(db)
    try:
        for path in [*sorted(SEEDS.glob("*.txt")), hostile]:
            store.add_article(read_article(path))
        for article_id, found in load_claims_jsonl(claims, store.articles()).items():
            store.save_claims(article_id, "import:test", None, found, model="import", prompt="import:test")
        reconcile_store(store)
        conflicts = store.conflicts()
        names = {a.id: Path(a.source).name for a in store.articles()}
    finally:
        store.close()
    with_hostile = [c.id for c in conflicts if any(SCRIPT in s.quote for s in c.sides)]
    assert len(with_hostile) == 1, f"the hostile quote should be one conflict's evidence, got {with_hostile}"
    return ReviewData(db=db, s1=_s1(conflicts, names), hostile=with_hostile[0])
