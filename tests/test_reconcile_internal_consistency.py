"""internal_consistency: a weekday that is not its date's (S2); a stated gap against two dates (N3)."""

from __future__ import annotations

from extractor.reconcile.detectors import internal_consistency
from extractor.records import Claim, ClaimKind, ConflictKind, Severity
from tests.claim_factory import MACRON_PUTIN, article, call_on, claim, context, day

A000 = article("000")
MONDAY = "On the evening of Monday, July 1, 2025, it was revealed"
GAP = "their first contact in nearly three years"
LAST = "The last known conversation between Macron and Putin before the recent call took place"


def _july(quote: str = MONDAY) -> Claim:
    return call_on(A000, day(2025, 7, 1, "Monday, July 1, 2025", weekday="Monday"), quote, MACRON_PUTIN)


def test_s2_a_weekday_that_does_not_match_its_date() -> None:
    (conflict,) = internal_consistency.detect(context([_july()], [A000]))
    assert conflict.kind == ConflictKind.INTERNAL and conflict.severity == Severity.MEDIUM
    assert "1 July 2025 was a Tuesday, not a Monday" in conflict.explanation
    assert conflict.sides[0].quote == MONDAY


def _gap_claims(previous_year: int) -> list[Claim]:
    gap = claim(A000, ClaimKind.ORDINAL, GAP, participants=MACRON_PUTIN, date=day(2025, 7, 1, "July 1, 2025"))
    last = call_on(A000, day(previous_year, 9, 11, f"September 11, {previous_year}"), LAST, MACRON_PUTIN)
    return [gap, last]


def test_n3_nearly_three_years_fits_11_september_2022_to_1_july_2025() -> None:
    assert internal_consistency.detect(context(_gap_claims(2022), [A000])) == []


def test_a_gap_the_articles_own_dates_contradict_is_flagged() -> None:
    (conflict,) = internal_consistency.detect(context(_gap_claims(2024), [A000]))
    assert "nearly three years" in conflict.explanation and "11 September 2024" in conflict.explanation
    assert len(conflict.sides) == 2


def test_spans_that_are_not_gaps_and_other_articles_dates_are_left_alone() -> None:
    a004 = article("004")
    moratorium = claim(
        a004,
        ClaimKind.OUTCOME,
        "Putin supported Trump’s idea to impose a 30-day moratorium",
        date=day(2025, 3, 18),
    )
    earlier = call_on(a004, day(2025, 2, 12), "The first conversation after")
    assert internal_consistency.detect(context([moratorium, earlier], [a004])) == []
    other = article("other", text="Macron and Putin spoke on September 11, 2024.")
    claims = [_gap_claims(2022)[0], call_on(other, day(2024, 9, 11), "Macron and Putin spoke", MACRON_PUTIN)]
    assert internal_consistency.detect(context(claims, [A000, other])) == []
