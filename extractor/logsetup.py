"""Debug logging for claimdiff and the libraries under it (openai, httpx, instructor), never with a key.

Off by default. `claimdiff -v ...` or `CLAIMDIFF_LOG=debug` (or `info`) turns it on, to stderr or to
the file `CLAIMDIFF_LOG_FILE` names. Every record passes a filter that replaces the API key, any
`sk-...` token and any Authorization/api-key header value with `[redacted]`, in the message, its
arguments and its traceback, whichever library wrote it.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

LOGGERS = ("claimdiff", "extractor", "openai", "httpx", "httpx2", "httpcore", "instructor", "vcr")
REDACTED = "[redacted]"
_PATTERNS = (
    re.compile(r"\bsk-[A-Za-z0-9_\-]{6,}"),
    re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(?:bearer\s+)?[^\s'\",}]+"),
    re.compile(r"(?i)((?:api[-_]?key|x-api-key)['\"]?\s*[:=]\s*['\"]?)[^\s'\",}]+"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._\-]{6,}"),
)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + REDACTED, text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites each record with its secrets replaced; never drops a record."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def _known(self) -> tuple[str, ...]:
        return (*self.secrets, os.environ.get("OPENAI_API_KEY", ""))

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = self._known()
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit its format: keep what can be read
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message, secrets)
        record.args = None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text, secrets)
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        return True


def configure(verbosity: int = 0, env: dict[str, Any] | None = None) -> logging.Handler | None:
    """Turn logging on as asked (flag count or CLAIMDIFF_LOG); returns the handler, or None when off."""
    env = dict(os.environ) if env is None else env
    wanted = str(env.get("CLAIMDIFF_LOG", "")).lower()
    if verbosity >= 1 and wanted not in ("debug", "info"):
        wanted = "debug"
    if wanted not in ("debug", "info"):
        return None
    level = logging.DEBUG if wanted == "debug" else logging.INFO
    target = env.get("CLAIMDIFF_LOG_FILE")
    handler: logging.Handler = (
        logging.FileHandler(target, encoding="utf-8") if target else logging.StreamHandler()
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    handler.setLevel(level)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        # One handler per logger (no propagation to the root): every record goes through the filter.
        logger.handlers = [h for h in logger.handlers if not getattr(h, "_claimdiff", False)]
        handler._claimdiff = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.propagate = False
    return handler
