"""claimdiff's one exception tree. Library code raises these; only the CLI prints them.

ClaimdiffError
├── UserError                  you asked for something that cannot be done as asked
│   ├── ConfigError            endpoint, key, model or mode missing or wrong
│   ├── BadInputError          an article file that cannot be read as an article (names the file)
│   ├── PromptError            a prompt template is missing, malformed or lacks a variable
│   ├── ImportFormatError      a claims file for `claimdiff import` does not fit the schema
│   ├── NotFoundError          no conflict (or article) with that id or prefix
│   └── StaleDecisionError     someone else decided on this conflict since you looked at it
├── RecordingError             replaying recorded responses failed
│   ├── NoRecordingError       no recording for this request and no endpoint to call
│   └── StaleRecordingError    a recording exists but for another prompt or schema
├── ProviderError              the model's server failed (original exception kept)
│   ├── AuthError              401/403: stop the batch
│   ├── QuotaError             429 insufficient_quota: stop the batch
│   ├── TransportError         timeouts, resets, 429/5xx after the retry layer gave up
│   └── ContextLengthError     400: the prompt is longer than the model's context (bad input)
├── ModelOutputError           the model answered, but not usably (raw answer kept)
│   ├── TruncatedOutputError   finish_reason=length
│   ├── RefusalError           refusal or content filter
│   └── EmptyAnswerError       HTTP 200 with no choices or no content
└── StoreError                 the database cannot be opened or migrated
"""

from __future__ import annotations


class ClaimdiffError(Exception):
    """Base of every error claimdiff raises on purpose."""


class UserError(ClaimdiffError):
    pass


class ConfigError(UserError):
    pass


class BadInputError(UserError):
    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class PromptError(UserError):
    pass


class ImportFormatError(UserError):
    pass


class NotFoundError(UserError):
    pass


class StaleDecisionError(UserError):
    pass


class RecordingError(ClaimdiffError):
    pass


class NoRecordingError(RecordingError):
    pass


class StaleRecordingError(RecordingError):
    pass


class ProviderError(ClaimdiffError):
    failure_class = "transport"

    def __init__(self, message: str, *, original: BaseException | None = None) -> None:
        self.original = original
        super().__init__(message)


class AuthError(ProviderError):
    failure_class = "auth"


class QuotaError(ProviderError):
    failure_class = "quota"


class TransportError(ProviderError):
    failure_class = "transport"


class ContextLengthError(ProviderError):
    # The article (or chunk) as given cannot be read by this model: a fault of the input, not retried.
    failure_class = "bad_input"


class ModelOutputError(ClaimdiffError):
    failure_class = "parse_error"

    def __init__(self, message: str, *, raw: str | None = None) -> None:
        self.raw = raw
        super().__init__(message)


class TruncatedOutputError(ModelOutputError):
    failure_class = "truncated"


class RefusalError(ModelOutputError):
    failure_class = "refusal"


class EmptyAnswerError(ModelOutputError):
    failure_class = "empty_answer"


class StoreError(ClaimdiffError):
    pass
