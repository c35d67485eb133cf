"""The openai client wrapped by instructor, with exactly one retry layer for transport errors.

The SDK's own retries are off (`max_retries=0`); tenacity retries connection errors, timeouts,
429 (not `insufficient_quota`) and 5xx, waiting as `Retry-After` says. Validation failures are a
different thing: instructor re-asks at most `reasks` times with the error fed back. Every attempt's
raw answer, token usage and time are kept, so a failed parse never loses what the model said.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from pydantic import BaseModel
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from extractor.errors import (
    AuthError,
    ContextLengthError,
    EmptyAnswerError,
    ModelOutputError,
    ProviderError,
    QuotaError,
    RefusalError,
    TransportError,
    TruncatedOutputError,
)
from extractor.providers.base import CallOutcome, CallRecord
from extractor.providers.config import ProviderConfig

T = TypeVar("T", bound=BaseModel)
# instructor logs a failed re-ask at ERROR through a logger with no handler, which Python prints to
# stderr; claimdiff reports those failures itself (unjudged, parse_error), and CLAIMDIFF_LOG shows them.
logging.getLogger("instructor").addHandler(logging.NullHandler())

_MODES = {
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
    "json_schema": instructor.Mode.JSON_SCHEMA,
}
MAX_WAIT_SECONDS = 120.0


def _is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.RateLimitError):
        return _error_code(exc) != "insufficient_quota"
    return isinstance(exc, openai.APIConnectionError | openai.InternalServerError)


def _error_code(exc: openai.APIStatusError) -> str | None:
    body = exc.body if isinstance(exc.body, dict) else {}
    inner = body.get("error", body) if isinstance(body.get("error", body), dict) else body
    code = getattr(exc, "code", None) or inner.get("code") or inner.get("type")
    return str(code) if code else None


def retry_after_seconds(exc: BaseException | None) -> float | None:
    response = getattr(exc, "response", None)
    if response is None:
        return None
    value = response.headers.get("retry-after-ms")
    if value:
        try:
            return float(value) / 1000.0
        except ValueError:
            pass
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def _wait(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    told = retry_after_seconds(exc)
    if told is not None:
        return min(told, MAX_WAIT_SECONDS)
    return float(min(2 ** (state.attempt_number - 1), 30))


def transport_retrying(retries: int, sleep: Callable[[float], None] = time.sleep) -> Retrying:
    """claimdiff's one retry layer for transport errors: connection, timeout, 429 (not quota), 5xx."""
    return Retrying(
        retry=retry_if_exception(_is_retryable),
        stop=stop_after_attempt(retries + 1),
        wait=_wait,
        sleep=sleep,
        reraise=True,
    )


def classify(exc: BaseException) -> Exception:
    """An SDK exception as claimdiff's error (for calls that are not chat completions)."""
    return _classify(exc, [])


def _unwrap(exc: BaseException) -> BaseException:
    """instructor wraps API errors in its retry exception; the cause is what happened."""
    if isinstance(exc, InstructorRetryException) and isinstance(exc.__cause__, openai.APIError):
        return exc.__cause__
    return exc


def _classify(exc: BaseException, calls: list[CallRecord]) -> Exception:
    """Turn whatever the SDK or instructor raised into claimdiff's error tree (no secrets in text)."""
    raw = calls[-1].raw if calls else None
    last_finish = calls[-1].finish_reason if calls else None
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return AuthError(f"the server refused the credentials (HTTP {exc.status_code})", original=exc)
    if isinstance(exc, openai.RateLimitError) and _error_code(exc) == "insufficient_quota":
        return QuotaError("the account has no quota left (429 insufficient_quota)", original=exc)
    if isinstance(exc, openai.BadRequestError) and "context" in str(exc).lower():
        return ContextLengthError("the prompt is longer than the model's context window", original=exc)
    if isinstance(exc, openai.APIStatusError):
        return TransportError(f"HTTP {exc.status_code} from the model server", original=exc)
    if isinstance(exc, openai.APIConnectionError):
        return TransportError(f"cannot reach the model server: {type(exc).__name__}", original=exc)
    if isinstance(exc, IncompleteOutputException) or last_finish == "length":
        return TruncatedOutputError("the answer was cut off at the output token limit", raw=raw)
    if last_finish == "content_filter" or (raw and '"refusal": "' in raw):
        return RefusalError("the model refused or the content filter stopped it", raw=raw)
    if calls and calls[-1].error == "no choices":
        return EmptyAnswerError("the server answered with no choices", raw=raw)
    if isinstance(exc, InstructorRetryException):
        return ModelOutputError(f"the answer did not fit the schema after {exc.n_attempts} attempts", raw=raw)
    if isinstance(exc, AttributeError | IndexError | TypeError | ValueError):
        return ModelOutputError(f"the answer could not be parsed: {type(exc).__name__}", raw=raw)
    return ProviderError(f"unexpected failure: {type(exc).__name__}", original=exc)


