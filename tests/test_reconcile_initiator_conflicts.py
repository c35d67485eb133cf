"""initiator_conflicts: who started the call."""

from __future__ import annotations

from extractor.reconcile.detectors import initiator_conflicts
from extractor.records import Article, Claim, ClaimKind, ConflictKind, Severity
from tests.claim_factory import MACRON_PUTIN, article, claim, context, day

TEXT = "The call on July 1, 2025 was initiated by the French side. It remains unclear who initiated it."


def _init(art: Article, quote: str, topic: str | None = None) -> Claim:
    return claim(
        art, ClaimKind.INITIATOR, quote, participants=MACRON_PUTIN, date=day(2025, 7, 1), topic=topic
    )


def test_a_named_initiator_against_an_unclear_one_is_medium() -> None:
    a, b = article("i-a", text=TEXT), article("i-b", text="It remains unclear who initiated it.")
    claims = [_init(a, "was initiated by the French side."), _init(b, "It remains unclear who initiated it.")]
    (conflict,) = initiator_conflicts.detect(context(claims, [a, b]))
    assert conflict.kind == ConflictKind.INITIATOR and conflict.severity == Severity.MEDIUM
    assert "initiated by France" in conflict.explanation and "initiator unclear" in conflict.explanation


def test_two_different_initiators_are_high() -> None:
    a, b = article("i-c", text="Macron called Putin."), article("i-d", text="Putin called Macron.")
    claims = [
        _init(a, "Macron called Putin.", topic="Macron"),
        _init(b, "Putin called Macron.", topic="Putin"),
    ]
    (conflict,) = initiator_conflicts.detect(context(claims, [a, b]))
    assert conflict.severity == Severity.HIGH


def test_a_person_and_a_country_are_not_compared() -> None:
    a, b = article("i-e", text="Macron called Putin."), article("i-f", text="The French side called.")
    claims = [_init(a, "Macron called Putin.", topic="Macron"), _init(b, "The French side called.")]
    assert initiator_conflicts.detect(context(claims, [a, b])) == []
