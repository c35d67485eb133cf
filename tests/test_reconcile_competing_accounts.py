"""competing_accounts: official sides' accounts of one event side by side (S4), and a comparer's verdicts."""

from __future__ import annotations

from extractor.reconcile import Aspect, Comparison, StatementComparer, Verdict
from extractor.reconcile.detectors import competing_accounts
from extractor.records import Channel, Claim, ClaimKind, ConflictKind, Severity
from tests.claim_factory import MACRON_PUTIN, article, claim, context, day, official

A000 = article("000")
JULY_1 = day(2025, 7, 1, "July 1, 2025")


def _said(
    quote: str, side: str, summary: str, kind: ClaimKind = ClaimKind.STATEMENT, speaker: str | None = None
) -> Claim:
    return claim(
        A000,
        kind,
        quote,
        participants=MACRON_PUTIN,
        date=JULY_1,
        summary=summary,
        speaker=speaker,
        **official(side),
    )


ELYSEE = [
    _said(
        "reaffirmed his unwavering support for the sovereignty and territorial integrity of Ukraine",
        "Élysée",
        "Macron reaffirmed support for Ukraine's sovereignty and territorial integrity",
    ),
    _said(
        "Macron also urged Putin to immediately establish a ceasefire",
        "Élysée",
        "Macron urged an immediate ceasefire",
    ),
]
KREMLIN = [
    _said(
        "Putin claimed that the conflict in Ukraine was the result of Western policies",
        "Kremlin",
        "Putin blamed Western policies for the conflict",
    ),
    _said(
        "eliminating the root causes of the crisis", "Kremlin", "a settlement must eliminate the root causes"
    ),
    _said(
        "taking into account new territorial realities",
        "Kremlin",
        "a settlement must reflect new territorial realities",
    ),
]


def test_s4_elysee_and_kremlin_accounts_side_by_side() -> None:
    (conflict,) = competing_accounts.detect(context([*ELYSEE, *KREMLIN], [A000]))
    assert conflict.kind == ConflictKind.COMPETING_ACCOUNTS and conflict.severity == Severity.LOW
    assert len(conflict.sides) == 5 and {s.side for s in conflict.sides} == {"Élysée", "Kremlin"}
    assert "only the Élysée account (in 000) reports: Macron reaffirmed support" in conflict.explanation
    assert "only the Kremlin account (in 000) reports: Putin blamed Western policies" in conflict.explanation


def test_participants_own_positions_and_verdicts_alone_are_not_accounts() -> None:
    positions = [
        _said("Macron insisted on an immediate ceasefire", "Élysée", "ceasefire", speaker="Emmanuel Macron"),
        _said(
            "Putin claimed that the Russian military operation",
            "Kremlin",
            "on plan",
            speaker="Vladimir Putin",
        ),
    ]
    assert competing_accounts.detect(context(positions, [A000])) == []
    verdicts = [
        _said(
            "were held in an open and businesslike manner",
            "Kremlin",
            "businesslike",
            ClaimKind.CHARACTERISATION,
        ),
        _said("deeply productive", "White House", "productive", ClaimKind.CHARACTERISATION),
    ]
    assert competing_accounts.detect(context(verdicts, [A000])) == []


class Recorder:
    def __init__(self) -> None:
        self.pairs: list[tuple[str, str]] = []

    def compare(self, a: Claim, b: Claim, aspect: Aspect) -> Comparison:
        self.pairs.append((a.summary, b.summary))
        return Comparison(verdict=Verdict.CONTRADICTS, reason="they differ")


def test_the_side_by_side_account_never_asks_a_comparer() -> None:
    """Whether two statements disagree is the statement detector's question (tests/test_compare.py)."""
    comparer = Recorder()
    assert isinstance(comparer, StatementComparer)
    later = _said("a ceasefire only after negotiations", "Kremlin", "Putin rejected an immediate ceasefire")
    conflicts = competing_accounts.detect(context([*ELYSEE, *KREMLIN, later], [A000], comparer))
    assert [c.severity for c in conflicts] == [Severity.LOW] and comparer.pairs == []


def test_a_readout_labelled_statement_channel_still_counts_when_it_says_it_is_about_the_call() -> None:
    readout = claim(
        A000,
        ClaimKind.STATEMENT,
        "Following the call, the Élysée Palace stated that the French president",
        participants=MACRON_PUTIN,
        date=JULY_1,
        channel=Channel.STATEMENT,
        summary="Élysée readout",
        **official("Élysée"),
    )
    aside = claim(
        A000,
        ClaimKind.STATEMENT,
        "The Élysée also announced a new budget",
        participants=MACRON_PUTIN,
        date=JULY_1,
        channel=Channel.STATEMENT,
        summary="budget",
        **official("Élysée"),
    )
    (conflict,) = competing_accounts.detect(context([readout, aside, *KREMLIN], [A000]))
    quotes = {s.quote for s in conflict.sides}
    assert readout.evidence.quote in quotes and aside.evidence.quote not in quotes
