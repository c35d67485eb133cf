"""initiator_conflicts: who started the call."""

from __future__ import annotations

from extractor.reconcile.detectors import initiator_conflicts
from extractor.records import Article, Claim, ClaimKind, ConflictKind, InitiatorValue, Severity
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


def test_a_typed_initiator_is_read_from_its_words_not_the_whole_quote() -> None:
    # each quote names both leaders, so the quote alone could not tell who started the call
    a = article("i-g", text="At Macron's request, Macron and Putin spoke.")
    b = article("i-h", text="Putin phoned Macron; Macron and Putin spoke.")
    claims = [
        claim(
            a,
            ClaimKind.INITIATOR,
            a.text,
            participants=MACRON_PUTIN,
            date=day(2025, 7, 1),
            value=InitiatorValue(text="At Macron's request", party="Emmanuel Macron"),
        ),
        claim(
            b,
            ClaimKind.INITIATOR,
            b.text,
            participants=MACRON_PUTIN,
            date=day(2025, 7, 1),
            value=InitiatorValue(text="Putin phoned Macron", party="Vladimir Putin"),
        ),
    ]
    (conflict,) = initiator_conflicts.detect(context(claims, [a, b]))
    assert conflict.severity == Severity.HIGH
