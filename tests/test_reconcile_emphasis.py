"""emphasis: what one article puts first about an event, another leaves out (S5), without flooding."""

from __future__ import annotations

import datetime as dt

from extractor.reconcile.detectors import emphasis
from extractor.records import Article, Claim, ClaimKind, ConflictKind, Severity
from tests.claim_factory import article, claim, context, day

A000, A004 = article("000"), article("004", published=dt.date(2025, 7, 3))
BIRTHDAY = "On June 14, Putin congratulated Trump on his birthday."
ESCALATION = "Escalation in the Middle East, which began in those days, was also discussed."
Q000 = A000.text[A000.text.index("June 14, 2025 –") :].split("\n")[0]


def _topic(art: Article, quote: str, topic: str, when: dt.date = dt.date(2025, 6, 14)) -> Claim:
    return claim(
        art, ClaimKind.TOPIC_DISCUSSED, quote, date=day(when.year, when.month, when.day), topic=topic
    )


S5 = [
    _topic(A004, BIRTHDAY, "Trump's birthday"),
    _topic(A004, ESCALATION, "escalation in the Middle East"),
    _topic(A000, Q000, "escalation in the Middle East"),
    _topic(A000, Q000, "exchange of prisoners of war"),
    _topic(A000, Q000, "prospects of continuing negotiations"),
]


def test_s5_a_birthday_first_in_one_account_and_absent_from_the_other() -> None:
    (conflict,) = emphasis.detect(context(S5, [A000, A004]))
    assert conflict.kind == ConflictKind.EMPHASIS and conflict.severity == Severity.LOW
    assert (
        "004 puts 'Trump's birthday' first" in conflict.explanation
        and "000 does not mention it" in conflict.explanation
    )
    assert {s.article_id for s in conflict.sides} == {A000.id, A004.id}


def test_accounts_sharing_their_leading_topics_are_not_flagged() -> None:
    a, b = article("e-a", text="war in Ukraine, energy and space"), article("e-b", text="Ukraine War, Syria")
    claims = [
        _topic(a, "war in Ukraine", "settlement of the Ukrainian conflict"),
        _topic(a, "energy and space", "energy and space"),
        _topic(b, "Ukraine War", "Ukraine War"),
        _topic(b, "Syria", "developments in Syria"),
    ]
    assert emphasis.detect(context(claims, [a, b])) == []


def test_one_article_with_topics_is_not_a_disagreement() -> None:
    assert emphasis.detect(context(S5[:2], [A004])) == []


def test_a_hot_event_gives_one_conflict_per_emphasis_not_per_pair() -> None:
    leads = [("birthday.", "Trump's birthday"), ("prisoners.", "exchange of prisoners of war")]
    arts = [article(f"hot{i}", text=f"{i}: {leads[i % 2][0]} Middle East.") for i in range(40)]
    claims = []
    for i, a in enumerate(arts):
        lead = leads[i % 2]
        claims += [_topic(a, lead[0], lead[1]), _topic(a, "Middle East.", "escalation in the Middle East")]
    conflicts = emphasis.detect(context(claims, arts))
    assert len(conflicts) == 2 and all(len(c.sides) <= 14 for c in conflicts)
