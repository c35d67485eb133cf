"""topic_polarity: one topic said to be discussed by one account and not discussed by another (N5)."""

from __future__ import annotations

import datetime as dt

from extractor.reconcile.detectors import topic_polarity
from extractor.records import Article, Channel, Claim, ClaimKind, ConflictKind, Severity
from tests.claim_factory import article, claim, context, day, official, relative_day

PUB = dt.date(2025, 7, 3)
A002, A004 = article("002"), article("004", published=PUB)
THU = relative_day(2025, 7, 3, "on Thursday", PUB)
DENIAL = (
    "The Kremlin said that the two leaders didn’t talk about halting some US weapons deliveries to Ukraine."
)


def _denial(art: Article = A004, quote: str = DENIAL) -> Claim:
    return claim(
        art,
        ClaimKind.TOPIC_NOT_DISCUSSED,
        quote,
        date=THU,
        topic="halting US weapons deliveries to Ukraine",
        **official("Kremlin"),
    )


def test_a_topic_discussed_in_one_account_and_denied_in_another_is_flagged() -> None:
    said = claim(
        A002,
        ClaimKind.TOPIC_DISCUSSED,
        "Trump had just reported a pause",
        date=day(2025, 7, 3),
        topic="halting US weapons deliveries to Ukraine",
    )
    (conflict,) = topic_polarity.detect(context([said, _denial()], [A002, A004]))
    assert conflict.kind == ConflictKind.TOPIC_POLARITY and conflict.severity == Severity.HIGH
    assert "says it was not" in conflict.explanation


def test_n5_context_is_a_statement_and_never_meets_a_denial() -> None:
    pause = claim(
        A002,
        ClaimKind.STATEMENT,
        "Trump had just reported a pause on certain arms transfers to Ukraine",
        date=day(2025, 7, 3),
        channel=Channel.STATEMENT,
        topic="pause on arms transfers to Ukraine",
    )
    settlement = claim(
        A004,
        ClaimKind.TOPIC_DISCUSSED,
        "discussed the settlement of the Ukrainian conflict",
        date=THU,
        topic="settlement of the Ukrainian conflict",
    )
    assert topic_polarity.detect(context([pause, settlement, _denial()], [A002, A004])) == []


def test_a_denial_repeated_by_many_articles_is_one_conflict() -> None:
    said = claim(
        A002,
        ClaimKind.TOPIC_DISCUSSED,
        "Trump had just reported a pause",
        date=day(2025, 7, 3),
        topic="US weapons deliveries to Ukraine",
    )
    copies = [article(f"copy{i}", text=f"{i}. {DENIAL}") for i in range(8)]
    claims = [said, *[_denial(a) for a in copies]]
    (conflict,) = topic_polarity.detect(context(claims, [A002, *copies]))
    assert len(conflict.sides) == 7  # the assertion and at most 6 of the 8 denials
