"""date_conflicts: one event dated differently by different reports (S1)."""

from __future__ import annotations

import datetime as dt

from extractor.reconcile.detectors import date_conflicts
from extractor.records import ConflictKind, Severity, conflict_id_for
from tests.claim_factory import article, call_on, context, day, relative_day

PUB = dt.date(2025, 7, 3)
A002, A004 = article("002"), article("004", published=PUB)
Q002 = "On July 2, 2025, President Donald Trump and Russian President Vladimir Putin held their sixth"
Q004 = "held a telephone conversation on Thursday"


def test_s1_two_dates_of_one_call_are_a_high_conflict_with_both_quotes() -> None:
    c002 = call_on(A002, day(2025, 7, 2, "July 2, 2025"), Q002)
    c004 = call_on(A004, relative_day(2025, 7, 3, "Thursday", PUB), Q004)
    ctx = context([c002, c004], [A002, A004])
    (conflict,) = date_conflicts.detect(ctx)
    assert conflict.kind == ConflictKind.DATE and conflict.severity == Severity.HIGH
    assert "002 dates the call 2 July 2025" in conflict.explanation
    assert "004 (published 2025-07-03) says 'Thursday', i.e. 3 July 2025" in conflict.explanation
    assert [s.quote for s in conflict.sides] == [Q002, Q004]
    assert conflict.sides[1].start == A004.text.index(Q004)
    assert conflict.id == conflict_id_for("date", conflict.event_id, [c002.id, c004.id])


def test_agreeing_dates_and_separate_events_are_not_flagged() -> None:
    same = [
        call_on(A002, day(2025, 7, 3), Q002),
        call_on(A004, relative_day(2025, 7, 3, "Thursday", PUB), Q004),
    ]
    assert date_conflicts.detect(context(same, [A002, A004])) == []
    far = [
        call_on(A002, day(2025, 7, 1), Q002),
        call_on(A004, relative_day(2025, 7, 3, "Thursday", PUB), Q004),
    ]
    assert date_conflicts.detect(context(far, [A002, A004])) == []  # two days apart: two calls


def test_many_reports_of_each_date_give_one_conflict_with_bounded_sides() -> None:
    early = [article(f"e{i}", text=f"Report {i}: they spoke on July 2, 2025.") for i in range(10)]
    late = [article(f"l{i}", text=f"Report {i}: they spoke on July 3, 2025.") for i in range(10)]
    claims = [call_on(a, day(2025, 7, 2), "they spoke on July 2, 2025.") for a in early]
    claims += [call_on(a, day(2025, 7, 3), "they spoke on July 3, 2025.") for a in late]
    (conflict,) = date_conflicts.detect(context(claims, early + late))
    assert len(conflict.sides) == 12 and "(so do 9 more articles)" in conflict.explanation
