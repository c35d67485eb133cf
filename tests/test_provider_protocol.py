"""A provider is anything with a `config` and `structured()`: the OpenAI client is one, and a stub
written in a few lines drives the statement comparer the same way (no HTTP at all)."""

from __future__ import annotations

from typing import Any

from extractor.compare import ModelComparer, StatementJudgement
from extractor.providers.base import CallOutcome, CallRecord, ModelProvider
from extractor.providers.client import LLMClient
from extractor.providers.config import ProviderConfig
from extractor.reconcile.result import Aspect, Verdict
from tests.test_compare import INIT_A, INIT_B

CONFIG = ProviderConfig(base_url="http://stub.invalid/v1", model="stub-model")  # type: ignore[arg-type]


class StubProvider:
    """Answers every question 'same', as a provider module of its own would, through the protocol."""

    def __init__(self) -> None:
        self.config = CONFIG
        self.asked: list[list[dict[str, str]]] = []

    def structured(
        self,
        messages: list[dict[str, str]],
        response_model: type[Any],
        *,
        context: dict[str, Any] | None = None,
    ) -> CallOutcome:
        self.asked.append(messages)
        parsed = response_model.model_validate({"reason": "same thing", "verdict": "same"}, context=context)
        return CallOutcome(parsed=parsed, model=self.config.model, calls=[CallRecord(attempt=1, seconds=0.0)])


def test_the_openai_client_and_a_stub_are_both_providers() -> None:
    assert isinstance(LLMClient(CONFIG), ModelProvider)
    assert isinstance(StubProvider(), ModelProvider)


def test_the_comparer_works_through_any_provider() -> None:
    stub = StubProvider()
    comparer = ModelComparer(llm=stub, mode="live")
    result = comparer.compare(INIT_A, INIT_B, Aspect.INITIATOR)
    assert result.verdict == Verdict.SAME and result.model == "stub-model" and result.calls == 1
    assert StatementJudgement.__name__ and "initiated or announced" in stub.asked[0][1]["content"]
