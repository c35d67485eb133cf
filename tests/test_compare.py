"""The statement comparer: which pairs are asked, what verdicts become, and the model-backed comparer's
checks, cache and faults (against a FAKE loopback server, never a model; never written to fixtures/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractor.compare import ModelComparer
from extractor.errors import StaleRecordingError
from extractor.providers.client import LLMClient
from extractor.providers.config import ProviderConfig
from extractor.reconcile import reconcile
from extractor.reconcile.detectors import make_conflict, side_of, statements
from extractor.reconcile.result import Aspect, Comparison, Verdict
from extractor.records import Claim, ClaimKind, ConflictKind, Severity, SideKind
from tests.claim_factory import MACRON_PUTIN, article, claim, context, day, official
from tests.fake_server import FAKE_MODEL, FakeOpenAIServer, Reply, completion

JULY_1 = day(2025, 7, 1, "July 1, 2025")
TEXT_A = (
    "The two sides agreed to meet again in May, the Élysée said. "
    "Macron urged Putin to establish an immediate ceasefire. "
    "The call was held at the initiative of France."
)
TEXT_B = (
    "No date was set for another meeting, the Kremlin said. "
    "Putin emphasized that any settlement must address the root causes of the conflict. "
    "The call was held at the initiative of the French side, according to the Kremlin."
)
TEXT_C = "Analysts said the call agreed to meet again but achieved nothing of substance."
A = article("elysee", text=TEXT_A)
B = article("kremlin", text=TEXT_B)
C = article("outlet", text=TEXT_C, outlet="Daily Paper")


def said(art: Any, quote: str, side: str | None, kind: ClaimKind = ClaimKind.STATEMENT) -> Claim:
    who: dict[str, Any] = official(side) if side else {"side": "Daily Paper", "side_kind": SideKind.OUTLET}
    return claim(art, kind, quote, participants=MACRON_PUTIN, date=JULY_1, **who)


AGREED_A = said(A, "The two sides agreed to meet again in May", "Élysée")
AGREED_B = said(B, "No date was set for another meeting", "Kremlin", ClaimKind.OUTCOME)
URGED = said(A, "Macron urged Putin to establish an immediate ceasefire", "Élysée")
ROOTS = said(
    B, "Putin emphasized that any settlement must address the root causes of the conflict", "Kremlin"
)
INIT_A = said(A, "The call was held at the initiative of France", "Élysée", ClaimKind.INITIATOR)
INIT_B = said(
    B,
    "The call was held at the initiative of the French side, according to the Kremlin",
    "Kremlin",
    ClaimKind.INITIATOR,
)
OUTLET = said(C, "Analysts said the call agreed to meet again but achieved nothing of substance", None)
ALL = [AGREED_A, AGREED_B, URGED, ROOTS, INIT_A, INIT_B]


class Fake:
    """A StatementComparer that answers from a table and remembers what it was asked."""

    def __init__(
        self, answers: dict[Aspect, Comparison] | None = None, default: Verdict = Verdict.SAME
    ) -> None:
        self.answers = answers or {}
        self.default = default
        self.asked: list[tuple[str, str, Aspect]] = []

    def compare(self, a: Claim, b: Claim, aspect: Aspect) -> Comparison:
        self.asked.append((a.evidence.quote, b.evidence.quote, aspect))
        return self.answers.get(aspect, Comparison(verdict=self.default, model="fake"))


def run(claims: list[Claim], comparer: Any, arts: list[Any] | None = None) -> tuple[list[Any], list[Any]]:
    ctx = context(claims, arts or [A, B, C], comparer)
    return statements.detect(ctx, [])


def test_claims_speak_to_aspects_by_kind_and_words() -> None:
    assert statements.aspect_of(AGREED_A) == Aspect.OUTCOME
    assert statements.aspect_of(AGREED_B) == Aspect.OUTCOME
    assert statements.aspect_of(URGED) == Aspect.SCOPE
    assert statements.aspect_of(INIT_B) == Aspect.INITIATOR
    assert (
        statements.aspect_of(
            said(A, "The two sides agreed to meet again in May", "Élysée", ClaimKind.DURATION)
        )
        is None
    )


def test_pairs_are_of_one_aspect_across_accounts_and_bounded_by_the_budget() -> None:
    fake = Fake()
    _, judged = run(ALL, fake)
    asked = {frozenset((a, b)) for a, b, _ in fake.asked}
    assert frozenset((AGREED_A.evidence.quote, AGREED_B.evidence.quote)) in asked
    assert frozenset((INIT_A.evidence.quote, INIT_B.evidence.quote)) in asked
    # never across aspects: what was agreed is not compared with who initiated
    assert frozenset((AGREED_A.evidence.quote, INIT_B.evidence.quote)) not in asked
    assert len(judged) == len(fake.asked)
    capped = Fake()
    ctx = context(ALL, [A, B, C], capped)
    statements.detect(ctx, [], budget=1)
    assert len(capped.asked) == 1


def test_the_models_contradicts_alone_is_a_low_difference_with_the_words_highlighted() -> None:
    verdict = Comparison(
        verdict=Verdict.CONTRADICTS,
        reason="one says a meeting was set, the other that no date was",
        words_a=["agreed to meet again in May"],
        words_b=["another meeting"],
        model="fake",
    )
    conflicts, judged = run([AGREED_A, AGREED_B], Fake({Aspect.OUTCOME: verdict}))
    (conflict,) = conflicts
    assert conflict.kind == ConflictKind.WORDING and conflict.severity == Severity.LOW
    assert "the model calls it a contradiction" in conflict.explanation
    assert [s.highlights for s in conflict.sides] == [["agreed to meet again in May"], ["another meeting"]]
    assert "What was agreed or decided?" in conflict.explanation and "no date was" in conflict.explanation
    assert judged[0].conflict_id == conflict.id and judged[0].comparison.verdict == Verdict.CONTRADICTS


def test_a_contradiction_code_confirms_is_high_between_officials_and_medium_with_an_outlet() -> None:
    verdict = Comparison(
        verdict=Verdict.CONTRADICTS, words_a=["the initiative of France"], words_b=["not France"]
    )
    b = said(B, "The call was held at the initiative of the French side, according to the Kremlin", "Kremlin")
    negated = verdict.model_copy(update={"words_b": ["the French side"]})
    (plain,), _ = run([INIT_A, INIT_B], Fake({Aspect.INITIATOR: negated}))
    assert plain.kind == ConflictKind.WORDING and plain.severity == Severity.LOW
    text_b = "The call was not held at the initiative of France, the Kremlin said."
    b = said(article("kremlin2", text=text_b), "The call was not held at the initiative of France", "Kremlin")
    flipped = verdict.model_copy(update={"words_b": ["not held at the initiative of France"]})
    (high,), _ = run([INIT_A, b], Fake({Aspect.INITIATOR: flipped}), [A, article("kremlin2", text=text_b)])
    assert high.kind == ConflictKind.CONTRADICTION and high.severity == Severity.HIGH
    # a negation about something else is no denial: "agreed to meet again" against "No date was set"
    no_date = Comparison(
        verdict=Verdict.CONTRADICTS, words_a=["agreed to meet again"], words_b=["No date was set"]
    )
    (other,), _ = run([AGREED_A, AGREED_B], Fake({Aspect.OUTCOME: no_date}))
    assert other.kind == ConflictKind.WORDING and other.severity == Severity.LOW
    text_d = "Analysts said the two sides did not agree to meet again."
    d = article("analysts", text=text_d, outlet="Daily Paper")
    denial = said(d, "the two sides did not agree to meet again", None)
    denied = Comparison(
        verdict=Verdict.CONTRADICTS, words_a=["agreed to meet again"], words_b=["did not agree to meet again"]
    )
    (medium,), _ = run([AGREED_A, denial], Fake({Aspect.OUTCOME: denied}), [A, d])
    assert medium.kind == ConflictKind.CONTRADICTION and medium.severity == Severity.MEDIUM


def test_two_leaders_own_positions_never_make_a_contradiction() -> None:
    verdict = Comparison(
        verdict=Verdict.CONTRADICTS, words_a=["immediate ceasefire"], words_b=["root causes"]
    )
    conflicts, _ = run([URGED, ROOTS], Fake({Aspect.SCOPE: verdict}))
    (conflict,) = conflicts
    assert conflict.kind == ConflictKind.WORDING and conflict.severity == Severity.LOW
    assert "different leaders' positions" in conflict.explanation


def test_an_outlets_own_assessment_against_an_account_is_low_unless_it_denies_it() -> None:
    verdict = Comparison(verdict=Verdict.CONTRADICTS, words_a=["in May"], words_b=["of substance"])
    (conflict,), _ = run([AGREED_A, OUTLET], Fake({Aspect.OUTCOME: verdict}))
    assert conflict.kind == ConflictKind.WORDING and conflict.severity == Severity.LOW


def test_consistent_and_unjudged_pairs_are_kept_as_judgements_not_conflicts() -> None:
    for verdict in (Verdict.SAME, Verdict.UNRELATED, Verdict.UNJUDGED, Verdict.SKIPPED):
        conflicts, judged = run([AGREED_A, AGREED_B], Fake(default=verdict))
        assert conflicts == [] and [j.comparison.verdict for j in judged] == [verdict]


def test_a_pair_a_deterministic_conflict_already_covers_is_not_asked_again() -> None:
    fake = Fake()
    ctx = context([AGREED_A, AGREED_B], [A, B], fake)
    covering = make_conflict(
        ConflictKind.DATE, Severity.HIGH, None, [side_of(AGREED_A), side_of(AGREED_B)], "x", "t"
    )
    statements.detect(ctx, [covering])
    assert fake.asked == []
    statements.detect(ctx, [])
    assert len(fake.asked) == 1


def test_reconcile_keeps_the_judgements_and_is_deterministic_without_a_comparer() -> None:
    plain = reconcile(ALL, [A, B, C])
    assert plain.comparisons == []
    judged = reconcile(ALL, [A, B, C], comparer=Fake())
    assert judged.comparisons and {j.comparison.verdict for j in judged.comparisons} == {Verdict.SAME}
    assert {c.id for c in plain.conflicts} == {c.id for c in judged.conflicts}


# -- the model-backed comparer, against a FAKE server ---------------------------------------------------
def answer(
    verdict: str, words_a: list[str], words_b: list[str], reason: str = "they differ"
) -> dict[str, Any]:
    return {"reason": reason, "verdict": verdict, "words_a": words_a, "words_b": words_b}


def tool_reply(arguments: str) -> Reply:
    """A FAKE tool-call answer whose arguments are exactly `arguments` (valid JSON or not)."""
    body = completion({}, "StatementJudgement")
    body["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"] = arguments
    body["usage"] = {"prompt_tokens": 300, "completion_tokens": 40, "total_tokens": 340}
    return 200, {}, body


def refusal_reply() -> Reply:
    body = tool_reply("{}")[2]
    body["choices"][0]["message"] = {
        "role": "assistant",
        "content": None,
        "refusal": "I can't help with that.",
    }
    body["choices"][0]["finish_reason"] = "stop"
    return 200, {}, body


class Cache:
    def __init__(self) -> None:
        self.rows: dict[str, Comparison] = {}

    def cached_comparison(self, key: str) -> Comparison | None:
        return self.rows.get(key)

    def cache_comparison(self, key: str, comparison: Comparison) -> None:
        self.rows[key] = comparison


def comparer_for(
    server: FakeOpenAIServer,
    *,
    timeout: float = 10.0,
    cache: Cache | None = None,
    mode: str = "live",
    root: Path | None = None,
) -> ModelComparer:
    config = ProviderConfig(
        base_url=server.base_url,
        api_key="sk-fake-loopback-not-a-real-key",  # type: ignore[arg-type]
        model=FAKE_MODEL,
        transport_retries=0,
        reasks=2,
        timeout=timeout,
    )
    kwargs: dict[str, Any] = {"recordings_dir": root} if root else {}
    return ModelComparer(llm=LLMClient(config), mode=mode, cache=cache, **kwargs)


pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


def test_a_good_answer_is_believed_and_cached_so_a_rerun_makes_no_call() -> None:
    good = answer("contradicts", ["agreed to meet again in May"], ["No date was set"])
    server = FakeOpenAIServer(labeller=lambda _: tool_reply(json.dumps(good)))
    cache = Cache()
    with server.running():
        comparer = comparer_for(server, cache=cache)
        first = comparer.compare(AGREED_A, AGREED_B, Aspect.OUTCOME)
        again = comparer.compare(AGREED_A, AGREED_B, Aspect.OUTCOME)
    assert first.verdict == Verdict.CONTRADICTS and first.words_b == ["No date was set"] and first.calls == 1
    assert again.cached and again.verdict == Verdict.CONTRADICTS
    assert server.calls == 1 and comparer.stats.cached == 1


@pytest.mark.parametrize(
    ("name", "reply", "calls"),
    [
        ("invalid JSON", lambda _: tool_reply('{"verdict": "contradicts", "words_a": ['), 3),
        ("a refusal", lambda _: refusal_reply(), 1),
        (
            "differing words not in the quotes",
            lambda _: tool_reply(json.dumps(answer("contradicts", ["agreed to meet in June"], ["No date"]))),
            3,
        ),
        (
            "the same words given as the difference",
            lambda _: tool_reply(json.dumps(answer("adds_detail", ["meet"], ["meet"]))),
            3,
        ),
    ],
)
def test_an_answer_that_fails_the_checks_is_reasked_at_most_twice_then_unjudged(
    name: str, reply: Any, calls: int
) -> None:
    server = FakeOpenAIServer(labeller=reply)
    with server.running():
        comparer = comparer_for(server)
        result = reconcile([AGREED_A, AGREED_B], [A, B], comparer=comparer)
    (judged,) = result.comparisons
    assert judged.comparison.verdict == Verdict.UNJUDGED, name
    assert judged.comparison.raw, "the model's last answer is kept"
    assert server.calls == calls and judged.conflict_id is None
    assert comparer.stats.unjudged == 1


def test_a_timeout_skips_the_pair_and_the_reconcile_completes() -> None:
    server = FakeOpenAIServer(labeller=lambda _: tool_reply(json.dumps(answer("same", [], []))), latency=2.0)
    with server.running():
        comparer = comparer_for(server, timeout=0.3)
        result = reconcile(ALL, [A, B, C], comparer=comparer)
    assert result.events and result.comparisons
    assert {j.comparison.verdict for j in result.comparisons} == {Verdict.SKIPPED}
    assert comparer.stats.skipped == len(result.comparisons)
    assert all("the model server failed" in reason for reason in comparer.stats.skip_reasons)


def test_no_endpoint_and_no_recording_skips_and_says_so(tmp_path: Path) -> None:
    config = ProviderConfig(base_url="http://recordings.invalid/v1", model="m", transport_retries=0)  # type: ignore[arg-type]
    comparer = ModelComparer(llm=LLMClient(config), mode="replay", recordings_dir=tmp_path)
    result = reconcile(ALL, [A, B, C], comparer=comparer)
    assert result.comparisons and comparer.stats.skip_reasons == {
        "no recording and no endpoint": len(result.comparisons)
    }


def test_a_recording_replays_offline_and_a_changed_prompt_fails_with_the_rerecord_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = answer("same", [], [], "both say the French side initiated it")
    server = FakeOpenAIServer(labeller=lambda _: tool_reply(json.dumps(good)))
    with server.running():
        recorder = comparer_for(server, mode="record", root=tmp_path)  # a FAKE answer, in a temp folder
        recorded = recorder.compare(INIT_A, INIT_B, Aspect.INITIATOR)
    player = comparer_for(server, mode="replay", root=tmp_path)  # the server is stopped: offline
    assert player.compare(INIT_A, INIT_B, Aspect.INITIATOR).verdict == recorded.verdict == Verdict.SAME
    changed = comparer_for(server, mode="replay", root=tmp_path)
    monkeypatch.setattr(
        changed, "prompt", changed.prompt.__class__(**{**changed.prompt.__dict__, "sha": "0" * 64})
    )
    with pytest.raises(StaleRecordingError, match="claimdiff record"):
        changed.compare(INIT_A, INIT_B, Aspect.INITIATOR)


def test_the_words_a_model_gives_become_the_quotes_own_words_or_fail_the_answer() -> None:
    from extractor.compare.model import align_words

    quote = "German officials told TASS news agency that the two leaders have agreed to stay in touch."
    located, missing = align_words(
        ["leaders agreed to stay in touch", "tass", "agreed to a phone call", "US", ""], quote
    )
    assert missing == ["agreed to a phone call", "US"]
    assert located and all(w in quote for w in located)  # what is highlighted is the article's text
    assert "TASS" in located and any("agreed to stay in touch" in w for w in located)
    curly = "Macron urged an “immediate ceasefire” and talks"
    assert align_words(['"immediate ceasefire"'], curly) == (["“immediate ceasefire”"], [])
