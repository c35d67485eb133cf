"""Review decisions in the store: history, versions, and what a re-reconciliation does to them."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.errors import NotFoundError, StaleDecisionError, UserError
from extractor.records import Conflict, ConflictKind, ConflictSide, ReviewStatus, Severity
from extractor.store import Store


def conflict(cid: str = "c0123456789ab", quote_b: str = "on 3 July", start_b: int = 10) -> Conflict:
    return Conflict(
        id=cid,
        kind=ConflictKind.DATE,
        severity=Severity.HIGH,
        event_id="ev-1",
        sides=[
            ConflictSide(claim_id="a1", article_id="A", side="Élysée", quote="on 2 July", start=0, end=9),
            ConflictSide(
                claim_id="b1", article_id="B", side="Kremlin", quote=quote_b, start=start_b, end=start_b + 9
            ),
        ],
        explanation="2 July against 3 July",
        detector="date",
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "r.db")
    s.save_reconciliation([], [conflict(), conflict("c0129999999aa")])
    return s


def test_undecided_conflict_is_open_with_empty_history(store: Store) -> None:
    assert store.decision("c0123456789ab") is None
    assert store.status_of("c0123456789ab") is ReviewStatus.OPEN
    assert store.history("c0123456789ab") == []


def test_decisions_are_appended_and_the_latest_is_current(store: Store) -> None:
    first = store.decide("c0123456789ab", "confirmed", reviewer="ana", note="readouts differ")
    second = store.decide("c0123456789ab", ReviewStatus.DISMISSED, reviewer="ben", expect=first.id)
    history = store.history("c0123456789ab")
    assert [(d.reviewer, d.status) for d in history] == [
        ("ana", ReviewStatus.CONFIRMED),
        ("ben", ReviewStatus.DISMISSED),
    ]
    assert history[0].note == "readouts differ" and history[0].evidence_hash
    assert store.decision("c0123456789ab") == second
    assert store.current_decisions() == {"c0123456789ab": second}
    assert store.status_of("c0129999999aa") is ReviewStatus.OPEN


def test_a_stale_version_is_refused_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    other = Store(tmp_path / "r.db")  # a second reviewer on the same database
    seen = 0
    store.decide("c0123456789ab", "confirmed", reviewer="ana", expect=seen)
    with pytest.raises(StaleDecisionError, match="ana set it to confirmed"):
        other.decide("c0123456789ab", "dismissed", reviewer="ben", expect=seen)
    assert [d.reviewer for d in other.history("c0123456789ab")] == ["ana"]


def test_resolved_needs_a_note_and_a_decision_needs_a_reviewer(store: Store) -> None:
    with pytest.raises(UserError, match="note"):
        store.decide("c0123456789ab", "resolved", reviewer="ana", note="  ")
    with pytest.raises(UserError, match="reviewer"):
        store.decide("c0123456789ab", "confirmed", reviewer=" ")
    with pytest.raises(ValueError):
        store.decide("c0123456789ab", "maybe", reviewer="ana")
    assert store.history("c0123456789ab") == []


def test_conflicts_are_found_by_unique_prefix(store: Store) -> None:
    assert store.conflict("c0123").id == "c0123456789ab"
    with pytest.raises(NotFoundError, match="'c012' is ambiguous: it starts c0123456789ab, c012"):
        store.conflict("c012")
    with pytest.raises(NotFoundError, match="'c0' is too short: give at least 4 characters"):
        store.conflict("c0")  # too short to be a prefix: not a guess
    with pytest.raises(NotFoundError):
        store.conflict("nope-nope")
    with pytest.raises(NotFoundError):
        store.decide("nope-nope", "confirmed", reviewer="ana")


def test_reconciling_the_same_evidence_keeps_the_decision(store: Store) -> None:
    d = store.decide("c0123456789ab", "confirmed", reviewer="ana")
    counts = store.save_reconciliation([], [conflict(), conflict("c0129999999aa")])
    assert counts["kept"] == 2 and counts["changed"] == 0
    assert store.history("c0123456789ab") == [d]


def test_changed_evidence_reopens_a_decided_conflict_and_says_why(store: Store) -> None:
    store.decide("c0123456789ab", "dismissed", reviewer="ana", note="same day in Moscow time")
    counts = store.save_reconciliation([], [conflict(quote_b="on 4 July"), conflict("c0129999999aa")])
    assert counts["changed"] == 1
    latest = store.decision("c0123456789ab")
    assert latest is not None and latest.status is ReviewStatus.OPEN and latest.reviewer == "claimdiff"
    assert latest.reason and "ana marked it dismissed" in latest.reason and "'on 4 July'" in latest.reason
    assert "'on 3 July'" in latest.reason
    # An undecided conflict whose evidence changes gets no history entry: it is open already.
    store.save_reconciliation([], [conflict(quote_b="on 4 July"), conflict("c0129999999aa", start_b=30)])
    assert store.history("c0129999999aa") == []


def test_a_conflict_that_disappears_keeps_its_history(store: Store) -> None:
    store.decide("c0123456789ab", "confirmed", reviewer="ana")
    store.save_reconciliation([], [conflict("c0129999999aa")])
    assert [c.id for c in store.conflicts()] == ["c0129999999aa"]
    assert store.status_of("c0123456789ab") is ReviewStatus.CONFIRMED
    store.save_reconciliation([], [conflict(), conflict("c0129999999aa")])
    assert store.status_of("c0123456789ab") is ReviewStatus.CONFIRMED
