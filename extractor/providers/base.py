"""What the rest of claimdiff needs from a model provider, and what one call costs.

The extractor and the statement comparer depend on `ModelProvider`, not on a client: the OpenAI-
compatible client (`providers/client.py`, openai + instructor) is one implementation. A new provider
is one module with a class that has a `config` and a `structured()` method, raising the errors of
`extractor.errors` (so the batch's fault handling treats every provider alike).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

from extractor.providers.config import ProviderConfig

T = TypeVar("T", bound=BaseModel)


@dataclass
class CallRecord:
    """One HTTP round trip to the model: what it cost and what it said, before any parsing."""

    attempt: int
    seconds: float
    prompt_tokens: int = 0
    completion_tokens: int = 0
    finish_reason: str | None = None
    raw: str | None = None
    error: str | None = None


@dataclass
class CallOutcome:
    parsed: Any
    model: str
    calls: list[CallRecord] = field(default_factory=list)

    @property
    def prompt_tokens(self) -> int:
        return sum(c.prompt_tokens for c in self.calls)

    @property
    def completion_tokens(self) -> int:
        return sum(c.completion_tokens for c in self.calls)

    @property
    def seconds(self) -> float:
        return sum(c.seconds for c in self.calls)


@runtime_checkable
class ModelProvider(Protocol):
    """A model that answers with a validated pydantic record, re-asking on a failed check."""

    config: ProviderConfig

    def structured(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        context: dict[str, Any] | None = None,
    ) -> CallOutcome:
        """One structured answer to `messages`, validated as `response_model` (with `context` for
        its validators); every HTTP round trip's cost and raw answer are in the outcome's calls.
        Raises ProviderError (the server failed) or ModelOutputError (it answered unusably)."""
        ...