def openai_client(config: ProviderConfig, http_client: Any | None = None) -> openai.OpenAI:
    """The SDK client: its own retries off (claimdiff's one retry layer is `transport_retrying`)."""
    key = config.api_key.get_secret_value() if config.api_key else "not-needed"
    return openai.OpenAI(
        base_url=config.base_url, api_key=key, max_retries=0, timeout=config.timeout, http_client=http_client
    )


class LLMClient:
    """The OpenAI-compatible provider (openai + instructor): one implementation of ModelProvider."""

    def __init__(
        self,
        config: ProviderConfig,
        *,
        http_client: Any | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self._sleep = sleep
        self._openai = openai_client(config, http_client)
        self._instructor = instructor.from_openai(self._openai, mode=_MODES[config.mode])
        self._wrapped: dict[type[BaseModel], type[BaseModel]] = {}

    def _schema_for(self, response_model: type[T]) -> type[T]:
        """instructor wraps a model in a new class on every call, so its schema cache never hits;
        wrapping once per model gives the same request body for a fraction of the work."""
        wrapped = self._wrapped.get(response_model)
        if wrapped is None:
            wrapped = self._wrapped[response_model] = instructor.openai_schema(response_model)
        return wrapped  # type: ignore[return-value]

    def structured(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        context: dict[str, Any] | None = None,
    ) -> CallOutcome:
        """One structured answer; `context` reaches the response model's validators (what the answer
        is checked against), and a failed check is re-asked with the error, at most `reasks` times."""
        calls: list[CallRecord] = []
        started = [time.monotonic()]

        def on_kwargs(*_: Any, **__: Any) -> None:
            started[0] = time.monotonic()

        def on_response(response: Any) -> None:
            calls.append(_record(response, len(calls) + 1, time.monotonic() - started[0]))

        def on_error(error: Exception, *_: Any, **__: Any) -> None:
            if not isinstance(error, openai.APIError):
                return
            calls.append(
                CallRecord(
                    attempt=len(calls) + 1, seconds=time.monotonic() - started[0], error=type(error).__name__
                )
            )

        hooks = Hooks()
        hooks.on("completion:kwargs", on_kwargs)
        hooks.on("completion:response", on_response)
        hooks.on("completion:error", on_error)

        def once() -> Any:
            try:
                return self._instructor.create(
                    messages=messages,  # type: ignore[arg-type]
                    response_model=self._schema_for(response_model),
                    model=self.config.model,
                    max_retries=self.config.reasks,
                    context=context,
                    temperature=self.config.temperature,
                    max_tokens=self.config.max_output_tokens,
                    hooks=hooks,
                )
            except InstructorRetryException as e:
                root = _unwrap(e)
                if root is e:
                    raise
                raise root from root.__cause__  # keep the real cause, not instructor's wrapper

        try:
            parsed = transport_retrying(self.config.transport_retries, self._sleep)(once)
        except Exception as e:
            error = _classify(e, calls)
            error.calls = calls  # type: ignore[attr-defined]
            raise error from e
        return CallOutcome(parsed=parsed, model=self.config.model, calls=calls)


def _record(response: Any, attempt: int, seconds: float) -> CallRecord:
    usage = getattr(response, "usage", None)
    choices = getattr(response, "choices", None) or []
    try:
        raw = response.model_dump_json()
    except Exception:
        raw = repr(response)
    return CallRecord(
        attempt=attempt,
        seconds=seconds,
        prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
        completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
        finish_reason=choices[0].finish_reason if choices else None,
        raw=raw,
        error=None if choices else "no choices",
    )
