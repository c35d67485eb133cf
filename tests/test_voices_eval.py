"""The scorer of sides and participants (evaluate/voices.py) on hand-built claims."""

from __future__ import annotations

from extractor.evaluate.voices import score_participants, score_sides
from extractor.records import Attribution, Claim, ClaimKind, Event, EventRef, Evidence, Origin, SideKind

KREMLIN = Attribution(speaker="Peskov", side="Kremlin", side_kind=SideKind.OFFICIAL)
ELYSEE = Attribution(speaker="the Élysée", side="Élysée", side_kind=SideKind.OFFICIAL)
OUTLET = Attribution(speaker=None, side="Daily", side_kind=SideKind.OUTLET)


def claim(cid: str, start: int, end: int, who: Attribution, people: list[str] | None = None) -> Claim:
    return Claim(
        id=cid,
        article_id="a",
        kind=ClaimKind.STATEMENT,
        attribution=who,
        event=EventRef(participants=people or []),
        evidence=Evidence(quote="x" * (end - start), start=start, end=end),
        origin=Origin(source="model"),
    )


def test_sides_count_right_wrong_uncovered_and_outlet_credited_to_an_official() -> None:
    gold = [
        claim("g1", 0, 10, KREMLIN),  # covered by r1: right
        claim("g2", 20, 30, ELYSEE),  # covered by r2 (Kremlin): wrong
        claim("g3", 40, 50, KREMLIN),  # covered by nothing
        claim("g4", 60, 70, OUTLET),  # the outlet's words, credited to the Kremlin by r3
    ]
    run = [claim("r1", 0, 12, KREMLIN), claim("r2", 25, 35, KREMLIN), claim("r3", 60, 65, KREMLIN)]
    s = score_sides(run, gold)
    assert (s.official, s.official_right, s.official_uncovered) == (2, 1, 1)
    assert (s.outlet, s.outlet_credited_official) == (1, 1)
    assert s.official_share == 0.5


def test_an_event_is_right_only_with_exactly_a_gold_set_of_participants() -> None:
    gold = [claim("g1", 0, 10, OUTLET, ["A", "B"]), claim("g2", 20, 30, OUTLET, ["A", "C"])]
    run = [
        claim("r1", 0, 10, OUTLET, ["A", "B"]),
        claim("r2", 20, 30, OUTLET, ["A"]),
        claim("r3", 90, 99, OUTLET, ["A", "B"]),
    ]
    events = [
        Event(id="e1", participants=["A", "B"], channel="unknown", claim_ids=["r1"]),
        Event(id="e2", participants=["A"], channel="unknown", claim_ids=["r2"]),  # one side only
        Event(id="e3", participants=["A", "B"], channel="unknown", claim_ids=["r3"]),  # no gold there
    ]
    s = score_participants(events, run, gold)
    assert (s.judged, s.right, s.unjudged) == (2, 1, 1)
    assert [e.id for e, _ in s.wrong] == ["e2"]
