"""duration_conflicts: lengths of one event as intervals of minutes."""

from __future__ import annotations

from extractor.reconcile.detectors import duration_conflicts
from extractor.records import ClaimKind, ConflictKind, DurationQualifier, Severity
from tests.claim_factory import article, call_on, claim, context, day, duration

Q = DurationQualifier
NEARLY_HOUR = duration("nearly an hour", 45, 60, Q.NEARLY)
FIFTY = duration("50 minutes", 50, 50, Q.EXACT)
OVER_HOUR = duration("over an hour", 60, 90, Q.OVER)


def _two_reports(a_value, b_value, same_article: bool = False):
    a = article("dur-a", text="They spoke on July 3, 2025. It lasted a while. It lasted long.")
    b = a if same_article else article("dur-b", text="The call on July 3, 2025 lasted long.")
    claims = [
        call_on(a, day(2025, 7, 3), "They spoke on July 3, 2025."),
        claim(a, ClaimKind.DURATION, "It lasted a while.", date=day(2025, 7, 3), value=a_value),
        claim(b, ClaimKind.DURATION, "lasted long.", date=day(2025, 7, 3), value=b_value),
    ]
    return duration_conflicts.detect(context(claims, list({a.id: a, b.id: b}.values())))


def test_overlapping_intervals_agree() -> None:
    assert _two_reports(NEARLY_HOUR, FIFTY) == []


def test_nearly_an_hour_and_over_an_hour_conflict() -> None:
    (conflict,) = _two_reports(NEARLY_HOUR, OVER_HOUR)
    assert conflict.kind == ConflictKind.DURATION and conflict.severity == Severity.MEDIUM
    assert "'nearly an hour' ([45, 60) minutes)" in conflict.explanation
    assert "'over an hour' ((60, 90) minutes)" in conflict.explanation


def test_lengths_within_one_article_are_not_compared() -> None:
    assert _two_reports(NEARLY_HOUR, OVER_HOUR, same_article=True) == []
